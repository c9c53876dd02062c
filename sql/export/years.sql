-- The years series $series has figures for in $table: the columns of its wide file.
select distinct "year" from query_table($table) where series = $series order by 1

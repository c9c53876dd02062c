-- Rows and economies of series $series in $table, for its description in datapackage.json.
select count(*), count(distinct economy) from query_table($table) where series = $series

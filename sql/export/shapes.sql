-- Per exported series in $table, in one pass over it: the years it has figures for (the
-- columns of its wide file) and its rows and economies (its description in datapackage.json).
select series, list(distinct "year" order by "year") as years,
       count(*) as "rows", count(distinct economy) as economies
from query_table($table)
group by series

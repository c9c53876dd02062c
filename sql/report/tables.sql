-- The database's published tables and views with their rows (views: none counted).
select table_name as "table", 'table' as kind, estimated_size as "rows"
from duckdb_tables()
where database_name = current_database() and schema_name = 'main'
union all
select view_name, 'view', null
from duckdb_views()
where database_name = current_database() and schema_name = 'main' and not internal
order by 1

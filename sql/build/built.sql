-- What the build made in the main schema: its tables and views, for the summary.
select 'table' as kind, table_name as name from duckdb_tables() where schema_name = 'main'
union all
select 'view', view_name from duckdb_views() where schema_name = 'main' and not internal
order by kind, name

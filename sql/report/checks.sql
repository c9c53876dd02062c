-- The build's checks (sql/build/9_checks/): each is a table in schema qa of the rows breaking
-- its rule, so the table's row count is its number of failing rows (0 = pass).
select table_name as "check", estimated_size as failing_rows
from duckdb_tables()
where database_name = current_database() and schema_name = 'qa'
order by table_name

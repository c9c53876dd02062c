-- Whether the database has the composite marts (a database built before them has not).
select count(*) > 0 as has_tables
from duckdb_tables()
where schema_name = 'main' and table_name = 'composite_scores'

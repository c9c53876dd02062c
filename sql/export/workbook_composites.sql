-- The composites with scores, one sheet each; none when the database has no composite_scores
-- table (asked first: the queries over it would fail).
select count(*) > 0 as present
from duckdb_tables()
where database_name = current_database() and schema_name = 'main'
  and table_name = 'composite_scores'

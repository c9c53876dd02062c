-- What the database holds: one row per column of every table and view of the published schema
-- (main), the checks (qa) and the catalog's inputs (input), with its type and description (the
-- comments the build wrote from columns.yml). A view over DuckDB's own catalog, so it always
-- describes the database it is read from.
create or replace view catalog as
with relations as (
    select schema_name, table_name, 'table' as kind, comment
    from duckdb_tables()
    where database_name = current_database() and schema_name in ('main', 'qa', 'input')
    union all
    select schema_name, view_name, 'view', comment
    from duckdb_views()
    where database_name = current_database() and schema_name in ('main', 'qa', 'input')
      and not internal
)
select r.schema_name as schema, r.table_name as "table", r.kind,
       r.comment as table_description, c.column_index as position, c.column_name as "column",
       c.data_type as type, c.comment as description
from relations r
join duckdb_columns() c
  on c.database_name = current_database() and c.schema_name = r.schema_name
 and c.table_name = r.table_name
order by case r.schema_name when 'main' then 1 when 'qa' then 2 else 3 end, r.table_name,
         c.column_index;

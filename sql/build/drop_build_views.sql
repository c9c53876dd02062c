-- The views that read the Parquet files through the build's variables (staging views), and the
-- intermediate views over them: they work during the build only, so the build drops them. Views
-- over tables stay (the published marts are tables, or views over tables). One statement a
-- row, run by pipeline/build.py.
with staging_views as (
    select view_name from duckdb_views() where not internal and schema_name = 'staging'
)
select format('drop view "{}"."{}"', schema_name, view_name) as statement
from duckdb_views() v
where not internal
  and (schema_name = 'staging'
       or (schema_name = 'intermediate'
           and exists (select 1 from staging_views s
                       where v.sql like '%staging.' || s.view_name || '%')))
order by schema_name = 'staging', schema_name, view_name

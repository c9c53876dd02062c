-- No vintage kept yet: the view of sql/build/1_staging/stg_ictp__vintage_observations.sql,
-- with its columns and no rows (DuckDB reads no empty list of files). Run by pipeline/build.py
-- in that model's place.
create or replace view staging.stg_ictp__vintage_observations as
select cast(null as varchar) as vintage_id, cast(null as varchar) as economy,
       cast(null as varchar) as series, cast(null as smallint) as "year",
       cast(null as double) as value, cast(null as varchar) as source
where false;

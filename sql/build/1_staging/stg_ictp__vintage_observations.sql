-- The rows of every kept vintage (processed/vintages/<source>/<series>/<vintage_id>.parquet,
-- listed by pipeline/build.py as the variable vintage_files), renamed and cast, nothing else.
-- With no vintage kept yet, sql/build/no_vintages.sql makes this view, empty, instead.
create or replace view staging.stg_ictp__vintage_observations as
select
    vintage_id,
    economy,
    series,
    cast("year" as smallint) as "year",
    cast(value as double) as value,
    source
from read_parquet(getvariable('vintage_files'));

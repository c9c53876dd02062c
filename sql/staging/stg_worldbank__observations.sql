-- World Bank observations as `ictp validate` stored them: one source, renamed and cast, nothing else.
create or replace table staging.stg_worldbank__observations as
select
    economy,
    series,
    cast("year" as smallint) as "year",
    cast(value as double) as value,
    source,
    source_code,
    obs_status,
    cast(vintage as date) as vintage,
    raw_sha256
from read_parquet(getvariable('processed_dir') || '/observations.parquet')
where source = 'worldbank';

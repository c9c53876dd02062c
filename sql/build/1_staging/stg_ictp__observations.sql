-- Every validated observation as `ictp validate` stored them (all sources: tidy already read
-- each source's own format into the one contract), renamed and cast, nothing else.
create or replace view staging.stg_ictp__observations as
select
    economy,
    series,
    cast("year" as smallint) as "year",
    cast(value as double) as value,
    source,
    source_code,
    obs_status,
    cast(vintage as date) as vintage,
    raw_sha256,
    note,
    source_note
from read_parquet(getvariable('tables_dir') || '/observations.parquet');

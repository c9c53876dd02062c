-- Soft-rule warnings of the latest `ictp validate` (sql/validate/warnings/): reported, never quarantined.
create or replace view staging.stg_ictp__warnings as
select
    economy,
    series,
    cast("year" as smallint) as "year",
    value,
    source,
    source_code,
    obs_status,
    cast(vintage as date) as vintage,
    raw_sha256,
    rule,
    detail
from read_parquet(getvariable('tables_dir') || '/warnings.parquet');

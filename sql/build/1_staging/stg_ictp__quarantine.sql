-- Rows that failed validation in the latest `ictp validate`, with the rule they broke.
create or replace table staging.stg_ictp__quarantine as
select
    economy,
    series,
    cast("year" as smallint) as "year",
    value,
    value_text,
    source,
    source_code,
    obs_status,
    cast(vintage as date) as vintage,
    raw_sha256,
    note,
    source_note,
    reason,
    run_id
from read_parquet(getvariable('tables_dir') || '/quarantine.parquet');

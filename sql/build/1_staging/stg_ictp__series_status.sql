-- Freshness and row accounting per series, as the latest `ictp validate` left them.
create or replace table staging.stg_ictp__series_status as
select
    source,
    series,
    source_code,
    status,
    cast(last_attempt as timestamptz) as last_attempt,
    last_error,
    pull_id,
    cast(retrieved as timestamptz) as retrieved,
    try_cast(vintage as date) as vintage,
    synthetic,
    rows_in,
    no_value,
    stored,
    quarantined
from read_parquet(getvariable('tables_dir') || '/series_status.parquet');

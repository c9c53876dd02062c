-- Every economy code ictp knows, and why (indicators/economies/map.yml): ISO 3166-1, a
-- World Bank aggregate, a code kept as it is, or the target of a source's mapped code.
create or replace table staging.stg_ictp__economy_codes as
select
    iso3,
    code_kind,
    keep_name,
    keep_why
from read_parquet(getvariable('processed_dir') || '/economies.parquet');

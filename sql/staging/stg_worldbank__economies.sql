-- The World Bank country list (GET /v2/country): codes, names, region, income group, aggregates.
create or replace table staging.stg_worldbank__economies as
select
    iso3,
    iso2,
    name,
    region_id,
    region,
    income_id,
    income_group,
    lending_type,
    capital_city,
    longitude,
    latitude,
    is_aggregate
from read_parquet(getvariable('processed_dir') || '/economies.parquet');

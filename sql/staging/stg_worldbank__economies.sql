-- The World Bank country list (GET /v2/country): codes, names, region, income group, aggregates.
create or replace table staging.stg_worldbank__economies as
select
    iso3,
    wb_code as code,
    wb_iso2 as iso2,
    wb_name as name,
    wb_region_id as region_id,
    wb_region as region,
    wb_income_id as income_id,
    wb_income_group as income_group,
    wb_lending_type as lending_type,
    wb_capital_city as capital_city,
    wb_longitude as longitude,
    wb_latitude as latitude,
    wb_is_aggregate as is_aggregate
from read_parquet(getvariable('processed_dir') || '/economies.parquet')
where wb_code is not null;

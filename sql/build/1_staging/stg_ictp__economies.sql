-- The economy table `ictp validate` stored (economies.parquet): every source's economy list
-- merged once on our code (sql/validate/2_intermediate/20_int_economies.sql).
create or replace table staging.stg_ictp__economies as
select
    iso3, iso2, m49, name, name_worldbank, name_itu, name_itu_long, name_iso,
    region_id, region, income_id, income_group, lending_type,
    itu_country_id, itu_code, itu_region_id, itu_region, ldc, lldc, sids,
    is_aggregate, itu_aggregate_id, itu_aggregate_class, group_type, group_code,
    code_kind, keep_why, in_worldbank, in_itu, in_iso,
    capital_city, longitude, latitude
from read_parquet(getvariable('tables_dir') || '/economies.parquet');

-- Economies: one row per economy code, the World Bank list, ITU's list, ISO 3166-1 and ITU's aggregates merged.
create or replace table economies as
select iso3, iso2, m49, name, name_worldbank, name_itu, name_itu_long, name_iso,
       region_id, region, income_id, income_group, lending_type,
       itu_country_id, itu_code, itu_region_id, itu_region, ldc, lldc, sids,
       is_aggregate, itu_aggregate_id, itu_aggregate_class, group_type, group_code,
       code_kind, keep_why, in_worldbank, in_itu, in_iso,
       capital_city, longitude, latitude
from staging.stg_ictp__economies
order by iso3;

-- One value per country, series and year: what country tables and the core indicators use.
-- Aggregates (the providers' regions, income groups, World) are left out; where two sources
-- give the same economy-series-year, the first source in name order wins for now.
create or replace table intermediate.int_country_values as
select o.economy, o.series, o."year", o.value, o.source, o.source_code, o.obs_status,
       o.correction, o.vintage
from intermediate.int_observations o
join staging.stg_worldbank__economies e on e.iso3 = o.economy and not e.is_aggregate
qualify row_number() over (partition by o.economy, o.series, o."year" order by o.source) = 1;

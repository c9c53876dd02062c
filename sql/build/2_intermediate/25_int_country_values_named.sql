-- int_country_values with what the country marts print beside each figure: the economy's
-- names and groups, the series' unit, the source's licence and credit line; in the columns
-- and order indicator_values publishes, then the ranks the marts choose by.
create or replace view intermediate.int_country_values_named as
select
    v.economy,
    e.name as economy_name,
    e.region,
    e.income_group,
    e.itu_region,
    v.series,
    v."year",
    v.value,
    s.unit,
    v.source,
    v.source_code,
    v.obs_status,
    v.correction,
    v.note,
    v.source_note,
    v.vintage,
    s.licence,
    s.attribution,
    v.choice,
    v.open_choice
from intermediate.int_country_values v
join staging.stg_ictp__economies e on e.iso3 = v.economy
join input.catalog_series s on s.series = v.series and s.source = v.source;

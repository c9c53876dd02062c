-- int_country_values with what the country marts print beside each figure: the economy's
-- names and groups, the series' unit, the source's licence and credit line.
create or replace view intermediate.int_country_values_named as
select v.*, e.name as economy_name, e.region, e.income_group, e.itu_region, s.unit,
       s.licence, s.attribution
from intermediate.int_country_values v
join intermediate.int_economies e on e.iso3 = v.economy
join input.catalog_series s on s.series = v.series and s.source = v.source;

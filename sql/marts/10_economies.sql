-- Economies: countries and the World Bank's aggregates (regions, income groups, WLD...).
create or replace table economies as
select iso3, iso2, name, region_id, region, income_id, income_group, lending_type,
       capital_city, longitude, latitude, is_aggregate
from staging.stg_worldbank__economies
order by iso3;

comment on table economies is 'Economies from the World Bank country list (GET /v2/country). Aggregates (regions, income groups, World) have is_aggregate = true and are never mixed into country tables.';
comment on column economies.iso3 is 'ISO 3166-1 alpha-3 code for countries; the World Bank''s own code for aggregates and for economies ISO lacks (XKX Kosovo, CHI Channel Islands).';
comment on column economies.iso2 is 'ISO 3166-1 alpha-2 code (the World Bank''s 2-character code for aggregates).';
comment on column economies.name is 'Name as the World Bank writes it.';
comment on column economies.region_id is 'World Bank region code (EAS, ECS, LCN, MEA, NAC, SAS, SSF); NULL for aggregates.';
comment on column economies.region is 'World Bank region name; NULL for aggregates.';
comment on column economies.income_id is 'World Bank income group code (HIC, UMC, LMC, LIC, INX not classified); NULL for aggregates.';
comment on column economies.income_group is 'World Bank income group name; NULL for aggregates.';
comment on column economies.lending_type is 'World Bank lending category (IBRD, IDA, Blend, Not classified); NULL for aggregates.';
comment on column economies.capital_city is 'Capital city.';
comment on column economies.longitude is 'Longitude of the capital city.';
comment on column economies.latitude is 'Latitude of the capital city.';
comment on column economies.is_aggregate is 'True for the World Bank''s aggregates (its region id is NA).';

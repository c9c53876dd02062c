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

comment on table economies is 'Every economy code ictp knows: ISO 3166-1 countries, the World Bank''s country list (with its aggregates), ITU''s country list, and ITU''s regions whose aggregates are pulled (ITU.ARB, ITU.WORLD, ITU.LDC...), merged on our code through indicators/economies/map.yml. Aggregates have is_aggregate = true and are never mixed into country tables.';
comment on column economies.iso3 is 'Our economy code: ISO 3166-1 alpha-3 for countries; the World Bank''s own code for its aggregates and for economies ISO lacks (XKX Kosovo, CHI Channel Islands); codes kept as they are in map.yml (ANT, ASC); ITU.<ITU''s regionCode> for ITU''s aggregates (ITU.ARB Arab States, not the World Bank''s ARB Arab World; ITU.WORLD, ITU.LDC...).';
comment on column economies.iso2 is 'ISO 3166-1 alpha-2 code as the World Bank gives it (its 2-character code for aggregates, XK for Kosovo), else ISO''s.';
comment on column economies.m49 is 'UN M49 numeric code, which for countries is the ISO 3166-1 numeric code (zero-padded text, e.g. 004); NULL for economies ISO lacks and for aggregates.';
comment on column economies.name is 'Preferred name: the World Bank''s, else ITU''s short name (ITU''s region name for its aggregates), else ISO''s.';
comment on column economies.name_worldbank is 'Name as the World Bank writes it; NULL if the World Bank does not list the economy.';
comment on column economies.name_itu is 'Short name as ITU writes it; NULL if ITU does not list the economy.';
comment on column economies.name_itu_long is 'Long name as ITU writes it.';
comment on column economies.name_iso is 'ISO 3166-1 common name, else its name.';
comment on column economies.region_id is 'World Bank region code (EAS, ECS, LCN, MEA, NAC, SAS, SSF); NULL for aggregates and economies the World Bank does not list.';
comment on column economies.region is 'World Bank region name.';
comment on column economies.income_id is 'World Bank income group code (HIC, UMC, LMC, LIC, INX not classified).';
comment on column economies.income_group is 'World Bank income group name.';
comment on column economies.lending_type is 'World Bank lending category (IBRD, IDA, Blend, Not classified).';
comment on column economies.itu_country_id is 'ITU''s CountryID (the key of ITU''s IDI and UMC country calls).';
comment on column economies.itu_code is 'The code ITU uses for the economy (IsoCode): the ISO code, or its own (KSO Kosovo, AAA Guernsey, GBJ Jersey).';
comment on column economies.itu_region_id is 'ITU region code (AFR, AMS, ARB, ASP, CIS, EUR), from ITU''s "ITU/BDT Classification" grouping.';
comment on column economies.itu_region is 'ITU region name.';
comment on column economies.ldc is 'Least Developed Country, from ITU''s LDC grouping. NULL = unknown: the economy is not in ITU''s list, or ITU''s list carries no LDC grouping at all.';
comment on column economies.lldc is 'Landlocked Developing Country, from ITU''s LLDC grouping; NULL = unknown (as ldc).';
comment on column economies.sids is 'Small Island Developing State, from ITU''s SIDS grouping; NULL = unknown (as ldc).';
comment on column economies.is_aggregate is 'True for the World Bank''s aggregates (its region id is NA) and ITU''s (its regions).';
comment on column economies.itu_aggregate_id is 'For ITU''s aggregates: the regionID of ITU''s region list that ictp asks /aggregation/.../byregionid/ for (the answer names the region but carries another id).';
comment on column economies.itu_aggregate_class is 'For ITU''s aggregates: the class of ITU''s region list (className) the region belongs to (indicators/sources.yml lists the classes pulled).';
comment on column economies.group_type is 'For ITU''s aggregates: the kind of group of ours it is ITU''s figure for (world, itu_region, un_list; aggregates.group_type), from indicators/sources.yml. NULL otherwise (the World Bank''s aggregate codes are our group codes themselves).';
comment on column economies.group_code is 'For ITU''s aggregates: the group of ours it is ITU''s figure for (aggregates.group_code: WLD, ARB, LDC...); qa.aggregates_vs_provider compares the two.';
comment on column economies.code_kind is 'Why the code is known: iso (ISO 3166-1), aggregate (World Bank aggregate), itu_aggregate (a region of ITU''s region list whose aggregates are pulled), keep (kept as it is in map.yml), map (a mapped code''s target that ISO lacks).';
comment on column economies.keep_why is 'For kept codes: why, as map.yml says.';
comment on column economies.in_worldbank is 'The World Bank''s country list has the economy.';
comment on column economies.in_itu is 'ITU''s country list has the economy.';
comment on column economies.in_iso is 'ISO 3166-1 has the economy.';
comment on column economies.capital_city is 'Capital city (World Bank).';
comment on column economies.longitude is 'Longitude of the capital city (World Bank).';
comment on column economies.latitude is 'Latitude of the capital city (World Bank).';

-- Which countries make up each group aggregates are computed for: the World, the World Bank's
-- regions and income groups, ITU's regions, and the UN's LDC, LLDC and SIDS lists (all from the
-- merged economy table; no membership is pasted here). Where a list is unknown (NULL flags),
-- the group has no members, so no aggregate is made for it.
create or replace table intermediate.int_group_members as
with countries as (
    select * from staging.stg_ictp__economies where not is_aggregate
)
select 'WLD' as group_code, 'World' as group_name, 'world' as group_type, iso3 as economy
from countries
union all
select region_id, region, 'wb_region', iso3 from countries where region_id is not null
union all
select income_id, income_group, 'wb_income', iso3
from countries where income_id is not null and income_id <> 'INX'
union all
select itu_region_id, itu_region, 'itu_region', iso3 from countries where itu_region_id is not null
union all
select 'LDC', 'Least developed countries', 'un_list', iso3 from countries where ldc
union all
select 'LLDC', 'Landlocked developing countries', 'un_list', iso3 from countries where lldc
union all
select 'SIDS', 'Small island developing States', 'un_list', iso3 from countries where sids;

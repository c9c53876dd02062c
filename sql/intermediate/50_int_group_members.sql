-- Which countries make up each group aggregates are computed for: the World, the World Bank's
-- regions and income groups (groups the economy list defines; none is pasted here).
create or replace table intermediate.int_group_members as
with countries as (
    select * from staging.stg_worldbank__economies where not is_aggregate
)
select 'WLD' as group_code, 'World' as group_name, 'world' as group_type, iso3 as economy
from countries
union all
select region_id, region, 'wb_region', iso3 from countries where region_id is not null
union all
select income_id, income_group, 'wb_income', iso3
from countries
where income_id is not null and income_id <> 'INX';

-- Which countries make up each group aggregates are computed for: the World, the World Bank's
-- regions and income groups, ITU's regions, and the UN's LDC, LLDC and SIDS lists (all from the
-- merged economy table; no membership is pasted here). The groups of economies/groups.yml are
-- named there with the int_economies flag marking their members; the others take code and name
-- from the economy lists, less the codes their group type excludes. Where a list is unknown
-- (NULL flags), the group has no members, so no aggregate is made for it. Rows are stored in
-- groups.yml's order of types and groups, then the economy list's (the aggregates' sums follow it).
create or replace table intermediate.int_group_members as
with countries as (
    select rowid as pos, * from staging.stg_ictp__economies where not is_aggregate
), flags as (
    unpivot (select pos, iso3, true as every_country, ldc, lldc, sids from countries)
    on every_country, ldc, lldc, sids into name flag value member
), named as (
    select g.group_code, g.group_name, g.group_type, f.iso3 as economy, g.position as group_pos,
           f.pos
    from input.catalog_groups g
    join flags f on f.flag = g.members
    where f.member
), listed as (
    select region_id as group_code, region as group_name, 'wb_region' as group_type,
           iso3 as economy, null as group_pos, pos
    from countries where region_id is not null
    union all
    select income_id, income_group, 'wb_income', iso3, null, pos
    from countries where income_id is not null
    union all
    select itu_region_id, itu_region, 'itu_region', iso3, null, pos
    from countries where itu_region_id is not null
), members as (
    select * from named
    union all
    select * from listed
)
select m.group_code, m.group_name, m.group_type, m.economy
from members m
join input.catalog_group_types t using (group_type)
where not list_contains(t.exclude, m.group_code)
order by t.position, m.group_pos, m.pos;

-- One row per economy: the World Bank list, ITU's list and ISO 3166-1 merged on our code, and
-- ITU's aggregates (its regions, coded ITU.<regionCode>). Names are kept per source; the
-- preferred name is the World Bank's, then ITU's, then ISO's.
create or replace table intermediate.int_economies as
with region_class as (
    -- the class of ITU's groupings that are its regions: the aggregate class of group type
    -- itu_region (indicators/sources.yml)
    select "class" as name from input.catalog_aggregate_classes where group_type = 'itu_region'
), itu as (
    select
        iso3,
        code,
        country_id,
        short_name,
        long_name,
        -- ITU's own regions are the groupings of its regions' class (AFR, AMS, ARB, ASP, CIS,
        -- EUR), as the captured /country/all responses show.
        list_filter("groups", lambda g: g."class" = k.name)[1] as region_group,
        list_transform("groups", lambda g: g.regionCode) as group_codes
    from staging.stg_itu__economies
    left join region_class k on true
), carried as (
    -- The UN groupings (LDC, LLDC, SIDS) ITU's list carries at all. Where it carries none, a
    -- flag is unknown (NULL), not false: the captured list shows none for Afghanistan, an LDC.
    select coalesce(list_distinct(flatten(list(group_codes))), []) as codes from itu
)
select
    ids.iso3,
    coalesce(wb.iso2, iso.alpha2) as iso2,
    iso."numeric" as m49,
    coalesce(wb.name, itu.short_name, agg.name, iso.common_name, iso.name, ids.keep_name) as name,
    wb.name as name_worldbank,
    itu.short_name as name_itu,
    itu.long_name as name_itu_long,
    coalesce(iso.common_name, iso.name) as name_iso,
    wb.region_id,
    wb.region,
    wb.income_id,
    wb.income_group,
    wb.lending_type,
    itu.country_id as itu_country_id,
    itu.code as itu_code,
    itu.region_group.regionCode as itu_region_id,
    itu.region_group.region as itu_region,
    case when list_contains(c.codes, 'LDC') then list_contains(itu.group_codes, 'LDC') end as ldc,
    case when list_contains(c.codes, 'LLDC') then list_contains(itu.group_codes, 'LLDC') end as lldc,
    case when list_contains(c.codes, 'SIDS') then list_contains(itu.group_codes, 'SIDS') end as sids,
    coalesce(wb.is_aggregate, false) or agg.iso3 is not null as is_aggregate,
    agg.region_id as itu_aggregate_id,
    agg."class" as itu_aggregate_class,
    agg.group_type,
    agg.group_code,
    ids.code_kind,
    ids.keep_why,
    wb.iso3 is not null as in_worldbank,
    itu.iso3 is not null as in_itu,
    iso.iso3 is not null as in_iso,
    wb.capital_city,
    wb.longitude,
    wb.latitude
from staging.stg_ictp__economy_codes ids
cross join carried c
left join staging.stg_worldbank__economies wb using (iso3)
left join itu using (iso3)
left join staging.stg_itu__aggregates agg using (iso3)
left join staging.stg_iso__countries iso using (iso3);

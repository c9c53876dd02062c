-- One row per economy, the one merge of every source's economy list on our code: ISO 3166-1
-- countries, kept codes (map.yml keep:), every code a source's list maps to, and ITU's
-- aggregates (its regions, coded ITU.<regionCode>). Names are kept per source; the preferred
-- name is the World Bank's, then ITU's, then ISO's. Stored as economies.parquet; the build's
-- `economies` mart publishes it.
with agg as (
    select * from int_itu_aggregate_regions
    qualify row_number() over (partition by iso3 order by region_id) = 1
), ids as (
    select iso3 from int_economy_codes where iso3 is not null
    union select alpha_3 from stg_iso__countries
    union select code from input.economy_map where kind = 'keep'
    union select iso3 from agg
), wb as (
    select c.iso3, w.* from int_economy_codes c join stg_worldbank__economies w on w.code = c.code
    where c.source = 'worldbank' and c.iso3 is not null
    qualify row_number() over (partition by c.iso3 order by w.code) = 1
), itu_listed as (
    select c.iso3, t.* from int_economy_codes c join stg_itu__economies t on t.code = c.code
    where c.source = 'itu' and c.iso3 is not null
    qualify row_number() over (partition by c.iso3 order by (t.code = c.iso3) desc, t.code) = 1
), region_class as (
    -- the class of ITU's groupings that are its regions: the aggregate class of group type
    -- itu_region (indicators/sources.yml)
    select "class" as name from input.catalog_aggregate_classes where group_type = 'itu_region'
), itu as (
    select
        l.*,
        -- ITU's own regions are the groupings of its regions' class (AFR, AMS, ARB, ASP, CIS,
        -- EUR), as the captured /country/all responses show.
        list_filter(l."groups", lambda g: g."class" = k.name)[1] as region_group,
        list_transform(l."groups", lambda g: g.regionCode) as group_codes
    from itu_listed l
    left join region_class k on true
), carried as (
    -- The UN groupings (LDC, LLDC, SIDS) ITU's list carries at all. Where it carries none, a
    -- flag is unknown (NULL), not false: the captured list shows none for Afghanistan, an LDC.
    select coalesce(list_distinct(flatten(list(group_codes))), []) as codes from itu
)
select
    ids.iso3,
    coalesce(wb.iso2, iso.alpha_2) as iso2,
    iso."numeric" as m49,
    coalesce(wb.name, itu.short_name, agg.name, iso.common_name, iso.name, k.name) as name,
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
    case when wb.is_aggregate then 'aggregate' when agg.iso3 is not null then 'itu_aggregate'
         when iso.alpha_3 is not null then 'iso' when k.code is not null then 'keep'
         else 'map' end as code_kind,
    k.why as keep_why,
    wb.iso3 is not null as in_worldbank,
    itu.iso3 is not null as in_itu,
    iso.alpha_3 is not null as in_iso,
    wb.capital_city,
    wb.longitude,
    wb.latitude,
    -- every spelling of the name, for files that give names (int_economy_names)
    [wb.name, itu.short_name, itu.long_name, iso.name, iso.official_name, iso.common_name,
     k.name] as names
from ids
cross join carried c
left join wb using (iso3)
left join itu using (iso3)
left join agg using (iso3)
left join stg_iso__countries iso on iso.alpha_3 = ids.iso3
left join input.economy_map k on k.kind = 'keep' and k.code = ids.iso3
order by ids.iso3

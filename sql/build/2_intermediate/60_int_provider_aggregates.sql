-- The providers' own aggregates of each Core List indicator, by the group of ours each stands
-- for: the indicator's first reported series (core.yml), at the World Bank's aggregates (their
-- codes are our group codes: WLD, its regions and income groups, for each group type whose
-- `provider` in economies/groups.yml is the World Bank) and at ITU's (ITU.WORLD, ITU.ARB,
-- ITU.LDC...: the economy list names their group type and code, indicators/sources.yml). ITU's
-- ARB (Arab States) is the itu_region ARB, never the World Bank's ARB (Arab World). Only the
-- groups of int_group_members (a World Bank code such as HIC is a group of one type only).
-- Read by qa.aggregates_vs_provider and the report's trends (sql/report/trends.sql).
create or replace table intermediate.int_provider_aggregates as
with reported as (
    select indicator, series
    from input.core_methods
    where method = 'reported'
    qualify row_number() over (partition by indicator order by priority) = 1
), provider as (
    select e.iso3 as economy, t.provider as source, t.group_type, e.iso3 as group_code
    from staging.stg_ictp__economies e
    join input.catalog_group_types t on t.provider is not null
    where e.code_kind = 'aggregate'
    union all
    select e.iso3, c.source, e.group_type, e.group_code
    from staging.stg_ictp__economies e
    join input.catalog_aggregate_classes c on c."class" = e.itu_aggregate_class
    where e.code_kind = 'itu_aggregate'
), groups as (
    select distinct group_type, group_code
    from intermediate.int_group_members
)
select r.indicator, p.group_type, p.group_code, o."year", o.value, o.source,
       o.economy as provider_economy
from reported r
join intermediate.int_observations o on o.series = r.series
join provider p on p.economy = o.economy and p.source = o.source
join groups g on g.group_type = p.group_type and g.group_code = p.group_code
order by r.indicator, p.group_type, p.group_code, o."year", o.source;

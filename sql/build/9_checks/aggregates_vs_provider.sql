-- Our aggregates against the providers' own aggregate of the indicator's reported series, where
-- both exist: a relative gap above provider_tolerance (indicators/core.yml) is worth a look
-- (different weights, imputation, membership or population figures).
-- The World Bank's aggregates (WLD, its regions and income groups) carry our group codes
-- themselves; ITU's (ITU.WORLD, ITU.ARB, ITU.LDC...) say in economies which group of ours they
-- are ITU's figure for (indicators/sources.yml). ITU's ARB (Arab States) is compared with our
-- itu_region ARB, never with the World Bank's ARB (Arab World).
with reported as (
    select indicator, series
    from input.core_methods
    where method = 'reported'
    qualify row_number() over (partition by indicator order by priority) = 1
), provider as (
    -- a World Bank aggregate's code is the group code of each group type it provides
    -- (economies/groups.yml `provider`); an ITU aggregate names its group and its class
    select e.iso3 as economy, t.provider as source, t.group_type, e.iso3 as group_code
    from economies e
    join input.catalog_group_types t on t.provider is not null
    where e.code_kind = 'aggregate'
    union all
    select e.iso3, c.source, e.group_type, e.group_code
    from economies e
    join input.catalog_aggregate_classes c on c."class" = e.itu_aggregate_class
    where e.code_kind = 'itu_aggregate'
)
select a.group_type, a.group_code, a.indicator, a."year", a.value as ours, o.value as provider,
       o.source, o.economy as provider_economy,
       round(abs(a.value - o.value) / greatest(abs(o.value), 1e-9), 4) as relative_gap
from aggregates a
join reported r using (indicator)
join provider p using (group_type, group_code)
join observations o
    on o.economy = p.economy and o.source = p.source and o.series = r.series
   and o."year" = a."year"
cross join input.core_settings s
where a.value is not null
  and abs(a.value - o.value) > s.provider_tolerance * greatest(abs(o.value), 1e-9)
order by a.group_type, a.group_code, a.indicator, a."year", o.source

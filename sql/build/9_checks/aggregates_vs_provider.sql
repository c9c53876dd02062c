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
    select iso3 as economy, 'worldbank' as source, unnest(['world', 'wb_region', 'wb_income'])
               as group_type, iso3 as group_code
    from economies
    where code_kind = 'aggregate'
    union all
    select iso3, 'itu', group_type, group_code
    from economies
    where code_kind = 'itu_aggregate'
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

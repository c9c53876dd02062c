-- Our aggregates against the provider's own aggregate of the same reported series (the World
-- Bank's WLD, regions, income groups: the World Bank's codes for them are our group codes),
-- where both exist: a relative gap above
-- provider_tolerance (indicators/core.yml) is worth a look (different weights, imputation).
with reported as (
    select indicator, series
    from input.core_methods
    where method = 'reported'
    qualify row_number() over (partition by indicator order by priority) = 1
)
select a.group_code, a.indicator, a."year", a.value as ours, o.value as provider,
       o.source, round(abs(a.value - o.value) / greatest(abs(o.value), 1e-9), 4) as relative_gap
from aggregates a
join reported r using (indicator)
join observations o on o.economy = a.group_code and o.series = r.series and o."year" = a."year"
join economies e on e.iso3 = o.economy and e.is_aggregate
cross join input.core_settings s
where a.value is not null
  and a.group_type in ('world', 'wb_region', 'wb_income')
  and o.source = 'worldbank'
  and abs(a.value - o.value) > s.provider_tolerance * greatest(abs(o.value), 1e-9)

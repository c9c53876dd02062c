-- Our aggregates against the providers' own aggregate of the indicator's reported series, where
-- both exist: a relative gap above provider_tolerance (indicators/core.yml) is worth a look
-- (different weights, imputation, membership or population figures). Which provider aggregate
-- stands for which group of ours: intermediate.int_provider_aggregates.
select a.group_type, a.group_code, a.indicator, a."year", a.value as ours, o.value as provider,
       o.source, o.provider_economy,
       round(abs(a.value - o.value) / greatest(abs(o.value), 1e-9), 4) as relative_gap
from aggregates a
join intermediate.int_provider_aggregates o using (indicator, group_type, group_code, "year")
cross join input.core_settings s
where a.value is not null
  and abs(a.value - o.value) > s.provider_tolerance * greatest(abs(o.value), 1e-9)
order by a.group_type, a.group_code, a.indicator, a."year", o.source

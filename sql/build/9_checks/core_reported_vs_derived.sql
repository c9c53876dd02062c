-- Where a source reports an indicator and ictp can also derive it from counts, the two agree
-- within derived_tolerance (indicators/core.yml).
select r.indicator, r.economy, r."year", r.value as reported, d.value as derived,
       round(abs(r.value - d.value) / greatest(abs(d.value), 1e-9), 4) as relative_gap
from core_indicators r
join core_indicators d using (indicator, economy, "year")
cross join input.core_settings s
where r.method = 'reported' and d.method = 'derived'
  and abs(r.value - d.value) > s.derived_tolerance * greatest(abs(d.value), 1e-9)
  and abs(r.value - d.value) > 0.01

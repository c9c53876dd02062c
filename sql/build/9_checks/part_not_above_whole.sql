-- A part can never be larger than its whole (not_above in indicators/series.yml), e.g.
-- population covered by 4G <= covered by 3G, smartphone owners <= mobile phone owners.
select p.series, p.source, p.economy, p."year", p.value, k.not_above as whole_series,
       w.value as whole_value
from observations p
join input.catalog_series k on k.series = p.series and k.source = p.source
join observations w on w.series = k.not_above and w.source = p.source
    and w.economy = p.economy and w."year" = p."year"
where k.not_above is not null
  and p.value > w.value * (1 + k.check_tolerance)

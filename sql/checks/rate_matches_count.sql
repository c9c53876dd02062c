-- A per-100 (or per-N) rate agrees with count / population x scale where all three exist
-- (rate_of in indicators/series.yml), within the series' relative tolerance. Countries only:
-- providers build their aggregates' rates and counts over different sets of economies.
with rel as (
    select series, source, rate_count, rate_population, rate_scale, tolerance
    from input.catalog_series
    where rate_count is not null
), triples as (
    select r.series, r.source, rate.economy, rate."year", rate.value as reported,
           cnt.value / pop.value * r.rate_scale as derived, r.tolerance
    from rel r
    join observations rate on rate.series = r.series and rate.source = r.source
    join observations cnt on cnt.series = r.rate_count and cnt.source = r.source
        and cnt.economy = rate.economy and cnt."year" = rate."year"
    join observations pop on pop.series = r.rate_population and pop.source = r.source
        and pop.economy = rate.economy and pop."year" = rate."year"
    join economies e on e.iso3 = rate.economy and not e.is_aggregate
    where pop.value > 0
)
select series, source, economy, "year", reported, round(derived, 6) as derived,
       round(abs(reported - derived) / greatest(abs(derived), 1e-9), 6) as relative_gap
from triples
where abs(reported - derived) > tolerance * greatest(abs(derived), 1e-9)
  and abs(reported - derived) > 0.01

-- A per-100 (or per-N) rate agrees with count / population x scale where all three exist
-- (rate_of in indicators/series.yml), within the series' check_tolerance. The rate is checked
-- per source; the count and the population are the values marts use (any source). Countries
-- only: providers build their aggregates' rates and counts over different sets of economies.
with rel as (
    select series, source, rate_count, rate_population, rate_scale, check_tolerance
    from input.catalog_series
    where rate_count is not null
), chosen as not materialized (  -- read twice: scanned again rather than copied
    -- the values marts use, of the counts and populations the rates name only (a filter
    -- the joins below would not push into the scan)
    select * from intermediate.int_country_values
    where choice = 1
      and series in (select rate_count from rel union all select rate_population from rel)
), triples as (
    select r.series, r.source, rate.economy, rate."year", rate.value as reported,
           cnt.value / pop.value * r.rate_scale as derived, r.check_tolerance
    from rel r
    join intermediate.int_country_values rate on rate.series = r.series and rate.source = r.source
    join chosen cnt on cnt.series = r.rate_count
        and cnt.economy = rate.economy and cnt."year" = rate."year"
    join chosen pop on pop.series = r.rate_population
        and pop.economy = rate.economy and pop."year" = rate."year"
    where pop.value > 0
)
select series, source, economy, "year", reported, round(derived, 6) as derived,
       round(abs(reported - derived) / greatest(abs(derived), 1e-9), 6) as relative_gap
from triples
where abs(reported - derived) > check_tolerance * greatest(abs(derived), 1e-9)
  and abs(reported - derived) > 0.01

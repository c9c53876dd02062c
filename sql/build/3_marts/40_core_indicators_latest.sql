-- The most recent value per country and indicator, at most latest_window_years before the
-- reference year (indicators/core.yml settings), with its year and age: honest about age.
create or replace table core_indicators_latest as
select c.economy, c.economy_name, c.indicator, c.indicator_name, c."year", c.value, c.unit,
       c.method, s.reference_year - c."year" as age_years, s.reference_year,
       s.latest_window_years as window_years
from core_indicators c, input.core_settings s
where c.is_preferred
  and c."year" <= s.reference_year
  and c."year" >= s.reference_year - s.latest_window_years
qualify row_number() over (partition by c.indicator, c.economy order by c."year" desc) = 1
order by c.indicator, c.economy;

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

comment on table core_indicators_latest is 'Per country and core indicator, the latest preferred value within the window (latest_window_years before reference_year, indicators/core.yml). Economies with no value in the window are absent, never filled.';
comment on column core_indicators_latest.economy is 'ISO3 code of the country.';
comment on column core_indicators_latest.economy_name is 'Economy name.';
comment on column core_indicators_latest.indicator is 'Core List code.';
comment on column core_indicators_latest.indicator_name is 'Indicator name.';
comment on column core_indicators_latest."year" is 'The year of the value.';
comment on column core_indicators_latest.value is 'The latest value in the window.';
comment on column core_indicators_latest.unit is 'Unit of value.';
comment on column core_indicators_latest.method is 'How the value was obtained (reported, derived...).';
comment on column core_indicators_latest.age_years is 'reference_year minus year.';
comment on column core_indicators_latest.reference_year is 'The year ages are counted from.';
comment on column core_indicators_latest.window_years is 'How many years back a value may be.';

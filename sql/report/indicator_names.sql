-- The name and unit of each headline indicator (core.yml).
select indicator, name, unit
from input.core_indicators
where list_contains($indicators, indicator)

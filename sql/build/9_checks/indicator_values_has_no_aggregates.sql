-- Aggregates (WLD, HIC, regions...) must never appear in a country table.
select v.economy, v.series, v."year"
from indicator_values v
join economies e on e.iso3 = v.economy
where e.is_aggregate

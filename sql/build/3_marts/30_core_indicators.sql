-- Core ICT indicators per country and year, with how each value was obtained.
create or replace table core_indicators as
with rows as (
    select indicator, economy, "year", value, method, inputs, sources, priority
    from intermediate.int_core_values
    union all
    select f.indicator, f.economy, f."year", f.value, f.method, f.inputs, null, 1000
    from intermediate.int_core_filled f
    anti join intermediate.int_core_values v using (indicator, economy, "year")
)
select r.economy, e.name as economy_name, r.indicator, c.name as indicator_name,
       cast(r."year" as smallint) as "year", r.value, c.unit, r.method, r.inputs, r.sources,
       row_number() over (partition by r.indicator, r.economy, r."year" order by r.priority) = 1
           as is_preferred
from rows r
join input.core_indicators c using (indicator)
join economies e on e.iso3 = r.economy
order by r.indicator, r.economy, r."year", r.priority;

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

comment on table core_indicators is 'Core List ICT indicators (indicators/core.yml) per country and year, every way they could be obtained: reported by a source, derived by formula from counts, or (only where the catalog asks) interpolated / carried forward. One preferred row per indicator, economy and year.';
comment on column core_indicators.economy is 'ISO3 code of the country.';
comment on column core_indicators.economy_name is 'Economy name.';
comment on column core_indicators.indicator is 'Core List code (A1, HH7...; codes unconfirmed, see core_indicator_status.code_confirmed).';
comment on column core_indicators.indicator_name is 'Indicator name.';
comment on column core_indicators."year" is 'Reference year.';
comment on column core_indicators.value is 'The value, in unit.';
comment on column core_indicators.unit is 'Unit of value.';
comment on column core_indicators.method is 'reported (a source series), derived (a formula over source series), interpolated or carried_forward (gap filling the catalog asked for).';
comment on column core_indicators.inputs is 'The series (and sources) used: series@source, or the formula with its inputs.';
comment on column core_indicators.sources is 'The sources of the inputs.';
comment on column core_indicators.is_preferred is 'True for the row to use: the first way in the catalog''s order that has a value (reported before derived unless the catalog says otherwise).';

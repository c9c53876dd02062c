-- Every Core List indicator and its status on this database: computed (with coverage), no data
-- (the series it needs are missing or empty), or not computable from country-level data.
create or replace table core_indicator_status as
with needs as (
    select indicator, unnest(list_filter(list_value(series, numerator, denominator, denominator2),
                                         lambda x: x is not null)) as series
    from input.core_methods
), missing as (
    select n.indicator, string_agg(distinct n.series, ', ' order by n.series) as series
    from needs n
    anti join (select distinct series from intermediate.int_country_values) v using (series)
    group by all
), computed as (
    select indicator, count(distinct economy) as economies, count(distinct "year") as years,
           min("year") as first_year, max("year") as latest_year,
           string_agg(distinct method, ', ' order by method) as methods
    from core_indicators
    group by all
)
select c.indicator, c.name, c.area, c.unit, c.sdg, c.code_confirmed,
       case when not c.computable then 'not computable'
            when k.indicator is null then 'no data'
            else 'computed' end as status,
       case when not c.computable then c.reason
            when k.indicator is null then 'no values for: ' || coalesce(m.series, '?')
       end as reason,
       k.methods, coalesce(k.economies, 0) as economies, coalesce(k.years, 0) as years,
       k.first_year, k.latest_year, c.aggregate_method,
       coalesce(c.aggregate_note, c.aggregate_reason) as aggregate_note
from input.core_indicators c
left join computed k using (indicator)
left join missing m using (indicator)
order by c.position;

comment on table core_indicator_status is 'Every indicator of the Core List (indicators/core.yml) and its status here: computed, no data (the series it needs have no values; reason names them) or not computable from country-level data (reason says why). ictp indicators prints it.';
comment on column core_indicator_status.indicator is 'Core List code (unconfirmed unless code_confirmed).';
comment on column core_indicator_status.name is 'Indicator name.';
comment on column core_indicator_status.area is 'A infrastructure and access, HH households and individuals, B enterprises, ICT sector and trade, ED education, EG government.';
comment on column core_indicator_status.unit is 'Unit.';
comment on column core_indicator_status.sdg is 'SDG indicator numbers (17.6.1 was 17.6.2 before the 2020 review; both are listed).';
comment on column core_indicator_status.code_confirmed is 'False while the code and title are not checked against the Core List''s March 2022 edition.';
comment on column core_indicator_status.status is 'computed, no data or not computable.';
comment on column core_indicator_status.reason is 'Why it is not computed.';
comment on column core_indicator_status.methods is 'How values were obtained (reported, derived...).';
comment on column core_indicator_status.economies is 'Countries with at least one value.';
comment on column core_indicator_status.years is 'Years with at least one value.';
comment on column core_indicator_status.first_year is 'First year with a value.';
comment on column core_indicator_status.latest_year is 'Latest year with a value.';
comment on column core_indicator_status.aggregate_method is 'How aggregates are formed (NULL = not aggregated).';
comment on column core_indicator_status.aggregate_note is 'Why it is not aggregated, or a caveat on the aggregate.';

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

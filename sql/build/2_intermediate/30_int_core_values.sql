-- Core indicators per country and year, every way the catalog (indicators/core.yml) allows:
-- reported (a source's series) and derived (scale x numerator / denominator [x denominator2]).
create or replace table intermediate.int_core_values as
with chosen as not materialized (  -- read more than once: scanned again rather than copied
    -- one value per country, series and year: the source the catalog's precedence prefers
    select * from intermediate.int_country_values where choice = 1
), reported as (
    select m.indicator, m.priority, 'reported' as method, v.economy, v."year", v.value,
           v.series || '@' || v.source as inputs,
           v.source as sources
    from input.core_methods m
    join chosen v on v.series = m.series
    where m.method = 'reported'
), derived as (
    select m.indicator, m.priority, 'derived' as method, n.economy, n."year",
           m.scale * n.value / (d.value * coalesce(d2.value, 1)) as value,
           format('{} x {}@{} / ({}@{}{})', m.scale, n.series, n.source, d.series, d.source,
                  coalesce(' x ' || d2.series || '@' || d2.source, '')) as inputs,
           array_to_string(list_sort(list_distinct(
               list_value(n.source, d.source, coalesce(d2.source, n.source)))), ', ') as sources
    from input.core_methods m
    join chosen n on n.series = m.numerator
    join chosen d
        on d.series = m.denominator and d.economy = n.economy and d."year" = n."year"
    left join chosen d2
        on d2.series = m.denominator2 and d2.economy = n.economy and d2."year" = n."year"
    where m.method = 'derived'
      and d.value <> 0
      and (m.denominator2 is null or d2.value <> 0)
)
select * from reported
union all
select * from derived;

-- Stage 1, inputs: one cell per composite, edition, indicator and country (every country, so
-- a missing cell is a row too). The value is the latest within the data-year rule (edition E:
-- year E - lag, or the latest of the `window` years before); `carry_value` is the latest older
-- one within the indicator's carry imputation, used only if the imputation stage needs it.
create or replace table intermediate.composite_inputs as
with countries as (
    select iso3 as economy from economies where not is_aggregate
), cells as (
    select n.composite, n.edition, n.code, n.input_kind, n.unavailable, n.impute_years,
           s.data_year, s.data_year_window, c.economy
    from input.composite_nodes n
    join input.composite_specs s using (composite, edition)
    cross join countries c
    where n.is_indicator
), in_window as (
    select c.composite, c.edition, c.code, c.economy,
           arg_max(v.value, v."year") as value, max(v."year") as "year"
    from cells c
    join intermediate.composite_leaf_values v using (composite, edition, code, economy)
    where v."year" between c.data_year - c.data_year_window and c.data_year
    group by all
), carried as (
    select c.composite, c.edition, c.code, c.economy,
           arg_max(v.value, v."year") as value, max(v."year") as "year"
    from cells c
    join intermediate.composite_leaf_values v using (composite, edition, code, economy)
    where v."year" < c.data_year - c.data_year_window
      and v."year" >= c.data_year - c.data_year_window - c.impute_years
    group by all
)
select c.composite, c.edition, c.code, c.economy, c.data_year,
       w.value as raw_value,
       w."year" as input_year,
       k.value as carry_value,
       k."year" as carry_year,
       case when c.input_kind = 'unavailable' then 'unavailable'
            when w.value is null then 'missing'
            else 'ok' end as status,
       c.unavailable as reason
from cells c
left join in_window w using (composite, edition, code, economy)
left join carried k using (composite, edition, code, economy);

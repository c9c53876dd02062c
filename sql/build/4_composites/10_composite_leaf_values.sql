-- Every year's value of every composite indicator for every country: a series' value, or a
-- formula's (scale x product of the numerator series / product of the denominator series, all
-- of the same year, present only when every term is). Years from the oldest any rule can use
-- (carry, window, panel) to the newest (the data year, the panel's end).
create or replace table intermediate.composite_leaf_values as
with leaves as (
    select n.composite, n.edition, n.code, n.input_kind, n.formula_scale,
           least(s.data_year - s.data_year_window - coalesce(n.impute_years, 0),
                 coalesce(n.panel_from, s.data_year)) as first_year,
           greatest(s.data_year, coalesce(n.panel_to, s.data_year)) as last_year,
           case when n.input_kind = 'series' then [n.series] else n.numerator end as num,
           coalesce(n.denominator, []) as den
    from input.composite_nodes n
    join input.composite_specs s using (composite, edition)
    where n.is_indicator and n.input_kind in ('series', 'formula')
), terms as (
    select composite, edition, code, unnest(num) as series, 1 as power from leaves
    union all
    select composite, edition, code, unnest(den) as series, -1 as power from leaves
), wanted as (
    select t.*, l.first_year, l.last_year,
           count(*) over (partition by t.composite, t.edition, t.code) as terms
    from terms t join leaves l using (composite, edition, code)
), term_values as (
    select w.composite, w.edition, w.code, v.economy, v."year", w.terms, w.power, v.value
    from wanted w
    join intermediate.int_country_values v
      on v.series = w.series and v.choice = 1
     and v."year" between w.first_year and w.last_year
)
select t.composite, t.edition, t.code, t.economy, cast(t."year" as integer) as "year",
       case when any_value(l.input_kind) = 'series' then any_value(t.value)
            else any_value(l.formula_scale)
                 * product(case when t.power = 1 then t.value else 1 end)
                 / product(case when t.power = -1 then t.value else 1 end) end as value
from term_values t
join leaves l using (composite, edition, code)
group by t.composite, t.edition, t.code, t.economy, t."year"
having count(*) = any_value(t.terms)
   and not bool_or(t.power = -1 and t.value = 0);

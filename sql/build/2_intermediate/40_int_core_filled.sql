-- Gap filling, only where indicators/core.yml asks for it (fill: interpolate | carry_forward,
-- within max_gap years). Filled rows are marked by their method; nothing is filled silently.
create or replace table intermediate.int_core_filled as
with preferred as (
    select indicator, economy, "year", value
    from intermediate.int_core_values
    qualify row_number() over (partition by indicator, economy, "year" order by priority) = 1
), known as (
    select p.*, c.fill, c.max_gap,
           lead("year") over w as next_year,
           lead(value) over w as next_value
    from preferred p
    join input.core_indicators c using (indicator)
    where c.fill <> 'none'
    window w as (partition by p.indicator, p.economy order by p."year")
), interpolated as (
    select indicator, economy, cast(y.unnest as smallint) as "year",
           value + (next_value - value) * (y.unnest - "year") / (next_year - "year") as value,
           'interpolated' as method,
           format('linear between {} and {}', "year", next_year) as inputs
    from known, unnest(range("year" + 1, next_year)) as y
    where fill = 'interpolate' and next_year - "year" - 1 between 1 and max_gap
), carried as (
    select indicator, economy, cast(y.unnest as smallint) as "year", value,
           'carried_forward' as method,
           format('carried forward from {}', "year") as inputs
    from known, input.core_settings s,
         unnest(range("year" + 1, least("year" + max_gap, s.reference_year) + 1)) as y
    where fill = 'carry_forward' and next_year is null
)
select * from interpolated
union all
select * from carried;

-- Aggregates of the core indicators for the World and each group, computed by us from country
-- values: weighted means (weight = the catalog's denominator series) or sums. Each row carries
-- its coverage; below the coverage threshold the value is withheld, with the reason.
create or replace table aggregates as
with chosen as (
    select * from intermediate.int_country_values where choice = 1
), values as (
    select indicator, economy, "year", value
    from core_indicators
    where is_preferred
), spec as (
    select indicator, aggregate_method, aggregate_weight
    from input.core_indicators
    where aggregate_method is not null
), weights as (
    -- the weight series' values only: adding each member's weight then reads those, not
    -- every country value
    select c.economy, c.series, c."year", c.value
    from chosen c
    where c.series in (select aggregate_weight from spec)
), pop as (
    -- each economy's population: the coverage series of economies/groups.yml
    select c.economy, c."year", c.value as population
    from chosen c
    join input.catalog_group_settings k on c.series = k.coverage_series
), cells as (
    -- every group x indicator x year with at least one member value
    select distinct g.group_code, g.group_name, g.group_type, v.indicator, v."year"
    from values v
    join intermediate.int_group_members g using (economy)
    join spec using (indicator)
), members as (
    select c.*, g.economy, v.value, w.value as weight, p.population
    from cells c
    join intermediate.int_group_members g using (group_code, group_type)
    join spec s using (indicator)
    left join values v on v.indicator = c.indicator and v.economy = g.economy and v."year" = c."year"
    left join weights w
        on w.series = s.aggregate_weight and w.economy = g.economy and w."year" = c."year"
    left join pop p on p.economy = g.economy and p."year" = c."year"
), listed as (
    -- each group's members in economy order, once: every sum below adds in that order (a
    -- float sum depends on its order, and the same inputs must give the same figures)
    select m.group_code, m.group_name, m.group_type, m.indicator, m."year", s.aggregate_method,
           list({'value': m.value, 'weight': m.weight, 'population': m.population}
                order by m.economy) as xs,
           count(m.value) as economies_with_data,
           count(*) as economies_in_group,
           count(m.population) as economies_with_population
    from members m join spec s using (indicator)
    group by m.group_code, m.group_name, m.group_type, m.indicator, m."year", s.aggregate_method
), summed as (
    select * exclude (xs),
           case aggregate_method
               when 'weighted_mean' then
                   list_sum([x.value * x.weight for x in xs
                             if x.value is not null and x.weight is not null])
                   / nullif(list_sum([x.weight for x in xs
                                      if x.value is not null and x.weight is not null]), 0)
               when 'sum' then list_sum([x.value for x in xs])
           end as value,
           list_sum([x.population for x in xs if x.value is not null])
               / nullif(list_sum([x.population for x in xs]), 0) as population_coverage
    from listed
)
select s.group_code, s.group_name, s.group_type, s.indicator, cast(s."year" as smallint) as "year",
       case when s.population_coverage >= k.coverage_threshold then s.value end as value,
       s.aggregate_method,
       s.population_coverage, s.economies_with_data, s.economies_in_group,
       case
           when s.population_coverage is null
               then 'no population figures for the group in this year'
           when s.population_coverage < k.coverage_threshold
               then format('economies with data hold {:.1f}% of the group''s population, below the {:g}% threshold',
                           100 * s.population_coverage, 100 * k.coverage_threshold)
       end as withheld_reason
from summed s, input.core_settings k
order by s.group_type, s.group_code, s.indicator, s."year";

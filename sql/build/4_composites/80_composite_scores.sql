-- Mart: every composite's scores, one row per composite, edition, country and node (the index,
-- its pillars or sub-indices, and its indicators), the nominal run. Countries without a score
-- are here too, with the reason in status; composite_missing lists their missing inputs.
create or replace table composite_scores as
with recursive closure(composite, edition, node, indicator) as (
    select composite, edition, code, code from input.composite_nodes where is_indicator
    union all
    select c.composite, c.edition, n.parent, c.indicator
    from closure c
    join input.composite_nodes n
      on n.composite = c.composite and n.edition = c.edition and n.code = c.node
    where n.parent is not null
), used as (
    select c.composite, c.edition, c.node, n.economy,
           count(*) as indicators,
           list(c.indicator order by c.indicator) filter (where n.normalised is not null) as used,
           list(c.indicator order by c.indicator) filter (where n.imputed and n.normalised is not null) as imputed
    from closure c
    join intermediate.composite_normalised n
      on n.composite = c.composite and n.edition = c.edition and n.code = c.indicator and n.run = 0
    group by all
), grid as (
    select s.composite, s.edition, s.economy, s.screened_in, s.indicators_with_data, s.indicators,
           n.code, n.label, n.depth, n.is_indicator, n.children, n.min_children, n.position
    from (select distinct composite, edition, economy, screened_in, indicators_with_data, indicators
          from intermediate.composite_screened) s
    join input.composite_nodes n using (composite, edition)
)
select g.composite, g.edition, sp.data_year, g.economy, e.name as economy_name,
       g.code as node, g.label as node_label, g.depth as level, g.is_indicator,
       sc.score, sc.rank,
       case when sc.score is not null then 'scored'
            when not g.screened_in then 'screened out: ' || g.indicators_with_data || ' of '
                 || g.indicators || ' indicators have data'
            when g.is_indicator then 'no data'
            else 'insufficient data: ' || coalesce(sc.children_with_value, 0) || ' of '
                 || g.children || ' components have a value (needs ' || coalesce(g.min_children, 1) || ')'
       end as status,
       coalesce(sc.indicators_used, 0) as indicators_used,
       coalesce(sc.indicators_imputed, 0) as indicators_imputed,
       coalesce(u.used, []) as used_indicators,
       coalesce(u.imputed, []) as imputed_indicators,
       sp.goalposts_confirmed,
       sp.note
from grid g
join input.composite_specs sp using (composite, edition)
left join economies e on e.iso3 = g.economy
left join intermediate.composite_scored sc
  on sc.composite = g.composite and sc.edition = g.edition and sc.run = 0
 and sc.economy = g.economy and sc.code = g.code
left join used u
  on u.composite = g.composite and u.edition = g.edition and u.node = g.code and u.economy = g.economy
order by g.composite, g.edition, g.position, sc.rank nulls last, g.economy;

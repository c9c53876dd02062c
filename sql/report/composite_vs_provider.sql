-- For how many economies each composite reproduces ITU's published scores within 0.5 points,
-- per node (the index, its pillars and components, its indicators), in the latest edition
-- compared (composite_vs_provider_summary); nodes in the spec's order, with their level in the
-- tree (index, pillar, component, indicator).
with latest as (
    select composite, max(edition) as edition
    from composite_vs_provider_summary
    where compared > 0
    group by composite
)
select s.composite, s.edition, s.node, n.label,
       case when n.depth = 0 then 'index' when n.is_indicator then 'indicator'
            when n.depth = 1 then 'pillar' else 'component' end as level,
       s.provider_code,
       s.compared, s.within_half_point, s.within_half_point_pct, s.max_abs_difference, s.note
from composite_vs_provider_summary s
join latest using (composite, edition)
left join input.composite_nodes n
  on n.composite = s.composite and n.edition = s.edition and n.code = s.node
order by s.composite, n.position

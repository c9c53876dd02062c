-- The latest ranking of every composite: its latest edition's index (level 0 of composite_scores),
-- economies with a score in rank order, the first $rows of each, with the rank interval of the
-- uncertainty runs where `ictp composite --uncertainty` has run (composite_rank_intervals).
with latest as (
    select composite, max(edition) as edition
    from composite_scores
    group by composite
), ranked as (
    select s.composite, s.edition, s.node, s.economy, s.score, s.rank,
           count(*) over (partition by s.composite) as ranked
    from composite_scores s
    join latest using (composite, edition)
    where s.level = 0 and s.score is not null
)
select r.composite, r.edition, r.node, r.economy, coalesce(e.name, r.economy) as economy_name,
       r.score, r.rank, r.ranked, i.median_rank, i.rank_p05, i.rank_p95
from ranked r
left join composite_rank_intervals i
  on i.composite = r.composite and i.edition = r.edition and i.node = r.node
 and i.economy = r.economy
left join economies e on e.iso3 = r.economy
where r.rank <= $rows
order by r.composite, r.rank

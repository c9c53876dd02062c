-- `ictp composite show NAME`: the ranking of the index of $composite's edition $edition, with
-- each economy's pillar scores.
select s.rank, s.economy, s.economy_name, round(s.score, 2) as score,
       s.indicators_used as used, s.indicators_imputed as imputed,
       (select string_agg(c.node || ' ' || round(c.score, 1), ', ' order by c.node)
        from composite_scores c
        where c.composite = s.composite and c.edition = s.edition
          and c.economy = s.economy and c.level = 1) as pillars
from composite_scores s
where s.composite = $composite and s.edition = $edition and s.level = 0 and s.score is not null
order by s.rank

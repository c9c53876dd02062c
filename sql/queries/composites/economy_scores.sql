-- `ictp composite show NAME --economy X`: economy $economy's score of every node of
-- $composite's edition $edition, the tree indented.
select repeat('  ', level) || node as node, round(score, 2) as score, rank, status,
       indicators_used as used, indicators_imputed as imputed
from composite_scores
where composite = $composite and edition = $edition and economy = $economy
order by level, node

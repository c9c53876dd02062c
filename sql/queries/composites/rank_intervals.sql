-- `ictp composite NAME --uncertainty N`: the index's rank intervals of $composite's edition
-- $edition, and the rank shift each assumption causes alone.
select i.economy, i.nominal_rank as nominal, i.median_rank as median,
       i.rank_p05 as p05, i.rank_p95 as p95, round(i.shift_weights, 2) as weights,
       round(i.shift_aggregation, 2) as aggregation,
       round(i.shift_imputation, 2) as imputation,
       round(i.shift_normalisation, 2) as normalisation,
       round(i.shift_goalposts, 2) as goalposts
from composite_rank_intervals i
join input.composite_nodes n
  on n.composite = i.composite and n.edition = i.edition and n.code = i.node
where i.composite = $composite and i.edition = $edition and n.parent is null
order by i.nominal_rank

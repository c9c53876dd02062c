-- Mart: rank intervals from the uncertainty runs of `ictp composite NAME --uncertainty N`
-- (empty until that command runs): per composite, edition, aggregate node and economy, the
-- nominal rank, the median and 5th-95th percentile ranks over the runs varying every
-- assumption, and the mean absolute rank shift from the nominal rank that each assumption
-- causes alone (weights +-25% renormalised, arithmetic vs geometric, imputation on/off, the
-- normalisation alternatives, unconfirmed goalposts +-10%).
create or replace table composite_rank_intervals as
with nominal as (
    select composite, edition, code, economy, rank
    from intermediate.composite_scored s
    join input.composite_nodes n using (composite, edition, code)
    where s.run = 0 and not n.is_indicator and s.rank is not null
), runs as (
    select s.composite, s.edition, s.code, s.economy, s.rank, r.varies, r.seed
    from intermediate.composite_scored s
    join intermediate.composite_runs r using (composite, edition, run)
    where s.run > 0
)
select n.composite, n.edition, n.code as node, n.economy, n.rank as nominal_rank,
       count(r.rank) filter (where r.varies = 'all') as runs,
       count(*) filter (where r.varies = 'all' and r.rank is null) as runs_without_score,
       quantile_cont(r.rank, 0.5) filter (where r.varies = 'all') as median_rank,
       quantile_cont(r.rank, 0.05) filter (where r.varies = 'all') as rank_p05,
       quantile_cont(r.rank, 0.95) filter (where r.varies = 'all') as rank_p95,
       avg(abs(r.rank - n.rank)) filter (where r.varies = 'all') as shift_all,
       avg(abs(r.rank - n.rank)) filter (where r.varies = 'weights') as shift_weights,
       avg(abs(r.rank - n.rank)) filter (where r.varies = 'aggregation') as shift_aggregation,
       avg(abs(r.rank - n.rank)) filter (where r.varies = 'imputation') as shift_imputation,
       avg(abs(r.rank - n.rank)) filter (where r.varies = 'normalisation') as shift_normalisation,
       avg(abs(r.rank - n.rank)) filter (where r.varies = 'goalposts') as shift_goalposts,
       any_value(r.seed) as seed
from nominal n
join runs r using (composite, edition, code, economy)
group by all
order by n.composite, n.edition, n.code, n.rank;

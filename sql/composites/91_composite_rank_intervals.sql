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

comment on table composite_rank_intervals is 'Rank intervals of `ictp composite NAME --uncertainty N --seed S` (empty until run): per composite, edition, aggregate node and economy, the nominal rank, the median and 5th/95th percentile ranks over the runs varying every assumption, and the mean absolute rank shift each assumption causes alone.';
comment on column composite_rank_intervals.nominal_rank is 'Rank under the spec as written.';
comment on column composite_rank_intervals.runs is 'Runs varying every assumption in which the economy has a score.';
comment on column composite_rank_intervals.median_rank is 'Median rank over those runs.';
comment on column composite_rank_intervals.rank_p05 is '5th percentile rank (interpolated).';
comment on column composite_rank_intervals.rank_p95 is '95th percentile rank (interpolated).';
comment on column composite_rank_intervals.shift_weights is 'Mean |rank - nominal rank| over the runs varying only the weights (x 0.75-1.25, renormalised).';
comment on column composite_rank_intervals.shift_aggregation is 'The same, varying only arithmetic vs geometric aggregation.';
comment on column composite_rank_intervals.shift_imputation is 'The same, varying only imputation on/off.';
comment on column composite_rank_intervals.shift_normalisation is 'The same, varying only the normalisation (the spec''s, min-max over the edition''s economies, percentile rank).';
comment on column composite_rank_intervals.shift_goalposts is 'The same, varying only the unconfirmed references and goalposts (+-10%).';
comment on column composite_rank_intervals.seed is 'The seed of the runs.';
comment on column composite_rank_intervals.composite is 'Composite name (indicators/composites/<name>.yml).';
comment on column composite_rank_intervals.edition is 'Edition of the composite.';
comment on column composite_rank_intervals.economy is 'ISO 3166-1 alpha-3 code.';
comment on column composite_rank_intervals.node is 'The aggregate node ranked (the index, a pillar...).';
comment on column composite_rank_intervals.runs_without_score is 'Runs varying every assumption in which the economy has no score.';
comment on column composite_rank_intervals.shift_all is 'Mean |rank - nominal rank| over the runs varying every assumption.';

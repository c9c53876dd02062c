-- The runs every composite stage is computed for. Run 0 is the nominal index (the spec as
-- written) of every composite and edition (the build passes no uncertainty). `ictp composite
-- NAME --uncertainty N --seed S` re-runs these models with the parameters $uncertainty_runs,
-- _seed, _composite and _edition: runs 1..N then vary every assumption at once (varies =
-- 'all'), and ceil(N/10) more runs per assumption vary that one alone (varies = the
-- assumption), for NAME's chosen edition only. A run's random draws are a seeded hash of
-- (seed, run, what is drawn), so the same seed gives the same runs on any machine.
create or replace macro composite_u(seed, run, a, b) as
    hash(seed, run, a, b) / 18446744073709551616.0;

create or replace table intermediate.composite_runs as
with params as (
    select coalesce(cast($uncertainty_runs as integer), 0) as n,
           coalesce(cast($uncertainty_seed as bigint), 0) as seed,
           cast($uncertainty_composite as varchar) as name,
           cast($uncertainty_edition as integer) as edition
), assumptions(varies) as (
    values ('weights'), ('aggregation'), ('imputation'), ('normalisation'), ('goalposts')
), drawn as (
    select s.composite, s.edition, r.run, 'all' as varies, p.seed
    from input.composite_specs s, params p, range(1, p.n + 1) r(run)
    where s.composite = p.name and s.edition = p.edition
    union all
    select s.composite, s.edition,
           p.n + a.i * cast(ceil(p.n / 10) as integer) + r.k + 1 as run, a.varies, p.seed
    from input.composite_specs s, params p,
         (select varies, row_number() over () - 1 as i from assumptions) a,
         range(0, cast(ceil(p.n / 10) as integer)) r(k)
    where s.composite = p.name and s.edition = p.edition
), runs as (
    select composite, edition, 0 as run, 'none' as varies, 0::bigint as seed from input.composite_specs
    union all
    select composite, edition, cast(run as integer), varies, seed from drawn
)
select composite, edition, run, varies, seed,
       varies in ('all', 'weights') as vary_weights,
       varies in ('all', 'goalposts') as vary_goalposts,
       not (varies in ('all', 'imputation')
            and composite_u(seed, run, 'imputation', '') < 0.5) as impute_on,
       varies in ('all', 'aggregation')
           and composite_u(seed, run, 'aggregation', '') < 0.5 as aggregation_alternative,
       -- 0: the spec's normalisation; 1: min-max over the edition's economies; 2: percentile rank
       case when varies in ('all', 'normalisation')
            then cast(floor(composite_u(seed, run, 'normalisation', '') * 3) as integer)
            else 0 end as normalisation_alternative
from runs;

-- Fit the goalposts of a composite's indicators to a provider's published indicator scores
-- (`ictp composite calibrate NAME`; not a build model). For every indicator that names its
-- node in the provider's tree, and for each transform (none, log10), a least-squares line
-- score = a + b x over the economies where our value is reported (not imputed) and the
-- provider's score is strictly between 0 and 100 (a clipped score says only which side of a
-- goalpost the value is on). The line crosses 0 and 100 at the goalposts: for higher-is-better
-- lower = -a / b and upper = (100 - a) / b; for lower-is-better the other way round. The
-- transform with the smaller root-mean-square residual is marked best.
-- Parameters: $composite, $edition.
with nodes as (
    select code, direction, provider_code_id
    from input.composite_nodes
    where composite = $composite
      and edition = $edition
      and is_indicator and provider_code_id is not null
), points as (
    select c.indicator as code, c.economy, c.raw_value as value, p.score
    from composite_components c
    join nodes n on n.code = c.indicator
    join provider_composite_scores p
      on p.edition = c.edition and p.code_id = n.provider_code_id and p.economy = c.economy
    where c.composite = $composite
      and c.edition = $edition
      and c.raw_value is not null and p.score > 0 and p.score < 100
), transforms(transform) as (
    values ('none'), ('log10')
), xs as (
    select p.code, p.economy, p.score, t.transform,
           case when t.transform = 'log10' then case when p.value > 0 then log10(p.value) end
                else p.value end as x
    from points p cross join transforms t
), fit as (
    select code, transform, regr_intercept(score, x) as a, regr_slope(score, x) as b,
           regr_r2(score, x) as r2, count(x) as economies
    from xs
    where x is not null
    group by all
    having count(x) >= 3 and regr_slope(score, x) <> 0
), residuals as (
    select f.code, f.transform, f.a, f.b, f.r2, f.economies,
           sqrt(avg((x.score - (f.a + f.b * x.x)) ^ 2)) as rmse,
           max(abs(x.score - (f.a + f.b * x.x))) as max_residual,
           list(x.economy order by x.economy) as economies_used
    from fit f
    join xs x using (code, transform)
    where x.x is not null
    group by all
)
select r.code, r.transform, n.direction,
       case when n.direction = 1 then -r.a / r.b else (100 - r.a) / r.b end as lower,
       case when n.direction = 1 then (100 - r.a) / r.b else -r.a / r.b end as upper,
       r.economies, r.rmse, r.max_residual, r.r2, r.economies_used,
       row_number() over (partition by r.code order by r.rmse, r.transform) = 1 as best
from residuals r
join nodes n using (code)
order by r.code, r.transform

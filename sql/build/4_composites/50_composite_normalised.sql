-- Stage 4, normalised (per run): each indicator's value, transformed (none | log10), on 0-1:
--   reference   t / reference, capped at 1 (direction negative: reference / t)
--   goalposts   (t - lower) / (upper - lower), clipped to [0, 1] (negative: 1 minus that)
--   minmax      as goalposts, with lower and upper the min and max of the fixed panel's values
--   zscore      (t - mean) / sd of the panel (or of the edition's economies), not clipped
--   percentile  the share of the edition's economies ranked below (percent_rank)
-- A log10 of a value <= 0 scores as the lowest. References and goalposts are in transformed
-- units. Uncertainty runs may turn imputation off, move unconfirmed references and upper
-- goalposts by up to +-10% (lower goalposts by up to 10% of the goalposts' range), and swap
-- the method for min-max over the edition's economies or the percentile rank.
create or replace table intermediate.composite_normalised as
with params as (
    -- per run and indicator: the method and the (possibly moved) numbers
    select r.composite, r.edition, r.run, r.impute_on, n.code, n.transform, n.direction,
           case r.normalisation_alternative when 1 then 'minmax_edition'
                when 2 then 'percentile' else n.norm_method end as method,
           case when r.vary_goalposts and not n.reference_confirmed
                then n.reference * (0.9 + 0.2 * composite_u(r.seed, r.run, n.code, 'reference'))
                else n.reference end as ref,
           case when r.vary_goalposts and not n.lower_confirmed
                then n.lower + 0.1 * (2 * composite_u(r.seed, r.run, n.code, 'lower') - 1)
                     * (n.upper - n.lower)
                else n.lower end as lo,
           case when r.vary_goalposts and not n.upper_confirmed
                then n.upper * (0.9 + 0.2 * composite_u(r.seed, r.run, n.code, 'upper'))
                else n.upper end as up
    from intermediate.composite_runs r
    join input.composite_nodes n using (composite, edition)
    where n.is_indicator
), cells as (
    select p.composite, p.edition, p.run, p.code, i.economy, p.method, p.direction,
           p.ref, p.lo, p.up, v.value, v.value is not null and i.imputed as imputed,
           case when p.transform = 'log10' then case when v.value > 0 then log10(v.value) end
                else v.value end as t,
           p.transform = 'log10' and v.value <= 0 as log_nonpositive
    from params p
    join intermediate.composite_imputed i using (composite, edition, code)
    cross join lateral (
        select case when p.impute_on then i.value else i.raw_value end as value
    ) v
    where i.screened_in
), panel as (
    select composite, edition, code,
           min(t) as p_min, max(t) as p_max, avg(t order by economy, "year") as p_mean,
           stddev_samp(t order by economy, "year") as p_sd  -- in a fixed order: same bits every run
    from (
        select v.composite, v.edition, v.code, v.economy, v."year",
               case when n.transform = 'log10' then case when v.value > 0 then log10(v.value) end
                    else v.value end as t
        from intermediate.composite_leaf_values v
        join input.composite_nodes n using (composite, edition, code)
        where n.panel_from is not null and v."year" between n.panel_from and n.panel_to
    )
    group by all
), edition_stats as (
    select composite, edition, run, code,
           min(t) as e_min, max(t) as e_max, avg(t order by economy) as e_mean,
           stddev_samp(t order by economy) as e_sd
    from cells
    where method in ('minmax_edition', 'zscore')
    group by all
), ranked as (
    select composite, edition, run, code, economy,
           percent_rank() over (partition by composite, edition, run, code order by t) as p_rank
    from cells
    where method = 'percentile' and t is not null
), scored as (
    select c.*, k.p_rank,
           case c.method
               when 'reference' then
                   case when c.direction = 1 then c.t / c.ref
                        when c.t > 0 then c.ref / c.t else 1 end
               when 'goalposts' then
                   case when c.direction = 1 then (c.t - c.lo) / nullif(c.up - c.lo, 0)
                        else (c.up - c.t) / nullif(c.up - c.lo, 0) end
               when 'minmax' then
                   case when c.direction = 1 then (c.t - p.p_min) / nullif(p.p_max - p.p_min, 0)
                        else (p.p_max - c.t) / nullif(p.p_max - p.p_min, 0) end
               when 'minmax_edition' then
                   case when c.direction = 1 then (c.t - e.e_min) / nullif(e.e_max - e.e_min, 0)
                        else (e.e_max - c.t) / nullif(e.e_max - e.e_min, 0) end
               when 'zscore' then
                   c.direction * (c.t - coalesce(p.p_mean, e.e_mean))
                   / nullif(coalesce(p.p_sd, e.e_sd), 0)
               when 'percentile' then
                   case when c.direction = 1 then k.p_rank else 1 - k.p_rank end
           end as unclipped
    from cells c
    left join panel p using (composite, edition, code)
    left join edition_stats e using (composite, edition, run, code)
    left join ranked k using (composite, edition, run, code, economy)
)
select composite, edition, run, code, economy, value, imputed, t as transformed, method,
       case when value is null then null
            when method = 'zscore' then unclipped
            when log_nonpositive and method in ('reference', 'goalposts', 'minmax', 'minmax_edition')
                then case when direction = 1 then 0.0 else 1.0 end
            -- least and greatest skip NULLs: an undefined value must stay NULL, not become 0
            when unclipped is null then null
            else least(greatest(unclipped, 0.0), 1.0) end as normalised,
       method <> 'zscore' and (unclipped < 0 or unclipped > 1) as clipped,
       coalesce(log_nonpositive, false) as log_nonpositive,
       ref as reference_used, lo as lower_used, up as upper_used
from scored;

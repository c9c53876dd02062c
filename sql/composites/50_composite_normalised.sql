-- Stage 4, normalised (per run): each indicator's value, transformed (none | log10), on 0-1:
--   reference   t / reference, capped at 1 (direction negative: reference / t)
--   goalposts   (t - lower) / (upper - lower), clipped to [0, 1] (negative: 1 minus that)
--   minmax      as goalposts, with lower and upper the min and max of the fixed panel's values
--   zscore      (t - mean) / sd of the panel (or of the edition's economies), not clipped
--   percentile  the share of the edition's economies ranked below (percent_rank)
-- A log10 of a value <= 0 scores as the lowest. References and goalposts are in transformed
-- units. Uncertainty runs may move unconfirmed references/goalposts by up to +-10% and swap the
-- method for min-max over the edition's economies or the percentile rank.
create or replace table intermediate.composite_normalised as
with cells as (
    select i.composite, i.edition, i.run, i.code, i.economy, i.value, i.imputed,
           n.transform, n.direction, n.norm_method,
           n.reference, n.reference_confirmed, n.lower, n.lower_confirmed,
           n.upper, n.upper_confirmed, n.panel_from, n.panel_to,
           r.seed, r.vary_goalposts, r.normalisation_alternative,
           case when n.transform = 'log10' then case when i.value > 0 then log10(i.value) end
                else i.value end as t,
           n.transform = 'log10' and i.value <= 0 as log_nonpositive
    from intermediate.composite_imputed i
    join input.composite_nodes n using (composite, edition, code)
    join intermediate.composite_runs r using (composite, edition, run)
    where i.screened_in
), panel as (
    select v.composite, v.edition, v.code,
           min(t) as p_min, max(t) as p_max, avg(t) as p_mean, stddev_samp(t) as p_sd
    from (
        select v.composite, v.edition, v.code,
               case when n.transform = 'log10' then case when v.value > 0 then log10(v.value) end
                    else v.value end as t
        from intermediate.composite_leaf_values v
        join input.composite_nodes n using (composite, edition, code)
        where n.panel_from is not null and v."year" between n.panel_from and n.panel_to
    ) v
    group by all
), ranked as (
    select composite, edition, run, code, economy,
           percent_rank() over w as p_rank,
           min(t) over w as e_min, max(t) over w as e_max,
           avg(t) over w as e_mean, stddev_samp(t) over w as e_sd
    from cells
    where t is not null
    window w as (partition by composite, edition, run, code order by t
                 rows between unbounded preceding and unbounded following)
), moved as (
    select c.*, p.p_min, p.p_max, p.p_mean, p.p_sd, k.p_rank, k.e_min, k.e_max, k.e_mean, k.e_sd,
           case when c.vary_goalposts and not c.reference_confirmed
                then c.reference * (0.9 + 0.2 * composite_u(c.seed, c.run, c.code, 'reference'))
                else c.reference end as ref,
           case when c.vary_goalposts and not c.lower_confirmed
                then c.lower + 0.1 * (2 * composite_u(c.seed, c.run, c.code, 'lower') - 1)
                     * greatest(abs(c.lower), abs(c.upper - c.lower))
                else c.lower end as lo,
           case when c.vary_goalposts and not c.upper_confirmed
                then c.upper * (0.9 + 0.2 * composite_u(c.seed, c.run, c.code, 'upper'))
                else c.upper end as up,
           case c.normalisation_alternative when 1 then 'minmax_edition'
                when 2 then 'percentile' else c.norm_method end as method
    from cells c
    left join panel p using (composite, edition, code)
    left join ranked k using (composite, edition, run, code, economy)
), scored as (
    select *,
           case method
               when 'reference' then
                   case when direction = 1 then t / ref
                        when t > 0 then ref / t else 1 end
               when 'goalposts' then
                   case when direction = 1 then (t - lo) / nullif(up - lo, 0)
                        else (up - t) / nullif(up - lo, 0) end
               when 'minmax' then
                   case when direction = 1 then (t - p_min) / nullif(p_max - p_min, 0)
                        else (p_max - t) / nullif(p_max - p_min, 0) end
               when 'minmax_edition' then
                   case when direction = 1 then (t - e_min) / nullif(e_max - e_min, 0)
                        else (e_max - t) / nullif(e_max - e_min, 0) end
               when 'zscore' then
                   direction * (t - coalesce(p_mean, e_mean)) / nullif(coalesce(p_sd, e_sd), 0)
               when 'percentile' then
                   case when direction = 1 then p_rank else 1 - p_rank end
           end as unclipped
    from moved
)
select composite, edition, run, code, economy, value, imputed, t as transformed,
       method,
       case when method = 'zscore' then unclipped
            when value is null then null
            when log_nonpositive and method in ('reference', 'goalposts', 'minmax', 'minmax_edition')
                then case when direction = 1 then 0.0 else 1.0 end
            -- (least and greatest skip NULLs: an undefined value must stay NULL, not become 0)
            when unclipped is null then null
            else least(greatest(unclipped, 0.0), 1.0) end as normalised,
       method <> 'zscore' and (unclipped < 0 or unclipped > 1) as clipped,
       coalesce(log_nonpositive, false) as log_nonpositive,
       ref as reference_used, lo as lower_used, up as upper_used
from scored
order by composite, edition, run, code, economy;

comment on table intermediate.composite_normalised is 'Composite stage 4 (normalised), per run and screened-in economy: the indicator''s transformed value and its 0-1 normalised value (method: the spec''s, or an uncertainty run''s alternative), clipped = it was outside [0, 1] before clipping; the reference and goalposts used.';

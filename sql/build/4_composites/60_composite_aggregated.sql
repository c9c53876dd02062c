-- Stage 5, aggregated (per run): every node's value for every screened-in economy, from the
-- indicators up. A node aggregates its children (weighted arithmetic mean, or weighted
-- geometric mean with children below the floor counted as the floor) over the children that
-- have a value, and has none when fewer than min_children (default 1) do. With renormalise
-- false the weights count as printed (ITU's classic 0.33 x 3 = 0.99): the mean is multiplied
-- by the sum of all its children's weights. Uncertainty runs may scale each weight by 0.75-1.25
-- (then renormalised as above) and swap arithmetic and geometric means.
-- Computed bottom-up by height (a node's longest path down to an indicator): the nodes of
-- height 1 straight from the indicators, then a recursive query whose step k computes the
-- nodes of height k + 1 and carries forward the rows their own parent still needs.
-- Every float sum runs in the children's code order (`child`): a sum's last bits depend on its
-- order, and parallel hash aggregation would otherwise give different bits run to run.
create or replace macro composite_mean(how, w, value, floor, present, child) as
    case how
        when 'arithmetic' then
            sum(w * value order by child) filter (where present)
            / sum(w order by child) filter (where present)
        else exp(sum(w * ln(greatest(value, floor)) order by child) filter (where present)
                 / sum(w order by child) filter (where present))
    end;

create or replace table intermediate.composite_aggregated as
with recursive edges as (
    -- per run, each child's weight and what its parent does with it
    select r.composite, r.edition, r.run, n.code, n.parent, n.weight, p.height as parent_height,
           n.weight * case when r.vary_weights
                           then 0.75 + 0.5 * composite_u(r.seed, r.run, n.code, 'weight')
                           else 1 end as w,
           case when r.aggregation_alternative
                then case p.agg_method when 'arithmetic' then 'geometric' else 'arithmetic' end
                else p.agg_method end as how,
           coalesce(p.agg_floor, 0.01) as floor,
           coalesce(p.min_children, 1) as min_children,
           case when p.renormalise then 1
                else sum(n.weight) over (partition by r.composite, r.edition, r.run, n.parent
                                         order by n.code rows between unbounded preceding
                                         and unbounded following)
           end as weight_sum
    from intermediate.composite_runs r
    join input.composite_nodes n using (composite, edition)
    join input.composite_nodes p
      on p.composite = n.composite and p.edition = n.edition and p.code = n.parent
), leaves as (
    select v.composite, v.edition, v.run, v.economy, v.code, v.normalised as value,
           cast(v.normalised is not null as bigint) as indicators_used,
           cast(v.normalised is not null and v.imputed as bigint) as indicators_imputed,
           v.method, e.parent, e.parent_height, e.w, e.how, e.floor, e.min_children,
           e.weight_sum, v.normalised is not null as present
    from intermediate.composite_normalised v
    join edges e using (composite, edition, run, code)
), tree(composite, edition, run, economy, code, value, children_with_value,
        indicators_used, indicators_imputed, method, k, carried) as (
    (
        select composite, edition, run, economy, parent,
               case when count(*) filter (where present) >= any_value(min_children)
                    then composite_mean(any_value(how), w, value, floor, present, code)
                         * any_value(weight_sum) end,
               count(*) filter (where present),
               coalesce(sum(indicators_used) filter (where present), 0),
               coalesce(sum(indicators_imputed) filter (where present), 0),
               any_value(how), 1, false
        from leaves
        where parent_height = 1
        group by composite, edition, run, economy, parent
        union all
        select composite, edition, run, economy, code, value, null, indicators_used,
               indicators_imputed, method, 1, true
        from leaves
        where parent_height > 1
    )
    union all
    (
        with step as (
            select t.*, e.parent, e.parent_height, e.w, e.how, e.floor, e.min_children,
                   e.weight_sum, t.value is not null as present
            from tree t
            join edges e using (composite, edition, run, code)
        )
        select composite, edition, run, economy, parent,
               case when count(*) filter (where present) >= any_value(min_children)
                    then composite_mean(any_value(how), w, value, floor, present, code)
                         * any_value(weight_sum) end,
               count(*) filter (where present),
               coalesce(sum(indicators_used) filter (where present), 0),
               coalesce(sum(indicators_imputed) filter (where present), 0),
               any_value(how), k + 1, false
        from step
        where parent_height = k + 1
        group by composite, edition, run, economy, parent, k
        union all
        select composite, edition, run, economy, code, value, children_with_value,
               indicators_used, indicators_imputed, method, k + 1, true
        from step
        where parent_height > k + 1
    )
)
select composite, edition, run, economy, code, value, children_with_value,
       indicators_used, indicators_imputed, method
from tree
where not carried
union all
-- the indicators themselves (an uncertainty run's are in composite_normalised)
select composite, edition, run, economy, code, normalised, null,
       cast(normalised is not null as bigint), cast(normalised is not null and imputed as bigint),
       method
from intermediate.composite_normalised
where run = 0;

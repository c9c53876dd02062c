-- Mart: a statistical audit of every composite's nominal scores, per node (as JRC and COINr
-- audit an index), in long form, one row per statistic:
--   child_parent    correlation of a child with its parent (flag: above 0.9, or negative)
--   child_child     correlation of two children of a node (flag: above 0.9, or negative)
--   cronbach_alpha  of a node's children, over the economies where all have a value
--   pc1_share       the first principal component's share of the children's variance (the
--                   largest eigenvalue of their correlation matrix / their number, by power
--                   iteration)
--   skew, kurtosis  of each indicator's values used (sample skewness and excess kurtosis;
--                   flag where |skew| > 2 and kurtosis > 3.5, COINr's rule for outliers)
-- Every sum, variance and correlation adds its rows in a fixed order (ORDER BY inside the
-- aggregate, as composite_imputed's mean does): a float sum depends on the order it adds in,
-- and the tables it reads are in no fixed order, so the same inputs give the same bits.
create or replace table composite_audit as
with recursive vals as (
    select s.composite, s.edition, s.economy, s.code, n.parent, s.score
    from intermediate.composite_scored s
    join input.composite_nodes n using (composite, edition, code)
    where s.run = 0
), child_parent as (
    select c.composite, c.edition, c.parent as node, c.code as item, c.parent as other,
           corr(c.score, p.score order by c.economy) as value,
           count(c.score * p.score) as economies
    from vals c
    join vals p on p.composite = c.composite and p.edition = c.edition
               and p.economy = c.economy and p.code = c.parent
    group by all
), pairs as (
    select a.composite, a.edition, a.parent as node, a.code as item, b.code as other,
           corr(a.score, b.score order by a.economy) as value,
           count(a.score * b.score) as economies
    from vals a
    join vals b on b.composite = a.composite and b.edition = a.edition
               and b.economy = a.economy and b.parent = a.parent and b.code > a.code
    group by all
), complete as (
    select v.*, count(v.score) over (partition by v.composite, v.edition, v.parent, v.economy) as present,
           n.children
    from vals v
    join input.composite_nodes n
      on n.composite = v.composite and n.edition = v.edition and n.code = v.parent
), alpha as (
    select composite, edition, parent as node, any_value(children) as k,
           sum(item_var order by code) as sum_var, count(*) as items
    from (
        select composite, edition, parent, code, any_value(children) as children,
               var_samp(score order by economy) as item_var
        from complete where present = children
        group by all
    )
    group by all
), totals as (
    select composite, edition, parent as node, var_samp(total order by economy) as total_var,
           count(*) as economies
    from (
        select composite, edition, parent, economy, sum(score order by code) as total
        from complete where present = children
        group by all
    )
    group by all
), cronbach as (
    select a.composite, a.edition, a.node, 'cronbach_alpha' as kind, null as item, null as other,
           a.k / (a.k - 1) * (1 - a.sum_var / nullif(t.total_var, 0)) as value, t.economies
    from alpha a join totals t using (composite, edition, node)
    where a.k > 1
), matrix as (
    select composite, edition, node, item as i, other as j, coalesce(value, 0) as r from pairs
    union all
    select composite, edition, node, other, item, coalesce(value, 0) from pairs
    union all
    select composite, edition, parent, code, code, 1.0
    from (select distinct composite, edition, parent, code from vals where parent is not null)
), power(composite, edition, node, i, v, step) as (
    select composite, edition, node, i, 1.0 / sqrt(count(*) over (partition by composite, edition, node)), 0
    from (select distinct composite, edition, node, i from matrix)
    union all
    (
        with mv as (
            select m.composite, m.edition, m.node, m.i, sum(m.r * p.v order by m.j) as v,
                   any_value(p.step) as step
            from matrix m
            join power p on p.composite = m.composite and p.edition = m.edition
                        and p.node = m.node and p.i = m.j
            group by all
        )
        select composite, edition, node, i,
               v / sqrt(sum(v * v order by i) over (partition by composite, edition, node)), step + 1
        from mv
        where step < 60
    )
), pc1 as (
    select p.composite, p.edition, p.node, 'pc1_share' as kind, null as item, null as other,
           sum(m.r * p.v * q.v order by p.i, m.j) / count(distinct p.i) as value, null::bigint as economies
    from power p
    join matrix m on m.composite = p.composite and m.edition = p.edition and m.node = p.node and m.i = p.i
    join power q on q.composite = p.composite and q.edition = p.edition and q.node = p.node
                and q.i = m.j and q.step = p.step
    where p.step = 60
    group by all
    having count(distinct p.i) > 1
), shape as (
    select composite, edition, code as node, economy, value, count(value) over (partition by composite, edition, code) as n
    from intermediate.composite_imputed where screened_in
), moments as (
    select composite, edition, node, skewness(value order by economy) as skew,
           kurtosis(value order by economy) as kurt,
           count(value) as economies
    from shape group by all
)
select composite, edition, node, 'child_parent' as kind, item, other, value, economies,
       case when value > 0.9 then 'above 0.9' when value < 0 then 'negative' end as flag
from child_parent
union all
select composite, edition, node, 'child_child', item, other, value, economies,
       case when value > 0.9 then 'above 0.9' when value < 0 then 'negative' end
from pairs
union all
select *, null from cronbach
union all
select *, null from pc1
union all
select composite, edition, node, 'skew', node, null, skew, economies,
       case when abs(skew) > 2 and kurt > 3.5 then '|skew| > 2 and kurtosis > 3.5' end
from moments
union all
select composite, edition, node, 'kurtosis', node, null, kurt, economies,
       case when abs(skew) > 2 and kurt > 3.5 then '|skew| > 2 and kurtosis > 3.5' end
from moments
order by composite, edition, node, kind, item, other;

-- The values added, removed or revised between consecutive vintages of each series and source
-- (vintage n-1 to n, as `ictp validate` kept them: the source's own figures, before the
-- corrections register). A value is revised when it differs at all.
with steps as (
    select v.series, v.source, v.number,
           p.vintage_id as from_vintage, p.retrieved as from_retrieved,
           p.source_updated as from_source_updated,
           v.vintage_id as to_vintage, v.retrieved as to_retrieved,
           v.source_updated as to_source_updated
    from vintages v
    join vintages p on p.source = v.source and p.series = v.series and p.number = v.number - 1
),
old as (
    select s.to_vintage, o.economy, o."year", o.value
    from steps s
    join staging.stg_ictp__vintage_observations o on o.vintage_id = s.from_vintage
),
new as (
    select s.to_vintage, n.economy, n."year", n.value
    from steps s
    join staging.stg_ictp__vintage_observations n on n.vintage_id = s.to_vintage
),
changed as (
    select coalesce(o.to_vintage, n.to_vintage) as to_vintage,
           coalesce(o.economy, n.economy) as economy,
           coalesce(o."year", n."year") as "year",
           o.value as old_value,
           n.value as new_value
    from old o
    full join new n on n.to_vintage = o.to_vintage and n.economy = o.economy
                   and n."year" = o."year"
    where o.value is distinct from n.value
)
select
    s.series,
    s.source,
    c.economy,
    c."year",
    case when c.old_value is null then 'added'
         when c.new_value is null then 'removed'
         else 'revised' end as change,
    c.old_value,
    c.new_value,
    c.new_value - c.old_value as abs_change,
    (c.new_value - c.old_value) / abs(nullif(c.old_value, 0)) as rel_change,
    s.from_vintage,
    s.from_retrieved,
    s.from_source_updated,
    s.to_vintage,
    s.to_retrieved,
    s.to_source_updated
from changed c
join steps s using (to_vintage)
order by s.series, s.source, s.number, c.economy, c."year"

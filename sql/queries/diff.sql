-- `ictp diff`: the values added, removed or revised from one vintage of each series to another
-- (diff_span.sql says which; pipeline/diff.py puts its query into `span`): the revisions of
-- every step between them, netted per value (the earliest step's old value, the latest step's new
-- one); a value revised and then revised back is no change.
with span as (
    {span_query}
),
steps as (
    select r.*, t.number as step
    from revisions r
    join vintages t on t.vintage_id = r.to_vintage
    join span s on s.series = r.series and s.source = r.source
               and t.number > s.from_number and t.number <= s.to_number
),
net as (
    select series, source, economy, "year",
           first(old_value order by step) as old_value,
           first(new_value order by step desc) as new_value
    from steps
    group by series, source, economy, "year"
)
select
    n.series,
    n.source,
    n.economy,
    n."year",
    case when n.old_value is null then 'added'
         when n.new_value is null then 'removed'
         else 'revised' end as change,
    n.old_value,
    n.new_value,
    n.new_value - n.old_value as abs_change,
    (n.new_value - n.old_value) / abs(nullif(n.old_value, 0)) as rel_change,
    f.vintage_id as from_vintage,
    f.source_updated as from_updated,
    t.vintage_id as to_vintage,
    t.source_updated as to_updated
from net n
join span s using (series, source)
join vintages f on f.series = n.series and f.source = n.source and f.number = s.from_number
join vintages t on t.series = n.series and t.source = n.source and t.number = s.to_number
where n.old_value is distinct from n.new_value
order by n.series, n.source, n.economy, n."year"

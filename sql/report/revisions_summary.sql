-- The revisions since the previous vintage: per series and source, its latest pair of vintages
-- in the revisions mart and how many values were added, removed and revised between them.
with latest as (
    select series, source, max(to_vintage) as to_vintage
    from revisions
    group by all
)
select r.series, r.source, min(r.from_vintage) as from_vintage, r.to_vintage,
       count(*) filter (where r.old_value is null) as added,
       count(*) filter (where r.new_value is null) as removed,
       count(*) filter (where r.old_value is not null and r.new_value is not null) as revised,
       max(abs(r.rel_change)) as largest_rel_change
from revisions r
join latest using (series, source, to_vintage)
group by all
order by r.series, r.source

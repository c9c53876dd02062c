-- The revisions since the previous vintage: per series and source, its latest pair of vintages
-- in the revisions mart and how many values were added, removed and revised between them. A
-- vintage is shown by the source's own last-updated date, else the day it was retrieved.
with latest as (
    select series, source, max(to_retrieved) as to_retrieved
    from revisions
    group by all
)
select r.series, r.source,
       coalesce(r.from_source_updated, cast(r.from_retrieved as date)) as from_vintage,
       coalesce(r.to_source_updated, cast(r.to_retrieved as date)) as to_vintage,
       count(*) filter (where r.change = 'added') as added,
       count(*) filter (where r.change = 'removed') as removed,
       count(*) filter (where r.change = 'revised') as revised,
       max(abs(r.rel_change)) as largest_rel_change
from revisions r
join latest using (series, source, to_retrieved)
group by all
order by r.series, r.source

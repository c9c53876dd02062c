-- The $rows largest revisions (by relative change) since the previous vintage of each series.
with latest as (
    select series, source, max(to_retrieved) as to_retrieved
    from revisions
    group by all
)
select r.series, r.source, r.economy, r."year", r.old_value, r.new_value, r.abs_change,
       r.rel_change
from revisions r
join latest using (series, source, to_retrieved)
where r.change = 'revised'
order by abs(r.rel_change) desc nulls last, abs(r.abs_change) desc, r.series, r.economy, r."year"
limit $rows

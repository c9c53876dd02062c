-- The $rows largest revisions (by relative change) since the previous vintage of each series.
with latest as (
    select series, source, max(to_vintage) as to_vintage
    from revisions
    group by all
)
select r.series, r.source, r.economy, r."year", r.old_value, r.new_value, r.abs_change,
       r.rel_change, r.from_vintage, r.to_vintage
from revisions r
join latest using (series, source, to_vintage)
where r.old_value is not null and r.new_value is not null
order by abs(r.rel_change) desc nulls last, abs(r.abs_change) desc, r.series, r.economy, r."year"
limit $rows

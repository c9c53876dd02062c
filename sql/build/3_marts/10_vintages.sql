-- Every vintage of every series and source: when it was retrieved, the source's own
-- last-updated date, and how many validated rows it has.
select
    series,
    source,
    vintage_id,
    number,
    previous_id as previous_vintage,
    retrieved,
    source_updated,
    "rows",
    number = max(number) over (partition by source, series) as latest,
    pages,
    path
from staging.stg_ictp__vintages
order by series, source, number

-- `ictp diff`: which vintages it compares, per series and source ($series: a list of series
-- ids, or NULL for all). $from and $to are each a vintage_id or the source's last-updated date
-- (YYYY-MM-DD; the latest vintage of that date). Without $to: the latest vintage; without
-- $from: the vintage before the $to one. A series with no vintage matching is left out.
with matched as (
    select
        series,
        source,
        max(number) as latest,
        max(number) filter (where vintage_id = $to or cast(source_updated as varchar) = $to)
            as to_match,
        max(number) filter (where vintage_id = $from or cast(source_updated as varchar) = $from)
            as from_match
    from vintages
    where $series is null or list_contains($series, series)
    group by series, source
),
span as (
    select series, source,
           case when $to is null then latest else to_match end as to_number,
           from_match
    from matched
)
select series, source,
       case when $from is null then to_number - 1 else from_match end as from_number,
       to_number
from span
where to_number is not null and ($from is null or from_match is not null)
order by series, source

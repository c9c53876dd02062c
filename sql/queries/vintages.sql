-- `ictp diff --vintages`: every vintage kept ($series: a list of series ids, or NULL for all).
select series, source, number, vintage_id, retrieved, source_updated, "rows", latest
from vintages
where $series is null or list_contains($series, series)
order by series, source, number

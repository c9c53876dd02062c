-- What each (source, series) is now: the raw pages of its latest good pulls (an ITU series also
-- has its aggregates pull), when they were retrieved and the source's own last-updated date,
-- with the latest vintage kept of it, if any. Where the pages differ from that vintage's, the
-- pull brought new bytes: pipeline/vintages.py keeps a new vintage.
with now as (
    select source, series, list(distinct sha256 order by sha256) as pages,
           max(retrieved) as retrieved, max(source_updated) as source_updated
    from pages
    group by source, series
),
latest as (
    select source, series, vintage_id, number, pages
    from vintages_kept
    qualify row_number() over (partition by source, series order by number desc) = 1
),
passed as (  -- how many rows validate passed for it: the vintage's `rows`
    select source, series, count(*) as "rows" from valid_rows group by source, series
)
select n.source, n.series, n.pages, n.retrieved, n.source_updated,
       l.vintage_id as previous_id, coalesce(l.number, 0) + 1 as number,
       coalesce(p."rows", 0) as "rows"
from now n
left join latest l using (source, series)
left join passed p using (source, series)
where l.pages is distinct from n.pages
order by n.source, n.series

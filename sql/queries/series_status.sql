-- `ictp status`: each series' freshness as of the latest validate (series_status.parquet at
-- $path), the troubled ones first. age_days counts from the source's vintage (else the day it
-- was retrieved) to today; overdue when it is above the catalog's expect_update_days ($expect:
-- a list of {series, days}; the source's own tables, such as economies, have none).
with expect as (
    select unnest($expect, recursive := true)
), aged as (
    select s.*,
           current_date - try_cast(left(cast(coalesce(s.vintage, s.retrieved) as varchar), 10)
                                   as date) as age_days
    from read_parquet($path) s
)
select a.series, a.source, a.source_code, a.status, a.retrieved, a.vintage, a.stored,
       a.quarantined, a.last_error, a.age_days, e.days as expect_days,
       coalesce(a.age_days > e.days, false) as overdue
from aged a
left join expect e on e.series = a.series
order by a.status <> 'ok' desc, overdue desc, a.series, a.source

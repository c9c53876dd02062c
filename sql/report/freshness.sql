-- Each series' freshness, per source: its pull status (ok, stale = the last download failed and
-- the last good data is used, missing), when it was downloaded, the source's own vintage, and
-- the days from that vintage to the download.
select series, name, source, status, retrieved::date as retrieved, vintage,
       date_diff('day', vintage, retrieved::date) as vintage_age_days,
       last_attempt::date as last_attempt, last_error,
       rows_stored, rows_quarantined
from series
order by series, source

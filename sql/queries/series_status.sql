-- `ictp status`: each series' freshness as of the latest validate (series_status.parquet at
-- $path), the troubled ones first.
select series, source, source_code, status, retrieved, vintage, stored, quarantined, last_error
from read_parquet($path)
order by status <> 'ok' desc, series, source

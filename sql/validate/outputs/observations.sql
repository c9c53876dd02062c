-- observations.parquet: the rows that passed, in the one contract of every source, sorted by
-- series, economy, year and source (their numbers: the same order, int_checked).
select economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256,
       note, source_note
from valid_rows
order by series_no, economy_no, "year", source_no

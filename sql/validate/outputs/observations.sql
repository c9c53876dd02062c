-- observations.parquet: the rows that passed, in the one contract of every source.
select economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256,
       note, source_note
from valid_rows
order by series, economy, "year", source

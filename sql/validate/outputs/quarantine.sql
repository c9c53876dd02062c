-- quarantine.parquet: the rows that broke a row rule, with the value as sent and why.
select economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256,
       note, source_note, value_text, q.reason, $run_id as run_id
from row_outcomes join quarantined q using (rid)
order by series, economy, "year", source, value_text

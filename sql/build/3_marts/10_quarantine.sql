-- Rows that failed validation: kept for inspection, never used in marts or exports.
create or replace table quarantine as
select economy, series, "year", value, value_text, source, source_code, obs_status, vintage,
       raw_sha256, note, source_note, reason, run_id
from staging.stg_ictp__quarantine
order by series, economy, "year", source;

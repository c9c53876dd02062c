-- Soft-rule warnings from the latest validation: values worth a look, kept in the data.
create or replace table validation_warnings as
select rule, economy, series, "year", value, source, source_code, obs_status, detail, raw_sha256
from staging.stg_ictp__warnings;  -- in the order validate stored them (rule, series, economy...)

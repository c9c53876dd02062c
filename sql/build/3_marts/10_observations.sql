-- Every validated observation, countries and provider aggregates alike: the tidy data contract.
create or replace table observations as
select economy, series, "year", value, source, source_code, obs_status, correction, vintage,
       raw_sha256, note, source_note
from intermediate.int_observations;

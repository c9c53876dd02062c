-- One row per ictp run, from the run manifests.
create or replace table runs as
select run_id, command, started, ended, status, exit_code, synthetic,
       rows_in, rows_stored, rows_quarantined, rows_no_value, versions
from staging.stg_ictp__runs
order by started, run_id;

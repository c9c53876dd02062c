-- One row per ictp run, from the run manifests.
create or replace table runs as
select run_id, command, started, ended, status, exit_code, synthetic,
       rows_in, rows_stored, rows_quarantined, rows_no_value, versions
from staging.stg_ictp__runs
order by started, run_id;

comment on table runs is 'One row per ictp command run (processed/runs/<run_id>.json holds the full manifest). A run still in progress has status running.';
comment on column runs.run_id is 'Run id: UTC start time and a random suffix.';
comment on column runs.command is 'The ictp command (run, ingest, validate, build, export, demo).';
comment on column runs.started is 'When the run started.';
comment on column runs.ended is 'When the run ended; NULL while running.';
comment on column runs.status is 'running, ok or failed.';
comment on column runs.exit_code is 'The exit code (see README: exit codes).';
comment on column runs.synthetic is 'True for runs on the synthetic demo data.';
comment on column runs.rows_in is 'Rows validated (with or without a value).';
comment on column runs.rows_stored is 'Rows stored in observations.';
comment on column runs.rows_quarantined is 'Rows sent to quarantine.';
comment on column runs.rows_no_value is 'Rows without a value (not stored).';
comment on column runs.versions is 'Python and package versions used.';

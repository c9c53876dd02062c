-- The latest runs the database knows (the runs mart, loaded when it was built; the run that
-- built it shows as running).
select run_id, command, started, ended, status, exit_code, synthetic,
       rows_in, rows_stored, rows_quarantined, rows_no_value
from runs
order by started desc
limit 10

-- The corrections register, with the number of stored rows each entry matched (counted by
-- `ictp validate`, sql/validate/4_results/30_corrections_matched.sql).
create or replace table corrections as
select series, economy, year_from, year_to, source, action, value, reason, reported_upstream,
       rows_matched
from staging.stg_ictp__corrections
order by series, economy, year_from;

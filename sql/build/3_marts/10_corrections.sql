-- The corrections register, with the number of stored rows each entry matched (counted by
-- `ictp validate`, sql/validate/4_results/30_corrections_matched.sql).
create or replace table corrections as
select series, economy, year_from, year_to, source, action, value, reason, reported_upstream,
       rows_matched
from staging.stg_ictp__corrections
order by series, economy, year_from;

comment on table corrections is 'Known upstream errors (indicators/corrections.yml) and how many stored rows each entry matched. An entry matching nothing is listed in qa.corrections_match_rows.';
comment on column corrections.series is 'ictp series id.';
comment on column corrections.economy is 'Economy code.';
comment on column corrections.year_from is 'First year the entry applies to.';
comment on column corrections.year_to is 'Last year the entry applies to.';
comment on column corrections.source is 'Only rows from this source; NULL = every source.';
comment on column corrections.action is 'drop (row removed from marts), override (value replaced) or flag (kept and marked).';
comment on column corrections.value is 'The replacement value (override only).';
comment on column corrections.reason is 'What is wrong and how we know.';
comment on column corrections.reported_upstream is 'True once reported to the source.';
comment on column corrections.rows_matched is 'Stored rows the entry matched in this build.';

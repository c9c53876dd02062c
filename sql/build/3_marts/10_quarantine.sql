-- Rows that failed validation: kept for inspection, never used in marts or exports.
create or replace table quarantine as
select economy, series, "year", value, value_text, source, source_code, obs_status, vintage,
       raw_sha256, note, source_note, reason, run_id
from staging.stg_ictp__quarantine
order by series, economy, "year", source;

comment on table quarantine is 'Rows that failed a validation rule in the latest ictp validate. They never reach observations, marts or exports.';
comment on column quarantine.economy is 'Economy code as the source sent it.';
comment on column quarantine.series is 'ictp series id.';
comment on column quarantine."year" is 'Reference year (NULL when the source''s date was not a year).';
comment on column quarantine.value is 'The value, when it was a number.';
comment on column quarantine.value_text is 'The value as sent, when it was not a number.';
comment on column quarantine.source is 'Source id.';
comment on column quarantine.source_code is 'The source''s own code for the series.';
comment on column quarantine.obs_status is 'The source''s flag for the figure.';
comment on column quarantine.vintage is 'When the source last updated the series.';
comment on column quarantine.raw_sha256 is 'SHA-256 of the raw page the row came from.';
comment on column quarantine.note is 'The source''s footnote for the figure.';
comment on column quarantine.source_note is 'Who produced the figure, as the source says.';
comment on column quarantine.reason is 'Every rule the row broke: rule id, the value and the bound.';
comment on column quarantine.run_id is 'The run that quarantined the row.';

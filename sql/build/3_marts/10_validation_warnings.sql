-- Soft-rule warnings from the latest validation: values worth a look, kept in the data.
create or replace table validation_warnings as
select rule, economy, series, "year", value, source, source_code, obs_status, detail, raw_sha256
from staging.stg_ictp__warnings;  -- in the order validate stored them (rule, series, economy...)

comment on table validation_warnings is 'Values a soft rule (sql/warnings/) flagged in the latest ictp validate: year-on-year jumps, per-100 rates above 100, values the source flags. They stay in observations; this table says what to look at.';
comment on column validation_warnings.rule is 'The soft rule (file name in sql/warnings/).';
comment on column validation_warnings.economy is 'Economy code.';
comment on column validation_warnings.series is 'ictp series id.';
comment on column validation_warnings."year" is 'Reference year.';
comment on column validation_warnings.value is 'The value as stored.';
comment on column validation_warnings.source is 'Source id.';
comment on column validation_warnings.source_code is 'The source''s own code for the series.';
comment on column validation_warnings.obs_status is 'The source''s flag for the figure.';
comment on column validation_warnings.detail is 'Why the rule fired, with the numbers.';
comment on column validation_warnings.raw_sha256 is 'SHA-256 of the raw page the row came from.';

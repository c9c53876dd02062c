-- Every validated observation, countries and provider aggregates alike: the tidy data contract.
create or replace table observations as
select economy, series, "year", value, source, source_code, obs_status, correction, vintage,
       raw_sha256
from intermediate.int_observations
order by series, economy, "year", source;

comment on table observations is 'Every validated observation: one row per economy, series, year and source. Includes the sources'' own aggregates (join economies.is_aggregate). Rows that failed validation are in quarantine, not here; the corrections register (corrections) has been applied.';
comment on column observations.economy is 'ISO 3166-1 alpha-3 for countries; the source''s code for aggregates (WLD, LMY...). Joins economies.iso3.';
comment on column observations.series is 'ictp series id from indicators/series.yml. Joins series.series.';
comment on column observations."year" is 'Reference year.';
comment on column observations.value is 'The figure, in the series'' unit (see series.unit). Zeros are data; rows without a value are not stored.';
comment on column observations.source is 'Where the row came from: worldbank, itu, file:<name>.';
comment on column observations.source_code is 'The source''s own code for the series (e.g. IT.CEL.SETS.P2).';
comment on column observations.obs_status is 'The source''s flag for the figure (estimate, break in series...); NULL if none.';
comment on column observations.correction is 'NULL, or the correction applied from indicators/corrections.yml (override: reason, flag: reason). Dropped rows are not here.';
comment on column observations.vintage is 'When the source last updated the series (World Bank lastupdated).';
comment on column observations.raw_sha256 is 'SHA-256 of the raw response page the row came from (data/raw/objects/<2 chars>/<sha256>): lineage.';

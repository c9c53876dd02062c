-- Every validated observation, countries and provider aggregates alike: the tidy data contract.
create or replace table observations as
select economy, series, "year", value, source, source_code, obs_status, correction, vintage,
       raw_sha256, note, source_note
from intermediate.int_observations;

comment on table observations is 'Every validated observation: one row per economy, series, year and source; every source is kept (indicator_values picks one by precedence). Includes the sources'' own aggregates (join economies.is_aggregate). Rows that failed validation are in quarantine, not here; the corrections register (table corrections) has been applied.';
comment on column observations.economy is 'ISO 3166-1 alpha-3 for countries; the source''s code for aggregates (WLD, LMY...) and for economies ISO lacks (XKX, CHI). Joins economies.iso3.';
comment on column observations.series is 'ictp series id from indicators/series.yml. Joins series.series.';
comment on column observations."year" is 'Reference year.';
comment on column observations.value is 'The figure, in the series'' unit (see series.unit). Zeros are data; rows without a value are not stored.';
comment on column observations.source is 'Where the row came from: worldbank, itu, file:<name>.';
comment on column observations.source_code is 'The source''s own code for the series (e.g. IT.CEL.SETS.P2, i99H).';
comment on column observations.obs_status is 'The source''s flag for the figure: the World Bank''s obs_status; E = estimate (ITU: its dataSource says "ITU estimate"); NULL if none.';
comment on column observations.correction is 'NULL, or the correction applied from indicators/corrections.yml (override: reason, flag: reason). Dropped rows are not here.';
comment on column observations.vintage is 'When the source last updated the series (World Bank lastupdated; for ITU, the day it was retrieved; for a file, the day it was last modified).';
comment on column observations.raw_sha256 is 'SHA-256 of the raw response page or file the row came from (data/raw/objects/<2 chars>/<sha256>): lineage.';
comment on column observations.note is 'The source''s footnote for the figure (ITU dataNote, e.g. age range or "Census."); NULL if none.';
comment on column observations.source_note is 'Who produced the figure, as the source says (ITU dataSource: "ITU estimate.", a national regulator or statistical office); NULL if the source gives none.';

-- Series: the catalog (indicators/series.yml) joined to each series' freshness and row counts.
create or replace table series as
select
    c.series,
    c.name,
    c.unit,
    c.kind,
    c.definition,
    c.source,
    c.source_code,
    c.source_code_id,
    c.code_confirmed,
    c.code_note,
    c.precedence,
    case when isfinite(c.valid_min) then c.valid_min end as valid_min,
    case when isfinite(c.valid_max) then c.valid_max end as valid_max,
    c.licence,
    c.licence_url,
    c.commercial_use,
    c.attribution,
    coalesce(s.status, 'never pulled') as status,
    s.retrieved,
    s.vintage,
    s.last_attempt,
    s.last_error,
    coalesce(s.synthetic, false) as synthetic,
    coalesce(s.rows_in, 0) as rows_in,
    coalesce(s.stored, 0) as rows_stored,
    coalesce(s.quarantined, 0) as rows_quarantined,
    coalesce(s.no_value, 0) as rows_no_value
from input.catalog_series c
left join staging.stg_ictp__series_status s on s.series = c.series and s.source = c.source
order by series, source;

comment on table series is 'One row per series and source: what the catalog says it is, where it comes from, under which licence, and how fresh the stored data is.';
comment on column series.series is 'ictp series id (indicators/series.yml).';
comment on column series.name is 'Series name.';
comment on column series.unit is 'Unit of observations.value.';
comment on column series.kind is 'count, per_100, per_million, percent (0-100 share), gross_ratio (a % that can exceed 100) or currency.';
comment on column series.definition is 'Short definition.';
comment on column series.source is 'Source id (indicators/sources.yml).';
comment on column series.source_code is 'The source''s own code for the series.';
comment on column series.source_code_id is 'The source API''s numeric id for the code where it has one (ITU DataHub codeID); NULL otherwise.';
comment on column series.code_confirmed is 'False when the code or id is not yet confirmed by a real response or export (series.yml says where it comes from in code_note).';
comment on column series.code_note is 'Where the code comes from, or why it is unconfirmed.';
comment on column series.precedence is 'The source''s rank for the series when several sources have a value for the same economy and year (1 = used in indicator_values; sources.yml precedence, or the series'' own).';
comment on column series.valid_min is 'Smallest possible value; lower values are quarantined. NULL = no bound.';
comment on column series.valid_max is 'Largest possible value; higher values are quarantined. NULL = no bound.';
comment on column series.licence is 'Licence of the data (SPDX-style id).';
comment on column series.licence_url is 'Licence text.';
comment on column series.commercial_use is 'False when the licence forbids commercial use (ITU, CC BY-NC-SA 3.0 IGO): `ictp export --redistributable` leaves such rows out.';
comment on column series.attribution is 'Credit line to carry with the data: original producer, then publisher.';
comment on column series.status is 'ok (latest download succeeded), stale (latest download failed; the last good data is kept), missing (never downloaded successfully), never pulled.';
comment on column series.retrieved is 'When the stored data was downloaded.';
comment on column series.vintage is 'When the source last updated the stored data.';
comment on column series.last_attempt is 'When the latest download attempt ended.';
comment on column series.last_error is 'Why the latest download failed (URL and the API''s own words); NULL when it succeeded.';
comment on column series.synthetic is 'True when the data is the synthetic demo set, not real published data.';
comment on column series.rows_in is 'Rows the source sent in the latest validation (with or without a value).';
comment on column series.rows_stored is 'Rows that passed validation (observations).';
comment on column series.rows_quarantined is 'Rows that failed validation (quarantine).';
comment on column series.rows_no_value is 'Rows the source sent without a value (not stored). rows_in = stored + quarantined + no_value.';

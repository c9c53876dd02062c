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

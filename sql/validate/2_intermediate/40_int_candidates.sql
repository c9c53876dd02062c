-- Every source's rows in one long table of candidate observations, with the page they came
-- from (`pages`: series, source, vintage, how its economies are given). The economy is still
-- as the source sent it (economy_text); rid tells rows apart (the source's number in the high
-- bits, the staged row's id in the low ones).
-- Each staging model has cast the year and the value, and kept the text as sent only where it
-- is not a year or a number (date_text, value_text): all that quarantine.reason quotes.
-- materialized: view
select
    (1::bigint << 40) + s.rowid as rid,
    coalesce(s.iso3_code, e.code, s.country_id) as economy_text,
    p.economy_by, p.code_system, p.series, p.series_no, p.source_no,
    s."year",
    s.number as value,
    p.source, p.source_code, s.obs_status, p.vintage, p.sha256 as raw_sha256,
    s.value_text,
    s.date_text,
    null as note,
    null as source_note
from stg_worldbank__observations s
join pages p on p.path = s.filename
left join stg_worldbank__economies e on e.iso2 = s.country_id  -- staged only without ISO3
union all
select
    (2::bigint << 40) + s.rowid,
    s.iso_code,
    p.economy_by, p.code_system, p.series, p.series_no, p.source_no,
    s."year",
    s.number,
    p.source, p.source_code,
    case when estimate_marked(s.source_note, p.estimate_prefix) then 'E' end,
    p.vintage, p.sha256, s.value_text, s.date_text, s.note, s.source_note
from stg_itu__observations s
join pages p on p.path = s.filename
union all
-- ITU's aggregates: the region is matched by its name to ITU's region list; a name the list
-- lacks stays as it is, so it is warned about and its rows quarantined.
select
    (3::bigint << 40) + s.rowid,
    coalesce(a.iso3, s.region_name),
    p.economy_by, p.code_system, p.series, p.series_no, p.source_no,
    s."year",
    s.number,
    p.source, p.source_code, null, p.vintage, p.sha256, s.value_text, s.date_text, null, null
from stg_itu__aggregates s
join pages p on p.path = s.filename
left join int_itu_aggregate_regions a on a.name = s.region_name
union all
select
    (4::bigint << 40) + f.rowid,
    f.economy_text,
    p.economy_by, p.code_system, p.series, p.series_no, p.source_no,
    f."year",
    f.number,
    p.source, p.source_code,
    coalesce(f.status_text,
             case when estimate_marked(f.source_note, p.estimate_prefix) then 'E' end),
    p.vintage, p.sha256, f.value_text, f.date_text, f.note, f.source_note
from stg_file__observations f
join pages p
    on p.path = f.path and p.source = f.source and f.label is not distinct from p.source_code
where not f.excluded

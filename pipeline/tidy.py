"""Tidy: the raw pages of the latest good pulls become one long table of candidate observations.

DuckDB reads the JSON and CSV itself (one file per response page); Python only lists the files
and loads reference data (ISO 3166 from pycountry, the catalog's economy map). Values that are
not numbers are kept as text so validation can quarantine them with a reason; rows with no
value are counted, never stored.

Economy identity is settled here, because every observation must carry our economy code before
it is validated: the World Bank and ITU country lists, ISO 3166-1 and indicators/economies/
map.yml become the table `economies` (one row per economy code, each source's own columns side
by side; sql/ merges them into the published `economies`). ITU's regions of the classes
sources.yml names are economies too, aggregates coded prefix + regionCode (ITU.ARB), and ITU's
aggregate records are matched to them by regionName. A code or name that nothing maps, a map
entry nothing used and an excluded name that matches no row are each one loud warning.
"""

from __future__ import annotations

import logging
import os

import duckdb
import pandas as pd
import pycountry

from pipeline.catalog import Catalog, create_table
from pipeline.errors import IctpError
from pipeline.raw_store import RawStore
from pipeline.sources import files, itu, worldbank

log = logging.getLogger(__name__)

# One row per economy-year in a World Bank indicator page. `value` is read as text: a number
# arrives as its digits, a stray string as itself, so both can be told apart (and reading
# text is twice as fast as reading JSON).
WB_ROW = (
    '[{"country": {"id": "VARCHAR"}, "countryiso3code": "VARCHAR", '
    '"date": "VARCHAR", "value": "VARCHAR", "obs_status": "VARCHAR"}]'
)
# A World Bank page is `[header, rows]`: read each file's two elements as JSON, keep the rows.
WB_PAGES = (
    "select filename, j from read_json($files, format = 'array', records = false, "
    "columns = {j: 'JSON'}, filename = true) where json_type(j) = 'ARRAY'"
)
WB_ECONOMY = (
    '[{"id": "VARCHAR", "iso2Code": "VARCHAR", "name": "VARCHAR", '
    '"region": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"incomeLevel": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"lendingType": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"capitalCity": "VARCHAR", "longitude": "VARCHAR", "latitude": "VARCHAR"}]'
)
# One record per country-year of /data/bycode/{codeID}; the value is a string in answer[0].
ITU_RECORD = (
    '[{"isoCode": "VARCHAR", "dataYear": "VARCHAR", "answer": [{"value": "JSON"}], '
    '"dataNote": "VARCHAR", "dataSource": "VARCHAR"}]'
)
# One record per year of /aggregation/bycodeid/{codeID}/byregionid/{regionID}: the value is a
# number in answer[0]; the region is named, its id is not the one asked for.
ITU_AGGREGATE = '[{"regionName": "VARCHAR", "dataYear": "VARCHAR", "answer": [{"value": "JSON"}]}]'
ITU_REGION = (
    '[{"regionID": "BIGINT", "regionCode": "VARCHAR", "regionName": "VARCHAR", '
    '"className": "VARCHAR"}]'
)
ITU_COUNTRY = (
    '[{"CountryID": "BIGINT", "IsoCode": "VARCHAR", "ShortName": "VARCHAR", '
    '"LongName": "VARCHAR", "Regions": [{"id": "BIGINT", "regionCode": "VARCHAR", '
    '"class": "VARCHAR", "classID": "BIGINT", "region": "VARCHAR"}]}]'
)

WB_LIST_SQL = f"""
create or replace temp table wb_list as
with pages as ({WB_PAGES}), rows as (
    select unnest(from_json(j, '{WB_ECONOMY}')) as r from pages
)
select
    r.id as code,
    nullif(r.iso2Code, '') as iso2,
    trim(r.name) as name,
    case when r.region.id <> 'NA' then nullif(trim(r.region.id), '') end as region_id,
    case when r.region.id <> 'NA' then nullif(trim(r.region.value), '') end as region,
    case when r.region.id <> 'NA' then nullif(trim(r.incomeLevel.id), '') end as income_id,
    case when r.region.id <> 'NA' then nullif(trim(r.incomeLevel.value), '') end as income_group,
    case when r.region.id <> 'NA' then nullif(trim(r.lendingType.value), '') end as lending_type,
    nullif(trim(r.capitalCity), '') as capital_city,
    try_cast(nullif(r.longitude, '') as double) as longitude,
    try_cast(nullif(r.latitude, '') as double) as latitude,
    r.region.id = 'NA' as is_aggregate
from rows
"""
WB_LIST_EMPTY = (
    "create or replace temp table wb_list (code varchar, iso2 varchar, name varchar, "
    "region_id varchar, region varchar, income_id varchar, income_group varchar, "
    "lending_type varchar, capital_city varchar, longitude double, latitude double, "
    "is_aggregate boolean)"
)
ITU_LIST_SQL = f"""
create or replace temp table itu_list as
select
    r.IsoCode as code,
    r.CountryID as country_id,
    trim(r.ShortName) as short_name,
    trim(r.LongName) as long_name,
    r.Regions as "groups"
from (select unnest(from_json(json, '{ITU_COUNTRY}')) as r
      from read_json_objects($files, format = 'unstructured'))
"""
ITU_LIST_EMPTY = (
    "create or replace temp table itu_list (code varchar, country_id bigint, "
    'short_name varchar, long_name varchar, "groups" struct(id bigint, regionCode varchar, '
    '"class" varchar, classID bigint, region varchar)[])'
)
# ITU's regions whose aggregates are pulled (the classes of sources.yml), as economies: our code
# is the catalog's prefix + the regionCode in capitals; group_type and group_code say which of
# our groups (sql/intermediate/50_int_group_members.sql) each is ITU's figure for.
ITU_AGGREGATES_SQL = f"""
create or replace temp table itu_aggregates as
with regions as (
    select unnest(from_json(json, '{ITU_REGION}')) as r
    from read_json_objects($files, format = 'unstructured')
)
select
    c.code_prefix || upper(trim(r.regionCode)) as iso3,
    r.regionID as region_id,
    trim(r.regionCode) as code,
    r.regionName as name,
    r.className as class,
    c.group_type,
    coalesce(c.group_code, trim(r.regionCode)) as group_code
from regions
join input.catalog_aggregate_classes c on c.source = 'itu' and c."class" = r.className
qualify row_number() over (partition by r.regionName order by r.regionID) = 1
"""
ITU_AGGREGATES_EMPTY = (
    "create or replace temp table itu_aggregates (iso3 varchar, region_id bigint, "
    'code varchar, name varchar, "class" varchar, group_type varchar, group_code varchar)'
)

# Every code a source's country list uses, and the economy code it stands for: a World Bank
# aggregate stays itself, a mapped code becomes its target, an ISO 3166-1 code or a kept code
# stays itself; anything else is unmapped (iso3 null): warned about, its rows quarantined.
ECONOMY_CODES_SQL = """
create or replace temp table economy_codes as
with listed as (
    select 'worldbank' as source, code, name, is_aggregate from wb_list
    union all
    select 'itu', code, short_name, false from itu_list
)
select
    l.source, l.code, l.name,
    case when l.is_aggregate then 'aggregate' when m.iso3 is not null then 'map'
         when i.alpha_3 is not null then 'iso' when k.code is not null then 'keep' end as mapping,
    case when l.is_aggregate then l.code else coalesce(m.iso3, i.alpha_3, k.code) end as iso3
from listed l
left join economy_map m on m.kind = 'code' and m.source = l.source and m.code = l.code
left join iso_list i on i.alpha_3 = l.code
left join economy_map k on k.kind = 'keep' and k.code = l.code
"""

# One row per economy code: ISO 3166-1 countries, kept codes, every code a source list maps to,
# and ITU's aggregates; each source's own columns side by side (sql/intermediate/int_economies
# merges them).
ECONOMIES_SQL = """
create or replace table economies as
with agg as (
    select * from itu_aggregates
    qualify row_number() over (partition by iso3 order by region_id) = 1
), ids as (
    select iso3 from economy_codes where iso3 is not null
    union select alpha_3 from iso_list
    union select code from economy_map where kind = 'keep'
    union select iso3 from agg
), wb as (
    select c.iso3, w.* from economy_codes c join wb_list w on w.code = c.code
    where c.source = 'worldbank' and c.iso3 is not null
    qualify row_number() over (partition by c.iso3 order by w.code) = 1
), itu as (
    select c.iso3, t.* from economy_codes c join itu_list t on t.code = c.code
    where c.source = 'itu' and c.iso3 is not null
    qualify row_number() over (partition by c.iso3 order by (t.code = c.iso3) desc, t.code) = 1
)
select
    ids.iso3,
    case when wb.is_aggregate then 'aggregate' when agg.iso3 is not null then 'itu_aggregate'
         when iso.alpha_3 is not null then 'iso' when k.code is not null then 'keep'
         else 'map' end as code_kind,
    k.name as keep_name,
    k.why as keep_why,
    wb.code as wb_code, wb.iso2 as wb_iso2, wb.name as wb_name, wb.region_id as wb_region_id,
    wb.region as wb_region, wb.income_id as wb_income_id, wb.income_group as wb_income_group,
    wb.lending_type as wb_lending_type, wb.capital_city as wb_capital_city,
    wb.longitude as wb_longitude, wb.latitude as wb_latitude, wb.is_aggregate as wb_is_aggregate,
    itu.code as itu_code, itu.country_id as itu_country_id, itu.short_name as itu_short_name,
    itu.long_name as itu_long_name, itu."groups" as itu_groups,
    agg.region_id as itu_agg_region_id, agg.code as itu_agg_code, agg.name as itu_agg_name,
    agg."class" as itu_agg_class, agg.group_type as itu_agg_group_type,
    agg.group_code as itu_agg_group_code,
    iso.alpha_2 as iso_alpha2, iso.numeric as iso_numeric, iso.name as iso_name,
    iso.official_name as iso_official_name, iso.common_name as iso_common_name
from ids
left join wb using (iso3)
left join itu using (iso3)
left join agg using (iso3)
left join iso_list iso on iso.alpha_3 = ids.iso3
left join economy_map k on k.kind = 'keep' and k.code = ids.iso3
order by ids.iso3
"""

# Economy names as the sources spell them, for files that give names: a name that stands for
# two economies is left out (ambiguous), so it is reported as unmapped.
ECONOMY_NAMES_SQL = """
create or replace temp table economy_names as
with names as (
    select iso3, unnest([wb_name, itu_short_name, itu_long_name, iso_name, iso_official_name,
                         iso_common_name, keep_name]) as name
    from economies
)
select lower(trim(name)) as name_key, min(iso3) as iso3
from names where name is not null
group by 1 having count(distinct iso3) = 1
"""

# Raw files read per statement: DuckDB holds a statement's JSON documents in memory, so
# reading 5,000 pages at once outgrows a 2 GB limit, while batches of 500 cost no time.
FILES_PER_READ = 500

# Candidate rows from one source's pages (the temp table `pages` lists them). Every source's
# query returns RAW_COLUMNS; the economy text is mapped to our code afterwards, in one place.
RAW_COLUMNS = (
    'economy_text, economy_by, code_system, series, "year", value, source, source_code, '
    "obs_status, vintage, raw_sha256, value_text, date_text, note, source_note"
)


def _itu_records(record_type: str) -> str:
    """CTEs over a batch of ITU response files: `typed`, one row per record (`r`, of
    `record_type`) with the answer's value as text (a number or not: validation decides)."""
    return f"""with rows as (
    select filename, unnest(from_json(json, '{record_type}')) as r
    from read_json_objects($files, format = 'unstructured', filename = true)
), typed as (
    select rows.*, nullif(trim(r.answer[1].value ->> '$'), '') as value_text from rows
)"""


CANDIDATES_SQL = {
    "worldbank": f"""
with raw_pages as ({WB_PAGES}), rows as (
    select filename, unnest(from_json(j, '{WB_ROW}')) as r from raw_pages
), typed as (
    select rows.*, try_cast(r.value as double) as number from rows
)
select
    coalesce(nullif(r.countryiso3code, ''), e.code, r.country.id) as economy_text,
    p.economy_by,
    p.code_system,
    p.series,
    try_cast(r.date as smallint) as "year",
    number as value,
    p.source,
    p.source_code,
    nullif(r.obs_status, '') as obs_status,
    p.vintage,
    p.sha256 as raw_sha256,
    case when number is null then r.value end as value_text,
    r.date as date_text,
    null as note,
    null as source_note
from typed
join pages p on p.path = typed.filename
left join wb_list e on e.iso2 = r.country.id and nullif(r.countryiso3code, '') is null
""",
    "itu": f"""
{_itu_records(ITU_RECORD)}
select
    r.isoCode as economy_text,
    p.economy_by,
    p.code_system,
    p.series,
    try_cast(r.dataYear as smallint) as "year",
    try_cast(value_text as double) as value,
    p.source,
    p.source_code,
    case when starts_with(lower(trim(r.dataSource)), lower(p.estimate_prefix)) then 'E' end
        as obs_status,
    p.vintage,
    p.sha256 as raw_sha256,
    case when try_cast(value_text as double) is null then value_text end as value_text,
    r.dataYear as date_text,
    nullif(trim(r.dataNote), '') as note,
    nullif(trim(r.dataSource), '') as source_note
from typed
join pages p on p.path = typed.filename
""",
    # ITU's aggregates: the region is matched by its name to ITU's region list (itu_aggregates);
    # a name the list lacks stays as it is, so it is warned about and its rows quarantined.
    "itu_aggregates": f"""
{_itu_records(ITU_AGGREGATE)}
select
    coalesce(a.iso3, r.regionName) as economy_text,
    p.economy_by,
    p.code_system,
    p.series,
    try_cast(r.dataYear as smallint) as "year",
    try_cast(value_text as double) as value,
    p.source,
    p.source_code,
    null as obs_status,
    p.vintage,
    p.sha256 as raw_sha256,
    case when try_cast(value_text as double) is null then value_text end as value_text,
    r.dataYear as date_text,
    null as note,
    null as source_note
from typed
join pages p on p.path = typed.filename
left join itu_aggregates a on a.name = r.regionName
""",
    # file_rows: every file pull's rows, as pipeline/sources/files.py reads them.
    "file": f"""
select
    f.economy_text,
    p.economy_by,
    p.code_system,
    p.series,
    try_cast(try_cast(trim(f.year_text) as double) as smallint) as "year",
    {files.VALUE_SQL} as value,
    p.source,
    p.source_code,
    coalesce(f.status_text, case when starts_with(lower(f.source_note),
                                                  lower(p.estimate_prefix)) then 'E' end)
        as obs_status,
    p.vintage,
    p.sha256 as raw_sha256,
    case when {files.VALUE_SQL} is null then f.value_text end as value_text,
    f.year_text as date_text,
    f.note,
    f.source_note
from all_file_rows f
join pages p
    on p.path = f.path and p.source = f.source and f.label is not distinct from p.source_code
where not f.excluded
""",
}

# The economy text each source sent becomes our code: a code through the map for its code
# system (or as it is); a name through the file's own names, then the sources' spellings.
# Mapped once per distinct text sent (a few hundred), then joined onto every row.
MAP_ECONOMIES_SQL = """
create or replace temp table sent as
select distinct source, economy_by, code_system, economy_text from raw_candidates;

create or replace temp table sent_mapped as
select
    r.*,
    case when r.economy_by = 'name'
         then coalesce(fn.iso3, gn.iso3, r.economy_text)
         else coalesce(m.iso3, r.economy_text) end as economy
from sent r
left join economy_map m
    on r.economy_by = 'code' and m.kind = 'code' and m.source = r.code_system
   and m.code = r.economy_text
left join file_names fn
    on r.economy_by = 'name' and fn.source = r.source
   and fn.name_key = lower(trim(r.economy_text))
left join economy_names gn on r.economy_by = 'name' and gn.name_key = lower(trim(r.economy_text));

create or replace view candidates as
select
    r.rowid as rid,
    m.economy, r.series, r."year", r.value, r.source, r.source_code, r.obs_status, r.vintage,
    r.raw_sha256, r.value_text, r.date_text, r.note, r.source_note, r.economy_text
from raw_candidates r
left join sent_mapped m
    on m.source = r.source and m.economy_by is not distinct from r.economy_by
   and m.code_system is not distinct from r.code_system
   and m.economy_text is not distinct from r.economy_text;
"""

# What the warnings list: (what is wrong and what to do, the SQL listing the cases).
WARNINGS = {
    "economy codes that no mapping covers (their rows are quarantined): map them in "
    "indicators/economies/map.yml under codes: or keep:": """
        select source || ' ' || code || coalesce(' (' || max(name) || ')', '') as item
        from (
            select source, code, name from economy_codes where iso3 is null
            union all
            select c.source, c.economy_text, null from sent_mapped c
            where c.economy = c.economy_text and c.economy_text not in (select iso3 from economies)
              and c.source not in (select source from file_names_by)
        ) group by source, code order by 1""",
    "economy names that no mapping covers (their rows are quarantined): add them under names: "
    "of their file in the files list": """
        select distinct c.source || ' ' || '"' || c.economy_text || '"' as item
        from sent_mapped c join file_names_by b using (source)
        where c.economy not in (select iso3 from economies) order by 1""",
    "economy map entries that no source used in the latest data (remove them, or check "
    "the source)": """
        select item from (
            select 'codes.' || m.source || '.' || m.code as item from economy_map m
            where m.kind = 'code'
              and m.code not in (select code from economy_codes where source = m.source)
              and m.code not in (select economy_text from sent
                                 where economy_by = 'code' and code_system = m.source)
            union all
            select 'keep.' || k.code from economy_map k
            where k.kind = 'keep' and k.code not in (select code from economy_codes)
              and k.code not in (select economy from sent_mapped)
            union all
            select f.source || ' names.' || '"' || f.name || '"' from file_names f
            where f.name_key not in (select lower(trim(economy_text)) from sent r
                                     where r.source = f.source)
        ) order by 1""",
    "excluded names that match no row of their file (remove them from exclude:)": """
        select e.source || ' ' || '"' || e.name || '"' as item from file_excludes e
        where lower(e.name) not in (select lower(economy_text) from all_file_rows a
                                    where a.source = e.source and a.excluded)
        order by 1""",
    "economy codes that two codes of one source map to (only one is used)": """
        select source || ' ' || string_agg(code, '+' order by code) || ' -> ' || iso3 as item
        from economy_codes where iso3 is not null
        group by source, iso3 having count(*) > 1 order by 1""",
}


def tidy(con: duckdb.DuckDBPyConnection, store: RawStore, pulls: dict, catalog: Catalog) -> None:
    """Create tables `economies` and `candidates` in `con` from the given good pulls."""
    _economy_tables(con, store, pulls, catalog)
    specs = {spec.source: spec for spec in catalog.files}
    gone = sorted({src for src, _s in pulls if src.startswith("file:") and src not in specs})
    if gone:
        log.warning(
            "files no longer in the files list, so their data is left out: %s", ", ".join(gone)
        )
    pages = []
    for (source, key), pull in sorted(pulls.items()):
        if key in OWN_TABLES or source in gone:
            continue
        # which query of CANDIDATES_SQL reads the pull, and the catalog series its rows are
        series, reader = key, source.split(":", 1)[0]
        if source == itu.SOURCE and itu.aggregated_series(key):
            series, reader = itu.aggregated_series(key), "itu_aggregates"
        spec = specs.get(source)
        src = catalog.sources.get(source)
        prefix = spec.estimate_prefix if spec else src.estimate_prefix if src else None
        for path in _paths(store, pull):
            pages.append(
                (
                    path,
                    os.path.basename(path),
                    series,
                    source,
                    pull["source_code"],
                    pull.get("lastupdated") or pull["finished"][:10],
                    spec.economy_by if spec else "code",
                    (spec.economy_codes if spec else source) or "",
                    prefix,  # NULL: the source marks no estimates in its notes
                    reader,
                )
            )
    columns = [
        "path",
        "sha256",
        "series",
        "source",
        "source_code",
        "vintage",
        "economy_by",
        "code_system",
        "estimate_prefix",
        "reader",
    ]
    con.register("pages_df", pd.DataFrame(pages, columns=columns, dtype="object"))
    con.execute(
        "create or replace temp table pages as select path, sha256, series, source, "
        "source_code, cast(vintage as date) as vintage, economy_by, code_system, "
        "estimate_prefix from pages_df"
    )
    con.unregister("pages_df")
    _file_rows(con, store, pulls, specs, pages)
    con.execute(
        "create or replace table raw_candidates (economy_text varchar, economy_by varchar, "
        'code_system varchar, series varchar, "year" smallint, value double, source varchar, '
        "source_code varchar, obs_status varchar, vintage date, raw_sha256 varchar, "
        "value_text varchar, date_text varchar, note varchar, source_note varchar)"
    )
    for name, sql in CANDIDATES_SQL.items():
        paths = sorted({p[0] for p in pages if p[-1] == name})
        if paths and "$files" not in sql:
            con.execute(f"insert into raw_candidates ({RAW_COLUMNS}) {sql}")
            continue
        for i in range(0, len(paths), FILES_PER_READ):  # bounded memory, whatever the size
            con.execute(
                f"insert into raw_candidates ({RAW_COLUMNS}) {sql}",
                {"files": paths[i : i + FILES_PER_READ]},
            )
    con.execute(MAP_ECONOMIES_SQL)
    for what, sql in WARNINGS.items():
        items = [r[0] for r in con.execute(sql).fetchall()]
        if items:
            log.warning("%s: %s", what, ", ".join(items))


# Pulls of a source's own tables (country and region lists), not of observations.
OWN_TABLES = {worldbank.ECONOMIES, itu.ECONOMIES, itu.REGIONS}


def _economy_tables(con, store: RawStore, pulls: dict, catalog: Catalog) -> None:
    """wb_list, itu_list, itu_aggregates, iso_list, economy_map, file names -> economy_codes,
    economies."""
    wb = pulls.get((worldbank.SOURCE, worldbank.ECONOMIES))
    itu_pull = pulls.get((itu.SOURCE, itu.ECONOMIES))
    regions = pulls.get((itu.SOURCE, itu.REGIONS))
    if wb is None and (not pulls or any(src == worldbank.SOURCE for src, _s in pulls)):
        raise IctpError(
            "no World Bank country list has ever been downloaded successfully, so its country "
            "and aggregate codes cannot be checked: run `ictp ingest` (it pulls the country "
            "lists first)"
        )
    if wb:
        con.execute(WB_LIST_SQL, {"files": _paths(store, wb)})
    else:
        con.execute(WB_LIST_EMPTY)
    if itu_pull:
        con.execute(ITU_LIST_SQL, {"files": _paths(store, itu_pull)})
    else:
        con.execute(ITU_LIST_EMPTY)
    if regions:
        con.execute(ITU_AGGREGATES_SQL, {"files": _paths(store, regions)})
    else:
        con.execute(ITU_AGGREGATES_EMPTY)
    iso = pd.DataFrame(
        [
            {
                "alpha_3": c.alpha_3,
                "alpha_2": c.alpha_2,
                "numeric": c.numeric,
                "name": c.name,
                "official_name": getattr(c, "official_name", None),
                "common_name": getattr(c, "common_name", None),
            }
            for c in pycountry.countries
        ]
    )
    _text_table(con, "iso_list", iso)
    _text_table(con, "economy_map", pd.DataFrame(catalog.economy_map.rows(), columns=MAP_COLUMNS))
    names = [
        (f.source, n, n.strip().lower(), code) for f in catalog.files for n, code in f.names.items()
    ]
    _text_table(
        con, "file_names", pd.DataFrame(names, columns=["source", "name", "name_key", "iso3"])
    )
    by_name = [(f.source,) for f in catalog.files if f.economy_by == "name"]
    _text_table(con, "file_names_by", pd.DataFrame(by_name, columns=["source"]))
    excludes = [(f.source, n) for f in catalog.files for n in f.exclude]
    _text_table(con, "file_excludes", pd.DataFrame(excludes, columns=["source", "name"]))
    con.execute(ECONOMY_CODES_SQL)
    con.execute(ECONOMIES_SQL)
    con.execute(ECONOMY_NAMES_SQL)


def _file_rows(con, store: RawStore, pulls: dict, specs: dict, pages: list) -> None:
    """all_file_rows: every file pull's rows (pipeline/sources/files.py reads them)."""
    con.execute(
        "create or replace table all_file_rows (path varchar, source varchar, "
        "row_no bigint, economy_text varchar, label varchar, year_text varchar, "
        "value_text varchar, note varchar, source_note varchar, status_text varchar, "
        "excluded boolean)"
    )
    done = set()
    for path, _sha, _series, source, *_rest in pages:
        if not source.startswith("file:") or (path, source) in done:
            continue
        done.add((path, source))
        with open(path, "rb") as f:
            files.load(con, path, f.read(), specs[source])
        con.execute(
            "insert into all_file_rows select $path, $source, row_no, economy_text, label, "
            "year_text, value_text, note, source_note, status_text, excluded from file_rows",
            {"path": path, "source": source},
        )


MAP_COLUMNS = ["source", "code", "iso3", "kind", "name", "why"]


def _text_table(con, name: str, frame: pd.DataFrame) -> None:
    """A table of text columns from `frame` (typed even when the frame is empty)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    create_table(con, name, dict.fromkeys(frame.columns, "varchar"), rows)


def _paths(store: RawStore, pull: dict) -> list[str]:
    paths = [str(store.path(p["sha256"])) for p in pull["pages"]]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise IctpError(
            f"raw file {missing[0]} of pull {pull['pull_id']} is missing from the raw store; "
            "the store must never be edited by hand: restore it or run `ictp ingest` again"
        )
    return paths

"""Tidy: the raw pages of the latest good pulls become one long table of candidate observations.

DuckDB reads the JSON itself (one file per response page); Python only lists the files.
Values that are not numbers are kept as text so validation can quarantine them with a reason;
rows with no value are counted, never stored.
"""

from __future__ import annotations

import os

import duckdb

from pipeline.errors import IctpError
from pipeline.raw_store import RawStore
from pipeline.sources import worldbank

# One row per economy-year in a World Bank indicator page. `value` stays JSON so a number, a
# null and a stray string can be told apart.
WB_ROW = (
    '[{"country": {"id": "VARCHAR", "value": "VARCHAR"}, "countryiso3code": "VARCHAR", '
    '"date": "VARCHAR", "value": "JSON", "obs_status": "VARCHAR"}]'
)
WB_ECONOMY = (
    '[{"id": "VARCHAR", "iso2Code": "VARCHAR", "name": "VARCHAR", '
    '"region": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"incomeLevel": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"lendingType": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"capitalCity": "VARCHAR", "longitude": "VARCHAR", "latitude": "VARCHAR"}]'
)

ECONOMIES_SQL = f"""
create or replace table economies as
with docs as (
    select from_json(json, '["JSON"]') as parts
    from read_json_objects($files, format = 'unstructured')
), rows as (
    select unnest(from_json(parts[2], '{WB_ECONOMY}')) as r from docs
)
select
    r.id as iso3,
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
order by iso3
"""

# Candidate rows from one source's pages (the temp table `pages` lists them). Every source's
# query returns the same columns, in this order.
CANDIDATE_COLUMNS = (
    'economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256, '
    "value_text, date_text"
)
CANDIDATES_SQL = {
    "worldbank": f"""
with docs as (
    select filename, from_json(json, '["JSON"]') as parts
    from read_json_objects($files, format = 'unstructured', filename = true)
), rows as (
    select filename, unnest(from_json(parts[2], '{WB_ROW}')) as r from docs
), typed as (
    select
        rows.*,
        r.value ->> '$' as value_text,
        json_type(r.value) in ('DOUBLE', 'BIGINT', 'UBIGINT', 'HUGEINT') as is_number
    from rows
)
select
    coalesce(nullif(r.countryiso3code, ''), e.iso3, r.country.id) as economy,
    p.series,
    try_cast(r.date as smallint) as "year",
    case when is_number then cast(value_text as double) end as value,
    p.source,
    p.source_code,
    nullif(r.obs_status, '') as obs_status,
    p.vintage,
    p.sha256 as raw_sha256,
    case when not is_number then value_text end as value_text,
    r.date as date_text
from typed
join pages p on p.path = typed.filename
left join economies e on e.iso2 = r.country.id and nullif(r.countryiso3code, '') is null
""",
}


def tidy(con: duckdb.DuckDBPyConnection, store: RawStore, pulls: dict) -> None:
    """Create tables `economies` and `candidates` in `con` from the given good pulls."""
    econ = pulls.get((worldbank.SOURCE, worldbank.ECONOMIES))
    if econ is None:
        raise IctpError(
            "no economy list has ever been downloaded successfully, so country codes cannot be "
            "checked: run `ictp ingest` (it pulls the World Bank country list first)"
        )
    con.execute(ECONOMIES_SQL, {"files": _paths(store, econ)})
    observed = catalog_series(pulls)
    pages = [
        (
            path,
            os.path.basename(path),
            pull["series"],
            pull["source"],
            pull["source_code"],
            pull.get("lastupdated") or pull["finished"][:10],
        )
        for (_source, series), pull in sorted(pulls.items())
        if series in observed
        for path in _paths(store, pull)
    ]
    con.execute(
        "create or replace temp table pages "
        "(path varchar, sha256 varchar, series varchar, source varchar, source_code varchar, "
        "vintage date)"
    )
    con.execute(
        "create or replace table candidates (economy varchar, series varchar, "
        '"year" smallint, value double, source varchar, source_code varchar, '
        "obs_status varchar, vintage date, raw_sha256 varchar, value_text varchar, "
        "date_text varchar)"
    )
    if pages:
        con.executemany("insert into pages values (?, ?, ?, ?, ?, ?)", pages)
    for source, sql in CANDIDATES_SQL.items():
        files = sorted({p[0] for p in pages if p[3] == source})
        if files:
            con.execute(f"insert into candidates ({CANDIDATE_COLUMNS}) {sql}", {"files": files})


def catalog_series(pulls: dict) -> set[str]:
    """The pulled series that hold observations (not a source's own tables, like economies)."""
    return {series for (_source, series) in pulls if series != worldbank.ECONOMIES}


def _paths(store: RawStore, pull: dict) -> list[str]:
    paths = [str(store.path(p["sha256"])) for p in pull["pages"]]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise IctpError(
            f"raw file {missing[0]} of pull {pull['pull_id']} is missing from the raw store; "
            "the store must never be edited by hand: restore it or run `ictp ingest` again"
        )
    return paths

"""Tidy: the raw pages of the latest good pulls become one long table of candidate observations.

DuckDB reads the JSON itself (one file per response page); Python only lists the files.
Values that are not numbers are kept as text so validation can quarantine them with a reason;
rows with no value are counted, never stored.
"""

from __future__ import annotations

import os

import duckdb
import pandas as pd

from pipeline.errors import IctpError
from pipeline.raw_store import RawStore
from pipeline.sources import worldbank

# One row per economy-year in a World Bank indicator page. `value` is read as text: a number
# arrives as its digits, a stray string as itself, so both can be told apart (and reading
# text is twice as fast as reading JSON).
WB_ROW = (
    '[{"country": {"id": "VARCHAR"}, "countryiso3code": "VARCHAR", '
    '"date": "VARCHAR", "value": "VARCHAR", "obs_status": "VARCHAR"}]'
)
WB_ECONOMY = (
    '[{"id": "VARCHAR", "iso2Code": "VARCHAR", "name": "VARCHAR", '
    '"region": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"incomeLevel": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"lendingType": {"id": "VARCHAR", "value": "VARCHAR"}, '
    '"capitalCity": "VARCHAR", "longitude": "VARCHAR", "latitude": "VARCHAR"}]'
)
# A page is `[header, rows]`: read each file's two elements as JSON values, keep the rows.
WB_PAGES = (
    "select filename, j from read_json($files, format = 'array', records = false, "
    "columns = {j: 'JSON'}, filename = true) where json_type(j) = 'ARRAY'"
)

ECONOMIES_SQL = f"""
create or replace table economies as
with pages as ({WB_PAGES}), rows as (
    select unnest(from_json(j, '{WB_ECONOMY}')) as r from pages
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
with raw_pages as ({WB_PAGES}), rows as (
    select filename, unnest(from_json(j, '{WB_ROW}')) as r from raw_pages
), typed as (
    select rows.*, try_cast(r.value as double) as number from rows
)
select
    coalesce(nullif(r.countryiso3code, ''), e.iso3, r.country.id) as economy,
    p.series,
    try_cast(r.date as smallint) as "year",
    number as value,
    p.source,
    p.source_code,
    nullif(r.obs_status, '') as obs_status,
    p.vintage,
    p.sha256 as raw_sha256,
    case when number is null then r.value end as value_text,
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
    columns = ["path", "sha256", "series", "source", "source_code", "vintage"]
    con.register("pages_df", pd.DataFrame(pages, columns=columns, dtype="object"))
    con.execute(
        "create or replace temp table pages as select path, sha256, series, source, "
        "source_code, cast(vintage as date) as vintage from pages_df"
    )
    con.unregister("pages_df")
    con.execute(
        "create or replace table candidates (economy varchar, series varchar, "
        '"year" smallint, value double, source varchar, source_code varchar, '
        "obs_status varchar, vintage date, raw_sha256 varchar, value_text varchar, "
        "date_text varchar)"
    )
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

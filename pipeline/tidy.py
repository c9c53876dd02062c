"""Tidy: the raw pages of the latest good pulls become one long table of checked candidate rows.

Python lists the pages (`pages`: which file, which series and source, how its economies are
given) and loads reference tables (ISO 3166-1 from pycountry, the catalog's economy map and a
file's own names). Economy identity is settled before any observation is read, since every row
must carry our economy code before it is validated: the SQL models of sql/validate/1_staging
read each source's economy list (and a local file's rows), and sql/validate/2_intermediate
merges the lists once (int_economies), numbers them, and says what each text a source may send
stands for (int_text_map). Then the pages are read once, in batches (sql/validate/read/: a
reader per kind of page, each batch's rows joined to their page, economy and the catalog's
bounds as they are read, into int_checked), and sql/validate/checked/ counts the rows of each
key and lists the economy texts sent. Values that are not numbers are kept as text so
validation can quarantine them with a reason; rows with no value are counted, never stored.
Each case `sql/validate/economy_warnings/` lists is one loud warning.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pycountry

from pipeline import sql
from pipeline.catalog import Catalog, create_table
from pipeline.errors import IctpError
from pipeline.raw_store import RawStore
from pipeline.runs import Stopwatch
from pipeline.sources import files, itu, itu_idi, worldbank

log = logging.getLogger(__name__)

# Pulls that are not of observations: a source's own tables (country and region lists) and
# ITU's published IDI scores.
OWN_TABLES = {
    (worldbank.SOURCE, worldbank.ECONOMIES),
    (itu.SOURCE, itu.ECONOMIES),
    (itu.SOURCE, itu.REGIONS),
    (itu_idi.SOURCE, itu_idi.SCORES),
}
# The reader of each kind of page (sql/validate/read/), and the shape of its records; in the
# order int_checked's rows are read.
READERS = {
    "worldbank": ("worldbank.sql", worldbank.SHAPES["observations"]),
    "itu": ("itu.sql", itu.SHAPES["observations"]),
    "itu_aggregates": ("itu_aggregates.sql", itu.SHAPES["aggregates"]),
    "file": ("files.sql", None),  # the rows pipeline/sources/files.py read (one statement)
}
# Pages per statement of int_checked: larger than other batched models' (sql.FILES_PER_BATCH),
# since each statement also joins the page list, the economy map and the catalog.
PAGES_PER_BATCH = 1000
LISTS = {  # a source's own table -> (its pull, the staging model that reads it, its shape)
    "stg_worldbank__economies": (
        (worldbank.SOURCE, worldbank.ECONOMIES),
        worldbank.SHAPES["economies"],
    ),
    "stg_itu__economies": ((itu.SOURCE, itu.ECONOMIES), itu.SHAPES["economies"]),
    "stg_itu__regions": ((itu.SOURCE, itu.REGIONS), itu.SHAPES["regions"]),
}
PAGE_COLUMNS = [
    "path",
    "sha256",
    "series",
    "source",
    "source_code",
    "vintage",
    "economy_by",
    "code_system",
    "estimate_prefix",
    "retrieved",
    "source_updated",
    "reader",
]
MAP_COLUMNS = ["source", "code", "iso3", "kind", "name", "why"]


def tidy(
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    pulls: dict,
    catalog: Catalog,
    folder: Path,
    clock: Stopwatch,
    on_reading: Callable[[], None] = lambda: None,
) -> None:
    """Make `int_economies` and `int_checked` in `con` from the given good pulls, with the
    models of `folder` (sql/validate). `on_reading` is called as DuckDB starts reading the
    pages, which leaves Python's lock free for other threads until the end. `clock` (validate's)
    is told where each part ends: the catalog, economy and page lists, the pages read, the keys
    counted."""
    if (worldbank.SOURCE, worldbank.ECONOMIES) not in pulls and (
        not pulls or any(src == worldbank.SOURCE for src, _s in pulls)
    ):
        raise IctpError(
            "no World Bank country list has ever been downloaded successfully, so its country "
            "and aggregate codes cannot be checked: run `ictp ingest` (it pulls the country "
            "lists first)"
        )
    _reference_tables(con, catalog)
    pages = _pages(store, pulls, catalog)
    # text columns even where every value is None (estimate_prefix when no source marks
    # estimates; all of them when no page was read): an object column of None alone would be of
    # DuckDB's type NULL, and so would the stored tables' series and source columns
    frame = pd.DataFrame(pages, columns=PAGE_COLUMNS, dtype="string")
    sql.query(con, folder / "macros.sql")
    con.register("pages_df", frame)
    sql.query(con, folder / "pages.sql")
    con.unregister("pages_df")
    _file_rows(con, folder, catalog, pages)
    on_reading()
    _staging(con, folder, store, pulls)
    sql.run_folder(con, folder / "2_intermediate")
    clock.part("catalog, economies, page list")
    _read(con, folder, pages)
    clock.part("pages read")
    sql.run_folder(con, folder / "checked")
    for path in sql.files_in(folder / "economy_warnings"):
        items = [r[0] for r in sql.query(con, path).fetchall()]
        if items:
            log.warning("%s: %s", _first_comment(path), ", ".join(items))
    clock.part("keys counted")


def _staging(con, folder: Path, store: RawStore, pulls: dict) -> None:
    """Run each staging model of sql/validate/1_staging on its own files and record shape."""
    shapes = {name: shape for name, (_pull, shape) in LISTS.items()}
    files_of = {
        name: _paths(store, pulls[key]) for name, (key, _s) in LISTS.items() if key in pulls
    }
    idi = (itu_idi.SOURCE, itu_idi.SCORES)  # the tree page, then the score pages
    if idi in pulls:
        paths = _paths(store, pulls[idi])
        files_of["stg_itu_idi__nodes"] = paths[itu_idi.TREE_PAGE - 1 : itu_idi.TREE_PAGE]
        files_of["stg_itu_idi__scores"] = paths[itu_idi.TREE_PAGE :]
    shapes["stg_itu_idi__scores"] = itu_idi.SHAPES["scores"]
    for path in sql.files_in(folder / "1_staging"):
        name = sql.name_of(path)
        sql.run_model(con, path, {"shape": shapes.get(name)}, files_of.get(name, ()))


def _read(con, folder: Path, pages: list[tuple]) -> None:
    """int_checked: every page's rows, read by its reader (sql/validate/read/) in batches, each
    batch's rows checked as they are read (read/int_checked.sql). The pages are read in their
    order (source, series, page): each batch's rows then lie together, and the tables made from
    them stay roughly grouped by series (4_results/20_row_outcomes)."""
    template = sql.body_of(sql.text(folder / "read" / "int_checked.sql"))
    into = "create or replace table int_checked as"
    for reader, (name, shape) in READERS.items():
        files = list(dict.fromkeys(p[0] for p in pages if p[-1] == reader))
        if shape is None:  # the local files' rows are read already: one statement, or none
            batches = [[]] if files else []
        else:  # no page at all: the first reader reads no rows, and makes the table typed
            batches = sql.batches_of(files, PAGES_PER_BATCH)
            if not batches and into.startswith("create"):
                batches = [[str(sql.NO_FILES)]]
        path = folder / "read" / name
        rows = sql.body_of(sql.text(path))
        for batch in batches:
            with sql.failing_as(path):
                statement = template.replace("{into}", into).replace("{rows}", rows)
                # the batch's pages (`paths`): the files read, or the local files' rows' own
                params = {"files": batch, "shape": shape, "paths": batch if shape else files}
                sql.execute(con, statement, params)
            into = "insert into int_checked"


def _pages(store: RawStore, pulls: dict, catalog: Catalog) -> list[tuple]:
    """One row per raw page of the good pulls (PAGE_COLUMNS): what it is and who reads it."""
    specs = {spec.source: spec for spec in catalog.files}
    gone = sorted({src for src, _s in pulls if src.startswith("file:") and src not in specs})
    if gone:
        log.warning(
            "files no longer in the files list, so their data is left out: %s", ", ".join(gone)
        )
    return [
        _page(path, source, key, pull, specs.get(source), catalog.sources.get(source))
        for (source, key), pull in sorted(pulls.items())
        if (source, key) not in OWN_TABLES and source not in gone
        for path in _paths(store, pull)
    ]


def _page(path: str, source: str, key: str, pull: dict, spec, src) -> tuple:
    """One raw page's row of PAGE_COLUMNS: the staging model that reads it, the catalog series
    its rows are, and how the source gives economies and marks estimates."""
    series, reader = key, source.split(":", 1)[0]
    if source == itu.SOURCE and itu.aggregated_series(key):
        series, reader = itu.aggregated_series(key), "itu_aggregates"
    prefix = spec.estimate_prefix if spec else src.estimate_prefix if src else None
    return (
        path,
        os.path.basename(path),
        series,
        source,
        pull["source_code"],
        pull.get("lastupdated") or pull["finished"][:10],
        spec.economy_by if spec else "code",
        (spec.economy_codes if spec else source) or "",
        prefix,  # NULL: the source marks no estimates in its notes
        pull["finished"],  # when it was retrieved, and the source's own date
        pull.get("lastupdated"),  # (NULL for ITU): its vintage's, pipeline/vintages.py
        reader,
    )


def _reference_tables(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """ISO 3166-1 (pycountry) and the catalog's economy map, file names and excluded names, as
    input.* tables the models join to."""
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
    _text_table(con, "input.iso_countries", iso)
    rows = catalog.economy_map.rows()
    _text_table(con, "input.economy_map", pd.DataFrame(rows, columns=MAP_COLUMNS))
    names = [
        (f.source, n, n.strip().lower(), code) for f in catalog.files for n, code in f.names.items()
    ]
    _text_table(
        con, "input.file_names", pd.DataFrame(names, columns=["source", "name", "name_key", "iso3"])
    )
    by_name = [(f.source,) for f in catalog.files if f.economy_by == "name"]
    _text_table(con, "input.file_names_by", pd.DataFrame(by_name, columns=["source"]))
    excludes = [(f.source, n) for f in catalog.files for n in f.exclude]
    _text_table(con, "input.file_excludes", pd.DataFrame(excludes, columns=["source", "name"]))


def _file_rows(con: duckdb.DuckDBPyConnection, folder: Path, catalog: Catalog, pages) -> None:
    """all_file_rows: every file pull's rows, as pipeline/sources/files.py reads them."""
    specs = {spec.source: spec for spec in catalog.files}
    sql.query(con, folder / "all_file_rows.sql")
    done = set()
    for path, _sha, _series, source, *_rest in pages:
        if not source.startswith("file:") or (path, source) in done:
            continue
        done.add((path, source))
        with open(path, "rb") as f:
            files.load(con, folder.parent / "sources" / "files", path, f.read(), specs[source])
        sql.query(con, folder / "all_file_rows_add.sql", {"path": path, "source": source})


def _text_table(con, name: str, frame: pd.DataFrame) -> None:
    """A table of text columns from `frame` (typed even when the frame is empty)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    create_table(con, name, dict.fromkeys(frame.columns, "varchar"), rows)


def _first_comment(path: Path) -> str:
    """A file's leading comment lines as one sentence (what an economy warning says)."""
    lines = []
    for line in sql.text(path).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def _paths(store: RawStore, pull: dict) -> list[str]:
    paths = [str(store.path(p["sha256"])) for p in pull["pages"]]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise IctpError(
            f"raw file {missing[0]} of pull {pull['pull_id']} is missing from the raw store; "
            "the store must never be edited by hand: restore it or run `ictp ingest` again"
        )
    return paths

"""Export: CSV extracts of the built database and a datapackage.json describing them.

Per series: `<series>.csv` (long: one row per economy-year) and `<series>_wide.csv` (one row per
economy, one column per year). Countries only; UTF-8; sorted; no timestamps inside, so the same
database gives byte-identical files. The new set replaces the old one only when complete. With
the format xlsx, also `ict_indicators.xlsx` (pipeline/workbook.py).

Licences are per file, not per row: every row names its `source`; datapackage.json gives each
file's `licenses` and `sources` (one entry for each source in the file), and `sources.csv` each
source's licence, licence URL, attribution and commercial use. No comment lines in the CSVs.
Text that a spreadsheet would run as a formula gets a leading ' (macro safe_text of
sql/export/macros.sql); the database keeps it as sent. `--redistributable` leaves out figures
whose licence forbids commercial use.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import duckdb

from pipeline import column_docs, crash, diskfull, fingerprint, generation, paths, sql
from pipeline.errors import IctpError, one_line
from pipeline.runs import Run
from pipeline.settings import Settings
from pipeline.step import run_step
from pipeline.store import on_cursors

log = logging.getLogger(__name__)

# The CSV files' fields (name, frictionless type, description): sql/build/3_marts/columns.yml
LONG_FIELDS = column_docs.export_fields("long")
WIDE_FIELDS = column_docs.export_fields("wide")  # before the year columns
WIDE_TAIL = column_docs.export_fields("wide_tail")  # after them
SOURCE_FIELDS = column_docs.export_fields("sources")  # sources.csv
FORMATS = ("csv", "xlsx")  # csv is always written: datapackage.json describes those files
TABLES = {False: "indicator_values", True: "indicator_values_redistributable"}


def run(
    settings: Settings,
    manifest: Run,
    redistributable: bool = False,
    formats: tuple[str, ...] = ("csv",),
) -> dict:
    """Write the extracts from `indicator_values` (or, with `redistributable`, only figures
    whose licence allows commercial use, from `indicator_values_redistributable`); with "xlsx"
    in `formats`, the workbook too."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise IctpError(
            f"unknown export format {', '.join(unknown)}: give {' or '.join(FORMATS)} "
            "(comma-separated for both)"
        )
    db = settings.db_path
    if not db.exists():
        raise IctpError(f"no database at {db}: run `ictp build` first (or `ictp run`)")
    out = settings.exports_dir
    folder = settings.sql_dir / "export"
    return run_step(
        settings,
        manifest,
        "export",
        [
            fingerprint.tree(folder),
            column_docs.digest(),
            fingerprint.stamp(db),
            redistributable,
            sorted(formats),
        ],
        [out],  # every file in it: one deleted or edited is written again
        "the database, SQL and code are unchanged",
        lambda: _export(settings, folder, redistributable, formats, manifest.id),
    )


def _export(
    settings: Settings, folder: Path, redistributable: bool, formats: tuple[str, ...], run_id: str
) -> dict:
    db, out = settings.db_path, settings.exports_dir
    tmp = generation.start(out)
    table = TABLES[redistributable]
    con = duckdb.connect(str(db), read_only=True)
    try:
        series = sql.rows(con, folder / "series.sql", {"table": table})
        written = on_cursors(con, lambda cur, s: _write_series(cur, folder, table, s, tmp), series)
        params = {"table": table, **SYNTHETIC_TERMS}
        sql.query(con, folder / "macros.sql")
        sql.query(con, folder / "sources.sql", {**params, "path": str(tmp / SOURCES_CSV)})
        resources = [r for pair in written for r in pair] + [_sources_resource(series)]
        from pipeline.composites import export_composites

        resources += export_composites(con, tmp, redistributable, folder)[0]
        package = _datapackage(series, resources, redistributable)
        (tmp / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        left_out = sql.rows(con, folder / "left_out.sql") if redistributable else []
        if "xlsx" in formats:
            from pipeline import workbook  # openpyxl: imported only when a workbook is asked for

            about = {"run": run_id, "database": str(db), "table": table,
                     "synthetic": any(s["synthetic"] for s in series)}  # fmt: skip
            workbook.write(con, folder, params, series, tmp / workbook.NAME, about)
    except (duckdb.Error, IctpError, OSError) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        diskfull.raise_if_full(e, tmp)
        raise IctpError(
            f"export from {db} failed: {one_line(e, 2000)}; the previous exports are "
            "unchanged (run `ictp build` if the database predates this version)"
        ) from None
    finally:
        con.close()
    crash.point("export.before_switch")
    _swap_in(tmp, out)
    for x in left_out:
        log.info(
            "left out %s: %d rows from %s (%s)", x["series"], x["rows"], x["source"], x["licence"]
        )
    return {
        "directory": str(out),
        "files": sorted(p.name for p in out.iterdir()),
        "synthetic": any(s["synthetic"] for s in series),
        "redistributable": redistributable,
        "left_out": left_out,
    }


def _write_series(
    con: duckdb.DuckDBPyConnection, folder: Path, table: str, s: dict, out: Path
) -> list[dict]:
    sid = s["series"]
    params = {"table": table, "series": sid}
    sql.query(con, folder / "macros.sql")
    long_path = paths.inside(out, out / f"{sid}.csv")
    sql.query(con, folder / "long.sql", {**params, "path": str(long_path)})
    years = s["years"]
    wide_path = paths.inside(out, out / f"{sid}_wide.csv")
    year_columns = ", ".join(f'by_year[{int(y)}] as "{int(y)}"' for y in years)
    sql.execute(
        con,
        sql.text(folder / "wide.sql").replace("{year_columns}", year_columns),
        {**params, "path": str(wide_path)},
    )
    title = s["name"] + (" (SYNTHETIC DEMO DATA)" if s["synthetic"] else "")
    common = {
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": _licences(s),
        "sources": _sources(s),
        "ictp": {
            "series": sid,
            "unit": s["unit"],
            "sources": [x["source"] for x in s["sources"]],
            "source_codes": {x["source"]: x["source_code"] for x in s["sources"]},
            "vintage": {x["source"]: x["vintage"] for x in s["sources"]},
            "synthetic": s["synthetic"],
        },
    }
    value_desc = f"{s['name']}, in {s['unit']}."
    long_fields = [_field(n, t, value_desc if n == "value" else d) for n, t, d in LONG_FIELDS]
    wide_fields = (
        [_field(n, t, d) for n, t, d in WIDE_FIELDS]
        + [_field(str(y), "number", f"{s['name']} in {y}, in {s['unit']}.") for y in years]
        + [_field(n, t, d) for n, t, d in WIDE_TAIL]
    )
    return [
        {
            "name": sid.replace("_", "-"),
            "path": long_path.name,
            "title": title,
            "description": f"{s['definition']} One row per economy and year; countries only. "
            f"{s['rows']} rows, {s['economies']} economies. Each row names its source; the sources' "
            "licences and attribution are below and in sources.csv.",
            **common,
            "schema": {"fields": long_fields, "primaryKey": ["economy", "year"]},
        },
        {
            "name": f"{sid}-wide".replace("_", "-"),
            "path": wide_path.name,
            "title": f"{title}, one column per year",
            "description": f"{s['definition']} One row per economy, one column per year; "
            "empty = no value. Countries only.",
            **common,
            "schema": {"fields": wide_fields, "primaryKey": ["economy"]},
        },
    ]


def _datapackage(series: list[dict], resources: list[dict], redistributable: bool) -> dict:
    synthetic = any(s["synthetic"] for s in series)
    licences, sources = _all_terms(series)
    doc = {
        "profile": "tabular-data-package",
        "name": "ictp-ict-indicators" + ("-synthetic-demo" if synthetic else ""),
        "title": "ICT indicators extracted by ictp"
        + (" (SYNTHETIC DEMO DATA, not real statistics)" if synthetic else ""),
        "description": (
            "Country-level ICT indicators validated and built by ictp. Each resource carries "
            "the licences and attribution of the sources its rows come from (every row names "
            "its source; sources.csv lists each source's terms); keep them with the data."
            + (
                " Only figures whose licence allows commercial use (--redistributable)."
                if redistributable
                else ""
            )
            + (
                " THESE FIGURES ARE SYNTHETIC: generated by `ictp demo` to show the pipeline; "
                "they are not published statistics."
                if synthetic
                else ""
            )
        ),
        "licenses": licences,
        "sources": sources,
        "ictp": {"synthetic": synthetic, "redistributable": redistributable},
        "resources": resources,
    }
    return doc


SYNTHETIC_LICENCE = {
    "name": "CC0-1.0",
    "title": "Synthetic demo data generated by ictp: no rights reserved, and no real statistics",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}
SYNTHETIC_SOURCE = {
    "title": "SYNTHETIC data generated by `ictp demo` in the World Bank API and ITU DataHub "
    "formats; not published by the World Bank, ITU or anyone else",
}
SYNTHETIC_TERMS = {  # the parameters of sources.sql and the workbook's notes
    "synthetic_licence": SYNTHETIC_LICENCE["name"],
    "synthetic_licence_url": SYNTHETIC_LICENCE["path"],
    "synthetic_source": SYNTHETIC_SOURCE["title"],
}
SOURCES_CSV = "sources.csv"


def _licences(s: dict) -> list[dict]:
    if s["synthetic"]:
        return [SYNTHETIC_LICENCE]
    unique = {(x["licence"], x["licence_title"], x["licence_url"]): None for x in s["sources"]}
    return [{"name": n, "title": t, "path": p} for n, t, p in unique]


def _sources(s: dict) -> list[dict]:
    if s["synthetic"]:
        return [SYNTHETIC_SOURCE]
    return [
        {"title": x["attribution"], **({"path": x["homepage"]} if x["homepage"] else {})}
        for x in s["sources"]
    ]


def _all_terms(series: list[dict]) -> tuple[list[dict], list[dict]]:
    """Every licence and every source of the exported series, each once."""
    licences = {json.dumps(x, sort_keys=True) for s in series for x in _licences(s)}
    sources = {json.dumps(x, sort_keys=True) for s in series for x in _sources(s)}
    return [json.loads(x) for x in sorted(licences)], [json.loads(x) for x in sorted(sources)]


def _sources_resource(series: list[dict]) -> dict:
    licences, sources = _all_terms(series)
    return {
        "name": "sources",
        "path": SOURCES_CSV,
        "title": "Sources of the exported figures, with their licences and attribution",
        "description": "One row per source with figures in these files: its licence, licence "
        "URL, attribution and whether the licence allows commercial use. Every row of the "
        "series files names its source.",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": licences,
        "sources": sources,
        "ictp": {"synthetic": any(s["synthetic"] for s in series)},
        "schema": {
            "fields": [_field(n, t, d) for n, t, d in SOURCE_FIELDS],
            "primaryKey": ["source"],
        },
    }


def _field(name: str, typ: str, description: str) -> dict:
    return {"name": name, "type": typ, "description": description}


def _swap_in(new: Path, out: Path) -> None:
    """Make `new` the set `out` shows, in one rename of a link (pipeline/generation.py): a
    reader sees the old set or the new one, never a mix and never none."""
    generation.switch(new, out)

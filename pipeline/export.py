"""Export: CSV extracts of the built database and a datapackage.json describing them.

Per series: `<series>.csv` (long: one row per economy-year) and `<series>_wide.csv` (one row per
economy, one column per year). Countries only; UTF-8; sorted; no timestamps inside, so the same
database gives byte-identical files. The new set replaces the old one only when complete.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from pipeline.errors import IctpError
from pipeline.runs import Run
from pipeline.settings import Settings

LONG_FIELDS = [
    (
        "economy",
        "string",
        "ISO 3166-1 alpha-3 code (World Bank code where ISO has none: XKX, CHI).",
    ),
    ("economy_name", "string", "Economy name (World Bank)."),
    ("region", "string", "World Bank region."),
    ("income_group", "string", "World Bank income group."),
    ("year", "integer", "Reference year."),
    ("value", "number", "The figure, in unit."),
    ("unit", "string", "Unit of value."),
    ("source", "string", "Source id (worldbank, itu, file:<name>)."),
    ("source_code", "string", "The source's own code for the series."),
    (
        "obs_status",
        "string",
        "The source's flag for the figure (estimate, break...); empty if none.",
    ),
    ("vintage", "date", "When the source last updated the series."),
]
# Whole numbers (counts, population, zeros) print without a trailing ".0"; others as the
# shortest text that reads back to the same double.
NUMBER_TEXT = (
    "case when {col} = trunc({col}) and abs({col}) < 1e15 "
    "then cast(cast({col} as bigint) as varchar) else cast({col} as varchar) end"
)
WIDE_FIELDS = [
    ("economy", "string", "ISO 3166-1 alpha-3 code (World Bank code where ISO has none)."),
    ("economy_name", "string", "Economy name (World Bank)."),
]


def export(settings: Settings, run: Run) -> dict:
    db = settings.db_path
    if not db.exists():
        raise IctpError(f"no database at {db}: run `ictp build` first (or `ictp run`)")
    out = settings.exports_dir
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        series = _series(con)
        resources = []
        for s in series:
            resources += _write_series(con, s, tmp)
        package = _datapackage(series, resources)
        (tmp / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except duckdb.Error as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise IctpError(
            f"export from {db} failed: {e}; the previous exports are unchanged"
        ) from None
    finally:
        con.close()
    _swap_in(tmp, out)
    result = {
        "directory": str(out),
        "files": sorted(p.name for p in out.iterdir()),
        "synthetic": any(s["synthetic"] for s in series),
    }
    run.record("export", result)
    return result


def _series(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cur = con.execute(
        """
        select s.series, s.name, s.unit, s.definition, s.source, s.source_code, s.licence,
               s.licence_url, s.attribution, cast(s.vintage as varchar) as vintage, s.synthetic,
               src.licence_title, src.name as source_name, src.homepage
        from series s
        join input.catalog_sources src using (source)
        where exists (select 1 from indicator_values v where v.series = s.series)
        order by s.series, s.source
        """
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _write_series(con: duckdb.DuckDBPyConnection, s: dict, out: Path) -> list[dict]:
    sid = s["series"]
    long_path = out / f"{sid}.csv"
    columns = ", ".join(
        f"{NUMBER_TEXT.format(col=n)} as value" if n == "value" else f'"{n}"'
        for n, _t, _d in LONG_FIELDS
    )
    con.execute(
        f"""
        copy (
            select {columns}
            from indicator_values where series = $series
            order by economy, "year", source
        ) to '{_q(long_path)}' (header, delimiter ',')
        """,
        {"series": sid},
    )
    years = [
        r[0]
        for r in con.execute(
            'select distinct "year" from indicator_values where series = $s order by 1',
            {"s": sid},
        ).fetchall()
    ]
    wide_path = out / f"{sid}_wide.csv"
    year_cols = ", ".join(
        NUMBER_TEXT.format(col=f'max(value) filter (where "year" = {y})') + f' as "{y}"'
        for y in years
    )
    con.execute(
        f"""
        copy (
            select economy, economy_name, {year_cols}
            from indicator_values where series = $series
            group by economy, economy_name
            order by economy
        ) to '{_q(wide_path)}' (header, delimiter ',')
        """,
        {"series": sid},
    )
    rows = con.execute(
        "select count(*), count(distinct economy) from indicator_values where series = $s",
        {"s": sid},
    ).fetchone()
    title = s["name"] + (" (SYNTHETIC DEMO DATA)" if s["synthetic"] else "")
    common = {
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": [_licence(s)],
        "sources": [_source(s)],
        "ictp": {
            "series": sid,
            "unit": s["unit"],
            "source_code": s["source_code"],
            "vintage": s["vintage"],
            "synthetic": s["synthetic"],
        },
    }
    value_desc = f"{s['name']}, in {s['unit']}."
    long_fields = [_field(n, t, value_desc if n == "value" else d) for n, t, d in LONG_FIELDS]
    wide_fields = [_field(n, t, d) for n, t, d in WIDE_FIELDS] + [
        _field(str(y), "number", f"{s['name']} in {y}, in {s['unit']}.") for y in years
    ]
    return [
        {
            "name": sid.replace("_", "-"),
            "path": long_path.name,
            "title": title,
            "description": f"{s['definition']} One row per economy and year; countries only. "
            f"{rows[0]} rows, {rows[1]} economies.",
            **common,
            "schema": {"fields": long_fields, "primaryKey": ["economy", "year", "source"]},
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


def _datapackage(series: list[dict], resources: list[dict]) -> dict:
    synthetic = any(s["synthetic"] for s in series)
    licences = {json.dumps(_licence(s), sort_keys=True) for s in series}
    sources = {
        json.dumps(
            SYNTHETIC_SOURCE
            if s["synthetic"]
            else {"title": s["source_name"], "path": s["homepage"]},
            sort_keys=True,
        )
        for s in series
    }
    doc = {
        "profile": "tabular-data-package",
        "name": "ictp-ict-indicators" + ("-synthetic-demo" if synthetic else ""),
        "title": "ICT indicators extracted by ictp"
        + (" (SYNTHETIC DEMO DATA, not real statistics)" if synthetic else ""),
        "description": (
            "Country-level ICT indicators validated and built by ictp. Each resource carries "
            "its own licence and attribution; keep them with the data."
            + (
                " THESE FIGURES ARE SYNTHETIC: generated by `ictp demo` to show the pipeline; "
                "they are not published statistics."
                if synthetic
                else ""
            )
        ),
        "licenses": [json.loads(x) for x in sorted(licences)],
        "sources": [json.loads(x) for x in sorted(sources)],
        "ictp": {"synthetic": synthetic},
        "resources": resources,
    }
    return doc


SYNTHETIC_LICENCE = {
    "name": "CC0-1.0",
    "title": "Synthetic demo data generated by ictp: no rights reserved, and no real statistics",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}
SYNTHETIC_SOURCE = {
    "title": "SYNTHETIC data generated by `ictp demo` in the World Bank API format; "
    "not published by the World Bank or anyone else",
    "path": "",
}


def _licence(s: dict) -> dict:
    if s["synthetic"]:
        return SYNTHETIC_LICENCE
    return {"name": s["licence"], "title": s["licence_title"], "path": s["licence_url"]}


def _source(s: dict) -> dict:
    return (
        SYNTHETIC_SOURCE if s["synthetic"] else {"title": s["attribution"], "path": s["homepage"]}
    )


def _field(name: str, typ: str, description: str) -> dict:
    return {"name": name, "type": typ, "description": description}


def _swap_in(new: Path, out: Path) -> None:
    """Replace `out` by `new` so that a reader sees the old set or the new one, never a mix."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    shutil.rmtree(old, ignore_errors=True)


def _q(path: Path) -> str:
    return str(path).replace("'", "''")

"""Export: CSV extracts of the built database and a datapackage.json describing them.

Per series: `<series>.csv` (long: one row per economy-year) and `<series>_wide.csv` (one row per
economy, one column per year). Countries only; UTF-8; sorted; no timestamps inside, so the same
database gives byte-identical files. The new set replaces the old one only when complete.

Licences differ by source, and one series' rows can come from several sources, so every row
carries its licence and attribution as columns (`licence`, `attribution`): the terms travel
with the data in any CSV reader, with no comment lines to skip. datapackage.json repeats them
per file. `--redistributable` leaves out figures whose licence forbids commercial use.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import duckdb

from pipeline import fingerprint
from pipeline.errors import IctpError
from pipeline.runs import Run
from pipeline.settings import Settings
from pipeline.store import on_cursors

log = logging.getLogger(__name__)

LONG_FIELDS = [
    (
        "economy",
        "string",
        "ISO 3166-1 alpha-3 code (World Bank code where ISO has none: XKX, CHI).",
    ),
    ("economy_name", "string", "Economy name (the World Bank's, else ITU's, else ISO's)."),
    ("region", "string", "World Bank region."),
    ("income_group", "string", "World Bank income group."),
    ("itu_region", "string", "ITU region."),
    ("year", "integer", "Reference year."),
    ("value", "number", "The figure, in unit."),
    ("unit", "string", "Unit of value."),
    ("source", "string", "Source id (worldbank, itu, file:<name>): where the figure comes from."),
    ("source_code", "string", "The source's own code for the series."),
    ("obs_status", "string", "The source's flag for the figure (E = estimate); empty if none."),
    ("note", "string", "The source's footnote for the figure; empty if none."),
    ("source_note", "string", "Who produced the figure, as the source says; empty if none."),
    ("vintage", "date", "When the source last updated the series."),
    ("licence", "string", "Licence of the figure (its source's): keep it with the data."),
    ("attribution", "string", "Credit line for the figure: keep it with the data."),
]
# Whole numbers (counts, population, zeros) print without a trailing ".0"; others as the
# shortest text that reads back to the same double.
NUMBER_TEXT = (
    "case when {col} = trunc({col}) and abs({col}) < 1e15 "
    "then cast(cast({col} as bigint) as varchar) else cast({col} as varchar) end"
)
WIDE_FIELDS = [
    ("economy", "string", "ISO 3166-1 alpha-3 code (World Bank code where ISO has none)."),
    ("economy_name", "string", "Economy name."),
]
WIDE_TAIL = [
    ("sources", "string", "The sources of the row's figures (;-separated)."),
    ("licence", "string", "The licences of the row's figures (;-separated): keep with the data."),
    ("attribution", "string", "Credit lines for the row's figures: keep them with the data."),
]
TABLES = {False: "indicator_values", True: "indicator_values_redistributable"}
# Series written at once, each on its own cursor: a sort and a CSV write each have serial parts,
# so overlapping them keeps both cores busy (5M rows: 13.2 s one at a time, 8.1 s two, 7.3 s four).
WORKERS = 4


def export(settings: Settings, run: Run, redistributable: bool = False) -> dict:
    """Write the extracts from `indicator_values` (or, with `redistributable`, only figures
    whose licence allows commercial use, from `indicator_values_redistributable`)."""
    db = settings.db_path
    if not db.exists():
        raise IctpError(f"no database at {db}: run `ictp build` first (or `ictp run`)")
    out = settings.exports_dir
    k = fingerprint.key(fingerprint.code(), fingerprint.stamp(db), redistributable)
    outputs = [out / "datapackage.json"]
    if (before := fingerprint.unchanged(settings, "export", k, outputs)) is not None:
        result = {**before, "skipped": "the database and code are unchanged"}
        run.record("export", result)
        return result
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    table = TABLES[redistributable]
    con = duckdb.connect(str(db), read_only=True)
    try:
        series = _series(con, table)
        written = on_cursors(con, lambda cur, s: _write_series(cur, table, s, tmp), series, WORKERS)
        resources = [r for pair in written for r in pair]
        from pipeline.composites import export_composites

        resources += export_composites(con, tmp, redistributable)[0]
        package = _datapackage(series, resources, redistributable)
        (tmp / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        left_out = _left_out(con) if redistributable else []
    except duckdb.Error as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise IctpError(
            f"export from {db} failed: {' '.join(str(e).split())}; the previous exports are "
            "unchanged (run `ictp build` if the database predates this version)"
        ) from None
    finally:
        con.close()
    _swap_in(tmp, out)
    for x in left_out:
        log.info(
            "left out %s: %d rows from %s (%s)", x["series"], x["rows"], x["source"], x["licence"]
        )
    result = {
        "directory": str(out),
        "files": sorted(p.name for p in out.iterdir()),
        "synthetic": any(s["synthetic"] for s in series),
        "redistributable": redistributable,
        "left_out": left_out,
    }
    fingerprint.remember(settings, "export", k, result, outputs)
    run.record("export", result)
    return result


def _series(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    """One entry per exported series, with every source (and licence) its rows come from."""
    cur = con.execute(
        f"""
        select s.series, any_value(s.name) as name, any_value(s.unit) as unit,
               any_value(s.definition) as definition, bool_or(s.synthetic) as synthetic,
               list({{'source': s.source, 'source_code': s.source_code,
                     'licence': s.licence, 'licence_url': s.licence_url,
                     'licence_title': src.licence_title, 'attribution': s.attribution,
                     'homepage': src.homepage, 'vintage': cast(s.vintage as varchar)}}
                    order by s.precedence, s.source) as sources
        from series s
        join input.catalog_sources src using (source)
        where exists (select 1 from {table} v where v.series = s.series and v.source = s.source)
        group by s.series
        order by s.series
        """
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _left_out(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Country rows of sources whose licence forbids commercial use: what --redistributable
    leaves out (their economy-years appear only where another source has a figure)."""
    rows = con.execute(
        """
        select o.series, o.source, s.licence, count(*)
        from observations o
        join economies e on e.iso3 = o.economy and not e.is_aggregate
        join series s on s.series = o.series and s.source = o.source
        where not s.commercial_use
        group by all order by all
        """
    ).fetchall()
    return [{"series": a, "source": b, "licence": c, "rows": n} for a, b, c, n in rows]


# Per row: the figure's licence and attribution, or the synthetic ones for demo data.
ROW_TERMS = {
    "licence": "case when s.synthetic then $syn_licence else v.licence end",
    "attribution": "case when s.synthetic then $syn_source else v.attribution end",
}


def _write_series(con: duckdb.DuckDBPyConnection, table: str, s: dict, out: Path) -> list[dict]:
    sid = s["series"]
    params = {
        "series": sid,
        "syn_licence": SYNTHETIC_LICENCE["name"],
        "syn_source": SYNTHETIC_SOURCE["title"],
    }
    rows_sql = (
        f"from {table} v join series s on s.series = v.series and s.source = v.source "
        "where v.series = $series"
    )
    long_path = out / f"{sid}.csv"
    columns = ", ".join(
        f"{NUMBER_TEXT.format(col='v.value')} as value"
        if n == "value"
        else f'{ROW_TERMS[n]} as "{n}"'
        if n in ROW_TERMS
        else f'v."{n}"'
        for n, _t, _d in LONG_FIELDS
    )
    con.execute(
        f"""
        copy (
            select {columns} {rows_sql}
            order by v.economy, v."year", v.source
        ) to '{_q(long_path)}' (header, delimiter ',')
        """,
        params,
    )
    years = [
        r[0]
        for r in con.execute(
            f'select distinct "year" from {table} where series = $s order by 1', {"s": sid}
        ).fetchall()
    ]
    wide_path = out / f"{sid}_wide.csv"
    # one figure per economy and year: formatted once, gathered into a map, read per year column
    year_cols = ", ".join(f'by_year[{y}] as "{y}"' for y in years)
    tail = ", ".join(
        f"string_agg(distinct {name}, '; ' order by {name}) as {name}"
        for name in ("source", *ROW_TERMS)
    )
    terms = ", ".join(f"{expr} as {name}" for name, expr in ROW_TERMS.items())
    con.execute(
        f"""
        copy (
            with r as (
                select v.economy, v.economy_name, v."year", v.source, {terms},
                       {NUMBER_TEXT.format(col="v.value")} as value_text
                {rows_sql}
            ), g as (
                select economy, economy_name,
                       map_from_entries(list(("year", value_text))) as by_year,
                       {tail.replace(" as source", " as sources")}
                from r
                group by economy, economy_name
            )
            select economy, economy_name, {year_cols}, sources, {", ".join(ROW_TERMS)}
            from g
            order by economy
        ) to '{_q(wide_path)}' (header, delimiter ',')
        """,
        params,
    )
    rows = con.execute(
        f"select count(*), count(distinct economy) from {table} where series = $s", {"s": sid}
    ).fetchone()
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
            f"{rows[0]} rows, {rows[1]} economies. Each row names its source, licence and "
            "attribution.",
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
    licences = {json.dumps(x, sort_keys=True) for s in series for x in _licences(s)}
    sources = {json.dumps(x, sort_keys=True) for s in series for x in _sources(s)}
    doc = {
        "profile": "tabular-data-package",
        "name": "ictp-ict-indicators" + ("-synthetic-demo" if synthetic else ""),
        "title": "ICT indicators extracted by ictp"
        + (" (SYNTHETIC DEMO DATA, not real statistics)" if synthetic else ""),
        "description": (
            "Country-level ICT indicators validated and built by ictp. Each resource, and each "
            "row (licence and attribution columns), carries its own licence and attribution; "
            "keep them with the data."
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
        "licenses": [json.loads(x) for x in sorted(licences)],
        "sources": [json.loads(x) for x in sorted(sources)],
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
    "path": "",
}


def _licences(s: dict) -> list[dict]:
    if s["synthetic"]:
        return [SYNTHETIC_LICENCE]
    unique = {(x["licence"], x["licence_title"], x["licence_url"]): None for x in s["sources"]}
    return [{"name": n, "title": t, "path": p} for n, t, p in unique]


def _sources(s: dict) -> list[dict]:
    if s["synthetic"]:
        return [SYNTHETIC_SOURCE]
    return [{"title": x["attribution"], "path": x["homepage"]} for x in s["sources"]]


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

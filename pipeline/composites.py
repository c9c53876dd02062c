"""Composite indices on a built database: the stage models, uncertainty runs, exports.

The statistics are the SQL models of sql/build/4_composites/ (one table per stage, then the
marts: scores, components, missing inputs, audit, rank intervals, the provider's scores); the
build runs them after the marts with no uncertainty runs (`NOMINAL`), this module runs them
again for uncertainty runs, and writes the composites' CSV files into an export (their SQL:
sql/export/composite_*.sql).
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline import column_docs, paths, sql
from pipeline.errors import IctpError

log = logging.getLogger(__name__)

LAYER = Path("build") / "4_composites"
SPEC_EDITIONS = Path("queries") / "composites" / "spec_editions.sql"


def uncertainty(
    runs: int = 0, seed: int = 0, name: str | None = None, edition: int | None = None
) -> dict:
    """The parameters sql/build/4_composites/00_composite_runs.sql reads (0 runs: the nominal
    index only)."""
    return {
        "uncertainty_runs": runs,
        "uncertainty_seed": seed,
        "uncertainty_composite": name,
        "uncertainty_edition": edition,
    }


NOMINAL = uncertainty()


def run_models(con: duckdb.DuckDBPyConnection, sql_dir: Path, params: dict = NOMINAL) -> dict:
    """Run the composite stages and marts on a connection that has the built tables
    (intermediate.int_country_values, economies) and the spec tables (input.composite_*);
    return the seconds each model took."""
    folder = Path(sql_dir) / LAYER
    if not sql.files_in(folder):
        raise IctpError(f"no composite SQL models under {folder} (ICTP_SQL_DIR?)")
    try:
        return sql.run_folder(con, folder, params)
    except IctpError as e:
        raise IctpError(f"{e}; fix the model or the composite spec and run again") from None


def run_uncertainty(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    name: str,
    runs: int,
    seed: int = 0,
    edition: int | None = None,
) -> int:
    """Re-run the composite models with `runs` Monte Carlo runs of composite `name` (its latest
    edition unless given): composite_rank_intervals then holds the results. Returns the edition."""
    found = sql.query(con, Path(sql_dir) / SPEC_EDITIONS, {"composite": name}).fetchall()
    editions = [r[0] for r in found]
    if not editions:
        raise IctpError(f"no composite {name!r} in the database: `ictp composite list` lists them")
    if edition is None:
        edition = editions[-1]
    elif edition not in editions:
        raise IctpError(f"composite {name!r} has no edition {edition} (it has {editions})")
    if runs < 1:
        raise IctpError(f"--uncertainty needs a number of runs >= 1, not {runs}")
    run_models(con, sql_dir, uncertainty(runs, seed, name, edition))
    return edition


# ---------------------------------------------------------------- export

# The CSV files' fields (name, frictionless type, description): sql/build/3_marts/columns.yml
SCORE_FIELDS = column_docs.export_fields("composite_scores")
COMPONENT_FIELDS = column_docs.export_fields("composite_components")
KINDS = {"scores": SCORE_FIELDS, "components": COMPONENT_FIELDS}


# What makes a row of each composite file unique: one per edition, country and node (scores),
# or edition, country and indicator (components)
PRIMARY_KEYS = {
    "scores": ["edition", "economy", "node"],
    "components": ["edition", "economy", "indicator"],
}


def export_composites(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    redistributable: bool = False,
    folder: Path = column_docs.SQL_DIR / "export",
) -> tuple[list[dict], list[dict]]:
    """Write composite_<name>_scores.csv and composite_<name>_components.csv for every
    composite with input data into `out` (the SQL: `folder`/composite_*.sql); return
    (datapackage resources, composites left out). With `redistributable`, a composite is left
    out when a source of one of its input series forbids commercial use (its components carry
    those figures)."""
    resources, left_out = [], []
    for spec in sql.rows(con, folder / "composite_specs.sql"):
        name = spec["composite"]
        terms = sql.rows(con, folder / "composite_terms.sql", {"composite": name})
        if not terms:
            left_out.append({"composite": name, "why": "none of its input series has data"})
            continue
        if redistributable and any(t["commercial_use"] is False for t in terms):
            left_out.append({"composite": name, "why": "an input's licence forbids commercial use"})
            continue
        for kind, fields in KINDS.items():
            path = paths.inside(out, Path(out) / f"composite_{name}_{kind}.csv")
            sql.query(con, folder / f"composite_{kind}.sql", {"composite": name, "path": str(path)})
            resources.append(_resource(spec, kind, fields, path, terms))
    return resources, left_out


def _resource(spec: dict, kind: str, fields: list, path: Path, terms: list[dict]) -> dict:
    """The datapackage resource of one composite CSV file."""
    name, unconfirmed = spec["composite"], spec["unconfirmed"]
    synthetic = any(t["synthetic"] for t in terms)
    rows = (
        "one row per edition, country and node."
        if kind == "scores"
        else "one row per edition, country and indicator: the drill-down."
    )
    return {
        "name": f"composite-{name}-{kind}".replace("_", "-"),
        "path": path.name,
        "title": f"{spec['label']}: {kind}" + (" (SYNTHETIC DEMO DATA)" if synthetic else ""),
        "description": (
            f"Composite {name} (editions {', '.join(map(str, spec['editions']))}), {rows}"
            + (" Unconfirmed goalposts: not ITU's figures." if unconfirmed else "")
        ),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **_terms(terms),
        "ictp": {"composite": name, "goalposts_confirmed": not unconfirmed, "synthetic": synthetic},
        "schema": {
            "fields": [{"name": f, "type": t, "description": d} for f, t, d in fields],
            "primaryKey": PRIMARY_KEYS[kind],
        },
    }


def _terms(terms: list[dict]) -> dict:
    from pipeline.export import SYNTHETIC_LICENCE, SYNTHETIC_SOURCE

    if any(t["synthetic"] for t in terms):
        return {"licenses": [SYNTHETIC_LICENCE], "sources": [SYNTHETIC_SOURCE]}
    return {
        "licenses": _unique({"name": t["licence"], "path": t["licence_url"]} for t in terms),
        "sources": _unique(
            {"title": t["attribution"], "path": ""} for t in terms if t["attribution"]
        ),
    }


def _unique(items) -> list[dict]:
    seen = {}
    for x in items:
        seen.setdefault(tuple(sorted(x.items())), x)
    return list(seen.values())


# ---------------------------------------------------------------- provider scores

PROVIDER_TABLE = Path("build") / "provider_composite_scores.sql"
PROVIDER_ADD = Path("build") / "provider_composite_scores_add.sql"
PROVIDER_SCORES = "provider_composite_scores.parquet"  # validate writes it (sources/itu_idi.py)


def load_provider_scores_into(
    con: duckdb.DuckDBPyConnection, tables_dir: Path, sql_dir: Path = column_docs.SQL_DIR
) -> int:
    """input.provider_composite_scores from validate's provider_composite_scores.parquet (ITU's
    published IDI scores, pipeline/sources/itu_idi.py), empty when there is none. Returns its
    rows."""
    sql.query(con, Path(sql_dir) / PROVIDER_TABLE)
    path = Path(tables_dir) / PROVIDER_SCORES
    if not path.exists():
        return 0
    return sql.query(con, Path(sql_dir) / PROVIDER_ADD, {"path": str(path)}).fetchone()[0]

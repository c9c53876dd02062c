"""Composite indices on a built database: the stage models, uncertainty runs, exports.

The statistics are the SQL models in sql/composites/ (one table per stage, then the marts:
scores, components, missing inputs, audit, rank intervals); the build runs them after the
marts, and this module runs them again for uncertainty runs, and writes the composites' CSV
files into an export.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline.errors import IctpError

log = logging.getLogger(__name__)

LAYER = "composites"
RUN_VARIABLES = ("runs", "seed", "name", "edition")


def model_files(sql_dir: Path) -> list[Path]:
    """The composite stages and marts, in name order (the build runs them after the marts)."""
    return sorted((Path(sql_dir) / LAYER).glob("*.sql"))


def run_models(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> None:
    """Run the composite stages and marts on a connection that has the built tables
    (intermediate.int_country_values, economies) and the spec tables (input.composite_*)."""
    files = model_files(sql_dir)
    if not files:
        raise IctpError(f"no composite SQL models under {Path(sql_dir) / LAYER} (ICTP_SQL_DIR?)")
    for f in files:
        try:
            con.execute(f.read_text(encoding="utf-8"))
        except duckdb.Error as e:
            raise IctpError(
                f"SQL model {f} failed: {' '.join(str(e).split())[:400]}; fix the model or the "
                "composite spec and run again"
            ) from None


def set_runs(
    con: duckdb.DuckDBPyConnection,
    runs: int = 0,
    seed: int = 0,
    name: str | None = None,
    edition: int | None = None,
) -> None:
    """The variables sql/composites/00_composite_runs.sql reads (0 runs: the nominal index)."""
    values = {"runs": runs, "seed": seed, "name": name, "edition": edition}
    for k in RUN_VARIABLES:
        if values[k] is None:
            con.execute(f"reset variable composite_uncertainty_{k}")
        else:
            con.execute(f"set variable composite_uncertainty_{k} = ?", [values[k]])


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
    editions = [
        r[0]
        for r in con.execute(
            "select edition from input.composite_specs where composite = ? order by edition",
            [name],
        ).fetchall()
    ]
    if not editions:
        raise IctpError(f"no composite {name!r} in the database: `ictp composite list` lists them")
    if edition is None:
        edition = editions[-1]
    elif edition not in editions:
        raise IctpError(f"composite {name!r} has no edition {edition} (it has {editions})")
    if runs < 1:
        raise IctpError(f"--uncertainty needs a number of runs >= 1, not {runs}")
    set_runs(con, runs, seed, name, edition)
    try:
        run_models(con, sql_dir)
    finally:
        set_runs(con)
    return edition

"""Build: run the sql/build/ models into a new DuckDB file; replace ict.duckdb only if all succeed.

load: the Parquet files `ictp validate` stored (and the kept vintages' files), the catalog
      (as input.* tables, the composite specs too), ITU's published composite scores where pulled
process: sql/build/1_staging, 2_intermediate, 3_marts, 4_composites (layer by layer, files
         in name order: a file is one model; the composites with no uncertainty runs), then
         9_checks (a query returning the rows that break a rule, kept as qa.<name>: empty
         means pass); the published tables' descriptions from sql/build/3_marts/columns.yml
         (COMMENT ON, pipeline/column_docs.py)
save: the new database, renamed over ict.duckdb
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import duckdb

from pipeline import column_docs, composites, crash, diskfull, fingerprint, sql, vintages
from pipeline.catalog import Catalog, load_composites_into, load_core_into
from pipeline.errors import IctpError, one_line
from pipeline.runs import Run
from pipeline.settings import Settings
from pipeline.step import run_step

log = logging.getLogger(__name__)

CHECKS = "9_checks"
INPUTS = (
    "observations",
    "quarantine",
    "warnings",
    "economies",
    "corrections",
    "vintages",
    "series_status",
)
# The staging model that reads the kept vintages' files, and what stands in for it when there
# are none yet (DuckDB reads no empty list of files).
VINTAGE_ROWS = "stg_ictp__vintage_observations"
NO_VINTAGES = "no_vintages.sql"


def model_files(settings: Settings) -> list[Path]:
    """The build's models in run order; with no vintage kept yet, the one that reads the
    vintages' files replaced by its stand-in."""
    folder = settings.sql_dir / "build"
    files = [f for f in sql.files_in(folder) if f.parent != folder]
    if not files:
        raise IctpError(f"no SQL models under {folder}/ (ICTP_SQL_DIR?)")
    if not vintages.files(settings.processed_dir):
        files = [folder / NO_VINTAGES if sql.name_of(f) == VINTAGE_ROWS else f for f in files]
    return files


def set_up(con: duckdb.DuckDBPyConnection, settings: Settings) -> Path:
    """setup.sql on `con`: the build's variables, with the tables' current generation resolved
    so the build reads one set. Returns that generation's folder."""
    processed, tables = settings.processed_dir.resolve(), settings.tables_dir.resolve()
    sql.query(
        con,
        settings.sql_dir / "build" / "setup.sql",
        {
            "processed_dir": str(processed),
            "tables_dir": str(tables),
            "vintage_files": [str(f) for f in vintages.files(processed)],
        },
    )
    return tables


def run(settings: Settings, catalog: Catalog, manifest: Run) -> dict:
    tables = settings.tables_dir
    missing = [n for n in INPUTS if not (tables / f"{n}.parquet").exists()]
    if missing:
        raise IctpError(
            f"{tables} has no {', '.join(m + '.parquet' for m in missing)}: "
            "run `ictp validate` first (or `ictp run`)"
        )
    folder = settings.sql_dir / "build"
    files = model_files(settings)
    return run_step(
        settings,
        manifest,
        "build",
        [
            fingerprint.tree(folder),
            fingerprint.tree(settings.catalog_dir),
            [fingerprint.stamp(tables / f"{n}.parquet") for n in INPUTS],
            fingerprint.stamp(tables / composites.PROVIDER_SCORES),  # ITU's IDI, when pulled
        ],
        [settings.db_path],
        "the stored tables, SQL, catalog and code are unchanged",
        lambda: _build(settings, catalog, folder, files),
    )


def _build(settings: Settings, catalog: Catalog, folder: Path, files: list[Path]) -> dict:
    tmp = settings.db_path.with_name(f".{settings.db_path.name}.tmp-{os.getpid()}")
    _remove(tmp)
    con = duckdb.connect(str(tmp), config={"memory_limit": settings.memory_limit})
    check_rows: dict[str, int] = {}
    seconds: dict[str, float] = {}
    try:
        tables = set_up(con, settings)
        catalog.load_into(con, "input")
        load_core_into(con, catalog.dir, "input")
        load_composites_into(con, catalog.dir, "input")
        composites.load_provider_scores_into(con, tables, settings.sql_dir)
        for f in files:
            started = time.perf_counter()
            if f.parent.name == CHECKS:
                name = sql.run_model(con, f, schema="qa")
                check_rows[f.stem] = con.table(name).count("*").fetchall()[0][0]
            else:
                try:
                    sql.run_model(con, f, composites.NOMINAL)
                except IctpError as e:
                    raise IctpError(
                        f"{e}. The previous database is unchanged; fix the model and run "
                        "`ictp build` again"
                    ) from None
            seconds[f"{f.parent.name}/{f.name}"] = round(time.perf_counter() - started, 3)
            crash.point(f"build.after:{f.parent.name}/{f.name}")
        column_docs.apply(con, settings.sql_dir)
        for (statement,) in sql.query(con, folder / "drop_build_views.sql").fetchall():
            con.execute(statement)
        built = sql.rows(con, folder / "built.sql")
        con.execute("checkpoint")
        con.close()
        crash.point("build.before_rename")
        os.replace(tmp, settings.db_path)
    except (duckdb.Error, OSError) as e:
        diskfull.raise_if_full(e, tmp)
        raise IctpError(
            f"the build failed: {one_line(e)}. The previous database is unchanged"
        ) from None
    finally:
        con.close()
        _remove(tmp)
    failed = {k: v for k, v in check_rows.items() if v}
    for name, n in failed.items():
        log.warning("check %s: %d rows break the rule (see qa.%s)", name, n, name)
    return {
        "database": str(settings.db_path),
        "bytes": settings.db_path.stat().st_size,
        "models": len([f for f in files if f.parent.name != CHECKS]),
        "tables": [b["name"] for b in built if b["kind"] == "table"],
        "views": [b["name"] for b in built if b["kind"] == "view"],
        "checks": check_rows,
        "checks_failed": sorted(failed),
        "seconds": seconds,
    }


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()

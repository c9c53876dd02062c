"""Build: run the sql/ models into a new DuckDB file; replace ict.duckdb only if all succeed.

Models run layer by layer (staging, intermediate, marts), files in name order; a file is one
model (`create or replace table ... as ...` plus its COMMENTs). A check (sql/checks/) is a query
returning the rows that break a rule: its rows are kept in the `qa` schema, empty means pass.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import duckdb

from pipeline import fingerprint
from pipeline.catalog import Catalog
from pipeline.composite_spec import load_composites_into
from pipeline.composites import load_provider_scores_into
from pipeline.core_catalog import load_core_into
from pipeline.errors import IctpError
from pipeline.runs import Run
from pipeline.settings import Settings

log = logging.getLogger(__name__)

LAYERS = ("staging", "intermediate", "marts", "composites")
CHECKS = "checks"
SCHEMAS = ("input", "staging", "intermediate", "qa")
INPUTS = ("observations", "quarantine", "warnings", "economies", "series_status")


def model_files(sql_dir: Path) -> list[Path]:
    files = [f for layer in LAYERS for f in sorted((sql_dir / layer).glob("*.sql"))]
    if not files:
        raise IctpError(f"no SQL models under {sql_dir}/{{{','.join(LAYERS)}}} (ICTP_SQL_DIR?)")
    return files


def build(settings: Settings, catalog: Catalog, run: Run) -> dict:
    processed = settings.processed_dir
    missing = [n for n in INPUTS if not (processed / f"{n}.parquet").exists()]
    if missing:
        raise IctpError(
            f"{processed} has no {', '.join(m + '.parquet' for m in missing)}: "
            "run `ictp validate` first (or `ictp run`)"
        )
    files = model_files(settings.sql_dir)
    checks = sorted((settings.sql_dir / CHECKS).glob("*.sql"))
    k = fingerprint.key(
        fingerprint.code(),
        fingerprint.tree(settings.sql_dir),
        fingerprint.tree(settings.catalog_dir),
        [fingerprint.stamp(processed / f"{n}.parquet") for n in INPUTS],
    )
    if (before := fingerprint.unchanged(settings, "build", k, [settings.db_path])) is not None:
        result = {**before, "skipped": "the stored tables, SQL, catalog and code are unchanged"}
        run.record("build", result)
        return result
    tmp = settings.db_path.with_name(f".{settings.db_path.name}.tmp-{os.getpid()}")
    _remove(tmp)
    con = duckdb.connect(str(tmp))
    con.execute(f"set memory_limit = '{settings.memory_limit}'")
    check_rows: dict[str, int] = {}
    try:
        _load_inputs(con, settings, catalog)
        seconds = {}
        for f in files + checks:
            started = time.perf_counter()
            if f in checks:
                check_rows[f.stem] = _run_check(con, f)
            else:
                _run_model(con, f)
            seconds[f"{f.parent.name}/{f.name}"] = round(time.perf_counter() - started, 3)
        _drop_build_views(con)
        tables = _names(con, "select table_name from duckdb_tables() where schema_name = 'main'")
        views = _names(
            con, "select view_name from duckdb_views() where schema_name = 'main' and not internal"
        )
        con.execute("checkpoint")
        con.close()
        os.replace(tmp, settings.db_path)
    finally:
        con.close()
        _remove(tmp)
    failed = {k: v for k, v in check_rows.items() if v}
    for name, n in failed.items():
        log.warning("check %s: %d rows break the rule (see qa.%s)", name, n, name)
    result = {
        "database": str(settings.db_path),
        "bytes": settings.db_path.stat().st_size,
        "models": len(files),
        "tables": tables,
        "views": views,
        "checks": check_rows,
        "checks_failed": sorted(failed),
        "seconds": seconds,
    }
    fingerprint.remember(settings, "build", k, result, [settings.db_path])
    run.record("build", result)
    return result


def _load_inputs(con: duckdb.DuckDBPyConnection, settings: Settings, catalog: Catalog) -> None:
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    con.execute("set variable processed_dir = ?", [str(settings.processed_dir.resolve())])
    catalog.load_into(con, "input")
    load_core_into(con, catalog.dir, "input")
    load_composites_into(con, catalog.dir, "input")
    load_provider_scores_into(con, settings.processed_dir, "input")


def _drop_build_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views that read the Parquet files through the build's variables (staging, and the
    intermediate views over staging) work during the build only: drop them. Views over
    tables stay (the published marts are tables, or views over tables)."""
    views = con.execute(
        "select schema_name, view_name from duckdb_views() where not internal and "
        "(schema_name = 'staging' or (schema_name = 'intermediate' and sql like '%staging.%'))"
    ).fetchall()
    for schema, view in views:
        con.execute(f'drop view "{schema}"."{view}"')


def _run_model(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        con.execute(path.read_text(encoding="utf-8"))
    except duckdb.Error as e:
        raise IctpError(
            f"SQL model {path} failed: {_first_line(e)}. The previous database is unchanged; "
            "fix the model and run `ictp build` again"
        ) from None


def _run_check(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    query = path.read_text(encoding="utf-8").strip().rstrip(";")
    try:
        con.execute(f"create or replace table qa.{path.stem} as {query}")
    except duckdb.Error as e:
        raise IctpError(f"check {path} failed to run: {_first_line(e)}") from None
    return con.execute(f"select count(*) from qa.{path.stem}").fetchone()[0]


def _names(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    return sorted(r[0] for r in con.execute(query).fetchall())


def _first_line(e: Exception) -> str:
    return " ".join(str(e).split())[:400]


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()

"""Store: Parquet files written to a temporary name and renamed into place.

A crash never leaves half a file where a good one was. Rows are written in a stable order so
the same inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb


@contextlib.contextmanager
def scratch_connection(settings):
    """An in-memory DuckDB that spills to a scratch folder in processed/ (removed afterwards)
    beyond ICTP_MEMORY_LIMIT: at scale its tables outgrow memory. (A scratch database file
    would work too, but writes every table to disk: a third slower.)"""
    spill = settings.processed_dir / f".scratch-{os.getpid()}"
    shutil.rmtree(spill, ignore_errors=True)
    spill.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{settings.memory_limit}'")
    con.execute(f"set temp_directory = '{_quote(spill)}'")
    con.execute("set preserve_insertion_order = false")  # every output is sorted when written
    try:
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def write_parquet(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    """Write the result of `query` to `path` atomically; return the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        con.execute(f"copy ({query}) to '{_quote(tmp)}' (format parquet, compression zstd)")
        rows = con.execute(f"select count(*) from read_parquet('{_quote(tmp)}')").fetchall()[0][0]
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return rows


def on_cursors(con: duckdb.DuckDBPyConnection, fn: Callable, items: Iterable, workers: int) -> list:
    """[fn(cursor, item) for item in items], `workers` at a time, each on its own cursor of `con`.

    A sort and a file write each have serial parts, so overlapping them keeps every core busy.
    Cursors share the database's tables but not its session (variables, registered frames).
    """

    def one(item):
        cur = con.cursor()
        try:
            return fn(cur, item)
        finally:
            cur.close()

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, items))


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")

"""Store: Parquet files written to a temporary name and renamed into place.

A crash never leaves half a file where a good one was. Rows are written in a stable order so
the same inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb


@contextlib.contextmanager
def scratch_connection(settings):
    """A DuckDB on a scratch file in processed/, removed afterwards: at scale its tables
    outgrow ICTP_MEMORY_LIMIT and must be able to live on disk."""
    path = settings.processed_dir / f".scratch-{os.getpid()}.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute(f"set memory_limit = '{settings.memory_limit}'")
    con.execute("set preserve_insertion_order = false")  # every output is sorted when written
    try:
        yield con
    finally:
        con.close()
        for p in (path, path.with_name(path.name + ".wal")):
            p.unlink(missing_ok=True)


def write_parquet(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    """Write the result of `query` to `path` atomically; return the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        con.execute(
            f"copy ({query}) to '{_quote(tmp)}' "
            "(format parquet, compression zstd, row_group_size 1000000)"
        )
        rows = con.execute(f"select count(*) from read_parquet('{_quote(tmp)}')").fetchall()[0][0]
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return rows


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")

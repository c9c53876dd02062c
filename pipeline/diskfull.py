"""A full disk (or quota, or file-size limit) as one clear message naming the path.

Python raises OSError(ENOSPC); DuckDB its own IOException ("... No space left on device"):
`is_full` knows both, and `writing(path)` turns either into DiskFull naming `path`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

from pipeline.errors import IctpError

FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# DuckDB reports the same errors in its own exceptions, with the system's words in the text.
FULL_WORDS = tuple(os.strerror(n) for n in sorted(FULL))


class DiskFull(IctpError):
    def __init__(self, path: Path | str, e: OSError | str):
        reason = e.strerror if isinstance(e, OSError) else e
        super().__init__(
            f"cannot write {path}: the disk is full ({reason}); free some space there (or "
            "raise the quota) and run again. What was stored before is intact"
        )


def is_full(e: BaseException) -> bool:
    """Whether `e` (an OSError, or DuckDB's error for one) says the disk is full."""
    if isinstance(e, OSError):
        return e.errno in FULL
    return _is_duckdb_error(e) and any(w in str(e) for w in FULL_WORDS)


def _is_duckdb_error(e: BaseException) -> bool:
    # DuckDB raised it only if it was imported: ingest, which never opens a database, starts
    # without importing it (0.06 s)
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(e, duckdb.Error)


def reason(e: BaseException) -> str:
    if isinstance(e, OSError):
        return e.strerror or str(e)
    return next((w for w in FULL_WORDS if w in str(e)), str(e))


@contextlib.contextmanager
def writing(path: Path | str):
    """Turn a full disk while writing `path` into DiskFull; other errors pass unchanged."""
    try:
        yield
    except Exception as e:
        if is_full(e):
            raise DiskFull(path, reason(e)) from None
        raise


def raise_if_full(e: BaseException, path) -> None:
    """Raise DiskFull naming `path` when `e` says the disk is full; re-raise any other OSError
    as it is; return for anything else (the caller words its own error)."""
    if is_full(e):
        raise DiskFull(path, reason(e)) from None
    if isinstance(e, OSError):
        raise e

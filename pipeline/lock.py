"""One writer per data directory: a second run exits with BUSY (75) instead of interleaving.

The lock is an flock on <data_dir>/.ictp.lock, released by the kernel when the process ends
however it ends (a kill -9 leaves no stale lock). Cron wrappers tell "busy, try later" (75,
EX_TEMPFAIL) from "broken" (1) by the exit code.
"""

from __future__ import annotations

import contextlib
import fcntl

from pipeline import errors
from pipeline.errors import IctpError
from pipeline.settings import Settings

LOCK_NAME = ".ictp.lock"


@contextlib.contextmanager
def locked(settings: Settings):
    """Hold the data directory's lock for the block, or IctpError(BUSY) if another holds it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / LOCK_NAME
    with open(path, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IctpError(
                f"busy: another ictp process is working on {settings.data_dir} (lock {path}); "
                "try again when it has finished",
                errors.BUSY,
            ) from None
        yield

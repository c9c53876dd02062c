"""One writer per data directory: a second ictp exits instead of interleaving with the first."""

from __future__ import annotations

import contextlib
import fcntl

from pipeline.errors import IctpError
from pipeline.settings import Settings


@contextlib.contextmanager
def locked(settings: Settings):
    """Hold data/.ictp.lock while the body runs; refuse when another process holds it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / ".ictp.lock"
    with open(path, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IctpError(
                f"another ictp process is working on {settings.data_dir} (lock {path}); "
                "wait for it to finish"
            ) from None
        yield

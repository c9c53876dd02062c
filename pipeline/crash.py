"""Crash points for tests: die by SIGKILL at a named instant, to prove a kill leaves no damage.

    ICTP_CRASH_AT=raw_store.put.before_link  python -m pipeline ingest ...

`point(name)` does nothing unless ICTP_CRASH_AT equals `name`; then the process kills itself
with SIGKILL on the spot: no cleanup, no finally blocks, no atexit, as a power cut or the OOM
killer would. Points so far (docs/operations-safety.md keeps the list):

    ingest.after_first_page       a series' first page is stored and logged, the rest not yet
    raw_store.put.before_link     an object's temp file is written but not yet linked in place
"""

from __future__ import annotations

import os
import signal

ENV = "ICTP_CRASH_AT"


def point(name: str) -> None:
    """SIGKILL this process if ICTP_CRASH_AT names this point."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)

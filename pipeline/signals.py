"""SIGTERM (what cron, systemd and `kill` send) stops a command the way Ctrl-C does.

While a command runs, SIGTERM raises Terminated, a KeyboardInterrupt, in the main thread: the
same cleanup runs (the run manifest is finished, temp files are removed, the lock is released)
and the command exits 143 (128 + 15) instead of 130.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

from pipeline import errors


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM."""


@contextlib.contextmanager
def terminate_as_interrupt():
    """For the block, SIGTERM raises Terminated (only the main thread can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated("SIGTERM")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_code(e: KeyboardInterrupt) -> int:
    return errors.TERMINATED if isinstance(e, Terminated) else errors.INTERRUPTED


def describe(e: KeyboardInterrupt) -> str:
    return "terminated (SIGTERM)" if isinstance(e, Terminated) else "interrupted (Ctrl-C)"


def leave(code: int) -> None:
    """End the process with `code`. After an interrupt, do not wait for downloads still in
    flight in worker threads (their bytes are not used; the next run cleans their temp files)."""
    if code in (errors.INTERRUPTED, errors.TERMINATED):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)

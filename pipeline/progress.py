"""Progress bars on a terminal, silence in logs (cron)."""

from __future__ import annotations

import sys


def on_terminal() -> bool:
    return sys.stderr.isatty()


def progress(iterable, total: int | None = None, desc: str = ""):
    """`iterable` with a bar on a terminal; elsewhere `iterable` itself (a disabled tqdm still
    makes a multiprocessing lock: 0.04 s of every ingest)."""
    if not on_terminal():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="", leave=False)

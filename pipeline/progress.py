"""Progress bars on a terminal, silence in logs (cron)."""

from __future__ import annotations

import sys

from tqdm import tqdm


def on_terminal() -> bool:
    return sys.stderr.isatty()


def progress(iterable, total: int | None = None, desc: str = ""):
    return tqdm(iterable, total=total, desc=desc, unit="", disable=not on_terminal(), leave=False)

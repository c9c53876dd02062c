"""What killed runs leave behind, removed at the start of the next locked run.

ictp's temp files and folders carry the writer's pid in their name (`.<name>.tmp-PID`,
`.<name>.old-PID`, `.scratch-PID`; a database's `.wal` beside it): each is removed when that
process is dead, never while it lives. Temp files named without a pid (the run manifests'
`runs/.tmp-*.json`, the raw store's `objects/**/.tmp-*`) are written only under the lock, so
whoever holds the lock knows they are debris.

One repair goes first: a kill between the two renames that migrate an old real `exports/`
(or `tables/`) folder to a generation link leaves no `exports/` and the previous set in
`.exports.old-PID`; that set is put back. Then every generation (`.exports.<n>`,
`.tables.<n>`: pipeline/generation.py) that its link does not point to is removed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

from pipeline import generation, procs
from pipeline.settings import Settings

log = logging.getLogger(__name__)

WITH_PID = re.compile(r"\.(?:.+\.(?:tmp|old)|scratch)-(\d+)(?:\.wal)?")


def clean_debris(settings: Settings) -> list[Path]:
    """Remove what dead ictp processes left in the data directory; return what was removed.
    Call it with the data directory's lock held (pipeline/lock.py)."""
    links = (settings.exports_dir, settings.tables_dir)
    for link in links:
        _restore(link)
    removed = []
    processed = settings.processed_dir
    if processed.exists():
        for path in sorted(processed.iterdir()):
            m = WITH_PID.fullmatch(path.name)
            if m and _dead(int(m.group(1))):
                removed.append(_remove(path))
    if settings.runs_dir.exists():
        removed += [_remove(p) for p in sorted(settings.runs_dir.glob(".tmp-*"))]
    objects = settings.raw_dir / "objects"
    if objects.exists():
        removed += [_remove(p) for p in sorted(objects.glob("*/.tmp*"))]
    for link in links:
        removed += generation.remove_stale(link)
    if removed:
        log.info("removed %d temp file(s) left by killed runs: %s", len(removed), removed)
    return removed


def _restore(exports: Path) -> None:
    old = sorted(
        (p for p in exports.parent.glob(f".{exports.name}.old-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
    )
    if old and not exports.exists() and not os.path.lexists(exports) and _dead(_pid(old[-1])):
        os.rename(old[-1], exports)
        log.warning(
            "%s was missing after a killed run; the previous set was put back from %s",
            exports,
            old[-1].name,
        )


def _pid(path: Path) -> int:
    m = WITH_PID.fullmatch(path.name)
    return int(m.group(1)) if m else os.getpid()


def _dead(pid: int) -> bool:
    return pid != os.getpid() and not procs.pid_alive(pid)


def _remove(path: Path) -> Path:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    return path

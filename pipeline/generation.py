"""Generations: a folder of outputs replaced as one set, by one rename of a symbolic link.

    processed/tables  -> .tables.7/     validate's Parquet files
    processed/exports -> .exports.3/    export's CSV files and datapackage.json

A step writes its new set into `.NAME.tmp-PID/` (debris if it is killed: pipeline/debris.py),
renames that to the next generation `.NAME.<n>/`, points a new link `.NAME.link.tmp-PID` at it
and renames the link over `NAME`: one rename(2), so a reader opening `NAME/...` sees the old set
or the new one, never a mix and never none. The previous generation is removed afterwards; a
generation no link points to (a kill between the renames) is removed by the next locked run.

An old real folder `NAME/` (written before generations) is migrated on the first switch: it is
renamed to `.NAME.old-PID` and the link put in its place; a kill in that one instant leaves
the old folder to be put back by the next run (debris.restore).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from pipeline import crash

NUMBERED = re.compile(r"\.(?P<name>.+)\.(?P<n>\d+)")


def start(link: Path) -> Path:
    """An empty folder to write the next generation of `link` into."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def generations(link: Path) -> list[Path]:
    """Every `.NAME.<n>` folder beside `link`, oldest first."""
    if not link.parent.exists():
        return []
    found = [
        (int(m.group("n")), p)
        for p in link.parent.iterdir()
        if (m := NUMBERED.fullmatch(p.name)) and m.group("name") == link.name and p.is_dir()
    ]
    return [p for _n, p in sorted(found)]


def current(link: Path) -> Path | None:
    """The generation `link` points to (None: no link, or a real folder)."""
    if not link.is_symlink():
        return None
    return link.parent / os.readlink(link)


def switch(tmp: Path, link: Path) -> Path:
    """Make the complete set in `tmp` the one `link` shows; return its generation folder."""
    existing = generations(link)
    n = int(NUMBERED.fullmatch(existing[-1].name).group("n")) + 1 if existing else 1
    final = link.with_name(f".{link.name}.{n}")
    os.rename(tmp, final)
    crash.point(f"{link.name}.before_switch")
    new_link = link.with_name(f".{link.name}.link.tmp-{os.getpid()}")
    new_link.unlink(missing_ok=True)
    os.symlink(final.name, new_link)  # relative: the data directory can be moved
    if link.is_dir() and not link.is_symlink():  # a folder from before generations
        old = link.with_name(f".{link.name}.old-{os.getpid()}")
        os.rename(link, old)
        crash.point(f"{link.name}.migrate")
        os.replace(new_link, link)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new_link, link)
    crash.point(f"{link.name}.after_switch")
    remove_stale(link)
    return final


def remove_stale(link: Path) -> list[Path]:
    """Remove every generation of `link` it does not point to (call it under the lock)."""
    keep = current(link)
    if keep is None:  # no link (or a folder from before generations): nothing is known stale
        return []
    gone = [p for p in generations(link) if p.name != keep.name]
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone

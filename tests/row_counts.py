"""Row counts of `observations` per source, series and year, kept under version control as PUDL
does: a new data vintage, or a change in what is kept, shows in review as a readable diff.

The counts are derived statistics (no values), so they may be committed. To regenerate a file
after a change you mean, run its test with ICTP_UPDATE_ROW_COUNTS=1, e.g.

    ICTP_UPDATE_ROW_COUNTS=1 .venv/bin/python -m pytest -q tests/test_itu_real_data.py -k row_counts

and commit the file with the change that explains it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
REAL_REPLAY = ROOT / "tests" / "row_counts" / "real_replay.csv"
UPDATE = "ICTP_UPDATE_ROW_COUNTS"
REGENERATE = f"{UPDATE}=1 .venv/bin/python -m pytest -q tests/test_itu_real_data.py -k row_counts"
QUERY = 'select source, series, "year", count(*) from observations group by all order by all'
HEADER = "source,series,year,rows"
SHOWN = 40  # diff lines in a failure message


def counts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One CSV line per source, series and year of `observations`, with its row count."""
    return [HEADER] + [",".join(str(x) for x in row) for row in con.execute(QUERY).fetchall()]


def compare(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """None when the database's counts equal the committed file's (or the file was just
    rewritten because ICTP_UPDATE_ROW_COUNTS is set); otherwise a message with the diff."""
    now = counts(con)
    if os.environ.get(UPDATE):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(now) + "\n", encoding="utf-8")
        return None
    before = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if before == now:
        return None
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    diff = list(difflib.unified_diff(before, now, str(name), "this run", lineterm="", n=1))
    shown = "\n".join(diff[:SHOWN]) + (
        f"\n... {len(diff) - SHOWN} more" if len(diff) > SHOWN else ""
    )
    return (
        f"row counts per source, series and year differ from {name}:\n{shown}\n"
        f"If the change is meant, regenerate the file (`{REGENERATE}`) and commit it with the "
        "change that explains it."
    )

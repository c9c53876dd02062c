"""The Excel workbook of `ictp export --format xlsx`: `ict_indicators.xlsx` beside the CSV files.

One sheet per series in long form (the rows of `<series>.csv`), one per composite when the
database has composite scores, and a "notes" sheet: every source's licence and attribution, each
series' definition, and the run. Each sheet's header row is frozen and its columns sized; numbers
are numbers. Every text cell goes through `safe_text`, the rule of sql/export/macros.sql (a text
starting with =, +, -, @, a tab or a CR gets a leading '), so no cell is a formula. Written with
openpyxl in write-only mode, which streams rows to the file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pipeline import __version__, sql
from pipeline.errors import IctpError

NAME = "ict_indicators.xlsx"
MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_SHEET_NAME = 31  # Excel's limit on a sheet name
MAX_WIDTH = 60  # characters; longer texts wrap in Excel's cell, not the column
FORMULA = re.compile(r"^[=+\-@\t\r]")


def safe_text(value):
    """A text a spreadsheet would read as a formula, made inert with a leading ' (OWASP); any
    other value as it is. The same rule as the safe_text macro of sql/export/macros.sql."""
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def write(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    params: dict,
    series: list[dict],
    path: Path,
    about: dict,
) -> dict:
    """Write the workbook to `path` from the database `con` (export's SQL in `folder`, with its
    parameters `params`: table and the synthetic terms); `about` describes the run. Returns the
    sheets written and their rows (without the header)."""
    book = Workbook(write_only=True)
    names: set[str] = set()
    sheets: dict[str, int] = {}
    for s in series:
        cur = sql.query(con, folder / "workbook_series.sql", {**params, "series": s["series"]})
        sheets[_sheet(book, names, s["series"], cur)] = s["series"]
    if sql.query(con, folder / "workbook_composites.sql").fetchone()[0]:
        for (composite,) in sql.query(con, folder / "composite_names.sql").fetchall():
            cur = sql.query(con, folder / "workbook_composite.sql", {"composite": composite})
            sheets[_sheet(book, names, f"composite_{composite}", cur)] = composite
    terms = sql.query(con, folder / "workbook_sources.sql", params)
    _notes(book, names, terms, series, about)
    book.save(path)
    return {"path": str(path), "sheets": list(sheets)}


def _sheet(book: Workbook, names: set[str], wanted: str, cur) -> str:
    header = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if len(rows) + 1 > MAX_ROWS:
        raise IctpError(
            f"{wanted} has {len(rows):,} rows, more than an Excel sheet holds "
            f"({MAX_ROWS - 1:,}): use its CSV file, or export without --format xlsx"
        )
    return _write_sheet(book, names, wanted, header, rows)


def _write_sheet(book: Workbook, names: set[str], wanted: str, header: list, rows: list) -> str:
    name = _unique(names, wanted)
    ws = book.create_sheet(name)
    ws.freeze_panes = "A2"
    for i, width in enumerate(_widths(header, rows), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append(header)
    for row in rows:
        ws.append([_cell(v) for v in row])
    return name


def _cell(value):
    if isinstance(value, list | tuple | dict):
        value = "; ".join(str(x) for x in value) if not isinstance(value, dict) else str(value)
    return safe_text(value)


def _unique(names: set[str], wanted: str) -> str:
    """A sheet name of at most 31 characters that no other sheet has."""
    name, n = wanted[:MAX_SHEET_NAME], 1
    while name.lower() in names:  # Excel compares sheet names without case
        n += 1
        tail = f"~{n}"
        name = wanted[: MAX_SHEET_NAME - len(tail)] + tail
    names.add(name.lower())
    return name


def _widths(header: list, rows: list, sample: int = 1000) -> list[float]:
    widths: list[int] = []
    for row in [header, *rows[:sample]]:
        widths += [0] * (len(row) - len(widths))
        for i, v in enumerate(row):
            if v is not None:
                widths[i] = max(widths[i], len(_shown(v)))
    return [min(MAX_WIDTH, w + 2) for w in widths]


def _shown(v) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _notes(book: Workbook, names: set[str], terms, series: list[dict], about: dict) -> None:
    rows: list[list] = [["Sources: the licence and attribution of the figures"]]
    rows += [[d[0] for d in terms.description], *[list(r) for r in terms.fetchall()], []]
    rows += [["Series: what each series sheet holds"]]
    rows += [["series", "name", "unit", "definition", "sources"]]
    rows += [
        [s["series"], s["name"], s["unit"], s["definition"],
         "; ".join(x["source"] for x in s["sources"])]
        for s in series
    ]  # fmt: skip
    rows += [[], ["Run"], *[[k, v] for k, v in {"ictp": __version__, **about}.items()]]
    _write_sheet(book, names, "notes", ["ICT indicators exported by ictp: notes"], rows)

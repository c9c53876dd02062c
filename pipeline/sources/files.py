"""Local files (CSV, XLSX, ITU DataHub CSV exports) as a source: `file:<name>` in files.yml.

"Downloading" a file is reading its bytes into the raw store (sha256, manifest line, pull
record), so a file takes the same path as an HTTP source from there on. One task per file and
catalog series. The whole file is checked when it is read: a missing column, an unknown sheet,
a year that is not a year, a value that is not a number, or a series label nobody mapped fails
the pull with the file, row and column; the file's last good version is kept.

`load()` turns a file's bytes into one long table (`file_rows`): the pull checks it and the
tidy step maps it to candidate observations, so both read a file the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.catalog import FileSpec
from pipeline.errors import one_line
from pipeline.raw_store import RawStore
from pipeline.sources import Fetch, Page, PullError, Task

if TYPE_CHECKING:
    import duckdb

# DuckDB and pipeline.sql (which imports it) are imported where a file is read, not at the
# top: ingest imports every source module, and one that pulls no file opens no database.

SOURCE = "file"
YEAR = re.compile(r"^\s*\d{4}\s*$")  # a wide file's year column header


def tasks(settings, catalog, only: list[str] | None = None) -> list[Task]:
    return [
        Task(spec.source, series, label, spec.path.as_uri(), spec)
        for spec in catalog.files
        for label, series in spec.series.items()
        if not only or series in only
    ]


def pull(fetch: Fetch, task: Task, settings) -> list[Page]:
    import duckdb

    from pipeline import sql

    spec: FileSpec = task.spec
    folder = settings.sql_dir / "sources" / "files"
    response = fetch(task.url, {})
    con = duckdb.connect()
    try:
        load(con, folder, RawStore(settings.raw_dir).path(response.sha256), response.body, spec)
        check(con, folder, spec, task.url)
        query = folder / "series_rows.sql"
        n = sql.query(con, query, {"label": task.source_code}).fetchone()[0]
    finally:
        con.close()
    if n == 0:
        where = f"in column {spec.columns['series']}" if task.source_code else ""
        raise PullError(f"the file has no rows for series {task.source_code} {where}", task.url)
    modified = dt.datetime.fromtimestamp(spec.path.stat().st_mtime, dt.UTC).date().isoformat()
    return [Page(response.sha256, 1, n, modified)]


def load(con: duckdb.DuckDBPyConnection, folder: Path, path, body: bytes, spec: FileSpec) -> None:
    """Create `file_rows` (row_no, economy_text, label, year_text, value_text, note,
    source_note, status_text, excluded) from a file's bytes, kept at `path`, with the SQL of
    `folder` (sql/sources/files). Raises PullError on a file whose layout does not fit its
    mapping (missing column, unknown sheet)."""
    import duckdb

    from pipeline import sql

    url = spec.path.as_uri()
    if spec.format == "xlsx":
        header = _xlsx(con, folder, body, spec, url)
    else:
        compression = "gzip" if body[:2] == b"\x1f\x8b" else "none"
        params = {"path": str(path), "header_row": spec.header_row, "compression": compression}
        try:
            sql.execute(con, sql.text(folder / "raw_csv.sql"), params)
        except duckdb.Error as e:
            raise PullError(f"the file cannot be read as CSV: {one_line(e, 300)}", url) from None
        header = con.table("raw_file").columns[1:]
    wide = spec.layout == "wide"
    roles = {r: c for r, c in spec.columns.items() if not (wide and r in ("year", "value"))}
    lacking = [f"{c!r} ({r})" for r, c in roles.items() if c not in header]
    if lacking:
        raise PullError(
            f"row {spec.header_row}: column {', '.join(lacking)} is not in the header "
            f"(it has {', '.join(repr(h) for h in header[:20])}); fix the columns mapping",
            url,
        )
    mapped = list(roles.items())
    if wide:
        years = [h for h in header if YEAR.match(h) and h not in spec.columns.values()]
        if not years:
            raise PullError(
                f"row {spec.header_row}: a wide file needs year columns (headers like 2015); "
                "none found",
                url,
            )
        mapped += [("year_column", y) for y in years]
    import pandas as pd  # here, not at the top: ingest imports this module and needs no pandas

    frame = pd.DataFrame(mapped, columns=["role", "column_name"], dtype="object")
    con.register("file_roles", frame)
    sql.run_model(
        con,
        folder / "file_rows.sql",
        {
            "wide": wide,
            "missing": list(spec.missing) or [""],
            "exclude": list(spec.exclude) or [""],
        },
    )
    con.unregister("file_roles")


def check(con: duckdb.DuckDBPyConnection, folder: Path, spec: FileSpec, url: str) -> None:
    """Raise PullError naming the first bad row and column of the file, if any."""
    from pipeline import sql

    year_col = "the year column" if spec.layout == "wide" else spec.columns["year"]
    value_col = spec.columns.get("value", "the year columns")
    not_a_number = (
        "is not a number (write numbers without thousands separators or units; "
        f"missing values as one of {', '.join(repr(m) for m in spec.missing)})"
    )
    rules = [
        ("no economy", spec.columns["economy"], "no economy"),
        ("is not a year", year_col, "is not a year"),
        ("is not a number", value_col, not_a_number),
    ]
    for rule, column, what in rules:
        bad = sql.query(con, folder / "first_bad_row.sql", {"check": rule}).fetchone()
        if bad:
            row, economy, year, value, n = bad
            shown = {"no economy": "", "is not a year": f"{year!r} "}.get(rule, f"{value!r} ")
            more = f" (and {n - 1} more rows like it)" if n > 1 else ""
            raise PullError(f"row {row} column {column!r}: {shown}{what}{more}", url)
    series_col = spec.columns.get("series")
    if series_col:
        mapped = [k for k in spec.series if k is not None] + list(spec.ignore_series)
        query = folder / "unmapped_labels.sql"
        unmapped = [r[0] for r in sql.query(con, query, {"mapped": mapped or [""]}).fetchall()]
        if unmapped:
            raise PullError(
                f"column {series_col!r} holds series no entry maps: "
                f"{', '.join(unmapped[:10])}; add them to series: (or ignore_series:) in the "
                "files list",
                url,
            )


def _xlsx(
    con: duckdb.DuckDBPyConnection, folder: Path, body: bytes, spec: FileSpec, url: str
) -> list[str]:
    """Register the sheet's rows as `raw_file` (every cell as text); return the header."""
    import openpyxl
    import pandas as pd

    from pipeline import sql

    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a file that is not a workbook
        raise PullError(
            f"the file is not an XLSX workbook ({type(e).__name__}: {e})", url
        ) from None
    name = spec.sheet or book.sheetnames[0]
    if name not in book.sheetnames:
        raise PullError(
            f"the workbook has no sheet {name!r} (it has {', '.join(book.sheetnames)}); "
            "fix sheet: in the files list",
            url,
        )
    rows = [[_cell(v) for v in row] for row in book[name].iter_rows(values_only=True)]
    book.close()
    if len(rows) < spec.header_row:
        raise PullError(f"sheet {name!r} has no header row {spec.header_row}", url)
    header = [h or f"column{i}" for i, h in enumerate(rows[spec.header_row - 1])]
    body_rows = rows[spec.header_row :]
    width = len(header)
    frame = pd.DataFrame(
        [(r + [None] * width)[:width] for r in body_rows], columns=header, dtype="string"
    )
    frame.insert(0, "row_no", range(spec.header_row + 1, spec.header_row + 1 + len(frame)))
    con.register("raw_file_df", frame)
    sql.query(con, folder / "raw_xlsx.sql")
    con.unregister("raw_file_df")
    return header


def _cell(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return str(v)

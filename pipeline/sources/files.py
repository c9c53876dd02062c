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

import duckdb
import pandas as pd

from pipeline.catalog import FileSpec
from pipeline.errors import one_line
from pipeline.raw_store import RawStore
from pipeline.sources import Fetch, Page, PullError, Task

SOURCE = "file"
YEAR = re.compile(r"^\s*\d{4}\s*$")
# A year as text: 2015, " 2015 " or 2015.0 (a spreadsheet's number). A value: a plain or
# scientific number (ITU writes 3.62153e+007), nothing else.
YEAR_SQL = r"regexp_matches(year_text, '^\s*\d{4}(\.0+)?\s*$')"
VALUE_SQL = "try_cast(trim(value_text) as double)"


def tasks(settings, catalog, only: list[str] | None = None) -> list[Task]:
    return [
        Task(spec.source, series, label, spec.path.as_uri(), spec)
        for spec in catalog.files
        for label, series in spec.series.items()
        if not only or series in only
    ]


def pull(fetch: Fetch, task: Task, settings) -> list[Page]:
    spec: FileSpec = task.spec
    response = fetch(task.url, {})
    con = duckdb.connect()
    try:
        load(con, RawStore(settings.raw_dir).path(response.sha256), response.body, spec)
        check(con, spec, task.url)
        n = con.execute(
            "select count(*) from file_rows where not excluded and label is not distinct from ?",
            [task.source_code],
        ).fetchone()[0]
    finally:
        con.close()
    if n == 0:
        where = f"in column {spec.columns['series']}" if task.source_code else ""
        raise PullError(f"the file has no rows for series {task.source_code} {where}", task.url)
    modified = dt.datetime.fromtimestamp(spec.path.stat().st_mtime, dt.UTC).date().isoformat()
    return [Page(response.sha256, 1, n, modified)]


def load(con: duckdb.DuckDBPyConnection, path, body: bytes, spec: FileSpec) -> None:
    """Create `file_rows` (row_no, economy_text, year_text, label, value_text, note, source_note,
    status_text, excluded) from a file's bytes, kept at `path`. Raises PullError on a file whose
    layout does not fit its mapping (missing column, unknown sheet)."""
    url = spec.path.as_uri()
    if spec.format == "xlsx":
        header = _xlsx(con, body, spec, url)
    else:
        compression = "gzip" if body[:2] == b"\x1f\x8b" else "none"
        try:
            con.execute(
                "create or replace temp table raw_file as select row_number() over () + $skip "
                "as row_no, * from read_csv($path, all_varchar = true, header = true, "
                "skip = $skip0, compression = $c, auto_detect = true)",
                {
                    "path": str(path),
                    "skip": spec.header_row,
                    "skip0": spec.header_row - 1,
                    "c": compression,
                },
            )
            header = [d[0] for d in con.execute("select * from raw_file limit 0").description][1:]
        except duckdb.Error as e:
            raise PullError(f"the file cannot be read as CSV: {one_line(e, 300)}", url) from None
    roles = {
        r: c
        for r, c in spec.columns.items()
        if not (spec.layout == "wide" and r in ("year", "value"))
    }
    lacking = [f"{c!r} ({r})" for r, c in roles.items() if c not in header]
    if lacking:
        raise PullError(
            f"row {spec.header_row}: column {', '.join(lacking)} is not in the header "
            f"(it has {', '.join(repr(h) for h in header[:20])}); fix the columns mapping",
            url,
        )

    def col(role: str) -> str:
        return f'"{spec.columns[role]}"' if role in spec.columns else "null"

    label = col("series") if "series" in spec.columns else "null"
    common = (
        f"{col('economy')} as economy_text, {label} as label, {col('note')} as note, "
        f"{col('source_note')} as source_note, {col('status')} as status_text"
    )
    if spec.layout == "wide":
        years = [h for h in header if YEAR.match(h) and h not in spec.columns.values()]
        if not years:
            raise PullError(
                f"row {spec.header_row}: a wide file needs year columns (headers like 2015); "
                "none found",
                url,
            )
        cols = ", ".join(f'"{y}"' for y in years)
        body_sql = (
            f"select row_no, {common}, year_col as year_text, value_text "
            f"from (unpivot raw_file on {cols} into name year_col value value_text)"
        )
        year_column = "the year column"
    else:
        body_sql = (
            f"select row_no, {common}, {col('year')} as year_text, {col('value')} as value_text "
            "from raw_file"
        )
        year_column = spec.columns["year"]
    con.execute(
        f"""
        create or replace temp table file_rows as
        select row_no, trim(economy_text) as economy_text, trim(label) as label,
               year_text, case when trim(value_text) in (select * from unnest($missing))
                               then null else trim(value_text) end as value_text,
               nullif(trim(note), '') as note, nullif(trim(source_note), '') as source_note,
               nullif(trim(status_text), '') as status_text,
               lower(trim(economy_text)) in (select lower(x) from unnest($exclude) t(x))
                   as excluded
        from ({body_sql})
        """,
        {"missing": list(spec.missing) or [""], "exclude": list(spec.exclude) or [""]},
    )
    con.execute("set variable file_year_column = ?", [year_column])


def check(con: duckdb.DuckDBPyConnection, spec: FileSpec, url: str) -> None:
    """Raise PullError naming the first bad row and column of the file, if any."""
    year_col = con.execute("select getvariable('file_year_column')").fetchone()[0]
    economy_col = spec.columns["economy"]
    value_col = spec.columns.get("value", "the year columns")
    series_col = spec.columns.get("series")
    rules = [
        ("economy_text is null or economy_text = ''", economy_col, "no economy"),
        (f"year_text is null or not {YEAR_SQL}", year_col, "is not a year"),
        (
            f"value_text is not null and {VALUE_SQL} is null",
            value_col,
            "is not a number (write numbers without thousands separators or units; "
            f"missing values as one of {', '.join(repr(m) for m in spec.missing)})",
        ),
    ]
    for condition, column, what in rules:
        bad = con.execute(
            f"select row_no, economy_text, year_text, value_text, count(*) over () "
            f"from file_rows where not excluded and ({condition}) order by row_no limit 1"
        ).fetchone()
        if bad:
            row, economy, year, value, n = bad
            shown = {"no economy": "", "is not a year": f"{year!r} "}.get(what, f"{value!r} ")
            more = f" (and {n - 1} more rows like it)" if n > 1 else ""
            raise PullError(f"row {row} column {column!r}: {shown}{what}{more}", url)
    if series_col:
        mapped = [k for k in spec.series if k is not None] + list(spec.ignore_series)
        unmapped = [
            r[0]
            for r in con.execute(
                "select distinct label from file_rows where not excluded and "
                "label is not null and label not in (select * from unnest($m)) order by 1",
                {"m": mapped or [""]},
            ).fetchall()
        ]
        if unmapped:
            raise PullError(
                f"column {series_col!r} holds series no entry maps: "
                f"{', '.join(unmapped[:10])}; add them to series: (or ignore_series:) in the "
                "files list",
                url,
            )


def _xlsx(con: duckdb.DuckDBPyConnection, body: bytes, spec: FileSpec, url: str) -> list[str]:
    """Register the sheet's rows as `raw_file` (every cell as text); return the header."""
    import openpyxl

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
    con.execute("create or replace temp table raw_file as select * from raw_file_df")
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

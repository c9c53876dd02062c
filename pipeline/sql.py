"""The one SQL runner: every statement ictp runs lives in a file under sql/, found by its name.

A file is named after the relation it makes (`2_intermediate/20_int_economies.sql` makes
`int_economies`; a leading `NN_` only orders files). Its text is either complete statements
(`create or replace table x as ...`, `comment on ...`), run as they are, or one bare query
(`select ...` / `with ...`), which the runner materialises as the table the file is named
after. Header lines at the top say more:

    -- materialized: view     a bare query becomes a view, not a table
    -- batched: files         a bare query reading `$files` runs once per batch of files
                              (raw pages), the batches appended to one table

Each statement gets the named parameters it uses (`$files`, `$series`...) and no others.
Folders run in path order: layer folders (`1_staging`, `2_intermediate`...), then file names.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline import diskfull
from pipeline.errors import IctpError, SqlFailed, one_line

# Files read per statement of a batched model: DuckDB holds a statement's JSON documents in
# memory, so batches keep memory bounded whatever the number of pages.
FILES_PER_BATCH = 500
# The input of a batched model when there are no files: an empty JSON array, which every
# JSON reader of sql/ reads as no rows (DuckDB's readers refuse an empty list of files).
NO_FILES = Path(__file__).with_name("no_files.json")
_PREFIX = re.compile(r"^\d+_")
_HEADER = re.compile(r"^--\s*(materialized|batched):\s*(\S+)\s*$")


def name_of(path: Path) -> str:
    """The relation a model file makes: its file name without the order prefix."""
    return _PREFIX.sub("", path.stem)


def files_in(folder: Path) -> list[Path]:
    """Every .sql file under `folder`, in run order (layer folders, then file names)."""
    return sorted(folder.rglob("*.sql"))


def text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IctpError(f"SQL file {path} is missing (ICTP_SQL_DIR?)") from None


def body_of(sql: str) -> str:
    """A file's text without its comment lines."""
    return "\n".join(ln for ln in sql.splitlines() if not ln.startswith("--")).strip()


def headers(sql: str) -> dict[str, str]:
    out = {}
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if m := _HEADER.match(line):
            out[m.group(1)] = m.group(2)
    return out


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Run every statement of `sql`, each with the parameters it names; return the cursor of
    the last (its result, if it is a query)."""
    params = params or {}
    result = con
    for statement in duckdb.extract_statements(sql):
        wanted = {k: params[k] for k in statement.named_parameters if k in params}
        result = con.execute(statement, wanted) if wanted else con.execute(statement)
    return result


def query(con: duckdb.DuckDBPyConnection, path: Path, params: dict | None = None):
    """Run the query in `path`; return the cursor (fetchall / df / description)."""
    with failing_as(path, "SQL"):
        return execute(con, text(path), params)


def rows(con: duckdb.DuckDBPyConnection, path: Path, params: dict | None = None) -> list[dict]:
    """The query's rows as dicts."""
    cur = query(con, path, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def run_model(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    params: dict | None = None,
    files=(),
    schema: str | None = None,
) -> str:
    """Make the relation of one model file (see the module's docstring), a bare query's in
    `schema` when given; return the relation's name."""
    sql = text(path)
    body = body_of(sql)
    head = headers(sql)
    name = f"{schema}.{name_of(path)}" if schema else name_of(path)
    with failing_as(path):
        if not re.match(r"(?is)^(select|with|from)\b", body):
            execute(con, sql, params)
        elif "batched" in head:
            _run_batched(con, name, body, params, head["batched"], files)
        else:
            kind = head.get("materialized", "table")
            execute(con, f"create or replace {kind} {name} as\n{body}", params)
    return name


@contextmanager
def failing_as(path: Path, what: str = "SQL model"):
    """A DuckDB error in the block as the IctpError of the `what` in `path` (a full disk is
    left as it is: not the SQL's fault, the step says which disk: diskfull.writing)."""
    try:
        yield
    except duckdb.Error as e:
        if diskfull.is_full(e):
            raise
        raise SqlFailed(f"{what} {path} failed: {one_line(e)}") from None


def _run_batched(con, name: str, body: str, params: dict | None, param: str, files) -> None:
    """The query `body` once per batch of `files` (as parameter `param`), into table `name`."""
    batches = batches_of([str(f) for f in files]) or [[str(NO_FILES)]]
    for i, batch in enumerate(batches):
        into = f"create or replace table {name} as" if i == 0 else f"insert into {name}"
        execute(con, f"{into}\n{body}", {**(params or {}), param: batch})


def run_folder(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    params: dict | None = None,
    files: dict[str, Iterable] | None = None,
) -> dict[str, float]:
    """Run every model of `folder` in order; `files` gives a batched model its files by the
    relation's name. Returns the seconds each file took."""
    seconds = {}
    for path in files_in(folder):
        started = time.perf_counter()
        run_model(con, path, params, (files or {}).get(name_of(path), ()))
        seconds[str(path.relative_to(folder))] = round(time.perf_counter() - started, 3)
    return seconds


def batches_of(items: list[str], size: int = FILES_PER_BATCH) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]

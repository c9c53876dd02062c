"""`ictp query` and `ictp indicators`: questions to the built database, which cannot change it.

The query connection is a sandbox: the database is opened read-only, with no access to other
files or the network and no extension installed or loaded on the fly, and its configuration is
then locked so a query cannot switch any of that back on. Before anything runs, every statement
is checked by its type (DuckDB's own parser says what each one is): only queries run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from pipeline import errors
from pipeline.errors import IctpError, one_line

# What a question may be: a query (select, with, from, values, describe, show, summarize) or
# the plan of one. Everything else (copy, attach, install, load, export, set, pragma, call...)
# writes, reads outside the database or changes the connection.
QUERIES = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})

SANDBOX = {
    "enable_external_access": False,  # no read_csv('/etc/...'), no copy ... to, no attach, no http
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """The database at `db`, read-only, sandboxed, its configuration locked."""
    if not db.exists():
        raise IctpError(f"no database at {db}: run `make run` or `ictp build` first")
    con = duckdb.connect(str(db), read_only=True, config=SANDBOX)
    con.execute("set lock_configuration = true")
    return con


def check(sql: str) -> list[str]:
    """The statements of `sql`, or IctpError naming the first that is not a query."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as e:
        raise IctpError(f"query failed: {one_line(e, 10_000)}") from None
    if not statements:
        raise IctpError("the query is empty: give a select statement")
    for n, s in enumerate(statements, 1):
        if s.type not in QUERIES:
            kind = s.type.name.lower()
            where = f"statement {n} of {len(statements)}" if len(statements) > 1 else "it"
            raise IctpError(
                f"ictp query is read-only, and {where} is a {kind} statement "
                f"({one_line(s.query, 80)!r}); nothing was run. Use select (or with, "
                "from, describe, show, explain); to write files, open the database from Python "
                "(docs/querying.md)"
            )
    return [s.query for s in statements]


def show(
    db: Path, sql: str, *, params: dict | None = None, csv: bool, max_rows: int, max_width: int
) -> int:
    """Run the queries of `sql` against `db` (the last with the named `params` it uses); print
    the last one's rows as a table or CSV."""
    queries = check(sql)
    con = connect(db)
    try:
        rel = None
        for i, q in enumerate(queries):
            rel = con.sql(q, params=params or None) if i == len(queries) - 1 else con.sql(q)
        if rel is None:
            return errors.OK
        if csv:
            rel.df().to_csv(sys.stdout, index=False)
        else:
            rel.show(max_rows=max_rows, max_width=max_width)
    except duckdb.Error as e:
        text = one_line(e, 10_000)
        hint = (
            "; ictp query reads only the database: no other files, no network"
            if isinstance(e, duckdb.PermissionException)
            else ""
        )
        raise IctpError(f"query failed: {text}{hint}") from None
    finally:
        con.close()
    return errors.OK

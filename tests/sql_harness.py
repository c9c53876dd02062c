"""Unit tests for single SQL models, in the style of dbt's: given rows in, one model run, rows out.

    out = run_model(
        "int_core_values",
        given={
            "input.core_methods": table("indicator varchar, method varchar, ...", [("A1", ...)]),
            "intermediate.int_country_values": table("economy varchar, ...", rows),
        },
    )
    assert out.rows("economy, value") == [("KEN", 12.5)]

The model is found by the name of what it creates (`create or replace table|view [schema.]name`
in any sql/**/*.sql), so files can move and be renamed; a file that is a bare query (a check, a
warning) is found by its file name without the order prefix. It runs in a fresh in-memory
DuckDB holding only the given relations, created as tables with the column types the test
declares; a relation given without rows is an empty table of those columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
CREATES = re.compile(
    r"^\s*create\s+(?:or\s+replace\s+)?(?:table|view)\s+(?:(\w+)\.)?\"?(\w+)\"?",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Table:
    """A given relation: a column list with types ("economy varchar, year smallint") and rows."""

    columns: str
    rows: list[tuple] = field(default_factory=list)


def table(columns: str, rows: list[tuple] | None = None) -> Table:
    return Table(columns, list(rows or []))


@dataclass
class Model:
    """The fresh database after one model ran; `relation` is what the model created."""

    con: duckdb.DuckDBPyConnection
    relation: str
    path: Path

    def rows(self, columns: str = "*", where: str = "true") -> list[tuple]:
        """The model's output rows (the given columns), sorted by every column."""
        return self.con.execute(
            f"select {columns} from {self.relation} where {where} order by all"
        ).fetchall()


def find_model(name: str, sql_dir: Path = SQL_DIR) -> tuple[Path, str]:
    """The one file creating `name` (schema-qualified or not), and the relation it creates."""
    want = name.split(".")[-1].lower()
    found = []
    for path in sorted(sql_dir.rglob("*.sql")):
        for schema, rel in CREATES.findall(path.read_text(encoding="utf-8")):
            if rel.lower() == want and (want == name.lower() or f"{schema}.{rel}" == name):
                found.append((path, f"{schema}.{rel}" if schema else rel))
    if not found:
        found = [
            (p, want)
            for p in sorted(sql_dir.rglob("*.sql"))
            if re.sub(r"^\d+_", "", p.stem).lower() == want
        ]
    if len(found) != 1:
        where = ", ".join(str(p.relative_to(sql_dir)) for p, _ in found) or "no file"
        raise LookupError(f"{len(found)} SQL models create {name} under {sql_dir}: {where}")
    return found[0]


def run_model(
    name: str, given: dict[str, Table], variables: dict[str, object] | None = None
) -> Model:
    """Run the model creating `name` over the `given` relations ("schema.name" or "name")."""
    path, relation = find_model(name)
    con = duckdb.connect(":memory:")
    for rel, t in given.items():
        if "." in rel:
            con.execute(f"create schema if not exists {rel.split('.')[0]}")
        con.execute(f"create table {rel} ({t.columns})")
        if t.rows:
            marks = ", ".join("?" for _ in t.rows[0])
            con.executemany(f"insert into {rel} values ({marks})", t.rows)
    for var, value in (variables or {}).items():
        con.execute(f"set variable {var} = ?", [value])
    if "." in relation:
        con.execute(f"create schema if not exists {relation.split('.')[0]}")
    sql = path.read_text(encoding="utf-8")
    if CREATES.search(sql):
        con.execute(sql)
    else:  # a bare query (a check or a warning): keep its rows as a table named after the file
        con.execute(f"create table {relation} as {sql.strip().rstrip(';')}")
    return Model(con, relation, path)

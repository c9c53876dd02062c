"""What every published table and column means, written once in sql/build/3_marts/columns.yml.

The build runs `apply` after the models: COMMENT ON TABLE / COLUMN for every table and column,
so the descriptions are in the database. Export takes `export_fields` for datapackage.json.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Literal

import duckdb
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import IctpError, one_line
from pipeline.settings import PROJECT_DIR
from pipeline.yaml_file import read_yaml

SQL_DIR = PROJECT_DIR / "sql"
FILE = Path("build") / "3_marts" / "columns.yml"  # in the sql/ folder, beside the marts


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Table(_Strict):
    description: str
    columns: dict[str, str | None] | None = None
    columns_from: str | None = None


class _Field(_Strict):
    type: Literal["string", "integer", "number", "date", "boolean"]
    description: str | None = None


class _Exports(_Strict):
    long: dict[str, _Field]
    wide: dict[str, _Field]
    wide_tail: dict[str, _Field]
    sources: dict[str, _Field]
    composite_scores: dict[str, _Field] = {}
    composite_components: dict[str, _Field] = {}


# An export field without a description takes that of the column of its name in this table
# (indicator_values for the series' files; the table of the same name for the composites')
EXPORTED_FROM = {part: part for part in ("composite_scores", "composite_components")}


class _File(_Strict):
    shared_columns: dict[str, str] = {}
    tables: dict[str, _Table]
    exports: _Exports


class ColumnDocs:
    """The file's descriptions, with shared columns and `columns_from` resolved."""

    def __init__(self, path: Path, doc: _File):
        self.path = path
        self.tables = {name: t.description for name, t in doc.tables.items()}
        self.columns: dict[str, dict[str, str]] = {}
        for name, t in doc.tables.items():
            if (t.columns is None) == (t.columns_from is None):
                raise IctpError(f"{path}: table {name}: give either columns or columns_from")
            source = doc.tables.get(t.columns_from or name)
            if source is None or source.columns is None:
                raise IctpError(
                    f"{path}: table {name}: columns_from {t.columns_from!r} is not a table "
                    "with columns in this file"
                )
            self.columns[name] = {
                col: _text(
                    path, f"{name}.{col}", text, doc.shared_columns.get(col), "shared_columns"
                )
                for col, text in source.columns.items()
            }
        self.exports: dict[str, list[tuple[str, str, str]]] = {}
        for part, fields in doc.exports:
            table = EXPORTED_FROM.get(part, "indicator_values")
            described = self.columns.get(table, {})
            self.exports[part] = []
            for n, f in fields.items():
                where = f"exports.{part}.{n}"
                text = _text(path, where, f.description, described.get(n), table)
                self.exports[part].append((n, f.type, text))

    def comments(self) -> list[tuple[str, str, str]]:
        """(table, column or "" for the table itself, description) for everything described."""
        out = []
        for table, description in self.tables.items():
            out.append((table, "", description))
            out += [(table, col, text) for col, text in self.columns[table].items()]
        return out

    def statements(self) -> list[str]:
        """COMMENT ON TABLE (views too) and COMMENT ON COLUMN for everything described."""
        return [_statement(table, col, text) for table, col, text in self.comments()]


def _statement(table: str, column: str, text: str) -> str:
    if not column:
        return f"comment on table {_ident(table)} is {_literal(text)}"
    return f"comment on column {_ident(table)}.{_ident(column)} is {_literal(text)}"


def _text(path: Path, where: str, text: str | None, fallback: str | None, of: str) -> str:
    if text is None and fallback is None:
        raise IctpError(f"{path}: {where} has no description, and {of} has none of its name")
    return text if text is not None else fallback


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@cache
def load(sql_dir: Path = SQL_DIR) -> ColumnDocs:
    path = sql_dir / FILE
    if not path.exists():
        raise IctpError(f"{path} is missing: it describes the published tables")
    doc = read_yaml(path)
    try:
        return ColumnDocs(path, _File.model_validate(doc))
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "the top level"
        what = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise IctpError(f"{path}: {where}: {what}") from None


def apply(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> int:
    """Comment every described table and column of the database; the number of statements."""
    docs = load(sql_dir)
    comments = docs.comments()
    con.execute("begin")  # one commit for all: a commit per statement writes the file each time
    for table, column, text in comments:
        try:
            con.execute(_statement(table, column, text))
        except duckdb.Error as e:
            con.execute("rollback")
            what = f"column {table}.{column}" if column else f"table {table}"
            raise IctpError(
                f"{docs.path} describes {what}, which the models did not create "
                f"({one_line(e, 200)}): remove it from the file or fix the model"
            ) from None
    con.execute("commit")
    return len(comments)


def export_fields(part: str, sql_dir: Path = SQL_DIR) -> list[tuple[str, str, str]]:
    """(name, frictionless type, description) of the export's fields: part is long, wide (the
    fields before the year columns), wide_tail (after them), sources (sources.csv),
    composite_scores or composite_components."""
    return load(sql_dir).exports[part]


def digest(sql_dir: Path = SQL_DIR) -> str:
    """The file's hash, for the fingerprints of steps that read it."""
    return hashlib.sha256((sql_dir / FILE).read_bytes()).hexdigest()


def render(sql_dir: Path = SQL_DIR) -> str:
    """docs/columns.md: every published table and column, and the CSV fields, as columns.yml
    describes them."""
    docs = load(sql_dir)
    lines = [
        "# Columns: every published table and CSV field",
        "",
        f"Generated from `sql/{FILE.as_posix()}` by `python -m pipeline.column_docs`; the same",
        "text is the `COMMENT` of each table and column in the database and the field",
        "descriptions of `datapackage.json`. Edit the YAML, not this page.",
    ]
    for table, description in docs.tables.items():
        lines += ["", f"## `{table}`", "", description, "", "| column | meaning |", "|---|---|"]
        lines += [f"| `{col}` | {_cell(text)} |" for col, text in docs.columns[table].items()]
    for part, title in (
        ("long", "`<series>.csv`"),
        ("wide", "`<series>_wide.csv`, before the year columns"),
        ("wide_tail", "`<series>_wide.csv`, after them"),
        ("composite_scores", "`composite_<name>_scores.csv`"),
        ("composite_components", "`composite_<name>_components.csv`"),
    ):
        lines += ["", f"## {title}", "", "| field | type | meaning |", "|---|---|---|"]
        lines += [f"| `{n}` | {t} | {_cell(d)} |" for n, t, d in docs.exports[part]]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


DOCS_PAGE = PROJECT_DIR / "docs" / "columns.md"

if __name__ == "__main__":
    DOCS_PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCS_PAGE}")

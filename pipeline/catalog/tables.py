"""Catalog entries as DuckDB `input.*` tables: column types come from the models' annotations.

A Table names its columns as paths into a row model (`licence_url=licence.path`: column
licence_url holds the row's licence.path); each column's DuckDB type is derived from the
annotation of the field or property the path ends at, so no column list keeps types by hand.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel

SCALARS = {str: "varchar", int: "integer", float: "double", bool: "boolean", Path: "varchar"}


def duckdb_type(annotation: Any) -> str:
    """The DuckDB type of a Python annotation: str varchar, int integer, float double, bool
    boolean, Literal[...] of texts varchar, X | None as X, list[X] / tuple[X, ...] X[]."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return duckdb_type(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"no single DuckDB type for {annotation}")
        return duckdb_type(kinds[0])
    if origin is Literal:
        return duckdb_type(type(get_args(annotation)[0]))
    if origin in (list, tuple):
        return duckdb_type(get_args(annotation)[0]) + "[]"
    if annotation in SCALARS:
        return SCALARS[annotation]
    raise TypeError(f"no DuckDB type for {annotation}")


def annotation_of(model: type, attr: str) -> Any:
    """The annotation of a model's field, or the return annotation of its property."""
    if issubclass(model, BaseModel) and attr in model.model_fields:
        return model.model_fields[attr].annotation
    member = getattr(model, attr)
    if isinstance(member, property):
        member = member.fget
    elif isinstance(member, cached_property):
        member = member.func
    return get_type_hints(member, vars(sys.modules[model.__module__]))["return"]


@dataclass(frozen=True)
class Table:
    """`name` (without schema) and its columns, 'column=path.to.attr' or 'attr', in order."""

    name: str
    row: type  # the row model the paths start from
    spec: str

    @cached_property
    def columns(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(column, attribute path, DuckDB type) for each column."""
        out = []
        for item in self.spec.split():
            column, _, path = item.partition("=")
            parts = tuple((path or column).split("."))
            model = self.row
            for part in parts[:-1]:
                model = _model_of(annotation_of(model, part))
            out.append((column, parts, duckdb_type(annotation_of(model, parts[-1]))))
        return out

    def values(self, row: Any) -> list[Any]:
        out = []
        for _column, parts, _type in self.columns:
            value = row
            for part in parts:
                value = None if value is None else getattr(value, part)
            out.append(str(value) if isinstance(value, Path) else value)
        return out

    def create(self, con, schema: str, rows: list[Any]) -> None:
        create_table(
            con,
            f"{schema}.{self.name}",
            {c: t for c, _p, t in self.columns},
            [self.values(r) for r in rows],
        )


def _model_of(annotation: Any) -> type:
    if isinstance(annotation, type):
        return annotation
    for arg in get_args(annotation):
        if isinstance(arg, type) and arg is not type(None):
            return arg
    raise TypeError(f"no model in {annotation}")


def create_table(con, name: str, columns: dict[str, str], rows: list) -> None:
    """A DuckDB table with explicit column types (a column of NULLs keeps its type); rows are
    dicts keyed by column or sequences in column order."""
    con.execute(
        f"create or replace table {name} ("
        + ", ".join(f'"{c}" {t}' for c, t in columns.items())
        + ")"
    )
    row = f"({', '.join('?' for _ in columns)})"
    for start in range(0, len(rows), 500):  # a statement per 500 rows (executemany is slow)
        chunk = rows[start : start + 500]
        con.execute(
            f"insert into {name} values {', '.join(row for _ in chunk)}",
            [v for r in chunk for v in (r if not isinstance(r, dict) else [r[c] for c in columns])],
        )

"""sql/build/3_marts/columns.yml is checked strictly, and describing a column the models did not create
is an error naming the file (the build's own test: test_query_and_build.py)."""

from __future__ import annotations

import duckdb
import pytest

from pipeline import column_docs
from pipeline.errors import IctpError

EXPORTS = "exports: {long: {}, wide: {}, wide_tail: {}, sources: {}}\n"


def docs_dir(tmp_path, text):
    (tmp_path / "build" / "3_marts").mkdir(parents=True)
    (tmp_path / "build" / "3_marts" / "columns.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_shared_and_copied_columns_become_comment_statements(tmp_path):
    """`year:` takes the shared description; columns_from copies a table's; quotes are doubled."""
    sql = docs_dir(
        tmp_path,
        "shared_columns: {year: Reference year.}\n"
        "tables:\n"
        "  a: {description: \"The A's.\", columns: {year: , value: It's the value.}}\n"
        "  b: {description: B., columns_from: a}\n" + EXPORTS,
    )
    assert column_docs.load(sql).statements() == [
        "comment on table \"a\" is 'The A''s.'",
        'comment on column "a"."year" is \'Reference year.\'',
        "comment on column \"a\".\"value\" is 'It''s the value.'",
        "comment on table \"b\" is 'B.'",
        'comment on column "b"."year" is \'Reference year.\'',
        "comment on column \"b\".\"value\" is 'It''s the value.'",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "tables: {a: {description: A., colums: {x: X.}}}\n" + EXPORTS,
            "tables.a.colums: unknown key",
        ),
        ("tables: {a: {description: A., columns: {x: }}}\n" + EXPORTS, "a.x has no description"),
        ("tables: {a: {description: 1, columns: {x: X.}}}\n" + EXPORTS, "tables.a.description"),
        ("tables: {a: {description: A., columns_from: b}}\n" + EXPORTS, "columns_from 'b'"),
        ("tables: {}\nexports: {long: {x: {type: text}}}\n", "exports.long.x.type"),
    ],
)
def test_a_wrong_entry_is_an_error_naming_the_file_and_the_entry(tmp_path, text, message):
    """Unknown keys, missing descriptions and wrong types are errors, never skipped."""
    sql = docs_dir(tmp_path, text)
    with pytest.raises(IctpError, match="columns.yml: .*") as e:
        column_docs.load(sql)
    assert message in str(e.value)


def test_a_description_of_a_missing_column_fails_naming_the_file(tmp_path):
    """apply() refuses to describe what the models did not create."""
    sql = docs_dir(tmp_path, "tables: {t: {description: T., columns: {nope: N.}}}\n" + EXPORTS)
    con = duckdb.connect()
    con.execute("create table t (x integer)")
    with pytest.raises(
        IctpError, match=r"columns.yml describes column t.nope, which the models did not create"
    ):
        column_docs.apply(con, sql)


def test_the_docs_page_of_columns_is_rendered_from_columns_yml():
    """docs/columns.md is what columns.yml says now (regenerate: python -m pipeline.column_docs)."""
    assert column_docs.DOCS_PAGE.read_text(encoding="utf-8") == column_docs.render(), (
        "docs/columns.md is out of date: run `python -m pipeline.column_docs`"
    )

"""Publishing the demo's exports: datapackage.json valid for the `frictionless` library (field
types and primary keys checked on every file), licences per file and in sources.csv, the Excel
workbook read back with openpyxl, the `catalog` view, and `ictp status`'s freshness and table
rows."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import duckdb
import frictionless
import openpyxl
import pytest
from conftest import ROOT, untyped_columns

from pipeline import column_docs, workbook


def exports(data):
    return data / "processed" / "exports"


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_datapackage_is_valid_for_frictionless_types_and_keys_included(published_demo):
    package = exports(published_demo) / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    doc = json.loads(package.read_text(encoding="utf-8"))
    assert len(report.tasks) == len(doc["resources"])  # every file was read and checked
    assert all(r["schema"]["primaryKey"] for r in doc["resources"])
    assert {r["path"] for r in doc["resources"]} == {
        p.name for p in exports(published_demo).glob("*.csv")
    }


def test_frictionless_catches_a_wrong_type_and_a_duplicate_key(published_demo, tmp_path):
    """The validation above would notice: a text in the value column, a repeated economy-year."""
    folder = shutil.copytree(exports(published_demo), tmp_path / "exports")
    path = folder / "internet_users_pct.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[6] = "lots"  # value
    lines[1] = ",".join(cells)
    lines.append(lines[2])  # the same economy and year twice
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    errors = {e.type for task in report.tasks for e in task.errors}
    assert {"type-error", "primary-key"} <= errors


def test_licences_are_per_file_with_no_licence_columns_or_comment_lines(published_demo):
    folder = exports(published_demo)
    doc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    present: set[str] = set()
    for r in doc["resources"]:
        text = (folder / r["path"]).read_text(encoding="utf-8")
        assert not [ln for ln in text.splitlines() if ln.startswith("#")]
        if r["path"] == "sources.csv":
            continue
        header = text.splitlines()[0].split(",")
        assert "licence" not in header and "attribution" not in header
        if r["path"].endswith("_wide.csv") or "composite" in r["ictp"]:
            continue  # a composite's files: their terms are those of every input's source
        sources = {row["source"] for row in read_csv(folder / r["path"])}
        present |= sources
        assert set(r["ictp"]["sources"]) == sources  # the file's sources, no more
        # synthetic data: one licence and one source entry, which say so
        assert [x["name"] for x in r["licenses"]] == ["CC0-1.0"]
        assert len(r["sources"]) == 1 and "SYNTHETIC" in r["sources"][0]["title"]
    terms = read_csv(folder / "sources.csv")
    assert [t["source"] for t in terms] == sorted(present) == ["itu", "worldbank"]
    assert all(t["synthetic"] == "true" and "SYNTHETIC" in t["attribution"] for t in terms)
    assert all(t["licence"] == "CC0-1.0" and t["licence_url"].startswith("https://") for t in terms)
    fields = [f["name"] for f in next(r for r in doc["resources"] if r["name"] == "sources")[
        "schema"]["fields"]]  # fmt: skip
    assert fields == list(terms[0]) == [n for n, _t, _d in column_docs.export_fields("sources")]


def test_workbook_has_a_sheet_per_series_and_notes(published_demo):
    folder = exports(published_demo)
    doc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    series = [r["ictp"]["series"] for r in doc["resources"] if "series" in r["ictp"]
              and not r["path"].endswith("_wide.csv")]  # fmt: skip
    composites = sorted(
        {r["ictp"]["composite"] for r in doc["resources"] if "composite" in r["ictp"]}
    )
    book = openpyxl.load_workbook(folder / workbook.NAME)
    sheets = [n for n in book.sheetnames if not n.startswith("composite_")]
    assert sorted(n for n in book.sheetnames if n.startswith("composite_")) == [
        f"composite_{c}"[:31] for c in composites
    ]
    assert len(sheets) == len(series) + 1 and book.sheetnames[-1] == "notes"
    assert all(len(n) <= 31 for n in book.sheetnames)
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)
    for name, sid in zip(sheets, series, strict=False):
        assert sid.startswith(name.split("~")[0])
        ws = book[name]
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width > 0 and ws.column_dimensions["B"].width > 10
        rows = list(ws.iter_rows(values_only=False))
        csv_rows = read_csv(folder / f"{sid}.csv")
        assert len(rows) - 1 == len(csv_rows)
        header = [c.value for c in rows[0]]
        assert header == list(csv_rows[0])
        at = {h: i for i, h in enumerate(header)}
        for row, want in zip(rows[1:], csv_rows, strict=True):
            assert row[at["value"]].data_type == "n" and row[at["year"]].data_type == "n"
            assert row[at["value"]].value == pytest.approx(float(want["value"]), rel=1e-12)
            assert row[at["economy"]].value == want["economy"]
    notes = [c for row in book["notes"].iter_rows(values_only=True) for c in row if c]
    for t in read_csv(folder / "sources.csv"):
        assert t["attribution"] in notes and t["licence_url"] in notes
    assert "Run" in notes and "ictp" in notes


def test_workbook_sheet_names_are_cut_and_unique():
    names: set[str] = set()
    long = "fixed_broadband_basket_5gb_gni_pct"
    got = [workbook._unique(names, x) for x in (long, long[:31] + "_other", "notes", "NOTES")]
    assert got == [long[:31], long[:29] + "~2", "notes", "NOTES~2"]
    assert all(len(n) <= 31 for n in got)


def test_catalog_view_lists_every_table_column_type_and_description(published_demo):
    with duckdb.connect(str(published_demo / "processed" / "ict.duckdb"), read_only=True) as con:
        listed = con.execute(
            'select "schema", "table", "column", type, description from catalog'
        ).fetchall()
        expected = con.execute(
            "select schema_name, table_name, column_name, data_type, comment "
            "from duckdb_columns() where schema_name in ('main', 'qa', 'input') and not internal"
        ).fetchall()
    assert sorted(listed, key=str) == sorted(expected, key=str)
    docs = column_docs.load()
    main = {(t, c): d for s, t, c, _ty, d in listed if s == "main"}
    assert main == {(t, c): d for t, cols in docs.columns.items() for c, d in cols.items()}
    assert {s for s, *_ in listed} == {"main", "qa", "input"}


def test_every_published_column_has_a_type_whatever_the_data(published_demo):
    """No column of a stored table, vintage file or the database is of DuckDB's type NULL: in the
    demo no download fails, so every last_error is NULL, and its type must still be text, as it
    is when one fails."""
    status = published_demo / "processed" / "tables" / "series_status.parquet"
    with duckdb.connect() as con:
        errors = con.execute(
            "select count(*), count(last_error), any_value(typeof(last_error)) "
            "from read_parquet(?)",
            [str(status)],
        ).fetchone()
    assert errors[0] > 50 and errors[1] == 0 and errors[2] == "VARCHAR"
    assert untyped_columns(published_demo) == []


def test_status_flags_overdue_series_and_counts_table_rows(published_demo, ictp, tmp_path,
                                                           monkeypatch):  # fmt: skip
    catalog = shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    text = (catalog / "series.yml").read_text(encoding="utf-8")
    pop = "  - id: population\n"
    assert text.count(pop) == 1
    (catalog / "series.yml").write_text(
        text.replace(pop, pop + "    expect_update_days: 30\n"), encoding="utf-8"
    )
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(catalog))
    code, out, err = ictp("status", "--data-dir", published_demo)
    assert code == 0, err
    with duckdb.connect() as con:
        vintages = dict(
            con.execute(
                "select series, vintage from read_parquet(?) where source = 'worldbank' "
                "and vintage is not null",
                [str(published_demo / "processed" / "tables" / "series_status.parquet")],
            ).fetchall()
        )
    today = dt.date.today()
    lines = {ln.split()[0]: ln for ln in out.splitlines() if ln.startswith("  ") and ln.split()}
    for sid, vintage in vintages.items():
        age = (today - dt.date.fromisoformat(str(vintage)[:10])).days
        limit = 30 if sid == "population" else 400
        fields = lines[sid].split()
        assert int(fields[-2 if age <= limit else -3]) == age, lines[sid]
        assert ("OVERDUE" in lines[sid]) == (age > limit)
    assert "OVERDUE" in lines["population"]  # the demo's vintage is 2026-07-01
    assert "series overdue" in out and "population@worldbank" in out
    with duckdb.connect(str(published_demo / "processed" / "ict.duckdb"), read_only=True) as con:
        counts = {
            f"main.{t}": con.execute(f'select count(*) from "{t}"').fetchone()[0]
            for t in ("observations", "economies", "quarantine", "series")
        }
        counts["qa.sources_disagree"] = con.execute(
            "select count(*) from qa.sources_disagree"
        ).fetchone()[0]
    for name, n in counts.items():
        assert int(lines[name].split()[-1].replace(",", "")) == n

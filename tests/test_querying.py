"""The example queries of the README's Querying section, read from the file, run by `ictp query` (the
sandboxed, read-only connection) against the demo database; each result is checked against the
database's tables or the exported CSV files."""

from __future__ import annotations

import csv
import io
import re

import duckdb
from conftest import ROOT

DOC = ROOT / "README.md"
BLOCK = re.compile(r"```sql\n-- query: (\w+)\n(.*?)```", re.DOTALL)
QUERIES = dict(BLOCK.findall(DOC.read_text(encoding="utf-8")))


def test_the_doc_has_the_five_queries():
    assert sorted(QUERIES) == sorted(
        [
            "internet_use_by_income_group",
            "affordability_target",
            "revisions_latest_vintage",
            "idi_ranking",
            "series_coverage",
        ]
    )


def run(ictp, data, name) -> list[dict]:
    """Every table the queries read is built by the demo: a missing one fails the test."""
    code, out, err = ictp("query", "--data-dir", data, "--csv", "--max-rows", "100000",
                          QUERIES[name])  # fmt: skip
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def one(data, query: str) -> list[tuple]:
    """The rows of a query on the demo database, the connection closed again (`ictp query`
    opens the file with another configuration, which DuckDB refuses while one is open)."""
    with duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True) as con:
        return con.execute(query).fetchall()


def test_internet_use_by_income_group(published_demo, ictp):
    rows = run(ictp, published_demo, "internet_use_by_income_group")
    latest = dict(
        one(
            published_demo,
            "select group_code, max(\"year\") from aggregates where indicator = 'HH7' "
            "and group_type = 'wb_income' and value is not null group by 1",
        )
    )
    assert rows and {r["group_code"] for r in rows} == set(latest) <= {"HIC", "UMC", "LMC", "LIC"}
    assert all(int(r["year"]) == latest[r["group_code"]] for r in rows)
    values = [float(r["internet_use_pct"]) for r in rows]
    assert values == sorted(values, reverse=True) and all(0 <= v <= 100 for v in values)


def test_affordability_target(published_demo, ictp):
    rows = run(ictp, published_demo, "affordability_target")
    with open(
        published_demo / "processed" / "exports" / "mobile_broadband_basket_5gb_gni_pct.csv",
        encoding="utf-8",
    ) as f:
        exported = list(csv.DictReader(f))
    latest: dict[str, tuple[int, float]] = {}
    for r in exported:  # each economy's latest figure of A10's series, from the CSV file
        year = int(r["year"])
        if r["economy"] not in latest or year > latest[r["economy"]][0]:
            latest[r["economy"]] = (year, float(r["value"]))
    window = one(
        published_demo, "select reference_year - latest_window_years from input.core_settings"
    )[0][0]
    below = {e for e, (y, v) in latest.items() if v < 2 and y >= window}
    assert rows and {r["economy"] for r in rows} == below
    assert {(r["target_pct"], r["target_confirmed"]) for r in rows} == {("2.0", "False")}


def test_revisions_latest_vintage(published_demo, ictp):
    rows = run(ictp, published_demo, "revisions_latest_vintage")
    assert all(r["to_vintage"] for r in rows)


def test_idi_ranking(published_demo, ictp):
    rows = run(ictp, published_demo, "idi_ranking")
    assert rows and [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))


def test_series_coverage(published_demo, ictp):
    rows = run(ictp, published_demo, "series_coverage")
    with open(
        published_demo / "processed" / "exports" / "internet_users_pct.csv", encoding="utf-8"
    ) as f:
        exported = list(csv.DictReader(f))
    per_year: dict[str, int] = {}
    for r in exported:
        per_year[r["year"]] = per_year.get(r["year"], 0) + 1
    assert {r["year"]: int(r["economies"]) for r in rows} == per_year

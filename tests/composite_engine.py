"""Run the composite SQL models on given inputs: a real DuckDB with the two tables the models
read from a built database (intermediate.int_country_values, economies), the spec tables loaded
from spec files written by the test, and sql/build/4_composites/ run as the build runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipeline import composites
from pipeline.catalog import load_composites_into

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
SPECS = ROOT / "indicators" / "composites"


def engine(
    tmp_path: Path,
    specs: dict[str, str],
    values: list[tuple],
    economies: list[tuple] | None = None,
    shipped: tuple[str, ...] = (),
    runs: int = 0,
    seed: int = 0,
    name: str | None = None,
    edition: int | None = None,
) -> duckdb.DuckDBPyConnection:
    """values: (economy, series, year, value); economies: (iso3, income_id, region_id).
    `shipped`: spec files of indicators/composites/ to copy beside the test's own."""
    cat = tmp_path / "catalog"
    (cat / "composites").mkdir(parents=True, exist_ok=True)
    for f in shipped:
        shutil.copy(SPECS / f, cat / "composites" / f)
    for n, text in specs.items():
        (cat / "composites" / f"{n}.yml").write_text(text, encoding="utf-8")
    if economies is None:
        economies = [(e, "HIC", "EAS") for e in sorted({v[0] for v in values})]
    con = duckdb.connect()
    con.execute("create schema intermediate")
    con.execute(
        "create table intermediate.int_country_values (economy varchar, series varchar, "
        '"year" smallint, value double, choice bigint)'
    )
    if values:
        import pyarrow as pa

        cols = list(zip(*values, strict=True))
        table = pa.table(
            {
                "economy": pa.array(cols[0], pa.string()),
                "series": pa.array(cols[1], pa.string()),
                "year": pa.array(cols[2], pa.int16()),
                "value": pa.array(cols[3], pa.float64()),
            }
        )
        con.register("given_values", table)
        con.execute("insert into intermediate.int_country_values select *, 1 from given_values")
        con.unregister("given_values")
    con.execute(
        "create table economies (iso3 varchar, name varchar, is_aggregate boolean, "
        "income_id varchar, region_id varchar, itu_country_id integer)"
    )
    con.executemany(
        "insert into economies values (?, ?, false, ?, ?, ?)",
        [(e, f"Economy {e}", inc, reg, i) for i, (e, inc, reg) in enumerate(economies, 1)],
    )
    load_composites_into(con, cat, "input", series_ids=None)
    composites.load_provider_scores_into(con, tmp_path, SQL_DIR)
    composites.run_models(con, SQL_DIR, composites.uncertainty(runs, seed, name, edition))
    return con


def rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

"""`ictp demo` and `make demo`: the whole pipeline offline, on synthetic data that says so."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, env_without_settings

from pipeline import column_docs
from pipeline.demo import synthetic


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo") / "data"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "demo", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=env_without_settings(),
    )
    return proc, data


def test_demo_runs_offline_and_summarises(demo):
    proc, data = demo
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "127.0.0.1" in out and "no network" in out
    for step in ("ingest:", "validate:", "build:", "export:"):
        assert step in out
    # the deliberately invalid values
    assert f"quarantined {len(synthetic.INVALID) + len(synthetic.ITU_INVALID)}" in out
    assert str(data / "processed" / "ict.duckdb") in out
    assert str(data / "processed" / "exports") in out
    assert "SYNTHETIC" in out


def test_invalid_values_end_in_quarantine_not_in_exports(demo):
    _proc, data = demo
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    codes = dict(con.execute("select source_code, series from series").fetchall())
    quarantined = con.execute(
        'select series, economy, "year", reason from quarantine order by all'
    ).fetchall()
    invalid = synthetic.INVALID + synthetic.ITU_INVALID
    expected = sorted((codes[c], e, y) for c, e, y, _v in invalid)
    assert [(s, e, y) for s, e, y, _r in quarantined] == expected
    reasons = " ".join(r for *_x, r in quarantined)
    assert "above the maximum 100.0 for internet_users_pct" in reasons
    assert "below the minimum 0.0 for fixed_telephone_subs" in reasons
    assert "1,234,567 is not a number" in reasons
    assert "n/a is not a number" in reasons  # an ITU answer that is not a number
    leaked = con.execute(
        "select count(*) from indicator_values v "
        'join quarantine q using (series, economy, "year", source)'
    ).fetchone()[0]
    assert leaked == 0
    # zeros and gaps are part of the demo, like in real data
    assert con.execute("select count(*) from indicator_values where value = 0").fetchone()[0] > 0
    assert con.execute("select sum(rows_no_value) from series").fetchone()[0] > 0


def test_outputs_say_they_are_synthetic(demo):
    _proc, data = demo
    package = json.loads((data / "processed" / "exports" / "datapackage.json").read_text())
    assert package["ictp"]["synthetic"] is True
    assert "SYNTHETIC" in package["title"]
    assert all(r["ictp"]["synthetic"] for r in package["resources"])
    assert all("SYNTHETIC" in r["sources"][0]["title"] for r in package["resources"])
    runs = [json.loads(p.read_text()) for p in (data / "processed" / "runs").glob("*.json")]
    assert runs and all(r["synthetic"] for r in runs)
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    assert con.execute("select bool_and(synthetic) from series where rows_in > 0").fetchone()[0]


def test_demo_data_is_deterministic():
    a, b = synthetic.indicators(), synthetic.indicators()
    assert {k: v.values for k, v in a.items()} == {k: v.values for k, v in b.items()}
    # counts agree with their per-100 rate and population, as real statistics do
    rate = a["IT.CEL.SETS.P2"].values[("KEN", 2015)]
    pop = a["SP.POP.TOTL"].values[("KEN", 2015)]
    assert a["IT.CEL.SETS"].values[("KEN", 2015)] == round(rate * pop / 100)


def test_ldc_aggregate_of_an_itu_series(demo):
    """HH6 (households with Internet, ITU only) for the LDC group, weighted by population:
    recomputed here from the demo generator's own values and ITU's LDC list."""
    from pipeline.settings import Settings

    _proc, data = demo
    itu = {s.code: s for s in synthetic.itu_series(Settings().catalog()).values()}
    hh6 = itu["xHH6_IDI"].values
    pop = synthetic.indicators(["SP.POP.TOTL"])["SP.POP.TOTL"].values
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    rows = con.execute(
        'select "year", value, economies_with_data, economies_in_group from aggregates '
        "where group_code = 'LDC' and group_type = 'un_list' and indicator = 'HH6' "
        "and value is not null order by 1"
    ).fetchall()
    assert rows
    for year, value, n, n_group in rows:
        both = [e for e in synthetic.ITU_LDC
                if (e, year) in hh6 and isinstance(pop.get((e, year)), int)]  # fmt: skip
        expected = sum(float(hh6[(e, year)]) * pop[(e, year)] for e in both) / sum(
            pop[(e, year)] for e in both
        )
        assert value == pytest.approx(expected, rel=1e-9)
        assert n == len([e for e in synthetic.ITU_LDC if (e, year) in hh6])
        assert n_group == len(synthetic.ITU_LDC)
    itu_regions = con.execute(
        "select distinct group_code from aggregates where group_type = 'itu_region'"
    ).fetchall()
    assert {r[0] for r in itu_regions} == {"AFR", "AMS", "ARB", "ASP", "EUR"}


def test_every_published_table_and_column_is_described_in_columns_yml(demo):
    """sql/build/3_marts/columns.yml describes exactly the tables and columns of schema main, in their
    order; the build put each description into the database, export into datapackage.json."""
    _proc, data = demo
    docs = column_docs.load()
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    tables = dict(
        con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'main' "
            "union all select view_name, comment from duckdb_views() "
            "where schema_name = 'main' and not internal"
        ).fetchall()
    )
    columns: dict[str, dict] = {}
    for table, column, comment in con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = 'main' and not internal order by table_name, column_index"
    ).fetchall():
        columns.setdefault(table, {})[column] = comment
    con.close()
    assert tables == docs.tables
    assert {t: list(c.items()) for t, c in columns.items()} == {
        t: list(c.items()) for t, c in docs.columns.items()
    }
    package = json.loads((data / "processed" / "exports" / "datapackage.json").read_text())
    long, wide = package["resources"][:2]
    described = {n: d for n, _t, d in column_docs.export_fields("long")}
    assert {
        f["name"]: f["description"] for f in long["schema"]["fields"] if f["name"] != "value"
    } == {n: d for n, d in described.items() if n != "value"}
    assert [f["name"] for f in wide["schema"]["fields"]][-1] == "sources"

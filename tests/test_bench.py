"""`make bench` smoke test: the quick mode on a tiny scale-up, and the generator's faithfulness.

The benchmark runs the real pipeline (not part of `make test` at full size); here it runs on
20,000 rows and must time every stage and write its JSON. Its generated data must be what the
demo API stand-in would serve and what `ictp validate` would store, or the large sizes (which
build from the generated Parquet) would measure something else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT

from bench import datasets
from pipeline.demo.worldbank_api import Indicator, WorldBankAPI

STAGES = {"ingest", "tidy", "validate", "store", "ictp validate", "build", "export"}
TOTALS = {"raw -> exports", "end to end", "no-op run"}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICTP_")}
    argv = ["--quick", "--size", "20000", "--work-dir", tmp / "work", "--out-dir", tmp / "out"]
    proc = subprocess.run(
        [sys.executable, "-m", "bench", *map(str, argv), "--keep"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp, proc


def test_quick_mode_times_every_stage_and_writes_json(bench_run):
    tmp, proc = bench_run
    doc = json.loads((tmp / "out" / "latest.json").read_text())
    assert list((tmp / "out").glob("bench-quick-*.json"))
    rows = {r["stage"]: r for r in doc["table"] if r["size"] == "20k"}
    assert STAGES | TOTALS <= set(rows)
    assert sum(r["stage"].startswith("query: ") for r in rows.values()) == 3
    for r in rows.values():
        assert r["source"] in ("measured", "estimated") and r["seconds"] > 0, r
        assert r["peak_rss_mb"] > 10, r
    for stage in ("tidy", "validate", "store", "build", "export"):
        assert rows[stage]["x_floor"] > 0 and rows[stage]["x_pandas"] > 0, stage
    assert {t["target"] for t in rows["ingest"]["targets"]} == {">= 50 MB/s"}
    assert len(rows["build"]["targets"]) == 2  # vs the hand-written aggregate, vs pandas
    result = doc["results"][0]
    assert result["checks"]["ok"] and result["checks"]["stored"] > 18_000
    # DuckDB and pandas computed the same population-weighted aggregates
    floor, pandas = result["floors"]["duckdb"], result["pandas"]
    assert floor["aggregate_check"][:2] == pandas["aggregate_check"][:2]
    assert floor["aggregate_check"][2] == pytest.approx(pandas["aggregate_check"][2], rel=1e-9)
    assert floor["rules_failed"] == pandas["rules_failed"] == result["checks"]["quarantined"]
    assert "ingest" in proc.stdout and "targets met" in proc.stdout


def test_generated_pages_are_what_the_api_stand_in_serves(bench_run):
    tmp, _proc = bench_run
    ds = datasets.scale_up(tmp / "work", 20000)  # cached: the folder the run used
    con = duckdb.connect()
    values = con.execute(
        'select source_code, economy, "year", value from read_parquet($v)',
        {"v": str(ds.dir / "values.parquet")},
    ).fetchall()
    entries = datasets.series_entries(ds.series)
    indicators = {
        e["sources"]["worldbank"]: Indicator(
            e["sources"]["worldbank"],
            e["name"],
            {(econ, y): v for code, econ, y, v in values if code == e["sources"]["worldbank"]},
            datasets.YEARS,
            lastupdated=datasets.LASTUPDATED,
            decimal=datasets.decimals(e),
        )
        for e in entries
    }
    api = WorldBankAPI(datasets.economies(ds.economies), indicators)
    pages = ds.indicator_pages()
    assert len(pages) == ds.pages
    for series, path in pages:
        code = next(e["sources"]["worldbank"] for e in entries if e["id"] == series)
        _s, _h, body = api.handle(
            f"/v2/country/all/indicator/{code}", {"per_page": "1000", "page": path.stem}
        )
        assert json.loads(path.read_bytes()) == json.loads(body), path

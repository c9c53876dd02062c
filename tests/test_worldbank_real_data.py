"""End to end on real published World Bank data, replayed by a local HTTP server.

ingest -> validate -> store -> build -> export, then the values in indicator_values and in the
CSV extracts are compared with the source files themselves (not with our own output).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import duckdb
import pytest
import wdi_replay
from conftest import ROOT, SHARED_DATA

from pipeline.demo.worldbank_api import serve


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not (SHARED_DATA / "wdi").is_dir():
        pytest.skip(f"real published data not found at {SHARED_DATA} (../shared/data)")
    data_dir = tmp_path_factory.mktemp("real") / "data"
    api = wdi_replay.api(SHARED_DATA)
    env = {**os.environ, "ICTP_HTTP_BACKOFF": "0.01"}
    with serve(api) as url:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "run",
                "--data-dir",
                str(data_dir),
                "--worldbank-url",
                url,
                "--series",
                ",".join(wdi_replay.SERIES),
                "--sources",
                "worldbank",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=600,
        )
    con = duckdb.connect(str(data_dir / "processed" / "ict.duckdb"), read_only=True)
    yield {
        "proc": proc,
        "dir": data_dir,
        "con": con,
        "url": url,
        "countries": {
            r["Country Code"] for r in wdi_replay.country_rows(SHARED_DATA) if r["Region"]
        },
    }
    con.close()


def test_run_succeeds_and_accounts_for_every_row(real):
    proc = real["proc"]
    assert proc.returncode == 0, proc.stderr
    con = real["con"]
    rows_in, stored, quarantined, no_value = con.execute(
        "select sum(rows_in), sum(rows_stored), sum(rows_quarantined), sum(rows_no_value) "
        "from series where status = 'ok'"
    ).fetchone()
    assert rows_in == stored + quarantined + no_value
    assert f"rows in {rows_in:,} = stored {stored:,}" in proc.stdout
    # every source row with a value is stored: real data breaks none of the catalog's ranges
    expected = sum(len(wdi_replay.values(SHARED_DATA, s)) for s in wdi_replay.SERIES)
    assert stored == expected
    assert quarantined == 0
    # the API sends every economy-year, nulls included; those are counted, not stored
    n_economies = len(wdi_replay.country_rows(SHARED_DATA))
    for series in wdi_replay.SERIES:
        vals = wdi_replay.values(SHARED_DATA, series)
        years = {y for _e, y in vals}
        grid = n_economies * (max(years) - min(years) + 1)
        assert (
            con.execute(
                "select rows_in from series where series = ? and source = 'worldbank'", [series]
            ).fetchone()[0]
            == grid
        )


def test_series_arrive_over_many_pages(real):
    pulls = [
        json.loads(line) for line in (real["dir"] / "raw" / "pulls.jsonl").read_text().splitlines()
    ]
    pages = {p["series"]: len(p["pages"]) for p in pulls if p["status"] == "ok"}
    assert pages["population"] >= 17  # 265 economies x 66 years at 1,000 rows a page
    manifest = (real["dir"] / "raw" / "manifest.jsonl").read_text().splitlines()
    assert len(manifest) == sum(pages.values())


@pytest.mark.parametrize("series", wdi_replay.SERIES)
def test_country_values_equal_the_source_files(real, series):
    source = {
        (e, y): float(v)
        for (e, y), v in wdi_replay.values(SHARED_DATA, series).items()
        if e in real["countries"]
    }
    ours = {
        (e, y): v
        for e, y, v in real["con"]
        .execute('select economy, "year", value from indicator_values where series = ?', [series])
        .fetchall()
    }
    assert ours == source


def test_spot_checks_zero_missing_and_aggregates(real):
    con = real["con"]
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    pop = wdi_replay.values(SHARED_DATA, "population")
    users = wdi_replay.values(SHARED_DATA, "internet_users_pct")

    def value(series, economy, year, table="indicator_values"):
        row = con.execute(
            f'select value from {table} where series = ? and economy = ? and "year" = ?',
            [series, economy, year],
        ).fetchone()
        return row and row[0]

    # a real zero (Aruba had no mobile subscriptions in 1960) is kept as 0, not dropped
    assert mobile[("ABW", 1960)] == 0
    assert value("mobile_cellular_subs_per_100", "ABW", 1960) == 0.0
    # ordinary values, several economies and years
    assert value("mobile_cellular_subs_per_100", "KEN", 2015) == mobile[("KEN", 2015)]
    assert value("mobile_cellular_subs_per_100", "FJI", 2024) == mobile[("FJI", 2024)]
    assert value("population", "USA", 2020) == pop[("USA", 2020)]
    assert value("population", "XKX", 2020) == pop[("XKX", 2020)]  # a code ISO lacks
    assert value("internet_users_pct", "IND", 2019) == users[("IND", 2019)]
    # a year the source has no value for is absent, not zero
    assert ("ABW", 1961) not in mobile
    assert value("mobile_cellular_subs_per_100", "ABW", 1961) is None
    # aggregates stay in observations and never reach the country table
    assert value("population", "WLD", 2020, "observations") == pop[("WLD", 2020)]
    assert value("population", "WLD", 2020) is None


def test_exports_carry_the_source_values(real):
    exports = real["dir"] / "processed" / "exports"
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    with open(exports / "mobile_cellular_subs_per_100.csv", encoding="utf-8", newline="") as f:
        rows = {(r["economy"], int(r["year"])): r for r in csv.DictReader(f)}
    assert rows[("ABW", 1960)]["value"] == "0"
    assert float(rows[("KEN", 2015)]["value"]) == mobile[("KEN", 2015)]
    assert rows[("KEN", 2015)]["economy_name"] == "Kenya"
    assert rows[("KEN", 2015)]["income_group"]
    assert ("ABW", 1961) not in rows
    assert not any(e == "WLD" for e, _y in rows)
    with open(exports / "mobile_cellular_subs_per_100_wide.csv", encoding="utf-8", newline="") as f:
        wide = {r["economy"]: r for r in csv.DictReader(f)}
    assert float(wide["KEN"]["2015"]) == mobile[("KEN", 2015)]
    gaps = [y for y in wide["ABW"] if y.isdigit() and ("ABW", int(y)) not in mobile]
    assert gaps and all(wide["ABW"][y] == "" for y in gaps)  # a gap is empty, never 0
    pop = wdi_replay.values(SHARED_DATA, "population")
    with open(exports / "population.csv", encoding="utf-8", newline="") as f:
        usa = {int(r["year"]): r["value"] for r in csv.DictReader(f) if r["economy"] == "USA"}
    assert usa[2020] == str(pop[("USA", 2020)])  # counts are written as whole numbers

    package = json.loads((exports / "datapackage.json").read_text())
    assert package["ictp"]["synthetic"] is False
    paths = {r["path"] for r in package["resources"]}
    assert paths == {p.name for p in exports.glob("*.csv")}
    for r in package["resources"]:
        assert r["licenses"][0]["name"] == "CC-BY-4.0"
        assert "World Bank" in r["sources"][0]["title"]
        header = (exports / r["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in r["schema"]["fields"]]


def test_every_published_table_and_column_is_documented(real):
    con = real["con"]
    undocumented = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'main' and not internal and (comment is null or comment = '')"
    ).fetchall()
    assert undocumented == []
    tables = con.execute(
        "select table_name, comment from duckdb_tables() where schema_name = 'main' "
        "and not internal union all select view_name, comment from duckdb_views() "
        "where schema_name = 'main' and not internal"
    ).fetchall()
    assert {t for t, _c in tables} >= {
        "observations",
        "economies",
        "series",
        "indicator_values",
        "quarantine",
        "runs",
    }
    assert all(c for _t, c in tables)


def test_economies_from_the_country_list(real):
    con = real["con"]
    assert con.execute(
        "select is_aggregate, region from economies where iso3 = 'WLD'"
    ).fetchone() == (True, None)
    assert con.execute(
        "select is_aggregate, region_id, income_id from economies where iso3 = 'XKX'"
    ).fetchone() == (False, "ECS", "UMC")
    n_countries = len(real["countries"])
    assert con.execute(
        "select count(*) from economies where in_worldbank and not is_aggregate"
    ).fetchone()[0] == (n_countries)


def test_outputs_are_reproducible(real):
    """Validating and building again from the same raw files gives byte-identical files."""
    data_dir = real["dir"]
    processed = data_dir / "processed"
    before = {p.name: p.read_bytes() for p in (processed / "exports").glob("*")}
    obs = (processed / "tables" / "observations.parquet").read_bytes()
    env = {**os.environ}
    for step in ("validate", "build", "export"):  # --force: run again, not skip as unchanged
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", step, "--force", "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
    assert (processed / "tables" / "observations.parquet").read_bytes() == obs
    after = {p.name: p.read_bytes() for p in (processed / "exports").glob("*")}
    assert after == before

"""Core indicators, latest values and aggregates on real World Bank data.

Every expected number is computed here from the source files (../shared/data), never copied
from the pipeline's output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest
import wdi_replay
import yaml
from conftest import ROOT, SHARED_DATA, run_worldbank, serve

from pipeline.cli import main

SERIES = "population,mobile_cellular_subs_per_100,internet_users_pct,fixed_telephone_subs_per_100"
REFERENCE_YEAR, WINDOW = 2022, 5


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real-data run with a catalog whose reference year is fixed (results do not age)."""
    if not (SHARED_DATA / "wdi").is_dir():
        pytest.skip(f"real published data not found at {SHARED_DATA} (../shared/data)")
    base = tmp_path_factory.mktemp("core")
    catalog = shutil.copytree(ROOT / "indicators", base / "indicators")
    core = yaml.safe_load((catalog / "core.yml").read_text())
    core["settings"].update(reference_year=REFERENCE_YEAR, latest_window_years=WINDOW)
    for entry in core["indicators"]:
        if entry["id"] == "A1":  # ask for gap filling on one indicator only
            entry.update(fill="interpolate", max_gap=4)
    (catalog / "core.yml").write_text(yaml.safe_dump(core, sort_keys=False))
    data = base / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_CATALOG_DIR", str(catalog))
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        code = run_worldbank(data, wdi_replay.api(SHARED_DATA), SERIES)
    assert code == 0
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    yield {"con": con, "catalog": catalog, "data": data}
    con.close()


def _countries() -> dict[str, dict]:
    return {r["Country Code"]: r for r in wdi_replay.country_rows(SHARED_DATA) if r["Region"]}


def _region_members(region_name: str) -> list[str]:
    """The region's countries in economy-code order (the order the aggregates add them in)."""
    return sorted(c for c, r in _countries().items() if r["Region"] == region_name)


def _weighted_mean(values: dict, pop: dict, members: list[str], year: int) -> float:
    """The population-weighted mean over the members with both figures, each sum added one
    term at a time in the members' order (not `sum()`: from Python 3.12 it compensates)."""
    weighted = weights = 0.0
    for c in members:
        if (c, year) in values and (c, year) in pop:
            weighted += values[(c, year)] * pop[(c, year)]
            weights += pop[(c, year)]
    return weighted / weights


def _a2_aggregate(built, code: str, year: int, columns: str = "value"):
    """The aggregate of A2 (mobile subscriptions per 100) for one group and year."""
    return (
        built["con"]
        .execute(
            f"select {columns} from aggregates "
            "where group_code = ? and indicator = 'A2' and \"year\" = ?",
            [code, year],
        )
        .fetchone()
    )


def test_weighted_aggregate_matches_a_hand_computation(built):
    """North America (a small group) and South Asia, A2 = mobile subscriptions per 100."""
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    pop = wdi_replay.values(SHARED_DATA, "population")
    for region_name, code in (("North America", "NAC"), ("South Asia", "SAS")):
        members = _region_members(region_name)
        for year in (2000, 2015, 2020):
            both = [c for c in members if (c, year) in mobile and (c, year) in pop]
            coverage = sum(pop[(c, year)] for c in both) / sum(
                pop[(c, year)] for c in members if (c, year) in pop
            )
            value, cov, n, n_group = _a2_aggregate(
                built,
                code,
                year,
                "value, population_coverage, economies_with_data, economies_in_group",
            )
            assert value == pytest.approx(_weighted_mean(mobile, pop, members, year), rel=1e-12)
            assert cov == pytest.approx(coverage, rel=1e-12)
            assert n == len([c for c in members if (c, year) in mobile])
            assert n_group == len(members)


def test_aggregate_sums_are_taken_in_economy_order(built):
    """A float sum depends on the order of its terms: each aggregate adds its members in
    economy-code order, so the same inputs give the same double, bit for bit, every run."""
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    pop = wdi_replay.values(SHARED_DATA, "population")
    for region_name, code in (("Europe & Central Asia", "ECS"), ("Sub-Saharan Africa", "SSF")):
        members = _region_members(region_name)
        for year in (2005, 2020):
            (value,) = _a2_aggregate(built, code, year)
            # exactly: not approximately
            assert value == _weighted_mean(mobile, pop, members, year)


def test_aggregates_below_the_coverage_threshold_are_withheld(built):
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    pop = wdi_replay.values(SHARED_DATA, "population")
    countries = _countries()
    rows = (
        built["con"]
        .execute(
            'select group_name, "year", value, population_coverage, withheld_reason '
            "from aggregates where indicator = 'A2' and group_type = 'wb_region'"
        )
        .fetchall()
    )
    withheld = published = 0
    for name, year, value, coverage, reason in rows:
        members = [c for c, r in countries.items() if r["Region"] == name and (c, year) in pop]
        expected = sum(pop[(c, year)] for c in members if (c, year) in mobile)
        expected /= sum(pop[(c, year)] for c in members)
        assert coverage == pytest.approx(expected), (name, year)
        if expected < 0.66:
            withheld += 1
            assert value is None
            assert f"{100 * expected:.1f}% of the group's population" in reason
            assert "below the 66% threshold" in reason
        else:
            published += 1
            assert value is not None and reason is None
    assert withheld > 0 and published > 0


def test_latest_value_within_the_window(built):
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    countries = _countries()
    expected = {}
    for (economy, year), value in mobile.items():
        if economy in countries and REFERENCE_YEAR - WINDOW <= year <= REFERENCE_YEAR:
            if economy not in expected or year > expected[economy][0]:
                expected[economy] = (year, value)
    got = {
        e: (y, v)
        for e, y, v, age in built["con"]
        .execute(
            'select economy, "year", value, age_years from core_indicators_latest '
            "where indicator = 'A2'"
        )
        .fetchall()
        if age == REFERENCE_YEAR - y
    }
    assert got == expected
    stale = [e for e in countries if e not in expected and any(k[0] == e for k in mobile)]
    assert stale, "some economies have only older values: they must be absent, not filled"


def test_reported_values_pass_through_unchanged(built):
    users = wdi_replay.values(SHARED_DATA, "internet_users_pct")
    rows = (
        built["con"]
        .execute(
            'select economy, "year", value, method, inputs, is_preferred from core_indicators '
            "where indicator = 'HH7'"
        )
        .fetchall()
    )
    countries = _countries()
    assert {(e, y): v for e, y, v, *_ in rows} == {
        k: float(v) for k, v in users.items() if k[0] in countries
    }
    assert {(m, i, p) for *_x, m, i, p in rows} == {
        ("reported", "internet_users_pct@worldbank", True)
    }


def test_gap_filling_only_where_asked_and_marked(built):
    tel = wdi_replay.values(SHARED_DATA, "fixed_telephone_subs_per_100")
    con = built["con"]
    filled = con.execute(
        "select economy, \"year\", value from core_indicators where method = 'interpolated'"
    ).fetchall()
    assert filled and all(
        i == "A1"
        for (i,) in con.execute(
            "select distinct indicator from core_indicators where method = 'interpolated'"
        ).fetchall()
    )
    assert (
        con.execute(
            "select count(*) from core_indicators where indicator = 'A2' and method <> 'reported'"
        ).fetchone()[0]
        == 0
    )
    for economy, year, value in filled[:50]:
        before = max(y for (e, y) in tel if e == economy and y < year)
        after = min(y for (e, y) in tel if e == economy and y > year)
        assert after - before - 1 <= 4
        expected = tel[(economy, before)] + (tel[(economy, after)] - tel[(economy, before)]) * (
            year - before
        ) / (after - before)
        assert value == pytest.approx(expected, rel=1e-12)
        assert (economy, year) not in tel


def test_every_core_indicator_is_computed_or_says_why(built):
    core = yaml.safe_load((built["catalog"] / "core.yml").read_text())["indicators"]
    status = {
        r[0]: r[1:]
        for r in built["con"]
        .execute("select indicator, status, reason, economies from core_indicator_status")
        .fetchall()
    }
    assert set(status) == {e["id"] for e in core}
    served = set(SERIES.split(","))
    for entry in core:
        state, reason, economies = status[entry["id"]]
        if entry["obtained"] == "not_computable":
            assert state == "not computable" and reason == entry["reason"]
            continue
        inputs = {
            v
            for way in entry["obtained"]
            for k, v in way.items()
            if k in ("series", "numerator", "denominator", "denominator2")
        }
        ways = [
            {
                v
                for k, v in way.items()
                if k in ("series", "numerator", "denominator", "denominator2")
            }
            for way in entry["obtained"]
        ]
        if any(way <= served for way in ways):
            assert state == "computed" and economies > 0, entry["id"]
        else:
            assert state == "no data", entry["id"]
            named = set(reason.removeprefix("no values for: ").split(", "))
            assert named == inputs - served


def test_indicators_command_lists_the_status(built):
    # its own process: the sandboxed query connection (pipeline/query.py) cannot share this
    # process's DuckDB instance with the fixture's plain read-only connection
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "indicators", "--data-dir", str(built["data"]), "--csv"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stderr
    assert out[0] == "indicator,name,status,how,economies,first_year,latest_year"
    rows = {line.split(",")[0]: line for line in out[1:]}
    assert "computed" in rows["A2"] and "not computable" in rows["B1"]
    assert "HH15" in rows


@pytest.fixture(scope="module")
def itu_built(tmp_path_factory):
    """ITU's real active mobile-broadband counts and rates, with the World Bank's population."""
    if not (SHARED_DATA / "itu" / "datahub").is_dir() or not (SHARED_DATA / "wdi").is_dir():
        pytest.skip(f"real ITU / WDI data not found at {SHARED_DATA} (../shared/data)")
    import itu_replay

    data = tmp_path_factory.mktemp("core-itu") / "data"
    series = "active_mobile_broadband_subs,active_mobile_broadband_subs_per_100,population"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        with (
            serve(wdi_replay.api(SHARED_DATA)) as wb_url,
            serve(itu_replay.api(SHARED_DATA)) as itu_url,
        ):
            code = main(["run", "--data-dir", str(data), "--worldbank-url", wb_url,
                         "--itu-url", itu_url, "--series", series])  # fmt: skip
    assert code == 0
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    yield con
    con.close()


def test_per_100_derived_from_counts_agrees_with_reported(itu_built):
    """A4: ITU's count of active mobile-broadband subscriptions / World Bank population x 100,
    against ITU's own per-100 rate (ITU divides by UN population estimates and prints six
    significant digits, so the two differ a little)."""
    import itu_replay

    rows = itu_replay.csv_rows(SHARED_DATA, "active_mobile_broadband_subscriptions.csv.gz")
    count = {(r["entityIso"], int(r["dataYear"])): float(r["dataValue"])
             for r in rows if r["seriesCode"] == "i271mw"}  # fmt: skip
    rate = {(r["entityIso"], int(r["dataYear"])): float(r["dataValue"])
            for r in rows if r["seriesCode"] == "i911mw"}  # fmt: skip
    pop = wdi_replay.values(SHARED_DATA, "population")
    countries = _countries()
    derived = {
        k: count[k] / pop[k] * 100 for k in count if k in pop and pop[k] and k[0] in countries
    }

    ours = {
        (e, y): (m, v)
        for e, y, m, v in itu_built.execute(
            "select economy, \"year\", method, value from core_indicators where indicator = 'A4'"
        ).fetchall()
    }
    got = {k: v for k, (m, v) in ours.items() if m == "derived"}
    assert got.keys() == derived.keys()
    assert all(got[k] == pytest.approx(derived[k], rel=1e-12) for k in derived)

    both = [k for k in derived if k in rate and derived[k] > 0]
    gaps = {k: abs(rate[k] - derived[k]) / derived[k] for k in both}
    assert len(both) > 1000
    assert sum(g <= 0.025 for g in gaps.values()) / len(gaps) >= 0.9
    flagged = set(
        itu_built.execute(
            "select economy, \"year\" from qa.core_reported_vs_derived where indicator = 'A4'"
        ).fetchall()
    )
    assert flagged == {k for k, g in gaps.items() if g > 0.05 and abs(rate[k] - derived[k]) > 0.01}
    # reported comes first in the catalog: it is the preferred row wherever it exists
    preferred = dict(itu_built.execute(
        "select economy || ':' || \"year\", method from core_indicators "
        "where indicator = 'A4' and is_preferred"
    ).fetchall())  # fmt: skip
    assert all(preferred[f"{e}:{y}"] == "reported" for e, y in both)

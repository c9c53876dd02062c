"""How ingest behaves when the ITU DataHub misbehaves: a real local server answers from the
synthetic ITU data and injects one fault into /data/bycode/11624 (internet_users_pct, i99H), or
into ITU's aggregate of it for the Arab States (/aggregation/bycodeid/11624/byregionid/3).

Each case checks the message (series, code, URL, the API's own words), the exit code, and that
the good data of an earlier run is still what the outputs show.
"""

from __future__ import annotations

import json
import time

import conftest
import duckdb
import pytest
from conftest import copy_tree
from test_ingest_faults import manifest, pulls

from pipeline.cli import main
from pipeline.demo import itu_api
from pipeline.demo.server import JSON, serve
from pipeline.settings import Settings

SERIES = "internet_users_pct,households_internet_pct"
TARGET = "/v2/data/bycode/11624"
ARAB_STATES = "aggregation/bycodeid/11624/byregionid/3"  # ITU's aggregate of i99H, region 3
ARGS = ["--series", SERIES, "--sources", "itu"]


def Faulty(fault=None, at="11624"):  # noqa: N802 (reads like the class it builds)
    """The synthetic ITU data, with `fault` on /data/bycode/11624 (internet_users_pct), or on
    the path ending `at`."""
    return conftest.Faulty(itu_api(Settings().catalog()), **({at: fault} if fault else {}))


@pytest.fixture(scope="module")
def good_template(tmp_path_factory):
    data = tmp_path_factory.mktemp("itu-good") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        with serve(Faulty()) as url:
            # usable; the demo's invalid ITU value (GHA 2018, "n/a") is quarantined
            assert main(["run", "--data-dir", str(data), "--itu-url", url, *ARGS]) == 4
    return data


@pytest.fixture
def good_run(good_template, tmp_path):
    return copy_tree(good_template, tmp_path / "data")


def snapshot(data) -> dict:
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    rows = con.execute(
        'select economy, "year", value, obs_status from indicator_values '
        "where series = 'internet_users_pct' order by all"
    ).fetchall()
    aggregates = con.execute(
        'select economy, "year", value, raw_sha256 from observations o '
        "join economies e on e.iso3 = o.economy and e.code_kind = 'itu_aggregate' "
        "where series = 'internet_users_pct' order by all"
    ).fetchall()
    status = dict(con.execute("select series, status from series where source = 'itu'").fetchall())
    con.close()
    pulls_status = dict(
        duckdb.execute(
            "select series, status from read_parquet(?) where source = 'itu'",
            [str(data / "processed" / "tables" / "series_status.parquet")],
        ).fetchall()
    )
    export = (data / "processed" / "exports" / "internet_users_pct.csv").read_bytes()
    return {
        "rows": rows,
        "aggregates": aggregates,
        "status": status,
        "pulls": pulls_status,
        "export": export,
    }


def run_with(ictp, data, fault, *args, at="11624"):
    with serve(Faulty(fault, at)) as url:
        started = time.monotonic()
        code, out, err = ictp(*args, "--data-dir", data, "--itu-url", url, *ARGS)
        return code, out, err, url, time.monotonic() - started


def target_requests(data) -> list[dict]:
    return [m for m in manifest(data) if m["url"].endswith(TARGET)]


def test_500_then_success_is_retried(tmp_path, ictp):
    def fault(query, n, good):
        if n == 1:
            return 500, {"Content-Type": "text/html"}, b"<html>Internal Server Error</html>"

    code, _out, err, _url, _t = run_with(ictp, tmp_path / "data", fault, "ingest")
    assert code == 0, err
    assert target_requests(tmp_path / "data")[0]["retries"] == [500]


def test_429_waits_for_retry_after(tmp_path, ictp):
    def fault(query, n, good):
        if n == 1:
            return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"

    code, _out, err, _url, elapsed = run_with(ictp, tmp_path / "data", fault, "ingest")
    assert code == 0, err
    assert elapsed >= 1.0  # the backoff is 0.01 s: only Retry-After explains the wait
    assert target_requests(tmp_path / "data")[0]["retries"] == [429]


def test_read_timeout_is_retried(tmp_path, ictp, monkeypatch):
    # a second above the answer's usual milliseconds: a busy machine (the tests run side by
    # side) answers the retry within it, as it did not always within 0.3 s
    monkeypatch.setenv("ICTP_HTTP_TIMEOUT", "1.0")

    def fault(query, n, good):
        if n == 1:
            time.sleep(2.5)

    code, _out, err, _url, _t = run_with(ictp, tmp_path / "data", fault, "ingest")
    assert code == 0, err
    assert target_requests(tmp_path / "data")[0]["retries"] == ["ReadTimeoutError"]


def _empty(query, n, good):
    return 200, JSON, b"[]"  # what the DataHub answers for a codeID it does not know


def _html(query, n, good):
    return (
        200,
        {"Content-Type": "text/html"},
        b"<!DOCTYPE html><html><body>Maintenance</body></html>",
    )


def _truncated_json(query, n, good):
    status, headers, body = good
    return status, headers, body[: len(body) // 2]


def _error_object(query, n, good):
    return 200, JSON, b'{"message": "Internal server error"}'


def _other_code(query, n, good):
    status, headers, body = good
    return status, headers, body.replace(b'"code":"i99H"', b'"code":"i99HX"')


PERMANENT = {
    "[] for an unknown code": (_empty, "answered [] (no records) for codeID 11624"),
    "HTML body": (_html, "not JSON (Content-Type text/html): '<!DOCTYPE html>"),
    "truncated JSON body": (_truncated_json, "cut short or malformed JSON"),
    "error object under 200": (_error_object, "answered with an error, not records"),
    "records of another code": (_other_code, "the records are ITU code i99HX"),
}


@pytest.mark.parametrize("case", PERMANENT)
def test_failed_series_keeps_its_last_good_data(good_run, ictp, case):
    fault, words = PERMANENT[case]
    before = snapshot(good_run)
    assert ("KEN", 2016) in {(e, y) for e, y, _v, _s in before["rows"]}
    code, _out, err, url, _t = run_with(ictp, good_run, fault, "run")

    assert code == 3
    assert "internet_users_pct (i99H)" in err
    assert words in err
    assert f"{url}/data/bycode/11624" in err
    after = snapshot(good_run)
    assert after["rows"] == before["rows"]
    assert after["export"] == before["export"]
    assert after["status"]["internet_users_pct"] == "stale"
    assert after["status"]["households_internet_pct"] == "ok"
    failed = [p for p in pulls(good_run) if p["status"] == "failed"]
    assert [p["series"] for p in failed] == ["internet_users_pct"]


def _other_region(query, n, good):
    status, headers, body = good
    assert b'"regionName":"Arab States"' in body
    return status, headers, body.replace(b'"regionName":"Arab States"', b'"regionName":"Africa"')


AGGREGATE_FAULTS = {
    "[] for a region": (
        _empty,
        "answered [] (no records) for codeID 11624 in region 3 (Arab States)",
    ),
    "HTML body": (_html, "not JSON (Content-Type text/html): '<!DOCTYPE html>"),
    "error object under 200": (_error_object, "answered with an error, not records"),
    "records of another region": (
        _other_region,
        "asked for the aggregate of region 3 (Arab States), but the records are for 'Africa'",
    ),
    "records of another code": (_other_code, "the records are ITU code i99HX"),
}


@pytest.mark.parametrize("case", AGGREGATE_FAULTS)
def test_failed_aggregates_keep_their_last_good_data(good_run, ictp, case):
    fault, words = AGGREGATE_FAULTS[case]
    before = snapshot(good_run)
    assert ("ITU.ARB", 2016) in {(e, y) for e, y, _v, _s in before["aggregates"]}
    assert before["pulls"]["aggregates:internet_users_pct"] == "ok"
    code, _out, err, url, _t = run_with(ictp, good_run, fault, "run", at=ARAB_STATES)

    assert code == 3
    line = next(x for x in err.splitlines() if "aggregates:internet_users_pct (i99H)" in x)
    assert words in line
    assert f"{url}/{ARAB_STATES}" in line
    after = snapshot(good_run)
    assert after["aggregates"] == before["aggregates"]  # every region's, not only the Arab States'
    assert after["rows"] == before["rows"]
    assert after["export"] == before["export"]
    assert after["pulls"]["aggregates:internet_users_pct"] == "stale"
    assert after["pulls"]["aggregates:households_internet_pct"] == "ok"
    assert after["status"]["internet_users_pct"] == "ok"  # the country figures are fine
    failed = [p for p in pulls(good_run) if p["status"] == "failed"]
    assert [p["series"] for p in failed] == ["aggregates:internet_users_pct"]


def _a_year_ahead(query, n, good):
    """ITU's estimate for 2025, a year no country has a figure for yet."""
    status, headers, body = good
    records = json.loads(body)
    records.append({**records[-1], "dataYear": 2025})
    return status, headers, json.dumps(records).encode()


def test_aggregates_a_year_ahead_of_the_countries_are_not_coverage(tmp_path, ictp):
    """The coverage rule counts countries: ITU publishing fewer regions' estimates for a year no
    country has reached yet is no loss of coverage (it would be 7 economies falling to 1)."""
    regions = [r["regionID"] for r in itu_api(Settings().catalog()).regions]
    paths = [f"aggregation/bycodeid/11624/byregionid/{r}" for r in regions]
    world = ["aggregation/bycodeid/11624/byregionid/701"]
    data = tmp_path / "data"
    for ahead in (paths, world):
        api = conftest.Faulty(itu_api(Settings().catalog()), **dict.fromkeys(ahead, _a_year_ahead))
        with serve(api) as url:
            code, _out, err = ictp("run", "--data-dir", data, "--itu-url", url, *ARGS)
        assert code == 4, err  # usable (the demo's invalid GHA value is quarantined), not 5
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    assert con.execute(
        "select list(economy order by economy) from observations "
        "where series = 'internet_users_pct' and \"year\" = 2025"
    ).fetchone() == (["ITU.WORLD"],)

"""No route to a host: after a few requests in a row cannot connect, the rest of that host's
requests fail at once with one message; the run ends with exit 3 and the good data kept. And
ITU's region list is downloaded once a run, however many series need it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections import Counter

import conftest
import pytest
from conftest import ROOT, copy_tree
from test_ingest_faults import good_template, pulls, snapshot  # noqa: F401 (the fixture)

from pipeline import errors
from pipeline.demo import itu_api
from pipeline.demo.server import serve
from pipeline.http import HOST_FAILURES
from pipeline.runs import load_runs
from pipeline.settings import Settings

SERIES = "internet_users_pct,population"
MAX_IN_FLIGHT = 4


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: connecting to it is refused


def run_process(data, url) -> subprocess.CompletedProcess:
    """`ictp run` of every World Bank series of the catalog (more downloads than can be in
    flight at once), as a real process."""
    cmd = [sys.executable, "-m", "pipeline", "run", "--data-dir", str(data)]
    return subprocess.run(
        [*cmd, "--worldbank-url", url, "--sources", "worldbank"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "ICTP_PER_PAGE": "500"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def this_runs_requests(data) -> list[dict]:
    run_id = load_runs(data / "processed" / "runs")[-1]["run_id"]
    lines = (data / "raw" / "manifest.jsonl").read_text().splitlines()
    return [m for m in map(json.loads, lines) if m["run_id"] == run_id]


@pytest.mark.parametrize("where", ["refused", "unresolvable"])
def test_an_unreachable_host_fails_fast_with_one_message(good_template, tmp_path, where):  # noqa: F811
    data = copy_tree(good_template, tmp_path / "data")
    before = snapshot(data)
    host = f"127.0.0.1:{unused_port()}" if where == "refused" else "no-such-host.invalid"
    proc = run_process(data, f"http://{host}/v2")

    assert proc.returncode == errors.INGEST_INCOMPLETE == 3, proc.stderr
    assert load_runs(data / "processed" / "runs")[-1]["status"] == "incomplete"  # not "failed"
    assert proc.stderr.count(f"cannot reach {host}") == 1
    assert proc.stderr.count("cannot reach") == 1
    requests = this_runs_requests(data)
    sent = [m for m in requests if not m["error"].startswith("not sent")]
    held = [m for m in requests if m["error"].startswith("not sent")]
    # each sent request was retried (ICTP_HTTP_RETRIES) inside; at most the ones in flight when
    # the breaker opened are sent after the HOST_FAILURES-th failure
    assert HOST_FAILURES <= len(sent) <= HOST_FAILURES + MAX_IN_FLIGHT - 1
    assert all(m["status"] is None for m in requests)
    assert len(held) >= 1  # the rest were never sent
    after = snapshot(data)
    assert after["rows"] == before["rows"] and after["export"] == before["export"]
    assert {k: after["status"][k] for k in SERIES.split(",")} == dict.fromkeys(
        SERIES.split(","), "stale"
    )  # their good data kept, marked stale; the others were never downloaded (missing)


class Counting:
    def __init__(self, api):
        self.api = api
        self.paths: Counter = Counter()

    def handle(self, path, query):
        self.paths[path] += 1
        return self.api.handle(path, query)


def test_itus_region_and_country_lists_are_downloaded_once_a_run(ictp, tmp_path):
    api = Counting(itu_api(Settings().catalog()))
    with serve(api) as url:
        code, _out, err = ictp(
            "ingest", "--data-dir", tmp_path, "--itu-url", url, "--sources", "itu"
        )
    assert code == 0, err
    aggregates = [p for p in api.paths if p.startswith("/v2/aggregation/bycodeid/")]
    series = {p.split("/")[4] for p in aggregates}
    assert len(series) > 5  # many series' aggregates read the region list...
    assert api.paths["/v2/region/all"] == 1  # ...which was downloaded once
    # the country list: its own pull's and the IDI pull's (every country's scores), one download
    assert any(p.startswith("/v2/idi/data/bycountryid/") for p in api.paths)
    assert api.paths["/v2/country/all"] == 1


def test_the_environments_proxy_is_used_and_no_proxy_honoured(ictp, tmp_path, monkeypatch):
    """The session reads the proxy settings once per host (pipeline/http.py Session): every
    request still goes through HTTP_PROXY, and a host in NO_PROXY is still asked directly."""
    api = Counting(conftest.demo_api())
    host = "worldbank.invalid"  # resolvable by no one: only the proxy can answer for it
    args = ["ingest", "--data-dir", tmp_path / "data", "--worldbank-url", f"http://{host}/v2",
            "--series", "population", "--sources", "worldbank"]  # fmt: skip
    monkeypatch.setenv("ICTP_PER_PAGE", "500")
    for var in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(var, raising=False)
    with serve(api) as url:  # the stand-in answers a proxy's absolute-URL requests too
        monkeypatch.setenv("HTTP_PROXY", url.removesuffix("/v2"))
        code, _out, err = ictp(*args)
        assert code == 0, err
        pages = sum(len(p["pages"]) for p in pulls(tmp_path / "data"))
        assert pages > 2 and sum(api.paths.values()) == pages  # every page by the proxy

        monkeypatch.setenv("NO_PROXY", host)
        code, _out, err = ictp(*args)
    assert code == errors.INGEST_INCOMPLETE and f"Failed to resolve '{host}'" in err
    assert sum(api.paths.values()) == pages  # asked directly, not through the proxy

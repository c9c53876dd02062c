"""How ingest behaves when the World Bank API misbehaves, as it really does.

A real local server answers from the synthetic data set and injects one fault. Each case checks
the message (series, URL, the API's own words), the exit code, and that the good data from an
earlier run is still what the outputs show.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import conftest
import duckdb
import pytest
from conftest import copy_tree, demo_api

from pipeline.cli import main
from pipeline.demo.worldbank_api import JSON, serve

SERIES = "internet_users_pct,population"


def Faulty(fault=None):  # noqa: N802 (reads like the class it builds)
    """The demo data set, with `fault` on the internet_users_pct series (IT.NET.USER.ZS)."""
    return conftest.Faulty(demo_api(), **({"IT_NET_USER_ZS": fault} if fault else {}))


ONLY_WB = ["--sources", "worldbank"]  # ITU's faults: test_itu_faults.py


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("ICTP_PER_PAGE", "500")  # 4 pages a series


@pytest.fixture(scope="module")
def good_template(tmp_path_factory):
    """A data directory holding one complete, good run (made once, copied per test)."""
    data = tmp_path_factory.mktemp("good") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_PER_PAGE", "500")
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        with serve(Faulty()) as url:
            code = main(
                ["run", "--data-dir", str(data), "--worldbank-url", url, "--series", SERIES]
                + ONLY_WB
            )
    assert code == 4  # usable: the demo data's invalid Internet-use value (KEN 2015) is quarantined
    return data


@pytest.fixture
def good_run(good_template, tmp_path, env):
    return copy_tree(good_template, tmp_path / "data")


def snapshot(data: Path) -> dict:
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    rows = con.execute(
        "select economy, \"year\", value from indicator_values where series = 'internet_users_pct' "
        "order by all"
    ).fetchall()
    status = dict(
        con.execute("select series, status from series where source = 'worldbank'").fetchall()
    )
    con.close()
    export = (data / "processed" / "exports" / "internet_users_pct.csv").read_bytes()
    return {"rows": rows, "status": status, "export": export}


def run_with(ictp, data, fault, *args):
    with serve(Faulty(fault)) as url:
        started = time.monotonic()
        code, out, err = ictp(
            *args, "--data-dir", data, "--worldbank-url", url, "--series", SERIES, *ONLY_WB
        )
        return code, out, err, url, time.monotonic() - started


def pulls(data: Path) -> list[dict]:
    return [json.loads(x) for x in (data / "raw" / "pulls.jsonl").read_text().splitlines()]


def manifest(data: Path) -> list[dict]:
    return [json.loads(x) for x in (data / "raw" / "manifest.jsonl").read_text().splitlines()]


# ------------------------------------------------------------ transient faults: retried


def test_500_then_success_is_retried(tmp_path, ictp, env):
    def fault(query, n, good):
        if query.get("page") == "2" and n == 1:
            return 500, {"Content-Type": "text/html"}, b"<html>Internal Server Error</html>"

    code, _out, err, _url, _t = run_with(ictp, tmp_path / "data", fault, "ingest")
    assert code == 0, err
    page2 = [
        m
        for m in manifest(tmp_path / "data")
        if m["series"] == "internet_users_pct" and m["params"]["page"] == 2
    ]
    assert page2[0]["status"] == 200 and page2[0]["retries"] == [500]


def test_429_waits_for_retry_after(tmp_path, ictp, env):
    def fault(query, n, good):
        if query.get("page") == "1" and n == 1:
            return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"

    code, _out, err, _url, elapsed = run_with(ictp, tmp_path / "data", fault, "ingest")
    assert code == 0, err
    assert elapsed >= 1.0  # the backoff is 0.01 s: only Retry-After explains the wait
    first = [
        m
        for m in manifest(tmp_path / "data")
        if m["series"] == "internet_users_pct" and m["params"]["page"] == 1
    ]
    assert first[0]["retries"] == [429]


def test_read_timeout_is_retried(tmp_path, ictp, env, monkeypatch):
    # a second above the answer's usual milliseconds: a busy machine (the tests run side by
    # side) answers the retry within it, as it did not always within 0.3 s
    monkeypatch.setenv("ICTP_HTTP_TIMEOUT", "1.0")

    def fault(query, n, good):
        if query.get("page") == "3" and n == 1:
            time.sleep(2.5)  # longer than the read timeout: the client gives up and retries

    code, _out, err, _url, _t = run_with(ictp, tmp_path / "data", fault, "ingest")
    assert code == 0, err
    page3 = [
        m
        for m in manifest(tmp_path / "data")
        if m["series"] == "internet_users_pct" and m["params"]["page"] == 3
    ]
    assert page3[0]["retries"] == ["ReadTimeoutError"]


# ------------------------------------------------------------ permanent faults: series fails


def _message(query, n, good):
    return (
        200,
        JSON,
        json.dumps(
            [
                {
                    "message": [
                        {
                            "id": "175",
                            "key": "Invalid indicator",
                            "value": "The indicator was not found. It may have been deleted or archived.",
                        }
                    ]
                }
            ]
        ).encode(),
    )


def _html(query, n, good):
    if query.get("page") == "2":
        return (
            200,
            {"Content-Type": "text/html"},
            b"<!DOCTYPE html><html><body>Service Unavailable</body></html>",
        )


def _truncated_json(query, n, good):
    if query.get("page") == "2":
        status, headers, body = good
        return status, headers, body[: len(body) // 2]


def _comma_missing(query, n, good):
    """Page 2 whole, start and end intact, but one comma between two rows gone (simdjson,
    which checks the pages, refuses it; the words are decode_json's)."""
    if query.get("page") == "2":
        status, headers, body = good
        cut = body.index(b"},{", len(body) // 2)
        return status, headers, body[: cut + 1] + body[cut + 2 :]


def _bad_utf8(query, n, good):
    if query.get("page") == "2":
        status, headers, body = good
        at = body.index(b'"date":"', len(body) // 2) + len(b'"date":"')
        return status, headers, body[:at] + b"\xff" + body[at + 1 :]


def _rows_not_a_list(query, n, good):
    if query.get("page") == "2":
        status, headers, body = good
        header, rows = json.loads(body)
        return status, headers, json.dumps([header, {"rows": rows}]).encode()


def _short_last_page(query, n, good):
    status, headers, body = good
    header, rows = json.loads(body)
    if header["page"] == header["pages"]:
        return status, headers, json.dumps([header, rows[:-3]]).encode()


def _pages_change(query, n, good):
    status, headers, body = good
    header, rows = json.loads(body)
    if header["page"] == 3:
        header = {**header, "pages": header["pages"] + 1, "total": header["total"] + 500}
        return status, headers, json.dumps([header, rows]).encode()


def _cut_connection(query, n, good):
    if query.get("page") == "2":
        status, headers, body = good
        return status, {**headers, "Content-Length": str(len(body))}, body[:100]


def _always_502(query, n, good):
    return 502, {"Content-Type": "text/html"}, b"<html><body>502 Bad Gateway</body></html>"


PERMANENT = {
    "message under 200": (_message, "The indicator was not found"),
    "HTML body": (_html, "not JSON (Content-Type text/html): '<!DOCTYPE html>"),
    "truncated JSON body": (_truncated_json, "cut short or malformed JSON"),
    "a comma missing mid-page": (_comma_missing, "cut short or malformed JSON"),
    "a byte that is not UTF-8 mid-page": (_bad_utf8, "cut short or malformed JSON"),
    "rows that are not a list": (_rows_not_a_list, "the rows part of the page is not a list"),
    "short last page": (_short_last_page, "announced 1995"),
    "page count changes mid-pull": (_pages_change, "the data changed during the download"),
    "connection cut mid-body": (_cut_connection, "closed before the whole body arrived"),
    "502 after every retry": (_always_502, "HTTP 502 Bad Gateway after 3 retries"),
}


@pytest.mark.parametrize("case", PERMANENT)
def test_failed_series_keeps_its_last_good_data(good_run, ictp, case):
    fault, words = PERMANENT[case]
    before = snapshot(good_run)
    code, _out, err, url, _t = run_with(ictp, good_run, fault, "run")

    assert code == 3  # documented: some series failed, their last good data was kept
    assert "internet_users_pct (IT.NET.USER.ZS)" in err
    assert words in err
    assert f"{url}/country/all/indicator/IT.NET.USER.ZS" in err
    after = snapshot(good_run)
    assert after["rows"] == before["rows"]  # the failed series still shows its good data
    assert after["export"] == before["export"]
    assert after["status"]["internet_users_pct"] == "stale"
    assert after["status"]["population"] == "ok"  # the rest of the run went on
    failed = [p for p in pulls(good_run) if p["status"] == "failed"]
    assert [p["series"] for p in failed] == ["internet_users_pct"]

    code, out, _err = ictp("status", "--data-dir", good_run)
    assert code == 0
    assert "stale" in out and words in out


def test_ingest_failure_leaves_processed_outputs_untouched(good_run, ictp):
    processed = good_run / "processed"
    before = {
        p: p.read_bytes() for p in processed.rglob("*") if p.is_file() and "runs" not in p.parts
    }
    code, _out, err, _url, _t = run_with(ictp, good_run, _html, "ingest")
    assert code == 3 and "not JSON" in err
    after = {
        p: p.read_bytes() for p in processed.rglob("*") if p.is_file() and "runs" not in p.parts
    }
    assert after == before


def test_error_bodies_are_kept_but_never_used(good_run, ictp):
    run_with(ictp, good_run, _html, "ingest")
    html = [
        m for m in manifest(good_run) if m.get("headers", {}).get("content-type") == "text/html"
    ]
    assert html, "the HTML answer is logged"
    sha = html[-1]["sha256"]
    path = good_run / "raw" / "objects" / sha[:2] / sha
    assert path.read_bytes().startswith(b"<!DOCTYPE html>")
    used = {
        p["sha256"] for pull in pulls(good_run) if pull["status"] == "ok" for p in pull["pages"]
    }
    assert sha not in used


def test_same_bytes_add_no_raw_file(good_run, ictp):
    objects = good_run / "raw" / "objects"
    files_before = sorted(objects.rglob("*"))
    lines_before = len(manifest(good_run))
    code, _out, err, _url, _t = run_with(ictp, good_run, None, "ingest")
    assert code == 0, err
    assert sorted(objects.rglob("*")) == files_before
    new_lines = manifest(good_run)[lines_before:]
    assert new_lines and not any(m["new_file"] for m in new_lines)

"""Raw objects are checked against their sha256 name: a bad one is listed by `ictp verify` and
replaced by the next download of the same bytes; a SIGKILL inside ingest or put() leaves the
previous store, manifest and pulls intact and the next ingest completes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import conftest
import duckdb
import pytest
from conftest import ROOT, demo_api, set_values
from test_ingest_faults import manifest, pulls

from pipeline.demo.worldbank_api import serve
from pipeline.raw_store import RawStore
from pipeline.runs import load_runs

SERIES = "internet_users_pct,population"
ARGS = ["--series", SERIES, "--sources", "worldbank"]


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("ICTP_PER_PAGE", "500")  # 4 pages a series


@pytest.fixture
def ingested(ictp, tmp_path, env):
    data = tmp_path / "data"
    with serve(demo_api()) as url:
        code, _out, err = ictp("ingest", "--data-dir", data, "--worldbank-url", url, *ARGS)
    assert code == 0, err
    return data


def ingest(ictp, data, api=None):
    with serve(api or demo_api()) as url:
        return ictp("ingest", "--data-dir", data, "--worldbank-url", url, *ARGS)


def a_page(data) -> tuple[str, object]:
    """The sha256 and path of page 2 of the latest good internet_users_pct pull."""
    store = RawStore(data / "raw")
    pull = store.latest_good_pulls()[("worldbank", "internet_users_pct")]
    sha = pull["pages"][1]["sha256"]
    return sha, store.path(sha)


def test_verify_lists_an_edited_object_and_a_fresh_download_repairs_it(ictp, ingested):
    code, out, err = ictp("verify", "--data-dir", ingested)
    assert code == 0, err
    assert "every object matches its sha256" in out
    sha, path = a_page(ingested)
    good = path.read_bytes()
    path.write_bytes(good.replace(b'"value":', b'"value" :', 1))  # edited by hand
    store = RawStore(ingested / "raw")
    assert not store.verify(sha)
    pull = store.latest_good_pulls()[("worldbank", "internet_users_pct")]
    assert store.latest_intact_pulls()[1] == [(pull, [sha])]  # passed over, with its bad page

    code, out, err = ictp("verify", "--data-dir", ingested)
    assert code == 1
    assert f"BAD      {path}; used by " in out and "/worldbank/internet_users_pct" in out
    assert "1 raw object(s) do not match their sha256" in err and err.count("\n") == 1

    code, _out, err = ingest(ictp, ingested)  # the same bytes again: the object is repaired
    assert code == 0, err
    assert path.read_bytes() == good
    warned = [w["message"] for w in load_runs(ingested / "processed" / "runs")[-1]["warnings"]]
    assert any(str(path) in w and "replaced it with the fresh download" in w for w in warned)
    repaired = [m for m in manifest(ingested) if m.get("sha256") == sha]
    assert [m["new_file"] for m in repaired] == [True, True]  # first download, then the repair
    code, out, _err = ictp("verify", "--data-dir", ingested)
    assert code == 0 and "BAD" not in out


def test_verify_lists_a_missing_page(ictp, ingested):
    sha, path = a_page(ingested)
    path.unlink()
    code, out, err = ictp("verify", "--data-dir", ingested)
    assert code == 1 and f"MISSING  {path}" in out and "1 are missing" in err


def test_an_intact_object_is_not_rewritten(ingested):
    sha, path = a_page(ingested)
    inode = path.stat().st_ino
    assert RawStore(ingested / "raw").put(path.read_bytes()) == (sha, False)
    assert path.stat().st_ino == inode


def test_verify_all_answers_for_every_name_in_order(tmp_path):
    """verify_all shares the names among the threads: each name still gets its own answer, in
    the order asked, a name asked twice once. Of 9 objects, the 3rd is edited and the 8th
    deleted; one name was never stored."""
    store = RawStore(tmp_path / "raw")
    shas = [store.put(f"page {i}".encode())[0] for i in range(9)]
    store.path(shas[2]).write_bytes(b"edited")
    store.path(shas[7]).unlink()
    never = "0" * 64
    asked = [*reversed(shas), never, shas[0]]
    answers = store.verify_all(asked)
    assert list(answers) == [*reversed(shas), never]
    assert [sha for sha, good in answers.items() if not good] == [shas[7], shas[2], never]


def test_verify_help(ictp):
    with pytest.raises(SystemExit) as exit_:
        ictp("verify", "--help")
    assert exit_.value.code == 0


# ------------------------------------------------------------ crash points: a real SIGKILL


def ingest_process(data, url, crash_at: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ICTP_CRASH_AT": crash_at, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline", "ingest", "--data-dir", str(data)]
    return subprocess.run(
        [*cmd, "--worldbank-url", url, *ARGS], env=env, capture_output=True, text=True, timeout=120
    )


def state(data) -> dict:
    raw = data / "raw"
    objects = {p.name: p.read_bytes() for p in (raw / "objects").rglob("*") if p.is_file()}
    return {"objects": objects, "pulls": (raw / "pulls.jsonl").read_bytes()}


@pytest.mark.parametrize("point", ["ingest.after_first_page", "raw_store.put.before_link"])
def test_a_kill_inside_ingest_leaves_the_store_intact(ictp, ingested, point):
    before = state(ingested)
    lines = len(manifest(ingested))
    changed = conftest.Faulty(demo_api(), IT_NET_USER_ZS=set_values({("USA", "2020"): 42.5}))
    with serve(changed) as url:
        proc = ingest_process(ingested, url, point)
    assert proc.returncode == -9, proc.stderr  # died by SIGKILL, at the point

    after = state(ingested)
    assert after["pulls"].startswith(before["pulls"])  # whole lines added, none half-done
    store = RawStore(ingested / "raw")
    assert store.latest_good_pulls()[("worldbank", "internet_users_pct")] == good_pull(before)
    old = {k: v for k, v in after["objects"].items() if not k.startswith(".tmp")}
    assert {k: old[k] for k in before["objects"]} == before["objects"]  # nothing old touched
    assert all(store.verify(sha) for sha in store.names())  # nothing half-written under a name
    assert store.latest_intact_pulls() == (store.latest_good_pulls(), [])  # every pull intact
    assert len(manifest(ingested)) >= lines  # every line still parses

    code, _out, err = ictp("verify", "--data-dir", ingested)
    assert code == 0, err
    code, _out, err = ingest(ictp, ingested, changed)  # the next run completes
    assert code == 0, err
    latest = [p for p in pulls(ingested) if p["series"] == "internet_users_pct"][-1]
    assert latest["status"] == "ok" and latest["pages"] != good_pull(before)["pages"]


def good_pull(state: dict) -> dict:
    lines = [json.loads(x) for x in state["pulls"].decode().splitlines()]
    return [p for p in lines if p["series"] == "internet_users_pct" and p["status"] == "ok"][-1]


# ------------------------------------------------------------ validate re-hashes what it reads


def stored(data, series: str) -> dict:
    path = data / "processed" / "tables" / "observations.parquet"
    con = duckdb.connect()
    rows = con.execute(
        'select economy, "year", value from read_parquet($p) where series = $s',
        {"p": str(path), "s": series},
    ).fetchall()
    return {(e, y): v for e, y, v in rows}


def outputs(data) -> dict:
    return {p.name: p.read_bytes() for p in (data / "processed" / "tables").iterdir()}


def warnings(data) -> list[str]:
    """Every run's warnings (run ids of one second do not sort by time)."""
    return [w["message"] for r in load_runs(data / "processed" / "runs") for w in r["warnings"]]


def statuses(data) -> dict:
    path = data / "processed" / "tables" / "series_status.parquet"
    rows = duckdb.execute(
        "select series, source, status, last_error from read_parquet(?)", [str(path)]
    )
    return {s: (st, err) for s, source, st, err in rows.fetchall() if source == "worldbank"}


def test_validate_skips_a_pull_whose_objects_are_bad_and_keeps_the_last_good(ictp, ingested):
    code, _out, err = ictp("validate", "--data-dir", ingested)
    assert code in (0, 4), err
    first = stored(ingested, "internet_users_pct")
    assert first[("USA", 2020)] != 42.4242
    changed = conftest.Faulty(demo_api(), IT_NET_USER_ZS=set_values({("USA", "2020"): 42.4242}))
    code, _out, err = ingest(ictp, ingested, changed)
    assert code == 0, err
    store = RawStore(ingested / "raw")
    key = ("worldbank", "internet_users_pct")
    old, new = [p for p in store.pulls() if (p["source"], p["series"]) == key]
    with_usa = [
        p["sha256"] for p in new["pages"] if b"42.4242" in store.path(p["sha256"]).read_bytes()
    ]
    assert len(with_usa) == 1  # the page with USA 2020
    path = store.path(with_usa[0])
    path.write_bytes(path.read_bytes().replace(b"42.4242", b"52.4242"))  # edited on disk

    code, _out, err = ictp("validate", "--data-dir", ingested)
    assert code in (0, 4), err
    warning = next(w for w in warnings(ingested) if new["pull_id"] in w)
    assert str(path) in warning and "no longer match their sha256" in warning
    assert f"previous good pull {old['pull_id']} (stale)" in warning
    assert stored(ingested, "internet_users_pct") == first  # the last good data, not 52.4242
    status, error = statuses(ingested)["internet_users_pct"]
    assert status == "stale" and "ictp verify" in error

    for page in old["pages"]:  # now no pull of the series is intact: it has no data at all,
        store.path(page["sha256"]).unlink(missing_ok=True)  # which fails the batch (vanished)
    before = outputs(ingested)
    code, _out, err = ictp("validate", "--data-dir", ingested)
    assert code == 5 and "internet_users_pct (worldbank): it had" in err
    assert any("has no intact pull, so it has no data (missing)" in w for w in warnings(ingested))
    assert outputs(ingested) == before  # the previous generation, byte for byte

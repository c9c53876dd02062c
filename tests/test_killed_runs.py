"""SIGTERM, SIGKILL and the debris they leave: real `python -m pipeline` processes against a
slow server on 127.0.0.1, stopped mid-download."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import conftest
import pytest
from conftest import ROOT, demo_api

from pipeline import errors
from pipeline.demo.worldbank_api import serve
from pipeline.runs import load_runs

SERIES = "internet_users_pct,population"
ARGS = ["--series", SERIES, "--sources", "worldbank"]


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("ICTP_PER_PAGE", "500")  # 4 pages a series


class Slow:
    """The demo API; page 2 of internet_users_pct answers only after `seconds` (once per run),
    and `reached` is set when a client waits on it."""

    def __init__(self, seconds: float):
        self.reached = threading.Event()

        def slow(query, n, good):
            if query.get("page") == "2" and n == 1:
                self.reached.set()
                time.sleep(seconds)

        self.api = conftest.Faulty(demo_api(), IT_NET_USER_ZS=slow)

    def handle(self, path, query):
        return self.api.handle(path, query)


def start(command: str, data, url) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", command, "--data-dir", str(data),
         "--worldbank-url", url, *ARGS],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def latest_run(data) -> dict:
    return load_runs(data / "processed" / "runs")[-1]


def test_sigterm_stops_a_run_like_ctrl_c(ictp, tmp_path, env):
    data = tmp_path / "data"
    slow = Slow(20)
    with serve(slow) as url:
        proc = start("run", data, url)
        assert slow.reached.wait(60), "the run never reached the slow page"
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == errors.TERMINATED == 143, err
    assert err.strip().splitlines()[-1] == (
        "ictp: terminated (SIGTERM); data already stored is intact"
    )
    run = json.loads(next((data / "processed" / "runs").glob("*.json")).read_text())
    assert run["status"] == "terminated" and run["exit_code"] == 143  # not "running"
    assert run["ended"] is not None
    code, _out, err = ictp("status", "--data-dir", data)
    assert "terminated" in _out

    with serve(demo_api()) as url:  # the next run completes
        code, _out, err = ictp("ingest", "--data-dir", data, "--worldbank-url", url, *ARGS)
    assert code == 0, err
    assert latest_run(data)["status"] == "ok"


def test_a_sigkilled_run_shows_as_killed(ictp, tmp_path, env):
    data = tmp_path / "data"
    slow = Slow(20)
    with serve(slow) as url:
        proc = start("ingest", data, url)
        assert slow.reached.wait(60), "the ingest never reached the slow page"
        # while it holds the lock, a second run is told "busy" (75), not "broken"
        code, _out, err = ictp("build", "--data-dir", data)
        assert code == errors.BUSY and "busy" in err
        running = latest_run(data)
        assert running["status"] == "running" and running["process"]["pid"] == proc.pid
        proc.kill()
        proc.wait()
    assert proc.returncode == -9
    run = latest_run(data)
    assert run["status"] == "killed" and "ended without finishing" in run["error"]
    code, out, _err = ictp("status", "--data-dir", data)
    assert code == 0
    line = next(x for x in out.splitlines() if run["run_id"] in x)
    assert " killed " in line and "running" not in out


def test_a_recycled_pid_is_not_taken_for_the_run(tmp_path):
    """A manifest naming a live pid (this one) but another start time is a dead run."""
    from pipeline import procs

    runs = tmp_path / "runs"
    runs.mkdir()
    me = procs.identity()
    for name, ident in [("a", me), ("b", {**me, "start_ticks": me["start_ticks"] - 1})]:
        doc = {"run_id": name, "command": "run", "status": "running", "process": ident}
        (runs / f"{name}.json").write_text(json.dumps(doc))
    assert [r["status"] for r in load_runs(runs)] == ["running", "killed"]


# ------------------------------------------------------------ debris


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # reaped: the pid names no process now
    return proc.pid


DEBRIS = [
    ".scratch-{pid}/spill.tmp",
    ".ict.duckdb.tmp-{pid}",
    ".ict.duckdb.tmp-{pid}.wal",
    ".exports.tmp-{pid}/a.csv",
    ".exports.old-{pid}/b.csv",
    ".observations.parquet.tmp-{pid}",
]


def test_the_next_run_removes_what_dead_processes_left(ictp, tmp_path):
    data = tmp_path / "data"
    processed = data / "processed"
    (processed / "exports").mkdir(parents=True)
    dead, live = dead_pid(), os.getppid()  # pytest's parent: alive for the whole test
    made = {}
    for pid in (dead, live):
        for pattern in DEBRIS:
            path = processed / pattern.format(pid=pid)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("debris")
            made[path] = pid
    (processed / "runs").mkdir()
    (processed / "runs" / ".tmp-x1y2.json").write_text("{")
    obj_dir = data / "raw" / "objects" / "ab"
    obj_dir.mkdir(parents=True)
    (obj_dir / ".tmp-3kq9").write_bytes(b"half")
    keep = obj_dir / ("ab" * 32)
    keep.write_bytes(b"an object")

    code, _out, err = ictp("build", "--data-dir", data)  # any locked command cleans first
    assert code == 1 and "run `ictp validate` first" in err
    for path, pid in made.items():
        top = processed / path.relative_to(processed).parts[0]
        assert top.exists() == (pid == live), path
    assert not (processed / "runs" / ".tmp-x1y2.json").exists()
    assert not (obj_dir / ".tmp-3kq9").exists()
    assert keep.read_bytes() == b"an object"
    assert (processed / "exports").is_dir()


def test_exports_lost_between_the_swap_renames_are_put_back(ictp, tmp_path):
    processed = tmp_path / "data" / "processed"
    old = processed / f".exports.old-{dead_pid()}"
    old.mkdir(parents=True)
    (old / "population.csv").write_text("economy,year,value\n")
    ictp("build", "--data-dir", tmp_path / "data")
    assert (processed / "exports" / "population.csv").read_text() == "economy,year,value\n"
    assert not old.exists()


def test_runs_started_within_one_second_list_in_the_order_they_started(ictp, tmp_path):
    """Run ids sort by start time to the microsecond: load_runs' "oldest first" (and so the
    `runs` table, `ictp status` and every "latest run") holds for runs of the same second."""
    data = tmp_path / "data"
    for _ in range(6):  # each a real run (failing fast: nothing ingested); several in one second
        code, _out, err = ictp("validate", "--data-dir", data)
        assert code == 1 and "run `ictp ingest`" in err
    runs = load_runs(data / "processed" / "runs")
    assert len(runs) == 6
    assert [r["run_id"] for r in runs] == sorted(r["run_id"] for r in runs)
    started = [r["run_id"].split("-")[0] for r in runs]
    assert started == sorted(started) and len(set(started)) == 6

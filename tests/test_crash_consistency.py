"""A real SIGKILL at every instant that matters in validate, build and export (ICTP_CRASH_AT,
pipeline/crash.py) leaves the previous database, Parquet files and exports byte-identical and
usable, and the next run completes and cleans up what the killed one left.

One good run on the synthetic World Bank stand-in is the previous state; a changed value
(USA 2020) makes every step have new work, so each kill interrupts a real replacement.
"""

from __future__ import annotations

import os
import subprocess
import sys

import conftest
import duckdb
import pytest
from conftest import ROOT, copy_tree, demo_api, set_values

from pipeline.cli import main
from pipeline.demo.worldbank_api import serve

SERIES = "internet_users_pct,population"
ARGS = ["--series", SERIES, "--sources", "worldbank"]
FIRST_INTERMEDIATE = sorted((ROOT / "sql" / "build" / "2_intermediate").glob("*.sql"))[0].name
POINTS = [
    ("validate", "validate.after_tidy"),  # the scratch work is under way
    ("validate", "store.parquet_written"),  # a Parquet file of the new generation is written
    ("validate", "validate.before_switch"),  # every file written, the link not yet switched
    ("validate", "tables.before_switch"),  # the generation renamed into place, not linked
    ("validate", "tables.after_switch"),  # switched, the previous generation not yet removed
    ("build", f"build.after:2_intermediate/{FIRST_INTERMEDIATE}"),  # mid-models
    ("build", "build.before_rename"),  # the new database complete, not yet renamed
    ("export", "export.before_switch"),  # every CSV written, the link not yet switched
    ("export", "exports.before_switch"),
    ("export", "exports.after_switch"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    data = tmp_path_factory.mktemp("crash") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_PER_PAGE", "500")
        assert conftest.run_worldbank(data, demo_api(), SERIES) == 4
    return data


def changed_api():
    return conftest.Faulty(demo_api(), IT_NET_USER_ZS=set_values({("USA", "2020"): 42.4242}))


def outputs(data) -> dict:
    """Every file a reader uses, by the path a reader opens, with its bytes."""
    processed = data / "processed"
    files = [processed / "ict.duckdb", *sorted((processed / "tables").iterdir())]
    files += sorted((processed / "exports").iterdir())
    return {str(p.relative_to(processed)): p.read_bytes() for p in files}


def usa_2020(data) -> float:
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    try:
        return con.execute(
            "select value from indicator_values where series = 'internet_users_pct' "
            "and economy = 'USA' and \"year\" = 2020"
        ).fetchone()[0]
    finally:
        con.close()


def step(data, name: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ICTP_CRASH_AT"}
    env["PYTHONPATH"] = str(ROOT)
    if crash_at:
        env["ICTP_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "pipeline", name, "--data-dir", str(data)],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip


@pytest.fixture(scope="module")
def ready(template, tmp_path_factory):
    """Per step, the state just before it runs on new data: the changed value ingested, and
    the steps before it done (made once, copied by each case)."""
    states = {}
    data = copy_tree(template, tmp_path_factory.mktemp("ready") / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_PER_PAGE", "500")
        with serve(changed_api()) as url:
            code = main(["ingest", "--data-dir", str(data), "--worldbank-url", url, *ARGS])
    assert code == 0
    for name in ("validate", "build", "export"):
        states[name] = copy_tree(data, tmp_path_factory.mktemp(name) / "data")
        assert step(data, name).returncode in (0, 4)
    return states


@pytest.mark.parametrize(("name", "point"), POINTS, ids=[p for _n, p in POINTS])
def test_a_kill_leaves_the_previous_outputs_and_the_next_run_completes(
    ready, tmp_path, name, point
):
    data = copy_tree(ready[name], tmp_path / "data")
    previous = outputs(data)
    old_value = usa_2020(data)

    killed = step(data, name, point)
    assert killed.returncode == -9, killed.stderr  # died by SIGKILL, at the point

    if not point.endswith("after_switch"):  # the old set is what a reader sees, byte for byte
        assert outputs(data) == previous
    else:  # the new set is whole: the switch was the one rename
        now = outputs(data)
        assert set(now) == set(previous)
    assert usa_2020(data) == old_value  # the database still opens and answers

    for after in ("validate", "build", "export"):  # the next run completes
        proc = step(data, after)
        assert proc.returncode in (0, 4), proc.stderr
    assert usa_2020(data) == 42.4242
    processed = data / "processed"
    left = sorted(
        p.name
        for p in processed.iterdir()
        if p.name.startswith(".") and p.name != ".fingerprints.json"
    )
    assert len([n for n in left if n.startswith(".tables.")]) == 1, left  # the one in use
    assert len([n for n in left if n.startswith(".exports.")]) == 1, left
    assert not [n for n in left if "tmp-" in n or "old-" in n or "scratch-" in n], left
    assert (processed / "tables").is_symlink() and (processed / "exports").is_symlink()

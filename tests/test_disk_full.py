"""A full disk in ingest: one message naming the path, exit 1, the previous raw store intact.

The data directory is a real 4 MB tmpfs (the tests run as root in the sandbox); where mounting
is not permitted the test skips and says so.
"""

from __future__ import annotations

import errno
import json
import subprocess

import conftest
import duckdb
import pytest
from conftest import demo_api, set_values

from pipeline.demo.worldbank_api import serve
from pipeline.raw_store import RawStore

ARGS = ["--series", "internet_users_pct,population", "--sources", "worldbank"]


def tmpfs(tmp_path, size: str):
    """A real tmpfs of `size` mounted at tmp_path/disk for the test, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {proc.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def small_disk(tmp_path):
    yield from tmpfs(tmp_path, "4m")


def fill(disk, leave: int) -> None:
    """Fill the disk, then free `leave` bytes: room for a run manifest, not for a page."""
    filler = disk / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as e:
            assert e.errno == errno.ENOSPC
        f.truncate(max(0, f.tell() - leave))


def test_a_full_disk_is_one_clear_message_and_keeps_the_store(ictp, small_disk, monkeypatch):
    monkeypatch.setenv("ICTP_PER_PAGE", "500")
    data = small_disk / "data"
    with serve(demo_api()) as url:
        code, _out, err = ictp("ingest", "--data-dir", data, "--worldbank-url", url, *ARGS)
    assert code == 0, err
    store = RawStore(data / "raw")
    key = ("worldbank", "internet_users_pct")
    good = store.latest_good_pulls()[key]
    pulls_before = store.pulls_path.read_bytes()
    fill(small_disk, leave=24 * 1024)

    changed = conftest.Faulty(demo_api(), IT_NET_USER_ZS=set_values({("USA", "2020"): 42.5}))
    with serve(changed) as url:
        code, out, err = ictp("ingest", "--data-dir", data, "--worldbank-url", url, *ARGS)
    assert code == 1, out
    assert err.count("\n") == 1 and "internal error" not in err
    assert err.startswith(f"ictp: error: cannot write {data}")
    assert "the disk is full" in err and "No space left on device" in err
    assert store.latest_good_pulls()[key] == good  # the changed series' good pull is the old one
    assert store.pulls_path.read_bytes().startswith(pulls_before)  # whole lines only
    assert all(store.verify(sha) for sha in store.names())
    assert all(json.loads(x) for x in store.manifest_path.read_text().splitlines())  # whole

    (small_disk / "filler").unlink()
    with serve(changed) as url:  # space again: the next ingest completes
        code, _out, err = ictp("ingest", "--data-dir", data, "--worldbank-url", url, *ARGS)
    assert code == 0, err
    assert RawStore(data / "raw").latest_good_pulls()[key]["pages"] != good["pages"]


# ------------------------------------------------- validate, build and export under a full disk


@pytest.fixture
def roomy_disk(tmp_path):
    """Room for a whole run of two series (database, Parquet, exports, report)."""
    yield from tmpfs(tmp_path, "64m")


def outputs(data) -> dict:
    processed = data / "processed"
    files = [processed / "ict.duckdb", *sorted((processed / "tables").iterdir())]
    files += sorted((processed / "exports").iterdir())
    return {str(p.relative_to(processed)): p.read_bytes() for p in files}


@pytest.mark.parametrize("step", ["validate", "build", "export"])
def test_a_full_disk_in_a_step_names_the_path_and_keeps_the_outputs(
    ictp, roomy_disk, monkeypatch, step
):
    monkeypatch.setenv("ICTP_PER_PAGE", "500")
    data = roomy_disk / "data"
    with serve(demo_api()) as url:
        code, _out, err = ictp("run", "--data-dir", data, "--worldbank-url", url, *ARGS)
    assert code in (0, 4), err
    changed = conftest.Faulty(demo_api(), IT_NET_USER_ZS=set_values({("USA", "2020"): 42.4242}))
    with serve(changed) as url:  # new data, so every step has work to do
        code, _out, err = ictp("ingest", "--data-dir", data, "--worldbank-url", url, *ARGS)
    assert code == 0, err
    for before in ("validate", "build", "export")[: ("validate", "build", "export").index(step)]:
        code, _out, err = ictp(before, "--data-dir", data)
        assert code in (0, 4), err
    previous = outputs(data)
    fill(roomy_disk, leave=48 * 1024)  # room for the run manifest, not for the step's files

    code, _out, err = ictp(step, "--data-dir", data)
    assert code == 1, err
    assert "the disk is full" in err and "cannot write " + str(data / "processed") in err
    assert "internal error" not in err and "SQL model" not in err
    assert err.strip().count("\n") == 0  # one message
    assert outputs(data) == previous  # the previous database, Parquet files and exports

    (roomy_disk / "filler").unlink()  # space again: the next run completes
    for after in ("validate", "build", "export")[("validate", "build", "export").index(step) :]:
        code, _out, err = ictp(after, "--data-dir", data)
        assert code in (0, 4), err
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    assert con.execute(
        "select value from indicator_values where series = 'internet_users_pct' "
        "and economy = 'USA' and \"year\" = 2020"
    ).fetchone() == (42.4242,)
    con.close()

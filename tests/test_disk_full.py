"""A full disk in ingest: one message naming the path, exit 1, the previous raw store intact.

The data directory is a real 4 MB tmpfs (the tests run as root in the sandbox); where mounting
is not permitted the test skips and says so.
"""

from __future__ import annotations

import errno
import json
import subprocess

import conftest
import pytest
from conftest import demo_api, set_values

from pipeline.demo.worldbank_api import serve
from pipeline.raw_store import RawStore

ARGS = ["--series", "internet_users_pct,population", "--sources", "worldbank"]


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {proc.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


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
    assert store.latest_good_pulls()[key]["pages"] != good["pages"]

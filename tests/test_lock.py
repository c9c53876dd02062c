"""A second run while another process holds the lock exits 75 (busy), not 1 (broken)."""

from __future__ import annotations

import subprocess
import sys

from pipeline import errors

HOLD = """
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(120)
"""


def test_busy_while_another_process_holds_the_lock(ictp, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data / ".ictp.lock")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "held\n"
        code, _out, err = ictp("build", "--data-dir", data)
        assert code == errors.BUSY == 75
        assert err.startswith("ictp: error: busy: another ictp process is working on")
        assert "try again" in err and err.count("\n") == 1
        assert not (data / "processed" / "runs").exists()  # a busy run records no run
    finally:
        holder.kill()
        holder.wait()
    code, _out, err = ictp("build", "--data-dir", data)  # the lock died with its holder
    assert code == 1 and "has no observations.parquet" in err


def test_the_exit_code_is_documented(ictp):
    code, out, _err = ictp()  # no command: the help, with the exit codes
    assert code == 2 and "75 busy" in " ".join(out.split())

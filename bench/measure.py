"""Run one measured child process: wall time and peak RSS (its own, from wait4's rusage).

Every stage and every baseline runs in its own process, so each peak RSS belongs to one stage.
On Linux a child's ru_maxrss starts at the high-water mark of the process that spawned it (the
pre-exec memory counts), so the bench, which holds pandas and DuckDB, would lend every child
its own ~200 MB. Children are therefore started by a small launcher (`python -m bench.measure`,
this module, ~15 MB) that times them, reads their rusage and writes it as JSON. The launcher
also kills a child whose RSS passes a cap, so a stage that does not fit cannot take the
machine (shared with other work) down with it; the result then says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent  # no pipeline import: keep the launcher small


@dataclass
class Measured:
    name: str
    seconds: float
    peak_rss_mb: float
    exit_code: int
    log: Path  # stdout and stderr of the child
    killed: str | None = None  # why the launcher killed it

    @property
    def ok(self) -> bool:
        # 4 = some rows quarantined, the batch is usable: the data sets invalidate rows on purpose
        return self.exit_code in (0, 4) and self.killed is None

    def failure(self) -> str:
        if self.killed:
            return self.killed
        tail = self.log.read_text(errors="replace").strip().splitlines()[-3:]
        return f"exit {self.exit_code}: {' | '.join(tail)}"

    def as_dict(self) -> dict:
        out = {"seconds": round(self.seconds, 3), "peak_rss_mb": round(self.peak_rss_mb)}
        if not self.ok:
            out["error"] = self.failure()
        return out


def run(
    name: str,
    argv: list[str],
    log_dir: Path,
    env: dict[str, str] | None = None,
    rss_cap_mb: float = 14_000,
    timeout: float = 1800,
) -> Measured:
    """Run `argv` from the project folder through the launcher; return its time and peak RSS."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log, result = log_dir / f"{name}.log", log_dir / f"{name}.measure.json"
    launcher = [sys.executable, "-m", "bench.measure", str(result), str(log)]
    launcher += [str(rss_cap_mb), str(timeout), "--", *argv]
    subprocess.run(launcher, cwd=PROJECT_DIR, env=env, check=True)
    doc = json.loads(result.read_text())
    return Measured(name=name, log=log, **doc)


def launch(argv: list[str], log: Path, rss_cap_mb: float, timeout: float) -> dict:
    """In the launcher: run `argv`, wait4 it, return seconds, peak RSS, exit code."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        watcher = _Watcher(proc.pid, rss_cap_mb, timeout)
        watcher.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        watcher.stop()
    return {
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        "exit_code": os.waitstatus_to_exitcode(status),
        "killed": watcher.killed,
    }


class _Watcher(threading.Thread):
    """Kill the child when its RSS passes the cap or it runs past the timeout."""

    def __init__(self, pid: int, rss_cap_mb: float, timeout: float):
        super().__init__(daemon=True)
        self.pid, self.cap, self.deadline = pid, rss_cap_mb, time.monotonic() + timeout
        self.killed: str | None = None
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.1):
            rss = _rss_mb(self.pid)
            if rss is not None and rss > self.cap:
                self._kill(f"killed: RSS {rss:,.0f} MB passed the cap of {self.cap:,.0f} MB")
            elif time.monotonic() > self.deadline:
                self._kill("killed: timed out")

    def _kill(self, why: str) -> None:
        self.killed = why
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._done.set()

    def stop(self) -> None:
        self._done.set()


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def baseline_main(argv: list[str], modes: dict) -> int:
    """A baseline process (bench.floors, bench.pandas_baseline): `MODE SPEC_JSON` runs
    modes[MODE] on the spec and writes its result, with the process's seconds, to spec["result"]."""
    mode, spec_path = argv
    spec = json.loads(Path(spec_path).read_text())
    started = time.perf_counter()
    result = modes[mode](spec)
    result["process_seconds"] = round(time.perf_counter() - started, 3)
    Path(spec["result"]).write_text(json.dumps(result, indent=1) + "\n")
    return 0


def main(argv: list[str]) -> int:
    result, log, cap, timeout, dashes, *command = argv
    assert dashes == "--", "usage: python -m bench.measure RESULT LOG CAP_MB TIMEOUT -- ARGV..."
    doc = launch(command, Path(log), float(cap), float(timeout))
    Path(result).write_text(json.dumps(doc) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

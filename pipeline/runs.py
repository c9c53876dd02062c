"""The run manifest: one JSON file per run under processed/runs/, updated after every step.

It records what ran, when, with which versions and settings, and every row count, so a
published number can be traced to the run, the pull and the raw file it came from.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import platform
import resource
import secrets
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipeline import errors, procs
from pipeline.diskfull import writing
from pipeline.settings import Settings

# A finished run's status by exit code (README: exit codes); any other is "failed". Exit 3 and 4
# are usable runs: some series kept their last good data (incomplete), or some rows were
# quarantined. A run whose process died without finishing (SIGKILL, power cut) shows as
# "killed" in load_runs.
FINISHED = {
    errors.OK: "ok",
    errors.INGEST_INCOMPLETE: "incomplete",
    errors.ROWS_QUARANTINED: "quarantined",
    errors.INTERRUPTED: "interrupted",
    errors.TERMINATED: "terminated",
}
PACKAGES = ("ictp", "duckdb", "pandas", "pyarrow", "great-expectations", "requests", "numpy")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id() -> str:
    """Sortable by start time, to the microsecond: runs started within one second (a cron job
    and a manual run, or a test's quick succession) still list in the order they started."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


class Run:
    def __init__(self, settings: Settings, command: str):
        self.settings = settings
        self.id = new_run_id()
        self.path = settings.runs_dir / f"{self.id}.json"
        self.manifest: dict = {
            "run_id": self.id,
            "command": command,
            "started": utc_now(),
            "ended": None,
            "status": "running",
            "exit_code": None,
            "process": procs.identity(),  # so a dead run is told from a running one (killed)
            "synthetic": settings.synthetic,
            "data_dir": str(settings.data_dir),
            "worldbank_url": settings.worldbank_url,
            "itu_url": settings.itu_url,
            "versions": versions(),
            "steps": {},
            "warnings": [],
        }

    def record(self, step: str, data: dict) -> None:
        self.manifest["steps"][step] = data
        self.save()

    @contextlib.contextmanager
    def capture_warnings(self):
        """Every warning logged while the run works is also kept in its manifest."""
        run = self

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                run.manifest["warnings"].append(
                    {"time": utc_now(), "logger": record.name, "message": record.getMessage()}
                )

        handler = Keep(level=logging.WARNING)
        root = logging.getLogger("pipeline")
        root.addHandler(handler)
        try:
            yield
        finally:
            root.removeHandler(handler)
            self.save()

    def finish(self, exit_code: int, error: str | None = None) -> None:
        self.manifest.update(
            ended=utc_now(),
            exit_code=exit_code,
            status=FINISHED.get(exit_code, "failed"),
            error=error,
        )
        self.save()

    def save(self) -> None:
        write_json_atomic(self.path, self.manifest)


class Stopwatch:
    """Seconds per sub-step, and the process's peak RSS so far at the end of each (make bench).
    A sub-step may also name its parts as each ends (`part`): the lap then lists them in order
    with their seconds, which add up to its own, so a run manifest says where a slow sub-step
    spent its time (a list: the manifest's keys are sorted)."""

    def __init__(self):
        self.laps: dict[str, dict] = {}
        self._parts: list[dict] = []
        self._since = self._part_since = time.perf_counter()

    def part(self, name: str) -> None:
        """The part of the sub-step under way that ends now."""
        now = time.perf_counter()
        self._parts.append({"part": name, "seconds": round(now - self._part_since, 3)})
        self._part_since = now

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.laps[name] = {"seconds": round(now - self._since, 3), "peak_rss_mb": round(peak_mb)}
        if self._parts:
            self.laps[name]["parts"] = self._parts
            self._parts = []
        self._since = self._part_since = now


def write_json_atomic(path: Path, doc: dict) -> None:
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=2, sort_keys=True, ensure_ascii=False)
                f.write("\n")
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


def load_runs(runs_dir: Path) -> list[dict]:
    """Every run manifest, oldest first; a "running" one whose process is dead is "killed"."""
    if not runs_dir.exists():
        return []
    runs = []
    for p in sorted(runs_dir.glob("*.json")):
        try:
            run = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        if run.get("status") == "running" and not procs.still_running(run.get("process") or {}):
            run.update(
                status="killed",
                error=run.get("error")
                or "the process ended without finishing the run (killed, or the machine stopped)",
            )
        runs.append(run)
    return runs

"""The raw store: every response body byte for byte, named by its SHA-256, never overwritten.

    raw/objects/ab/ab12...ef    one file per distinct body (the name is its sha256)
    raw/manifest.jsonl          one line per HTTP request (url, params, status, headers, sha256...)
    raw/pulls.jsonl             one line per series pull: ok or failed, and the pages it used

Downstream steps read only pulls whose status is "ok", so a failed download can never replace
the last good data of a series.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

from pipeline.errors import IctpError


class RawStore:
    def __init__(self, raw_dir: Path):
        self.dir = Path(raw_dir)
        self.objects = self.dir / "objects"
        self.manifest_path = self.dir / "manifest.jsonl"
        self.pulls_path = self.dir / "pulls.jsonl"
        self._lock = threading.Lock()
        self._open: dict[Path, object] = {}  # append handles of the manifest and pulls files
        self._pulls: list[dict] | None = None  # pulls.jsonl as read, until a pull is logged

    def path(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / sha256

    def put(self, body: bytes) -> tuple[str, bool]:
        """Store `body`; return its sha256 and whether it was new. Same bytes add no file."""
        sha = hashlib.sha256(body).hexdigest()
        final = self.path(sha)
        if final.exists():
            return sha, False
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.link(tmp, final)  # fails rather than overwrite if another writer got there first
        except FileExistsError:
            return sha, False
        finally:
            os.unlink(tmp)
        return sha, True

    def log_request(self, entry: dict) -> None:
        self._append(self.manifest_path, entry)

    def log_pull(self, pull: dict) -> None:
        self._append(self.pulls_path, pull)
        self._pulls = None

    def _append(self, path: Path, entry: dict) -> None:
        line = json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"
        with self._lock:
            f = self._open.get(path)
            if f is None:  # kept open for the store's life: one line per request adds up
                path.parent.mkdir(parents=True, exist_ok=True)
                f = self._open[path] = open(path, "a", encoding="utf-8", buffering=1)
            f.write(line)

    def close(self) -> None:
        with self._lock:
            for f in self._open.values():
                f.close()
            self._open.clear()

    def pulls(self) -> list[dict]:
        """Every pull record, oldest first (pulls.jsonl is read once per store)."""
        if self._pulls is None:
            self._pulls = self._read_pulls()
        return self._pulls

    def _read_pulls(self) -> list[dict]:
        if not self.pulls_path.exists():
            return []
        out = []
        with open(self.pulls_path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    raise IctpError(
                        f"{self.pulls_path}:{n} is not valid JSON (was the file edited by hand?); "
                        "restore it from a backup or remove the broken line"
                    ) from None
        return out

    def latest_pulls(self) -> dict[tuple[str, str], dict]:
        """The newest pull per (source, series), whatever its status."""
        latest: dict[tuple[str, str], dict] = {}
        for pull in self.pulls():
            latest[(pull["source"], pull["series"])] = pull
        return latest

    def latest_good_pulls(self) -> dict[tuple[str, str], dict]:
        """The newest successful pull per (source, series): the data downstream steps use."""
        good: dict[tuple[str, str], dict] = {}
        for pull in self.pulls():
            if pull["status"] == "ok":
                good[(pull["source"], pull["series"])] = pull
        return good

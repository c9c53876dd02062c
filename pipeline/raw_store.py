"""The raw store: every response body byte for byte, named by its SHA-256, never overwritten.

    raw/objects/ab/ab12...ef    one file per distinct body (the name is its sha256, checked
                                whenever put() finds the name already there; verify() checks
                                one object, verify_all() many on every core: validate the
                                pages of the pulls it reads, `ictp verify` every object)
    raw/manifest.jsonl          one line per HTTP request (url, params, status, headers, sha256...)
    raw/pulls.jsonl             one line per series pull: ok or failed, and the pages it used

Downstream steps read only pulls whose status is "ok", so a failed download can never replace
the last good data of a series.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline import crash
from pipeline.diskfull import writing
from pipeline.errors import IctpError

log = logging.getLogger(__name__)
SHA256 = re.compile(r"[0-9a-f]{64}")


class RawStore:
    def __init__(self, raw_dir: Path):
        self.dir = Path(raw_dir)
        self.objects = self.dir / "objects"
        self.manifest_path = self.dir / "manifest.jsonl"
        self.pulls_path = self.dir / "pulls.jsonl"
        self._lock = threading.Lock()
        self._open: dict[Path, object] = {}  # append handles of the manifest and pulls files
        self._pulls: tuple[tuple, list[dict]] | None = None  # pulls.jsonl as read, and its stamp

    def path(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / sha256

    def put(self, body: bytes) -> tuple[str, bool]:
        """Store `body`; return its sha256 and whether a file was written. Same bytes add no
        file, unless the object already there no longer matches its name (bit rot, an edit):
        then the fresh bytes replace it, in one rename."""
        sha = hashlib.sha256(body).hexdigest()
        final = self.path(sha)
        bad = final.exists()
        if bad and self.verify(sha):
            return sha, False
        with writing(final):
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(body)
                crash.point("raw_store.put.before_link")
                if bad:
                    os.replace(tmp, final)
                    log.warning(
                        "raw object %s did not match its sha256 (edited or corrupted on disk); "
                        "replaced it with the fresh download",
                        final,
                    )
                    return sha, True
                os.link(tmp, final)  # fails rather than overwrite if another writer got there first
            except FileExistsError:
                return sha, False
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        return sha, True

    def verify(self, sha256: str) -> bool:
        """Whether the object named `sha256` exists and its bytes still hash to its name."""
        try:
            with open(self.path(sha256), "rb") as f:
                return hashlib.file_digest(f, "sha256").hexdigest() == sha256
        except FileNotFoundError:
            return False

    def verify_all(self, names: Iterable[str]) -> dict[str, bool]:
        """verify() of each name, one thread per core: hashlib and file reads leave Python's
        lock, so the objects are hashed side by side (4.6 GB at 20M rows: 4.4 s on one core).
        Each thread takes every n-th name as one task: one task per name spent 0.85 s of 3 at
        20M handing 20,000 names out (commit d17db28)."""
        todo = list(dict.fromkeys(names))
        if not todo:
            return {}
        threads = os.cpu_count() or 1
        shares = [todo[i::threads] for i in range(threads)]
        with ThreadPoolExecutor(threads) as pool:
            answers = list(pool.map(lambda share: [self.verify(sha) for sha in share], shares))
        # todo[i] is name i // threads of share i % threads
        return {sha: answers[i % threads][i // threads] for i, sha in enumerate(todo)}

    def names(self) -> Iterator[str]:
        """The name (sha256) of every object in the store, in name order; temp files skipped."""
        if not self.objects.exists():
            return
        for d in sorted(self.objects.iterdir()):
            if d.is_dir():
                yield from sorted(p.name for p in d.iterdir() if SHA256.fullmatch(p.name))

    def log_request(self, entry: dict) -> None:
        self._append(self.manifest_path, entry)

    def log_pull(self, pull: dict) -> None:
        self._append(self.pulls_path, pull)

    def _append(self, path: Path, entry: dict) -> None:
        """One JSON line, written whole or not at all: a full disk cuts no line in half."""
        line = (json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock, writing(path):
            f = self._open.get(path)
            if f is None:  # kept open for the store's life: one line per request adds up
                path.parent.mkdir(parents=True, exist_ok=True)
                f = self._open[path] = open(path, "ab", buffering=0)
            end = f.seek(0, os.SEEK_END)
            try:
                if f.write(line) != len(line):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            except OSError:
                f.truncate(end)
                raise

    def close(self) -> None:
        with self._lock:
            for f in self._open.values():
                f.close()
            self._open.clear()

    def pulls(self) -> list[dict]:
        """Every pull record, oldest first (pulls.jsonl is read again only when it changed)."""
        try:
            st = self.pulls_path.stat()
            stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        except FileNotFoundError:
            stamp = ()
        if self._pulls is None or self._pulls[0] != stamp:
            self._pulls = (stamp, self._read_pulls())
        return self._pulls[1]

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

    def latest_intact_pulls(self) -> tuple[dict[tuple[str, str], dict], list[tuple[dict, list]]]:
        """The newest successful pull per (source, series) whose objects are all there and
        still match their sha256 names (each page re-hashed), and every newer good pull passed
        over with its bad pages: (pulls, [(pull, bad sha256s)])."""
        by_series: dict[tuple[str, str], list[dict]] = {}
        for pull in self.pulls():
            if pull["status"] == "ok":
                by_series.setdefault((pull["source"], pull["series"]), []).append(pull)
        # Every series' newest pull is hashed at once, on every core; an older one only where
        # each newer one has a bad page. An object shared by pulls is hashed once.
        ok = self.verify_all(sha for pulls in by_series.values() for sha in _shas(pulls[-1]))
        intact: dict[tuple[str, str], dict] = {}
        passed_over: list[tuple[dict, list]] = []
        for key, pulls in by_series.items():
            for pull in reversed(pulls):
                ok.update(self.verify_all(sha for sha in _shas(pull) if sha not in ok))
                bad = _bad(pull, ok)
                if not bad:
                    intact[key] = pull
                    break
                passed_over.append((pull, bad))
        return intact, passed_over

    def latest_good_pulls(self) -> dict[tuple[str, str], dict]:
        """The newest successful pull per (source, series): the data downstream steps use."""
        good: dict[tuple[str, str], dict] = {}
        for pull in self.pulls():
            if pull["status"] == "ok":
                good[(pull["source"], pull["series"])] = pull
        return good


def _shas(pull: dict) -> list[str]:
    """The sha256 of each page of `pull`, in page order."""
    return [p["sha256"] for p in pull.get("pages", ())]


def _bad(pull: dict, ok: dict[str, bool]) -> list[str]:
    """The sha256 of each page of `pull` that `ok` (verify_all's answer) says is bad."""
    return [sha for sha in _shas(pull) if not ok[sha]]

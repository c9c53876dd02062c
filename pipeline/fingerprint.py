"""Input fingerprints: a step whose inputs and code are unchanged since its last success skips.

Each of validate, build and export hashes what it reads (the raw pages of the latest good
pulls, or the files the step before wrote), the catalog and SQL it runs, the settings that
change its result and the pipeline's own code. The key of its last success is kept in
processed/.fingerprints.json with the result it printed, so an unchanged run is a no-op that
still reports the same numbers. `--force` (ICTP_FORCE=1) runs the step anyway.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.runs import write_json_atomic
from pipeline.settings import PROJECT_DIR, Settings

CODE = sorted(PROJECT_DIR.glob("pipeline/**/*.py"))


def key(*parts) -> str:
    """A stable hash of JSON-able parts."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def tree(folder: Path, pattern: str = "**/*") -> list:
    """(path, contents hash) of every file under `folder`: the catalog, the SQL models."""
    return [
        (str(p.relative_to(folder)), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.glob(pattern))
        if p.is_file()
    ]


def stamp(path: Path) -> tuple | None:
    """What changes when a file is rewritten or edited: its size, modification time, inode."""
    if not path.exists():
        return None
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino)


def stamps(outputs: list[Path]) -> list:
    """The stamps of a step's outputs; a folder stands for every file in it, so a file deleted,
    added or edited there changes them."""
    out = []
    for p in outputs:
        if p.is_dir():
            out.append([str(p), *(list(stamp(f)) for f in sorted(p.iterdir()) if f.is_file())])
        else:
            out.append(list(stamp(p) or []))
    return out


def code() -> list:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in CODE]


def _path(settings: Settings) -> Path:
    return settings.processed_dir / ".fingerprints.json"


def unchanged(settings: Settings, step: str, k: str, outputs: list[Path]) -> dict | None:
    """The result recorded when `step` last succeeded with key `k` and wrote `outputs` (still
    there, untouched), or None: run the step."""
    if settings.force:
        return None
    entry = _read(settings).get(step) or {}
    if entry.get("key") != k or entry.get("outputs") != stamps(outputs):
        return None
    return entry.get("result")


def remember(settings: Settings, step: str, k: str, result: dict, outputs: list[Path]) -> None:
    doc = _read(settings)
    doc[step] = {
        "key": k,
        "outputs": stamps(outputs),
        "result": json.loads(json.dumps(result, default=str)),
    }
    write_json_atomic(_path(settings), doc)


def _read(settings: Settings) -> dict:
    try:
        return json.loads(_path(settings).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def forget(settings: Settings, step: str) -> None:
    """The step's outputs changed without it (or it failed): its next run must not skip."""
    doc = _read(settings)
    if doc.pop(step, None) is not None:
        write_json_atomic(_path(settings), doc)

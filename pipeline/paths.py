"""Every file ictp writes lies inside the folder it writes into: a guard against names from the
catalog or a source that would lead elsewhere (`../../x`, an absolute path, a link out)."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import IctpError


def inside(folder: Path, path: Path) -> Path:
    """`path` when, resolved (links and `..` followed), it lies inside `folder`; else IctpError."""
    root = Path(folder).resolve()
    target = Path(path)
    resolved = (target if target.is_absolute() else root / target).resolve()
    if resolved != root and not resolved.is_relative_to(root):
        raise IctpError(
            f"refusing to write {target}: it lies outside {folder}. A name in the catalog that is "
            "not an identifier ([a-z][a-z0-9_]*) or a link leading out would put it there; fix "
            "the name or the link"
        )
    return target

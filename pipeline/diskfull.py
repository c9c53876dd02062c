"""A full disk (or quota, or file-size limit) as one clear message naming the path."""

from __future__ import annotations

import contextlib
import errno
from pathlib import Path

from pipeline.errors import IctpError

FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class DiskFull(IctpError):
    def __init__(self, path: Path | str, e: OSError):
        super().__init__(
            f"cannot write {path}: the disk is full ({e.strerror}); free some space there (or "
            "raise the quota) and run again. What was stored before is intact"
        )


def is_full(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in FULL


@contextlib.contextmanager
def writing(path: Path | str):
    """Turn a full disk while writing `path` into DiskFull; other errors pass unchanged."""
    try:
        yield
    except OSError as e:
        if is_full(e):
            raise DiskFull(path, e) from None
        raise

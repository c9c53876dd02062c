"""Is the process that wrote something still alive? A pid alone can be reused, so a run records
its pid with the host's boot id and the process's start time (Linux /proc; elsewhere the pid)."""

from __future__ import annotations

import os
from pathlib import Path

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def identity(pid: int | None = None) -> dict:
    """{"pid", "boot_id", "start_ticks"} of `pid` (default: this process)."""
    pid = os.getpid() if pid is None else pid
    return {"pid": pid, "boot_id": boot_id(), "start_ticks": _stat(pid)[1]}


def boot_id() -> str | None:
    try:
        return BOOT_ID.read_text().strip()
    except OSError:
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process `pid` exists and is not a zombie (a killed, unreaped child)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _stat(pid)[0] != "Z"


def still_running(ident: dict) -> bool:
    """Whether the very process `ident` describes is alive: same boot, same pid, same start."""
    boot = boot_id()
    if ident.get("boot_id") and boot and ident["boot_id"] != boot:
        return False
    pid = ident.get("pid")
    if not isinstance(pid, int) or not pid_alive(pid):
        return False
    ticks = _stat(pid)[1]
    return ident.get("start_ticks") is None or ticks is None or ticks == ident["start_ticks"]


def _stat(pid: int) -> tuple[str | None, int | None]:
    """(state, start time in clock ticks since boot) from /proc/<pid>/stat, or (None, None)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None, None
    fields = text[text.rindex(")") + 2 :].split()  # the name in (...) may hold spaces
    return fields[0], int(fields[19])

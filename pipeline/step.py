"""One shape for every step: fingerprint -> skip -> run -> remember -> record.

validate, build and export each call `run_step` with what their result depends on (the parts
of the fingerprint, pipeline/fingerprint.py), the files they write, and the work itself. When
the key and the outputs are unchanged since the step's last success, the work is skipped and
the recorded result is reported again; otherwise the work runs and its result is remembered.
Either way the result goes into the run manifest. A step whose work fails with StepFailed
(validate's table-level checks) is forgotten, so its next run does not skip.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline import fingerprint
from pipeline.errors import IctpError
from pipeline.runs import Run
from pipeline.settings import Settings


class StepFailed(IctpError):
    """The step ran and failed; `result` is what it found (recorded in the run manifest)."""

    def __init__(self, message: str, result: dict, exit_code: int | None = None):
        super().__init__(message, exit_code)
        self.result = result


def run_step(
    settings: Settings,
    run: Run,
    name: str,
    depends_on: list,
    outputs: list[Path],
    unchanged: str,
    work: Callable[[], dict],
) -> dict:
    """`work()`'s result, or the last success's when nothing it depends on changed.

    `depends_on` are the fingerprint's parts besides ictp's own code; `unchanged` says what
    was unchanged when the step is skipped ("the stored tables, SQL, catalog and code...")."""
    key = fingerprint.key(fingerprint.code(), *depends_on)
    before = fingerprint.unchanged(settings, name, key, outputs)
    if before is not None:
        result = {**before, "skipped": unchanged}
    else:
        try:
            result = work()
        except StepFailed as e:
            fingerprint.forget(settings, name)
            run.record(name, e.result)
            raise
        fingerprint.remember(settings, name, key, result, outputs)
    run.record(name, result)
    return result

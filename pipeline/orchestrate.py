"""Runs: steps under the data directory's lock, recorded in a run manifest, and the exit code
a run ends with.

    ictp ingest | validate | build | export | report    one step:  in_run(settings, name, body)
    ictp run / ictp demo        run_all: ingest -> validate -> build -> export -> report

Exit codes (pipeline/errors.py): a table-level failure raises (5); otherwise failed downloads
give 3 (their last good data was kept), then quarantined rows 4, else 0.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline import errors, signals
from pipeline.debris import clean_debris
from pipeline.errors import IctpError, one_line
from pipeline.lock import locked
from pipeline.runs import Run
from pipeline.settings import Settings


def in_run(settings: Settings, command: str, body: Callable[[Run], int]) -> int:
    """Run `body(run)` under the data-directory lock, recording it in a run manifest; first
    remove what killed runs left behind."""
    with locked(settings):
        clean_debris(settings)
        run = Run(settings, command)
        run.save()
        try:
            with run.capture_warnings():
                code = body(run)
        except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM (signals.Terminated)
            run.finish(signals.exit_code(e), signals.describe(e))
            raise
        except IctpError as e:
            run.finish(e.exit_code, str(e))
            raise
        except BaseException as e:
            run.finish(errors.FAILED, one_line(f"{type(e).__name__}: {e}", 10_000))
            raise
        run.finish(code)
        return code


def exit_code(ingested: dict | None = None, validated: dict | None = None) -> int:
    """3 when a download failed, else 4 when rows were quarantined, else 0."""
    if ingested and ingested["failed"]:
        return errors.INGEST_INCOMPLETE
    if validated and validated["quarantined"]:
        return errors.ROWS_QUARANTINED
    return errors.OK


def run_all(
    settings: Settings,
    run: Run,
    only: list[str] | None,
    sources: list[str] | None = None,
    show: Callable[[str, dict], None] = lambda step, result: None,
) -> int:
    """ingest -> validate -> build -> export -> report; `show(step, result)` after each. A failed
    series does not stop the others."""
    # the steps are imported here, not at the top: every command imports this module, and
    # importing them all (matplotlib, pandas, the composites) would slow each one down
    from pipeline import build, export, ingest, publish_report, validate

    catalog = settings.catalog()
    ingested = ingest.run(settings, catalog, run, only, sources)
    show("ingest", ingested)
    validated = validate.run(settings, catalog, run)
    show("validate", validated)
    show("build", build.run(settings, catalog, run))
    show("export", export.run(settings, run))
    show("report", publish_report.run(settings, run))
    return exit_code(ingested, validated)

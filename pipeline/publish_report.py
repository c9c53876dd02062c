"""Report: data/processed/reports/index.html, one static page of what the run published.

Reads only the built database (its SQL: sql/report/, one query a file), the validation report's
status (reports/validation.json) and the names and sizes of the output files; what it shows is
set in indicators/report.yml. Sections: the runs and each series' freshness; the validation
summary (linking validation.html); a coverage heatmap; the headline trends by group, our
aggregates beside the providers'; the latest composite ranking with its rank intervals; for
how many economies each composite reproduces ITU's published scores within 0.5 points; the
revisions since the previous vintage; where every output file is. The composite and revisions
marts are optional: a section whose table is absent says so. Charts are matplotlib images
inside the page (pipeline/charts.py), so viewing it needs no network. The page is drawn by
pipeline/report_page.py, imported only when the step runs (not when it skips), written to a
temporary name and renamed into place.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipeline import fingerprint
from pipeline.errors import IctpError, one_line
from pipeline.runs import Run
from pipeline.settings import Settings
from pipeline.step import run_step

SPEC = "report.yml"
PAGE = "index.html"


def run(settings: Settings, manifest: Run) -> dict:
    """Write reports/index.html from the built database."""
    db = settings.db_path
    if not db.exists():
        raise IctpError(f"no database at {db}: run `ictp build` first (or `ictp run`)")
    folder = settings.sql_dir / "report"
    spec_path = settings.catalog_dir / SPEC
    return run_step(
        settings,
        manifest,
        "report",
        [
            fingerprint.tree(folder),
            fingerprint.tree(spec_path.parent, SPEC),
            fingerprint.stamp(db),
            fingerprint.stamp(settings.reports_dir / "validation.json"),
            fingerprint.stamp(settings.exports_dir / "datapackage.json"),
        ],
        [settings.reports_dir / PAGE],
        "the database, validation report, exports, SQL and code are unchanged",
        lambda: _publish(settings, folder, spec_path),
    )


def _publish(settings: Settings, folder: Path, spec_path: Path) -> dict:
    # imported here, when a page is drawn: a run whose report is unchanged skips the step
    # without importing matplotlib and the catalog's models (over a second)
    from pipeline.catalog.report import load_report
    from pipeline.report_page import Page

    spec = load_report(spec_path)
    out = settings.reports_dir / PAGE
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        page = Page(settings, con, folder, spec, out)
        html = page.render()
    except duckdb.Error as e:
        raise IctpError(
            f"the report from {settings.db_path} failed: {one_line(e, 2000)}; the previous "
            "report is unchanged (run `ictp build` if the database predates this version)"
        ) from None
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return {"report": str(out), "bytes": out.stat().st_size, **page.summary}

"""Validate: tidy the latest good pulls, check them with Great Expectations, store Parquet.

    load: the latest good pulls (raw pages), the catalog, the previous vintage
    process: tidy (sql/validate/1_staging, 2_intermediate) ──► table-level checks ──► row
             checks (sql/validate/3_rules; Great Expectations) ──► quarantine, soft rules
             (4_results, warnings/) ──► report
    save: a new vintage of each series whose pull brought new bytes (processed/vintages/,
          pipeline/vintages.py); observations, quarantine, warnings, economies (merged, and
          each source's own list), corrections, vintages, ITU's published IDI scores
          (provider_composite_scores) and series_status as Parquet
          (sql/validate/outputs/), in processed/tables/: one generation, switched to by one
          rename (pipeline/generation.py)

Every row is accounted for: rows in = stored + quarantined + rows without a value, per source
and series. The report (HTML and JSON) is written even when the batch fails, so the reason is
there to read; a table-level failure stores nothing (exit code 5).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import crash, diskfull, errors, expectations, fingerprint, generation, sql, vintages
from pipeline.catalog import Catalog
from pipeline.raw_store import RawStore
from pipeline.report import write_report
from pipeline.runs import Run, Stopwatch
from pipeline.settings import Settings
from pipeline.step import StepFailed, run_step
from pipeline.store import on_cursors, scratch_connection, write_parquet
from pipeline.tidy import tidy

log = logging.getLogger(__name__)

ACCOUNTING = ("rows_in", "no_value", "stored", "quarantined")
# The Parquet files validate writes, each from the query of the same name in sql/validate/outputs/
# (series_status from the accounting here).
OUTPUTS = (
    "observations",
    "quarantine",
    "warnings",
    "economies",
    "economies_worldbank",
    "economies_itu",
    "regions_itu",
    "economy_codes",
    "corrections",
    "vintages",
    "provider_composite_scores",
    "series_status",
)

SERIES_REASONS = {
    "series_returned_rows": "the download returned no rows at all",
    "series_not_vanished": "it had {prev_rows} stored rows before and now has no value at all",
    "coverage_kept": (
        "countries with data in {prev_year} fell from {prev_economies:.0f} to {now_economies} "
        "(more than max_coverage_drop allows)"
    ),
    "dates_parse": "only {dated_share:.0%} of its dates are calendar years (has the format changed?)",
}


def run(settings: Settings, catalog: Catalog, manifest: Run) -> dict:
    """Tidy, check and store; return the accounting recorded in the run manifest.

    Raises StepFailed with exit code 5 when a table-level check fails (nothing is stored then).
    """
    store = RawStore(settings.raw_dir)
    good = _intact_pulls(store)
    folder = settings.sql_dir / "validate"

    def work() -> dict:
        # a full disk anywhere in processed/ (the spill folder, the report, a Parquet file)
        with diskfull.writing(settings.processed_dir), scratch_connection(settings) as con:
            try:
                return _validate(con, settings, catalog, manifest, store, good, folder)
            except errors.SqlFailed as e:
                raise errors.IctpError(
                    f"{e}. The stored tables are unchanged; fix the file and run "
                    "`ictp validate` again"
                ) from None

    return run_step(
        settings,
        manifest,
        "validate",
        _depends_on(settings, store, good),
        [settings.tables_dir],
        "the raw pages, catalog, rules and code are unchanged",
        work,
    )


def _validate(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    catalog: Catalog,
    run: Run,
    store: RawStore,
    good: dict,
    folder: Path,
) -> dict:
    clock = Stopwatch()  # seconds and peak RSS per sub-step, in the run manifest (make bench)
    sql.query(con, folder / "variables.sql", {"year_min": settings.year_min,
                                              "year_max": settings.year_max})  # fmt: skip
    catalog.load_into(con, "input")
    # GX's import (seconds of Python) overlaps DuckDB's reading, not tidy's own Python: two
    # threads of Python take turns, and the one that waits on a file waits for its turn too
    tidy(con, store, good, catalog, folder, clock, on_reading=expectations.preload)
    _previous(con, folder, settings.tables_dir / "observations.parquet")
    sql.run_folder(con, folder / "3_rules")
    crash.point("validate.after_tidy")
    clock.part("rule inputs")
    clock.lap("tidy")
    gx = expectations.Expectations(settings, con)
    clock.lap("gx_setup")  # paid once per run, whatever the size
    series_df = sql.query(con, folder / "report" / "series_checks.sql").df().set_index("rid")
    series_failures, series_rules = gx.run("series")
    table_failures = _table_failures(series_df, series_failures)
    clock.part("table-level rules")
    row_failures, row_rules = gx.run("rows")
    clock.part("row rules")
    con.register("failures", row_failures)
    sql.run_folder(con, folder / "4_results")
    con.unregister("failures")
    clock.part("quarantine")
    warnings = _warnings(con, folder)
    clock.part("soft rules")
    clock.lap("validate")

    accounting = {
        (r["source"], r["series"]): {k: r[k] for k in ACCOUNTING}
        for r in sql.rows(con, folder / "report" / "accounting.sql")
    }
    status = series_status(catalog, store, accounting, good)
    totals = {k: sum(s[k] or 0 for s in status) for k in ACCOUNTING}
    report = {
        "run_id": run.id,
        "status": "failed" if table_failures else "quarantined" if totals["quarantined"] else "ok",
        "totals": totals,
        "table_failures": table_failures,
        "rules": series_rules + row_rules,
        "warnings": warnings,
        "series": _series_report(con, folder, status),
        "corrections": sql.rows(con, folder / "outputs" / "corrections.sql"),
        "descriptions": gx.descriptions,
    }
    report_paths = write_report(settings.reports_dir, report)
    result = _result(report, status, report_paths[0], clock)
    if table_failures:
        lines = "; ".join(f"{f['series']} ({f['source']}): {f['detail']}" for f in table_failures)
        raise StepFailed(
            f"the batch failed table-level checks, so nothing was stored and the previous "
            f"outputs are unchanged: {lines}. Check the source; if the change is real, adjust "
            f"indicators/series.yml. Report: {report_paths[0]}",
            result,
            exit_code=errors.BATCH_FAILED,
        )
    clock.part("report")
    result["vintages"] = vintages.keep(con, folder / "vintages", settings.processed_dir)
    clock.part("vintages")
    _store(con, folder / "outputs", settings.tables_dir, status, run.id)
    clock.part("files")
    clock.lap("store")
    return result


def _previous(con: duckdb.DuckDBPyConnection, folder: Path, observations: Path) -> None:
    """`previous`: the previous vintage's observations, read where they lie, or none."""
    if observations.exists():
        sql.query(con, folder / "variables_previous.sql", {"path": str(observations)})
        sql.query(con, folder / "previous.sql")
    else:
        sql.query(con, folder / "previous_none.sql")


def _table_failures(series_df: pd.DataFrame, failures: pd.DataFrame) -> list[dict]:
    """Each series a table-level rule failed for, with the rule's reason in words."""
    return [
        {
            "rule": rule,
            "source": series_df.at[i, "source"],
            "series": series_df.at[i, "series"],
            "detail": SERIES_REASONS[rule].format(**_row(series_df, i)),
        }
        for i, rule in failures.itertuples(index=False)
    ]


def _result(report: dict, status: list[dict], report_path: Path, clock: Stopwatch) -> dict:
    """What validate records in the run manifest and prints: the accounting and the status."""
    return {
        **report["totals"],
        "status": report["status"],
        "stale": [s["series"] for s in status if s["status"] == "stale"],
        "missing": [s["series"] for s in status if s["status"] == "missing"],
        "warnings": sum(w["count"] for w in report["warnings"]),
        "table_failures": report["table_failures"],
        "rules": [{k: r[k] for k in ("rule", "failing", "success")} for r in report["rules"]],
        "series": status,
        "report": str(report_path),
        "timings": clock.laps,
    }


def _depends_on(settings: Settings, store: RawStore, good: dict) -> list:
    """What validate's result depends on besides the code: the pages of the good pulls, each
    series' latest status (stale or not), the series whose latest good pull has bad objects,
    the catalog, the local files list, validate's SQL (its models and soft rules), the year
    bounds."""
    latest = store.latest_pulls()
    latest_good = store.latest_good_pulls()
    passed_over = sorted(k for k, p in latest_good.items() if good.get(k) is not p)
    files = (
        [settings.files.read_bytes().hex()] if settings.files and settings.files.exists() else []
    )
    return [
        fingerprint.tree(settings.catalog_dir),
        fingerprint.tree(settings.sql_dir / "validate"),
        files,
        [settings.year_min, settings.year_max],
        sorted((s, n, [p["sha256"] for p in pull["pages"]]) for (s, n), pull in good.items()),
        sorted((s, n, pull["status"]) for (s, n), pull in latest.items()),
        passed_over,
    ]


def _warnings(con: duckdb.DuckDBPyConnection, folder: Path) -> list[dict]:
    """Soft rules (sql/validate/warnings/*.sql): reported, never quarantined. Each returns
    (rid, detail)."""
    template = sql.text(folder / "soft_rule.sql")
    for path in sql.files_in(folder / "warnings"):
        query = sql.text(path).strip().rstrip(";")
        with sql.failing_as(path, "warning rule"):
            sql.execute(con, template.replace("{rule_query}", query), {"rule": path.stem})
    out = []
    for w in sql.rows(con, folder / "report" / "warning_counts.sql"):
        examples = sql.query(con, folder / "report" / "warning_examples.sql", {"rule": w["rule"]})
        out.append({**w, "examples": [list(e) for e in examples.fetchall()]})
    return out


def _store(
    con: duckdb.DuckDBPyConnection, outputs: Path, tables: Path, status: list[dict], run_id: str
) -> None:
    """Write the Parquet files as one new generation of `tables` (pipeline/generation.py): the
    previous set stays whole and in use until the one rename that switches to the new one."""
    new = generation.start(tables)

    def write(cur: duckdb.DuckDBPyConnection, name: str) -> None:
        query = sql.text(outputs / f"{name}.sql")
        write_parquet(cur, query, new / f"{name}.parquet", {"run_id": run_id})

    try:
        # observations first, alone: its sort of every stored row gets the working memory to
        # itself (beside the others it spilled: 20M rows, store 47-56 s -> 37-40 s); the rest
        # at once, each on its own cursor (a sort and a file write each have serial parts)
        write(con, "observations")
        files = [n for n in OUTPUTS if n not in ("observations", "series_status")]
        on_cursors(con, write, files, workers=len(files))
        con.register("status_df", pd.DataFrame(status))
        write(con, "series_status")
    except BaseException as e:
        shutil.rmtree(new, ignore_errors=True)
        if diskfull.is_full(e):
            raise diskfull.DiskFull(new, diskfull.reason(e)) from None
        raise
    crash.point("validate.before_switch")
    generation.switch(new, tables)
    for name in OUTPUTS:  # the files of the layout before generations, if any
        (tables.parent / f"{name}.parquet").unlink(missing_ok=True)


def _intact_pulls(store: RawStore) -> dict:
    """The latest good pull of each series whose raw objects are intact. A good pull with an
    object missing or no longer matching its sha256 fails loudly: the series uses its previous
    intact pull (stale) or, if none, has no data (missing)."""
    good, passed_over = store.latest_intact_pulls()
    for pull, bad in passed_over:
        key = (pull["source"], pull["series"])
        fallback = good.get(key)
        log.warning(
            "raw objects of pull %s (%s %s) are missing or no longer match their sha256 (edited "
            "or corrupted on disk): %s; %s. Run `ictp verify` to list every bad object and "
            "`ictp ingest` to download them again",
            pull["pull_id"],
            pull["source"],
            pull["series"],
            ", ".join(str(store.path(sha)) for sha in bad),
            f"the series keeps its previous good pull {fallback['pull_id']} (stale)"
            if fallback
            else "the series has no intact pull, so it has no data (missing)",
        )
    return good


def series_status(
    catalog: Catalog, store: RawStore, accounting: dict, good: dict | None = None
) -> list[dict]:
    """Per catalog series: is its data fresh, stale (last pull failed, or its objects are bad)
    or missing, and counts. `good`: the pulls validate read (default: the latest good ones)."""
    latest = store.latest_pulls()
    good = store.latest_good_pulls() if good is None else good
    wanted = [(source, s.id, code) for s in catalog.series for source, code in s.sources.items()]
    wanted += sorted(  # a source's own tables, such as the World Bank country list
        (source, series, None)
        for (source, series) in latest
        if series not in catalog.series_by_id()
    )
    out = []
    for source, series, code in wanted:
        last, ok = latest.get((source, series)), good.get((source, series))
        if ok is None:
            status = "missing" if last else "never pulled"
        else:
            status = "ok" if last["pull_id"] == ok["pull_id"] else "stale"
        counts = accounting.get((source, series), dict.fromkeys(ACCOUNTING, 0))
        out.append(
            {
                "source": source,
                "series": series,
                "source_code": code,
                "status": status,
                "last_attempt": last["finished"] if last else None,
                "last_error": _error(last, ok),
                "pull_id": ok["pull_id"] if ok else None,
                "retrieved": ok["finished"] if ok else None,
                "vintage": ok.get("lastupdated") if ok else None,
                "synthetic": bool(ok and ok.get("synthetic")),
                **counts,
            }
        )
    return out


def _error(last: dict | None, ok: dict | None) -> str | None:
    if last is None:
        return None
    if last["status"] == "ok" and (ok is None or ok["pull_id"] != last["pull_id"]):
        return (
            f"raw objects of pull {last['pull_id']} are missing or corrupted: run `ictp verify`, "
            "then `ictp ingest`"
        )
    return last.get("error")


def _series_report(con: duckdb.DuckDBPyConnection, folder: Path, status: list[dict]) -> list[dict]:
    """Per series: counts, warnings and the first quarantined rows, for the report."""
    report = folder / "report"
    warned = dict(sql.query(con, report / "series_warnings.sql").fetchall())
    examples: dict[tuple[str, str], list] = {}
    for source, series, *example in sql.query(con, report / "quarantine_examples.sql").fetchall():
        examples.setdefault((source, series), []).append(example)
    out = []
    for s in status:
        checked = s["rows_in"] - s["no_value"]
        out.append(
            {
                **{k: s[k] for k in ("source", "series", "status", "rows_in", "no_value")},
                "checked": checked,
                "passed": s["stored"],
                "quarantined": s["quarantined"],
                "warnings": warned.get(f"{s['source']}:{s['series']}", 0),
                "examples": examples.get((s["source"], s["series"]), []),
            }
        )
    return out


def _row(df: pd.DataFrame, i) -> dict:
    return {k: (None if pd.isna(v) else v) for k, v in df.loc[i].items()}

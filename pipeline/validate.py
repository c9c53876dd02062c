"""Validate: tidy the latest good pulls, check every row with Great Expectations, store Parquet.

The suite is generated from the catalog (valid ranges, year bounds, known economies, a unique
key). A row failing any rule goes to quarantine with the rule, its value and its bounds.
Every row is accounted for: rows in = stored + quarantined + rows without a value.
"""

from __future__ import annotations

import logging
import os

import duckdb
import pandas as pd

from pipeline.catalog import Catalog
from pipeline.errors import IctpError
from pipeline.raw_store import RawStore
from pipeline.runs import Run, Stopwatch, write_json_atomic
from pipeline.settings import Settings
from pipeline.store import write_parquet
from pipeline.tidy import tidy

log = logging.getLogger(__name__)
# Great Expectations calls home on import unless told not to, and there is no network.
os.environ["GX_ANALYTICS_ENABLED"] = "false"

OBS_COLUMNS = 'economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256'
OBS_ORDER = 'series, economy, "year", source'

# How each failed rule reads in `quarantine.reason` (SQL over the failing row's own columns).
REASONS = {
    "value_is_number": "format('{}: value {} is not a number', rule, coalesce(value_text, 'null'))",
    "value_at_least_min": (
        "format('{}: value {} is below the minimum {} for {} (valid_range in series.yml)', "
        "rule, value, valid_min, series)"
    ),
    "value_at_most_max": (
        "format('{}: value {} is above the maximum {} for {} (valid_range in series.yml)', "
        "rule, value, valid_max, series)"
    ),
    "year_is_year": "format('{}: date {} is not a calendar year', rule, date_text)",
    "year_in_bounds": (
        "format('{}: year {} is outside {}-{} (ICTP_YEAR_MIN/ICTP_YEAR_MAX)', "
        "rule, \"year\", getvariable('year_min'), getvariable('year_max'))"
    ),
    "economy_known": (
        "format('{}: economy code {} is not in the World Bank country list', rule, economy)"
    ),
    "key_unique": (
        "format('{}: more than one row for {} {} {} {}', rule, economy, series, \"year\", source)"
    ),
}


def build_suite(settings: Settings, economies: list[str]):
    """The suite: generic rules whose bounds come from the catalog (per-row valid_min/valid_max
    columns joined from series.yml) and settings, so no series needs a hand-written rule."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    def named(expectation, rule: str, description: str):
        expectation.meta = {"rule": rule}
        expectation.description = description
        return expectation

    suite = gx.ExpectationSuite(name="observations")
    for e in (
        named(
            gxe.ExpectColumnValuesToNotBeNull(column="value"),
            "value_is_number",
            "Every value is a number.",
        ),
        named(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="value",
                column_B="valid_min",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            "value_at_least_min",
            "Value is at least its series' minimum (series.yml valid_range).",
        ),
        named(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="valid_max",
                column_B="value",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            "value_at_most_max",
            "Value is at most its series' maximum (series.yml valid_range).",
        ),
        named(
            gxe.ExpectColumnValuesToNotBeNull(column="year"),
            "year_is_year",
            "The date is a calendar year.",
        ),
        named(
            gxe.ExpectColumnValuesToBeBetween(
                column="year", min_value=settings.year_min, max_value=settings.year_max
            ),
            "year_in_bounds",
            f"Year within {settings.year_min}-{settings.year_max}.",
        ),
        named(
            gxe.ExpectColumnValuesToBeInSet(column="economy", value_set=economies),
            "economy_known",
            "Economy code is in the World Bank country list.",
        ),
        named(
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["economy", "series", "year", "source"]
            ),
            "key_unique",
            "One row per economy, series, year and source.",
        ),
    ):
        suite.add_expectation(e)
    assert set(REASONS) == {e.meta["rule"] for e in suite.expectations}
    return suite


def run_expectations(
    df: pd.DataFrame, settings: Settings, economies: list[str]
) -> tuple[list[tuple[int, str]], list[dict]]:
    """Validate `df`; return (row id, rule) for every failure and a per-rule summary."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith("great_expectations") and isinstance(logger, logging.Logger):
            logger.setLevel(logging.WARNING)  # GX sets some of its loggers to INFO on import
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_def = (
        context.data_sources.add_pandas("ictp")
        .add_dataframe_asset("observations")
        .add_batch_definition_whole_dataframe("batch")
    )
    suite = context.suites.add(build_suite(settings, economies))
    result = batch_def.get_batch(batch_parameters={"dataframe": df}).validate(
        suite, result_format={"result_format": "COMPLETE"}
    )
    failures: list[tuple[int, str]] = []
    summary = []
    for r in result.results:
        rule = r.expectation_config.meta["rule"]
        if r.exception_info and r.exception_info.get("raised_exception"):
            raise IctpError(
                f"validation rule {rule} could not run: {r.exception_info['exception_message']}"
            )
        unexpected = r.result.get("unexpected_index_list") or []
        failures.extend((int(i), rule) for i in unexpected)
        summary.append(
            {
                "rule": rule,
                "expectation": r.expectation_config.type,
                "kwargs": {
                    k: v
                    for k, v in r.expectation_config.kwargs.items()
                    if k not in ("value_set", "batch_id")
                },
                "description": r.expectation_config.description,
                "success": bool(r.success),
                "element_count": r.result.get("element_count"),
                "unexpected_count": r.result.get("unexpected_count", len(unexpected)),
                "examples": [
                    _plain(x) for x in (r.result.get("partial_unexpected_list") or [])[:5]
                ],
            }
        )
    return failures, summary


def validate(settings: Settings, catalog: Catalog, run: Run) -> dict:
    """Tidy, validate and store; return the accounting recorded in the run manifest."""
    clock = Stopwatch()  # seconds per sub-step (tidy, validate, store) in the run manifest
    store = RawStore(settings.raw_dir)
    good = store.latest_good_pulls()
    con = duckdb.connect()
    con.execute(f"set variable year_min = {settings.year_min}")
    con.execute(f"set variable year_max = {settings.year_max}")
    con.execute(f"set variable run_id = '{run.id}'")
    tidy(con, store, good)
    clock.lap("tidy")
    economies = [r[0] for r in con.execute("select iso3 from economies").fetchall()]
    if not economies:
        raise IctpError("the stored World Bank country list is empty; run `ictp ingest` again")

    con.register("catalog_df", pd.DataFrame(catalog.series_rows()))
    con.execute(
        """
        create table checked as
        select row_number() over (order by c.series, c.source, c.economy, c."year",
                                  c.raw_sha256, c.value, c.value_text) as rid,
               c.*,
               c.value is not null or c.value_text is not null as has_value,
               coalesce(s.valid_min, '-inf'::double) as valid_min,
               coalesce(s.valid_max, 'inf'::double) as valid_max
        from candidates c
        left join catalog_df s using (series, source)
        """
    )
    df = con.execute(
        'select rid, economy, series, "year", source, value, valid_min, valid_max '
        "from checked where has_value order by rid"
    ).df()
    df.index = df.pop("rid").to_numpy()  # an unnamed index: GX then lists failing rids fast
    failures, summary = run_expectations(df, settings, economies)

    con.execute("create table failures (rid bigint, rule varchar)")
    if failures:
        con.executemany("insert into failures values (?, ?)", failures)
    reason_case = " ".join(f"when '{rule}' then {sql}" for rule, sql in REASONS.items())
    con.execute(
        f"""
        create table quarantined as
        select rid, string_agg(case rule {reason_case} end, '; ' order by rule) as reason
        from failures join checked using (rid)
        group by rid
        """
    )
    clock.lap("validate")
    processed = settings.processed_dir
    write_parquet(
        con,
        f"select {OBS_COLUMNS} from checked "
        f"where has_value and rid not in (select rid from quarantined) order by {OBS_ORDER}",
        processed / "observations.parquet",
    )
    write_parquet(
        con,
        f"select {OBS_COLUMNS}, value_text, q.reason, getvariable('run_id') as run_id "
        f"from checked join quarantined q using (rid) order by {OBS_ORDER}, value_text",
        processed / "quarantine.parquet",
    )
    write_parquet(con, "select * from economies order by iso3", processed / "economies.parquet")

    status = series_status(catalog, store, _accounting(con))
    con.register("status_df", pd.DataFrame(status))
    write_parquet(
        con, "select * from status_df order by source, series", processed / "series_status.parquet"
    )

    totals = {k: sum(s[k] or 0 for s in status) for k in ACCOUNTING}
    report = {"run_id": run.id, "totals": totals, "rules": summary, "series": status}
    write_json_atomic(settings.reports_dir / "validation.json", report)
    clock.lap("store")
    result = {
        **totals,
        "stale": [s["series"] for s in status if s["status"] == "stale"],
        "missing": [s["series"] for s in status if s["status"] == "missing"],
        "rules": [{k: r[k] for k in ("rule", "unexpected_count", "success")} for r in summary],
        "series": status,
        "timings": clock.laps,
    }
    run.record("validate", result)
    return result


ACCOUNTING = ("rows_in", "no_value", "stored", "quarantined")


def _accounting(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict]:
    rows = con.execute(
        """
        select source, series,
               count(*) as rows_in,
               count(*) filter (where not has_value) as no_value,
               count(*) filter (where has_value and q.rid is null) as stored,
               count(q.rid) as quarantined
        from checked left join quarantined q using (rid)
        group by all
        """
    ).fetchall()
    return {(r[0], r[1]): dict(zip(ACCOUNTING, r[2:], strict=True)) for r in rows}


def series_status(catalog: Catalog, store: RawStore, accounting: dict) -> list[dict]:
    """Per catalog series: is its data fresh, stale (last pull failed) or missing, and counts."""
    latest = store.latest_pulls()
    good = store.latest_good_pulls()
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
                "last_error": last.get("error") if last else None,
                "pull_id": ok["pull_id"] if ok else None,
                "retrieved": ok["finished"] if ok else None,
                "vintage": ok.get("lastupdated") if ok else None,
                "synthetic": bool(ok and ok.get("synthetic")),
                **counts,
            }
        )
    return out


def _plain(x):
    """GX examples as plain JSON values (numpy scalars and NaN are not JSON)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    try:
        x = x.item()
    except AttributeError:
        pass
    if isinstance(x, float) and x != x:
        return None
    return x

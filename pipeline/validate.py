"""Validate: tidy the latest good pulls, check them with Great Expectations, store Parquet.

    candidates ──► table-level checks ──► row checks ──► warnings ──► report ──► Parquet
                   (fail the batch:        (quarantine    (sql/warnings:
                    nothing is replaced)    the row)       reported only)

Every row is accounted for: rows in = stored + quarantined + rows without a value, per source
and series. The report (HTML and JSON) is written even when the batch fails, so the reason is
there to read.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import errors, fingerprint
from pipeline.catalog import Catalog
from pipeline.errors import IctpError
from pipeline.expectations import TABLES, Expectations
from pipeline.raw_store import RawStore
from pipeline.report import write_report
from pipeline.runs import Run, Stopwatch
from pipeline.settings import Settings
from pipeline.store import on_cursors, scratch_connection, write_parquet
from pipeline.tidy import tidy

log = logging.getLogger(__name__)

OBS_COLUMNS = (
    'economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256, '
    "note, source_note"
)
OBS_ORDER = 'series, economy, "year", source'
ACCOUNTING = ("rows_in", "no_value", "stored", "quarantined")

# How each failed row rule reads in `quarantine.reason` (SQL over the failing row's columns).
REASONS = {
    "value_is_number": "format('{}: value {} is not a number', rule, coalesce(value_text, 'null'))",
    "value_type": "format('{}: value {} is not stored as a double', rule, value)",
    "value_at_least_min": (
        "format('{}: value {} is below the minimum {} for {} (series.yml)', "
        "rule, value, valid_min, series)"
    ),
    "value_at_most_max": (
        "format('{}: value {} is above the maximum {} for {} (series.yml)', "
        "rule, value, valid_max, series)"
    ),
    "count_is_whole": "format('{}: value {} of the count {} is not a whole number', rule, value, series)",
    "year_is_year": "format('{}: date {} is not a calendar year', rule, date_text)",
    "year_in_bounds": (
        "format('{}: year {} is outside {}-{} (ICTP_YEAR_MIN/ICTP_YEAR_MAX)', "
        "rule, \"year\", getvariable('year_min'), getvariable('year_max'))"
    ),
    "economy_known": "format('{}: economy code {} is not in the economy list', rule, economy)",
    "key_unique": (
        "format('{}: more than one row for {} {} {} {}', rule, economy, series, \"year\", source)"
    ),
}

CHECKED_SQL = """
create table checked as
with keyed as (  -- the keys that more than one row with a value shares (rule key_unique)
    select economy, series, "year", source, count(*) as key_rows
    from candidates where value is not null or value_text is not null
    group by all having count(*) > 1
)
select c.*,
       c.value is not null or c.value_text is not null as has_value,
       coalesce(s.valid_min, '-inf'::double) as valid_min,
       coalesce(s.valid_max, 'inf'::double) as valid_max,
       case when s.whole then round(c.value) else c.value end as whole_value,
       coalesce(k.key_rows, 1) as key_rows
from candidates c
left join input.catalog_series s using (series, source)
left join keyed k on k.economy is not distinct from c.economy
    and k.series = c.series and k."year" is not distinct from c."year" and k.source = c.source
"""

# Per catalog series that was downloaded or stored before: what the table-level rules read.
# Coverage counts countries only: a provider publishes its aggregates for other years (ITU's
# World and regions a year ahead of most countries' figures) and in other numbers.
SERIES_SQL = """
with pulled as (
    select distinct source, series from pages
), aggregates as (
    select iso3 from economies where code_kind in ('aggregate', 'itu_aggregate')
), now as (
    select source, series,
           count(*) as rows_in,
           count(*) filter (where has_value) as rows_with_value,
           coalesce(count(*) filter (where has_value and "year" is not null)
                    / nullif(count(*) filter (where has_value), 0), 1.0) as dated_share
    from checked group by all
), prev as (
    select source, series, count(*) as prev_rows,
           max("year") filter (where economy not in (select iso3 from aggregates)) as prev_year
    from previous group by all
), prev_cov as (
    select p.source, p.series, count(distinct o.economy) as prev_economies
    from prev p join previous o using (source, series)
    where o."year" = p.prev_year and o.economy not in (select iso3 from aggregates)
    group by all
), now_cov as (
    select c.source, c.series, count(distinct c.economy) as now_economies
    from checked c join prev p using (source, series)
    where c."year" = p.prev_year and c.has_value
      and c.economy not in (select iso3 from aggregates)
    group by all
), wanted as (
    select source, series from pulled union select source, series from prev
)
select w.source, w.series,
       coalesce(n.rows_in, 0) as rows_in,
       coalesce(n.rows_with_value, 0) as rows_with_value,
       case when p.prev_rows > 0 then 1 else 0 end as min_rows_with_value,
       coalesce(p.prev_rows, 0) as prev_rows,
       p.prev_year,
       pc.prev_economies,
       coalesce(nc.now_economies, 0) as now_economies,
       ceil(pc.prev_economies * (1 - s.max_coverage_drop)) as min_economies,
       coalesce(n.dated_share, 1.0) as dated_share
from wanted w
join input.catalog_series s using (source, series)
left join now n using (source, series)
left join prev p using (source, series)
left join prev_cov pc using (source, series)
left join now_cov nc using (source, series)
"""

# What the row rules read (expectations.py): every row with a value, the catalog's bounds, the
# economy code again where it is in the economy list, and how many rows share the row's key.
ROWS_TO_CHECK_SQL = f"""
create view {TABLES["rows"]} as
select rid, economy,
       case when economy in (select iso3 from economies) then economy end as economy_listed,
       series, "year", source, value, valid_min, valid_max, whole_value, key_rows
from checked where has_value
"""

SERIES_REASONS = {
    "series_returned_rows": "the download returned no rows at all",
    "series_not_vanished": "it had {prev_rows} stored rows before and now has no value at all",
    "coverage_kept": (
        "countries with data in {prev_year} fell from {prev_economies:.0f} to {now_economies} "
        "(more than max_coverage_drop allows)"
    ),
    "dates_parse": "only {dated_share:.0%} of its dates are calendar years (has the format changed?)",
}


def validate(settings: Settings, catalog: Catalog, run: Run) -> dict:
    """Tidy, check and store; return the accounting recorded in the run manifest.

    Raises IctpError with exit code 5 when a table-level check fails (nothing is stored then).
    """
    clock = Stopwatch()  # seconds and peak RSS per sub-step, in the run manifest (make bench)
    store = RawStore(settings.raw_dir)
    good = store.latest_good_pulls()
    k = _fingerprint(settings, store, good)
    outputs = [settings.processed_dir / f"{name}.parquet" for name in OUTPUTS]
    if (before := fingerprint.unchanged(settings, "validate", k, outputs)) is not None:
        result = {**before, "skipped": "the raw pages, catalog, rules and code are unchanged"}
        run.record("validate", result)
        return result
    with scratch_connection(settings) as con:
        return _validate(con, settings, catalog, run, store, good, k, outputs, clock)


def _validate(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    catalog: Catalog,
    run: Run,
    store: RawStore,
    good: dict,
    k: str,
    outputs: list[Path],
    clock: Stopwatch,
) -> dict:
    con.execute(f"set variable year_min = {settings.year_min}")
    con.execute(f"set variable year_max = {settings.year_max}")
    con.execute(f"set variable run_id = '{run.id}'")  # ids are [0-9A-Za-z-]
    catalog.load_into(con, "input")
    tidy(con, store, good, catalog)
    con.execute(CHECKED_SQL)
    con.execute("drop view candidates; drop table raw_candidates")  # `checked` holds it all now
    _previous(con, settings.processed_dir / "observations.parquet")
    if not con.execute("select count(*) from economies").fetchone()[0]:
        raise IctpError("the stored economy list is empty; run `ictp ingest` again")
    con.execute(ROWS_TO_CHECK_SQL)
    con.execute(
        f"create table {TABLES['series']} as "
        f"select row_number() over (order by source, series) - 1 as rid, * from ({SERIES_SQL})"
    )
    clock.lap("tidy")
    gx = Expectations(settings, con)
    clock.lap("gx_setup")  # paid once per run, whatever the size
    series_df = con.execute(f"select * from {TABLES['series']} order by rid").df().set_index("rid")
    series_failures, series_rules = gx.run("series")
    table_failures = [
        {
            "rule": rule,
            "source": series_df.at[i, "source"],
            "series": series_df.at[i, "series"],
            "detail": SERIES_REASONS[rule].format(**_row(series_df, i)),
        }
        for i, rule in series_failures.itertuples(index=False)
    ]
    row_failures, row_rules = gx.run("rows")
    con.register("failures_df", row_failures)
    con.execute("create table failures as select rid, rule from failures_df")
    con.unregister("failures_df")
    reason_case = " ".join(f"when '{rule}' then {sql}" for rule, sql in REASONS.items())
    con.execute(
        f"""
        create table quarantined as
        select rid, string_agg(case rule {reason_case} end, '; ' order by rule) as reason
        from failures join checked using (rid)
        group by rid
        """
    )
    con.execute(
        "create view valid_rows as select c.* from checked c anti join quarantined q using (rid) "
        "where c.has_value"
    )
    warnings = _warnings(con, settings.sql_dir / "warnings")
    clock.lap("validate")

    status = series_status(catalog, store, _accounting(con))
    totals = {k: sum(s[k] or 0 for s in status) for k in ACCOUNTING}
    report = {
        "run_id": run.id,
        "status": "failed" if table_failures else "quarantined" if totals["quarantined"] else "ok",
        "totals": totals,
        "table_failures": table_failures,
        "rules": series_rules + row_rules,
        "warnings": warnings,
        "series": _series_report(con, status),
        "corrections": _corrections(con),
        "descriptions": gx.descriptions,
    }
    report_paths = write_report(settings.reports_dir, report)
    result = {
        **totals,
        "status": report["status"],
        "stale": [s["series"] for s in status if s["status"] == "stale"],
        "missing": [s["series"] for s in status if s["status"] == "missing"],
        "warnings": sum(w["count"] for w in warnings),
        "table_failures": table_failures,
        "rules": [{k: r[k] for k in ("rule", "failing", "success")} for r in report["rules"]],
        "series": status,
        "report": str(report_paths[0]),
        "timings": clock.laps,
    }
    if table_failures:
        fingerprint.forget(settings, "validate")
        run.record("validate", result)
        lines = "; ".join(f"{f['series']} ({f['source']}): {f['detail']}" for f in table_failures)
        raise IctpError(
            f"the batch failed table-level checks, so nothing was stored and the previous "
            f"outputs are unchanged: {lines}. Check the source; if the change is real, adjust "
            f"indicators/series.yml. Report: {report_paths[0]}",
            exit_code=errors.BATCH_FAILED,
        )

    _store(con, settings.processed_dir, status, run.id)
    clock.lap("store")
    fingerprint.remember(settings, "validate", k, result, outputs)
    run.record("validate", result)
    return result


OUTPUTS = ("observations", "quarantine", "warnings", "economies", "series_status")


def _fingerprint(settings: Settings, store: RawStore, good: dict) -> str:
    """What validate's result depends on: the pages of the good pulls, each series' latest
    status (stale or not), the catalog, the soft rules, the year bounds, the code."""
    latest = store.latest_pulls()
    files = (
        [settings.files.read_bytes().hex()] if settings.files and settings.files.exists() else []
    )
    return fingerprint.key(
        fingerprint.code(),
        fingerprint.tree(settings.catalog_dir),
        fingerprint.tree(settings.sql_dir / "warnings"),
        files,
        [settings.year_min, settings.year_max],
        sorted((s, n, [p["sha256"] for p in pull["pages"]]) for (s, n), pull in good.items()),
        sorted((s, n, pull["status"]) for (s, n), pull in latest.items()),
    )


def _warnings(con: duckdb.DuckDBPyConnection, folder: Path) -> list[dict]:
    """Soft rules (sql/warnings/*.sql): reported, never quarantined. Each returns (rid, detail)."""
    con.execute("create table warnings (rid bigint, rule varchar, detail varchar)")
    out = []
    for path in sorted(folder.glob("*.sql")):
        query = path.read_text(encoding="utf-8").strip().rstrip(";")
        try:
            con.execute(f"insert into warnings select rid, '{path.stem}', detail from ({query})")
        except duckdb.Error as e:
            raise IctpError(f"warning rule {path} failed: {' '.join(str(e).split())}") from None
    for rule, n in con.execute(
        "select rule, count(*) from warnings group by rule order by rule"
    ).fetchall():
        examples = con.execute(
            """
            select v.economy, v.series, v."year", v.value, w.detail
            from warnings w join checked v using (rid)
            where w.rule = ? order by v.series, v.economy, v."year" limit 20
            """,
            [rule],
        ).fetchall()
        out.append({"rule": rule, "count": n, "examples": [list(e) for e in examples]})
    return out


def _previous(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The previous vintage: the observations stored by the last successful validate."""
    if path.exists():  # read where it lies: at scale a copy would cost memory
        quoted = str(path).replace("'", "''")
        con.execute(f"create view previous as select * from read_parquet('{quoted}')")
    else:
        con.execute(
            'create table previous (economy varchar, series varchar, "year" smallint, '
            "value double, source varchar)"
        )


def _store(
    con: duckdb.DuckDBPyConnection, processed: Path, status: list[dict], run_id: str
) -> None:
    tables = [
        (f"select {OBS_COLUMNS} from valid_rows order by {OBS_ORDER}", "observations"),
        (
            f"select {OBS_COLUMNS}, value_text, q.reason, '{run_id}' as run_id "  # [0-9A-Za-z-]
            f"from checked join quarantined q using (rid) order by {OBS_ORDER}, value_text",
            "quarantine",
        ),
        (
            f"select {OBS_COLUMNS}, w.rule, w.detail from checked join warnings w using (rid) "
            f"order by w.rule, {OBS_ORDER}",
            "warnings",
        ),
        ("select * from economies order by iso3", "economies"),
    ]
    # written at once (5M rows: 13 s one after another)
    on_cursors(
        con,
        lambda cur, t: write_parquet(cur, t[0], processed / f"{t[1]}.parquet"),
        tables,
        workers=len(tables),
    )
    con.register("status_df", pd.DataFrame(status))
    write_parquet(
        con, "select * from status_df order by source, series", processed / "series_status.parquet"
    )


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


def _series_report(con: duckdb.DuckDBPyConnection, status: list[dict]) -> list[dict]:
    """Per series: counts, warnings and the first quarantined rows, for the report."""
    warned = dict(
        con.execute(
            "select source || ':' || series, count(*) from warnings join checked using (rid) "
            "group by all"
        ).fetchall()
    )
    examples: dict[tuple[str, str], list] = {}
    for source, series, *example in con.execute(  # one pass, not one scan per series
        """
        select source, series, economy, "year", coalesce(cast(value as varchar), value_text),
               reason
        from checked join quarantined using (rid)
        qualify row_number() over (partition by source, series order by economy, "year") <= 5
        order by source, series, economy, "year"
        """
    ).fetchall():
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


def _corrections(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The corrections register, with how many validated rows each entry matches."""
    cur = con.execute(
        """
        select c.series, c.economy, c.year_from, c.year_to, c.source, c.action, c.value,
               c.reason, c.reported_upstream, count(v.rid) as rows_matched
        from input.catalog_corrections c
        left join valid_rows v on v.series = c.series and v.economy = c.economy
            and v."year" between c.year_from and c.year_to
            and (c.source is null or v.source = c.source)
        group by all order by all
        """
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _row(df: pd.DataFrame, i) -> dict:
    return {k: (None if pd.isna(v) else v) for k, v in df.loc[i].items()}

"""The `ictp` command line: ingest, validate, build, export, report, run, demo, query, diff,
status."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from pipeline import __version__, errors, signals
from pipeline.errors import IctpError
from pipeline.settings import Settings

log = logging.getLogger("pipeline")
DEMO_DATA_DIR = Path("data/demo")

DESCRIPTION = """\
ictp pulls ICT indicator data (ITU DataHub, World Bank API v2, local CSV/XLSX files), keeps
every raw download, validates it with Great Expectations, stores Parquet, builds a DuckDB
database with SQL and writes CSV extracts.

  ictp run       ingest + validate + build + export + report (what cron runs)
  ictp report    the HTML report with charts (data/processed/reports/index.html)
  ictp demo      the whole pipeline offline, on synthetic data from a local server
  ictp query     ask the built database a question in SQL
  ictp indicators  the Core List indicators and their status on the built database
  ictp diff      the values revised, added or removed between two vintages of each series
  ictp status    what the last runs did, and how fresh each series is
  ictp verify    check every raw download against its sha256

Settings come from ICTP_* environment variables (see the README); options override them.
Exit codes: 0 ok; 1 failed (message on stderr); 2 bad arguments; 3 some series failed to
download (their last good data was kept, everything else was updated); 4 some rows were
quarantined (the batch is usable; see the validation report); 5 the batch failed table-level
checks (nothing downstream was replaced); 75 busy: another ictp process is working on the
data directory, try again later; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM). When
several apply: 5, then 3, then 4.
"""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    try:
        with signals.terminate_as_interrupt():
            return args.func(args)
    except IctpError as e:
        print(f"ictp: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM (signals.Terminated)
        print(f"ictp: {signals.describe(e)}; data already stored is intact", file=sys.stderr)
        return signals.exit_code(e)
    except BrokenPipeError:  # `ictp ... | head`: the reader stopped listening; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return errors.OK
    except Exception as e:  # a bug: say so in one line, the traceback only with -v
        if args.verbose:
            raise
        print(
            f"ictp: internal error: {type(e).__name__}: {e} (run again with -v for the "
            "traceback and please report it)",
            file=sys.stderr,
        )
        return errors.FAILED


def console() -> None:
    """The `ictp` script and `python -m pipeline`: main(), then exit with its code."""
    signals.leave(main())


# ---------------------------------------------------------------- commands


def cmd_ingest(args) -> int:
    from pipeline import ingest
    from pipeline.orchestrate import exit_code, in_run

    settings = _settings(args)
    catalog = settings.catalog()
    if args.list_series:
        for s in catalog.series:
            codes = ", ".join(
                f"{k}:{v}" + ("" if s.source_details.get(k, {}).get("confirmed", True) else "(?)")
                for k, v in s.sources.items()
            )
            print(f"{s.id:40} {codes:44} {s.name}")
        return errors.OK

    def body(run) -> int:
        result = ingest.run(
            settings, catalog, run, args.series, args.sources or settings.source_list
        )
        _print_ingest(result)
        _print_failed_downloads(result)
        return exit_code(ingested=result)

    return in_run(settings, "ingest", body)


def cmd_validate(args) -> int:
    from pipeline import validate
    from pipeline.orchestrate import exit_code, in_run

    settings = _settings(args)

    def body(run) -> int:
        result = validate.run(settings, settings.catalog(), run)
        _print_rows(result)
        return exit_code(validated=result)

    return in_run(settings, "validate", body)


def cmd_build(args) -> int:
    from pipeline import build
    from pipeline.orchestrate import in_run

    settings = _settings(args)

    def body(run) -> int:
        _print_build(build.run(settings, settings.catalog(), run))
        return errors.OK

    return in_run(settings, "build", body)


def cmd_export(args) -> int:
    from pipeline import export
    from pipeline.orchestrate import in_run

    settings = _settings(args)

    def body(run) -> int:
        _print_export(
            export.run(settings, run, redistributable=args.redistributable, formats=args.format)
        )
        return errors.OK

    return in_run(settings, "export", body)


def cmd_report(args) -> int:
    from pipeline import publish_report
    from pipeline.orchestrate import in_run

    settings = _settings(args)

    def body(run) -> int:
        _print_report(publish_report.run(settings, run))
        return errors.OK

    return in_run(settings, "report", body)


def cmd_run(args) -> int:
    from pipeline.orchestrate import in_run

    settings = _settings(args)
    sources = args.sources or settings.source_list
    return in_run(settings, "run", lambda run: _run_all(settings, run, args.series, sources))


def cmd_demo(args) -> int:
    from pipeline.demo import serve_demo
    from pipeline.orchestrate import in_run

    settings = _settings(args, data_dir=args.data_dir or DEMO_DATA_DIR, synthetic=True)
    with serve_demo(settings.catalog()) as urls:
        print(
            f"demo:     serving synthetic World Bank API data at {urls['worldbank']} and ITU "
            f"DataHub data at {urls['itu']} (no network used)"
        )
        settings = settings.with_(worldbank_url=urls["worldbank"], itu_url=urls["itu"])
        code = in_run(settings, "demo", lambda run: _run_all(settings, run, None))
    if code == errors.ROWS_QUARANTINED:
        print("demo:     the quarantined rows are the demo's deliberately invalid values: all good")
        return errors.OK
    return code


def _run_all(settings: Settings, run, only: list[str] | None, sources=None) -> int:
    from pipeline.orchestrate import run_all

    shown: dict[str, dict] = {}

    def show(step: str, result: dict) -> None:
        shown[step] = result
        SHOW[step](result)

    code = run_all(settings, run, only, sources, show)
    print(
        f"next:     {_ictp_command()} query{_data_dir_opt(settings)} "
        '"select * from indicator_values limit 10"'
    )
    _print_failed_downloads(shown["ingest"])
    return code


def cmd_query(args) -> int:
    return _show(_settings(args), args.sql, args)


def cmd_indicators(args) -> int:
    settings = _settings(args)
    return _show(
        settings, settings.sql_dir / "queries" / "indicators.sql", args, computed=args.computed
    )


def cmd_diff(args) -> int:
    from pipeline import diff

    settings = _settings(args)
    table = {"csv": args.csv, "max_rows": args.max_rows, "max_width": args.max_width}
    if args.vintages:
        return diff.vintages(settings, args.series, **table)
    return diff.diff(settings, args.series, args.from_, args.to, **table)


def _show(settings: Settings, query: str | Path, args, **params) -> int:
    """Run a read-only query (its text, or a file of sql/queries/ with its parameters) against
    the built database (pipeline/query.py); print a table or CSV."""
    from pipeline import sql
    from pipeline.query import show

    text = sql.text(query) if isinstance(query, Path) else query
    return show(
        settings.db_path,
        text,
        params=params,
        csv=args.csv,
        max_rows=args.max_rows,
        max_width=args.max_width,
    )


def cmd_verify(args) -> int:
    from pipeline.verify import report, verify

    settings = _settings(args)
    return report(settings, verify(settings))


def cmd_status(args) -> int:
    from pipeline.status import status

    print(status(_settings(args)))
    return errors.OK


# ---------------------------------------------------------------- helpers


def _settings(args, **overrides) -> Settings:
    return Settings.from_env(
        data_dir=overrides.pop("data_dir", None) or getattr(args, "data_dir", None),
        worldbank_url=getattr(args, "worldbank_url", None),
        itu_url=getattr(args, "itu_url", None),
        if_changed=getattr(args, "if_changed", None) or None,
        force=getattr(args, "force", None) or None,
        **overrides,
    )


def _print_failed_downloads(result: dict) -> None:
    failed = [p for p in result["pulls"] if p["status"] != "ok"]
    if not failed:
        return
    for p in failed:
        print(f"ictp: error: {p['error']} [{p['url']}]", file=sys.stderr)
    print(
        f"ictp: error: {len(failed)} download(s) failed; their last good data was kept "
        "(status stale) and everything else was updated. Run again later; `ictp status` "
        "shows what is stale",
        file=sys.stderr,
    )


def _print_ingest(result: dict) -> None:
    pulls = result["pulls"]
    ok = [p for p in pulls if p["status"] == "ok"]
    pages = sum(len(p["pages"]) for p in ok)
    rows = sum(p.get("rows_total", 0) for p in ok)
    failed = len(pulls) - len(ok)
    same = sum(bool(p.get("unchanged")) for p in ok)
    print(
        f"ingest:   {len(ok)} of {len(pulls)} downloads ok ({pages} pages, {rows:,} rows)"
        + (f", {same} unchanged since the last pull (page 1 identical)" if same else "")
        + (f", {failed} FAILED" if failed else "")
    )


def _print_skip(step: str, r: dict) -> bool:
    if r.get("skipped"):
        print(f"{step + ':':9} nothing to do: {r['skipped']} (--force to run it anyway)")
    return bool(r.get("skipped"))


def _print_rows(r: dict) -> None:
    skipped = _print_skip("validate", r)
    print(
        f"validate: rows in {r['rows_in']:,} = stored {r['stored']:,} + quarantined "
        f"{r['quarantined']:,} + without a value {r['no_value']:,}"
    )
    if r["warnings"]:
        print(f"          {r['warnings']:,} warnings (reported, not quarantined)")
    print(f"          report: {r['report']}")
    if r.get("vintages") and not skipped:
        print(f"          {len(r['vintages'])} new vintage(s) kept (processed/vintages/)")
    if r["stale"]:
        print(
            f"          stale (last download failed, previous data kept): {', '.join(r['stale'])}"
        )
    if r["missing"]:
        print(f"          missing (never downloaded): {', '.join(r['missing'])}")


def _print_build(r: dict) -> None:
    if _print_skip("build", r):
        return
    size = r["bytes"] / 1e6
    print(
        f"build:    {len(r['tables'])} tables and {len(r.get('views', []))} views in "
        f"{r['database']} ({size:.1f} MB): {', '.join(sorted(r['tables'] + r.get('views', [])))}"
    )
    if r["checks_failed"]:
        print(f"          checks with failing rows (see qa.*): {', '.join(r['checks_failed'])}")


def _print_export(r: dict) -> None:
    if _print_skip("export", r):
        return
    csvs = [f for f in r["files"] if f.endswith(".csv")]
    book = " + ict_indicators.xlsx" if "ict_indicators.xlsx" in r["files"] else ""
    print(
        f"export:   {len(csvs)} CSV files + datapackage.json{book} in {r['directory']}"
        + (" (SYNTHETIC demo data)" if r["synthetic"] else "")
    )
    if r.get("left_out"):
        print(
            "          left out (licence forbids commercial use): "
            + "; ".join(
                f"{x['series']}: {x['rows']:,} rows from {x['source']}" for x in r["left_out"]
            )
        )


def _print_report(r: dict) -> None:
    if _print_skip("report", r):
        return
    print(f"report:   {r['report']} ({r['charts']} charts, {r['tables']} tables)")


def _ictp_command() -> str:
    """How the user can call ictp from here (.venv/bin/ictp after `make`)."""
    script = Path(sys.executable).parent / "ictp"
    try:
        return str(script.relative_to(Path.cwd())) if script.exists() else "ictp"
    except ValueError:
        return "ictp"


def _data_dir_opt(settings: Settings) -> str:
    return "" if settings.data_dir == Path("data") else f" --data-dir {settings.data_dir}"


SHOW = {
    "ingest": _print_ingest,
    "validate": _print_rows,
    "build": _print_build,
    "export": _print_export,
    "report": _print_report,
}


def _configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="ictp: %(levelname)s: %(message)s", stream=sys.stderr)
    for noisy in ("urllib3", "great_expectations"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def _table_options(sp, max_rows: int = 40) -> None:
    sp.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sp.add_argument(
        "--max-rows", type=int, default=max_rows, help=f"rows to show (default {max_rows})"
    )
    sp.add_argument("--max-width", type=int, default=160, help="table width in characters")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, help="data directory (ICTP_DATA_DIR, default ./data)"
    )
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging, tracebacks")
    common.add_argument("-q", "--quiet", action="store_true", help="errors only")
    net = argparse.ArgumentParser(add_help=False)
    net.add_argument(
        "--worldbank-url",
        help="World Bank API v2 base URL (ICTP_WORLDBANK_URL, default https://api.worldbank.org/v2)",
    )
    net.add_argument(
        "--itu-url",
        help="ITU DataHub API v2 base URL (ICTP_ITU_URL, default https://api.datahub.itu.int/v2)",
    )
    pick = argparse.ArgumentParser(add_help=False)
    pick.add_argument(
        "--series",
        type=lambda s: [x for x in s.split(",") if x],
        help="only these series ids, comma-separated (default: every series in the catalog)",
    )
    pick.add_argument(
        "--sources",
        type=lambda s: [x for x in s.split(",") if x],
        help="only these sources, comma-separated: worldbank, itu (with itu_idi, ITU's published "
        "IDI scores), itu_idi, file (ICTP_SOURCES; default: all)",
    )
    pick.add_argument(
        "--if-changed",
        action="store_true",
        help="stop a World Bank download after page 1 when it is byte-identical to the last "
        "good pull's page 1 (ICTP_IF_CHANGED=1); a change confined to later pages is then "
        "missed until a full run",
    )
    redo = argparse.ArgumentParser(add_help=False)
    redo.add_argument(
        "--force",
        action="store_true",
        help="run even when the inputs are unchanged since the last success (ICTP_FORCE=1)",
    )

    p = argparse.ArgumentParser(
        prog="ictp",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    p.add_argument("--version", action="version", version=f"ictp {__version__}")
    p.set_defaults(func=lambda a: (p.print_help(), errors.USAGE)[1])
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    def add(name, func, help_, description, parents=()):
        sp = sub.add_parser(
            name,
            help=help_,
            description=description,
            parents=[common, *parents],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sp.set_defaults(func=func)
        return sp

    sp = add(
        "ingest",
        cmd_ingest,
        "download the catalog's series into the raw store",
        "Download the World Bank and ITU country lists and every series in\n"
        "indicators/series.yml from each source that serves it (at most 4 requests in flight,\n"
        "retries with backoff), ITU's published IDI scores (source itu_idi, with itu; not with\n"
        "--series), and read the local files of the files list, into data/raw/.\n"
        "Every body is kept byte for byte, named by its SHA-256; a manifest line is written per\n"
        "request. A series that fails keeps its last good data; the exit code is then 3.",
        [net, pick],
    )
    sp.add_argument("--list-series", action="store_true", help="list the catalog's series and exit")
    add(
        "validate",
        cmd_validate,
        "tidy, validate with Great Expectations, store Parquet",
        "Turn the latest good raw pages into one long table of observations (DuckDB reads the\n"
        "JSON), check every row against rules generated from the catalog (valid range, whole\n"
        "counts, year bounds, known economy, unique key) and the batch against table-level rules\n"
        "(no rows, a vanished series, a coverage drop, dates that no longer parse), and store\n"
        "data/processed/tables/observations.parquet and quarantine.parquet. Rows in = stored +\n"
        "quarantined + without a value. Report: data/processed/reports/validation.html.\n"
        "Exit codes: 0 all rows passed; 4 rows were quarantined (the batch is usable);\n"
        "5 a table-level rule failed (nothing was stored; the previous outputs stay).",
        [redo],
    )
    add(
        "build",
        cmd_build,
        "run sql/ into a new data/processed/ict.duckdb",
        "Run the SQL models (sql/build/1_staging, 2_intermediate, 3_marts, in file-name order)\n"
        "into a new DuckDB file, then the checks (sql/build/9_checks, failing rows kept in schema\n"
        "qa). The old database is replaced only when every model succeeded.",
        [redo],
    )
    sp = add(
        "export",
        cmd_export,
        "write CSV extracts and datapackage.json",
        "Write data/processed/exports/: per series a long CSV and a wide CSV (economy x year),\n"
        "countries only, sources.csv (each source's licence, licence URL, attribution and\n"
        "commercial use) and a datapackage.json describing every file with the licences and\n"
        "sources of its rows (every row names its source). With --format xlsx, also\n"
        "ict_indicators.xlsx: a sheet per series and per composite, and a notes sheet. Text a\n"
        "spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading '.",
        [redo],
    )
    sp.add_argument(
        "--format",
        type=lambda s: tuple(x.strip() for x in s.split(",") if x.strip()),
        default=("csv",),
        help="csv (default) or xlsx, comma-separated for both; the CSV files and "
        "datapackage.json are always written, xlsx adds ict_indicators.xlsx",
    )
    sp.add_argument(
        "--redistributable",
        action="store_true",
        help="leave out rows whose licence forbids commercial use (ITU's CC BY-NC-SA); "
        "where another source has the figure, it is used instead",
    )
    add(
        "report",
        cmd_report,
        "write the HTML report with charts",
        "Write data/processed/reports/index.html from the built database: the runs and each\n"
        "series' freshness, the validation summary (linking validation.html), a coverage\n"
        "heatmap, the headline trends by group (ours beside the providers' aggregates), the\n"
        "latest composite ranking with its rank intervals, the revisions since the previous\n"
        "vintage, and where every output is. One file, charts inside: no network to view it.",
        [redo],
    )
    add(
        "run",
        cmd_run,
        "ingest + validate + build + export + report",
        "The whole pipeline against the live sources: what cron runs. A series that fails to\n"
        "download keeps its last good data; everything else is updated; the exit code is then 3.",
        [net, pick, redo],
    )
    sp = add(
        "demo",
        cmd_demo,
        "the whole pipeline offline on synthetic data",
        "Generate a deterministic synthetic data set (real economy codes and names, made-up\n"
        "values with gaps, zeros and a few invalid values), serve it in the World Bank API v2\n"
        "format from 127.0.0.1, and run ingest, validate, build, export and report against it.\n"
        "Outputs go to data/demo/ (not data/) and say they are synthetic.",
    )
    sp = add(
        "query",
        cmd_query,
        "run a read-only SQL query against the built database",
        "Examples:\n"
        "  ictp query \"select * from indicator_values where economy = 'KEN' limit 5\"\n"
        '  ictp query --csv "select * from series" > series.csv\n'
        "Tables: indicator_values, indicator_values_redistributable, core_indicators,\n"
        "core_indicators_latest, aggregates, core_indicator_status, observations, economies,\n"
        "series, quarantine, validation_warnings, corrections, runs, vintages, revisions\n"
        "(and qa.* for the checks).",
    )
    sp.add_argument("sql", help="the SQL to run")
    _table_options(sp)
    sp = add(
        "indicators",
        cmd_indicators,
        "the Core List indicators and their status here",
        "List every indicator of the Partnership's Core List (indicators/core.yml) with its status\n"
        "on the built database: computed (economies, first and latest year, reported or derived),\n"
        "no data (naming the series it needs), or not computable from country-level data (why).",
    )
    sp.add_argument("--computed", action="store_true", help="only the computed indicators")
    _table_options(sp, max_rows=100)
    sp = add(
        "diff",
        cmd_diff,
        "the values revised, added or removed between two vintages",
        "Every pull that brings new bytes is a new vintage of its series (table vintages). List\n"
        "the values revised, added or removed from one vintage of each series to another\n"
        "(table revisions, netted over the vintages between): by default the latest vintage\n"
        "against the one before it. A vintage is its vintage_id or the source's last-updated date\n"
        "(YYYY-MM-DD). Examples:\n"
        "  ictp diff --series internet_users_pct\n"
        "  ictp diff --series internet_users_pct --from 2017-02-01 --csv > revised.csv",
    )
    sp.add_argument(
        "--series",
        type=lambda s: [x for x in s.split(",") if x],
        help="only these series ids, comma-separated (default: every series)",
    )
    sp.add_argument("--from", dest="from_", metavar="V", help="the earlier vintage")
    sp.add_argument("--to", metavar="V", help="the later vintage (default: the latest)")
    sp.add_argument("--vintages", action="store_true", help="list the vintages instead")
    _table_options(sp, max_rows=100)
    add(
        "verify",
        cmd_verify,
        "check every raw object against its sha256",
        "Re-hash every object in data/raw/objects/ and list those whose bytes no longer match\n"
        "their name, or that a good pull needs and are missing. Exit 1 if any; the next ingest\n"
        "that downloads the same bytes replaces a bad object.",
    )
    add(
        "status",
        cmd_status,
        "what the last runs did, and how fresh each series is",
        "Show the latest runs (from data/processed/runs/), each series' status (ok, stale,\n"
        "missing), when it was downloaded and its row counts, and the database and exports.",
    )
    from pipeline import composite_cli

    composite_cli.register(sub, [common])
    return p

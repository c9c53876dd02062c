"""`python -m bench` (make bench, make bench-quick): see bench/__init__.py and bench/README.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from bench import report
from bench.run import Options, run, say
from pipeline.settings import PROJECT_DIR

FULL_SIZES = [1_000_000, 5_000_000, 20_000_000]
QUICK_SIZES = [1_000_000]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    opts = Options(
        work=args.work_dir,
        out=args.out_dir,
        sizes=args.size or (QUICK_SIZES if args.quick else FULL_SIZES),
        real=args.real if args.real is not None else not args.quick,
        shared=args.shared_data,
        raw_path_max=args.raw_path_max,
        pandas_full_max=args.pandas_full_max,
        noop_max=args.noop_max,
        rss_cap_mb=args.rss_cap_mb,
        ingest_large=args.ingest_large,
        profile=args.profile,
        composites=args.composites,
        keep=args.keep,
        mode="quick" if args.quick else "full",
        default_sizes=not args.size and args.real is None,
    )
    opts.work_existed = opts.work.exists()  # absent: a cold run, nothing cached
    opts.started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    opts.load_at_start = [round(x, 2) for x in os.getloadavg()]  # other work on the machine
    started = time.perf_counter()
    results, composites = run(opts)
    doc = report.document(results, composites, opts, time.perf_counter() - started)
    path = report.write(doc, opts.out)
    print(report.table(doc["table"]))
    print(report.LEGEND)
    if text := report.where_time_goes(doc):
        print(text)
    missed = [t for t in doc["targets"] if not t["met"]]
    print(
        f"\n{len(doc['targets']) - len(missed)} of {len(doc['targets'])} targets met "
        f"({sum(map(report.beyond_floor, missed))} of the missed missed by the floor too, NO*); "
        f"wall time {doc['wall_seconds']:.0f} s; load average {opts.load_at_start[0]} at the "
        f"start, {doc['machine']['load_average_at_end'][0]} at the end ({os.cpu_count()} CPUs)\n"
        f"JSON: {path} (and latest.json)"
    )
    for note in opts.notes:
        say(f"bench: note: {note}")
    failed = [f"{r['size']} {r['stage']}" for r in doc["table"] if r["source"] == "failed"]
    failed += [
        f"{r['dataset']['name']}: the stored rows are not the data set's rows"
        for r in results
        if not r.get("checks", {"ok": True})["ok"]
    ]
    for what in failed:
        say(f"bench: FAILED: {what} (logs under {opts.work / 'runs'})")
    return 1 if failed or not results else 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark every ictp stage on the real data and on scale-ups, against "
        "DuckDB floors and a pandas baseline; print a table and write JSON.",
    )
    p.add_argument("--quick", action="store_true", help="1M rows only (make bench-quick)")
    p.add_argument(
        "--size",
        type=_rows,
        action="append",
        help="a scale-up size in rows (repeatable; 20000, 1M, 5M...); replaces the defaults",
    )
    p.add_argument(
        "--real",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include the real data in ../shared/data (default: yes, not with --quick)",
    )
    p.add_argument(
        "--work-dir",
        type=Path,
        default=PROJECT_DIR / "data" / "bench",
        help="generated data sets (cached) and runs (default data/bench)",
    )
    p.add_argument(
        "--out-dir",
        type=Path,
        default=PROJECT_DIR / "data" / "processed" / "bench",
        help="where the JSON goes (default data/processed/bench)",
    )
    p.add_argument("--shared-data", type=Path, default=PROJECT_DIR.parent / "shared" / "data")
    p.add_argument(
        "--raw-path-max",
        type=_rows,
        default=5_000_000,
        help="largest size run from ingest; above it, build and export run from the "
        "generated Parquet and the raw-path stages are predicted (default 5M)",
    )
    p.add_argument(
        "--pandas-full-max",
        type=_rows,
        default=1_000_000,
        help="largest size for the whole pandas baseline; above it, only its "
        "aggregate (default 1M)",
    )
    p.add_argument(
        "--noop-max",
        type=_rows,
        default=5_000_000,
        help="largest size for the measured no-op runs (default 5M)",
    )
    p.add_argument(
        "--rss-cap-mb",
        type=float,
        default=14_000,
        help="kill a stage whose RSS passes this (default 14000)",
    )
    p.add_argument(
        "--ingest-large",
        choices=("auto", "yes", "no"),
        default="yes",
        help="measure ingest above --raw-path-max too (auto: only when the data set and its "
        "validate outputs were cached; default yes)",
    )
    p.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="list the build's slowest models and profile the slowest with DuckDB "
        "(largest size; default yes)",
    )
    p.add_argument(
        "--composites",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the composites (bench/composites.py; default yes)",
    )
    p.add_argument("--keep", action="store_true", help="keep each size's data directory")
    return p


def _rows(text: str) -> int:
    text = text.strip().upper().replace("_", "").replace(",", "")
    scale = {"K": 1_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * scale)


if __name__ == "__main__":
    sys.exit(main())

"""One benchmark run: every data set through the pipeline, then its floors and pandas baseline.

Per data set, in this order so each ratio compares numbers taken minutes apart:

1. the pipeline, each stage a process: the *raw path* (ingest from the local server, validate,
   build, export) up to `raw_path_max` rows; above it the *Parquet path* (build and export from
   the data set's pre-built validate outputs) so the largest size fits the time budget; there
   tidy / validate / store are the sub-steps of the `ictp validate` that made those outputs,
   and ingest is measured too (`ingest_large` "yes"; with "auto" only on a warm run, when the
   data set and its validate outputs were cached), else predicted from the two largest
   raw-path sizes;
2. correctness (the stored rows are the data set's rows), three `ictp query` calls, and up to
   `noop_max` rows a no-op `ictp run --if-changed` (up to `noop_full_max` also one that
   downloads everything again); for the largest data set, the build's slowest models and
   DuckDB's profile of the slowest (bench/profile.py);
3. the floors (DuckDB alone; the HTTP download up to `http_floor_max`) and the pandas
   baseline, each a process.

Once per run, the composites' measurement (bench/composites.py), in a process of its own.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import datasets, measure, profile, stages
from bench.datasets import PER_PAGE, Dataset
from bench.server import serve_pages
from pipeline.catalog import load_catalog
from pipeline.settings import Settings


@dataclass
class Options:
    work: Path
    out: Path
    sizes: list[int]
    real: bool
    shared: Path
    raw_path_max: int = 5_000_000
    pandas_full_max: int = 1_000_000
    noop_max: int = 5_000_000
    noop_full_max: int = 1_000_000  # the no-op run that downloads everything again: for scale
    http_floor_max: int = 1_000_000  # the plain download ingest is compared with: for scale
    rss_cap_mb: float = 14_000
    ingest_large: str = "yes"  # above raw_path_max: "yes", "no", "auto" (when warm)
    profile: bool = True
    composites: bool = True
    keep: bool = False
    mode: str = "full"
    default_sizes: bool = True  # the mode's own sizes: its wall-time target applies
    work_existed: bool = True  # the work directory was there at the start (else cold)
    started: str = ""
    load_at_start: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(opts: Options) -> tuple[list[dict], dict | None]:
    """Benchmark every data set, then the composites: (one result per data set, the
    composites' result)."""
    results = []
    wanted = (["real"] if opts.real else []) + opts.sizes
    for what in wanted:
        cached = {p.parent for p in opts.work.glob("datasets/*/dataset.json")}
        started = time.perf_counter()
        if what == "real":
            if not (opts.shared / "wdi").is_dir():
                say(f"bench: real data not found at {opts.shared}; skipped")
                opts.notes.append(f"real data skipped: {opts.shared} not found")
                continue
            ds = datasets.real(opts.work, opts.shared)
        else:
            ds = datasets.scale_up(opts.work, what)
        ready = time.perf_counter() - started
        say(
            f"bench: {ds.name}: {ds.rows:,} rows in {ds.pages:,} pages ({ds.bytes / 1e6:,.0f} MB), "
            f"data set ready in {ready:.1f} s"
        )
        largest = what == max(opts.sizes, default=what) and what != "real"
        result = bench_dataset(ds, opts, generated=ds.dir not in cached, largest=largest)
        result["dataset"]["ready_seconds"] = round(ready, 1)
        results.append(result)
    return results, composites(opts) if opts.composites else None


def composites(opts: Options) -> dict:
    """bench/composites.py in a measured process: wall and CPU seconds of the composites'
    build share and of 1,000 uncertainty runs."""
    logs = opts.work / "runs" / "composites"
    result = logs / "composites.result.json"
    argv = [sys.executable, "-m", "bench.composites", "--result", str(result)]
    m = measure.run("composites", argv, logs, rss_cap_mb=opts.rss_cap_mb)
    out = {**m.as_dict(), **(json.loads(result.read_text()) if m.ok else {})}
    say(f"bench: composites {_brief(m)}")
    return out


def bench_dataset(ds: Dataset, opts: Options, generated: bool, largest: bool) -> dict:
    run_dir = opts.work / "runs" / ds.name
    shutil.rmtree(run_dir, ignore_errors=True)
    data, logs = run_dir / "data", run_dir / "logs"
    raw_path = ds.name == "real" or ds.rows <= opts.raw_path_max
    res: dict = {
        "dataset": _describe(ds),
        "path": "raw" if raw_path else "parquet",
        "stages": {},
        "sub_steps": {},
        "floors": {},
        "pandas": {},
        "queries": [],
    }
    res["dataset"]["generated"] = generated  # in this run: a cold run
    todo = stages.RAW_PATH
    with serve_pages(ds.pages_dir, PER_PAGE) as url:
        if not raw_path:
            made = time.perf_counter()
            before = set(ds.dir.glob("processed-*"))
            source = datasets.processed(ds)  # the real validate's outputs, made once and kept
            res["dataset"]["processed_seconds"] = round(time.perf_counter() - made, 1)
            res["dataset"]["processed_made"] = source not in before
            shutil.copytree(source, data / "processed")
            todo = _parquet_path(ds, opts, res)
        _pipeline(ds, opts, res, url, data, logs, todo)
        if largest and opts.profile and "build" in res["stages"]:
            res["profile"] = _profile(ds, opts, data, logs)
        if raw_path and (ds.name == "real" or ds.rows <= opts.http_floor_max):
            res["floors"]["http"] = _child("floors", "http", ds, opts, data, logs, url=url)
    res["floors"]["duckdb"] = _child("floors", "duckdb", ds, opts, data, logs, raw=raw_path)
    pandas_mode = "full" if raw_path and ds.rows <= opts.pandas_full_max else "aggregate"
    res["pandas"] = _child("pandas_baseline", pandas_mode, ds, opts, data, logs)
    res["pandas"]["mode"] = pandas_mode
    if not opts.keep:
        shutil.rmtree(data, ignore_errors=True)
    return res


def _parquet_path(ds: Dataset, opts: Options, res: dict) -> tuple[str, ...]:
    """The stages of the Parquet path: build and export, and ingest where it is measured."""
    cold = res["dataset"]["generated"] or res["dataset"]["processed_made"]
    if opts.ingest_large == "yes" or (opts.ingest_large == "auto" and not cold):
        return ("ingest", *stages.PARQUET_PATH)
    why = (
        "this run is cold (it generated the data set or its validate outputs; --ingest-large auto)"
    )
    if opts.ingest_large == "no":
        why = "--ingest-large no"
    res["ingest_not_measured"] = why
    opts.notes.append(
        f"{ds.name}: ingest predicted, not measured: {why} (`--ingest-large yes`, the "
        "default, measures it)"
    )
    return stages.PARQUET_PATH


def _profile(ds: Dataset, opts: Options, data: Path, logs: Path) -> dict:
    """The build's slowest models, and DuckDB's profile of the slowest, re-run alone."""
    slowest = profile.slowest_models(data)
    models = [m["model"] for m in slowest[: profile.PROFILED]]
    result = logs / "profile.result.json"
    argv = [sys.executable, "-m", "bench.profile", str(data), str(result), *models]
    m = measure.run("profile", argv, logs, rss_cap_mb=opts.rss_cap_mb)
    say(f"bench: {ds.name}: profile of {', '.join(models)} {_brief(m)}")
    profiles = json.loads(result.read_text()) if m.ok else []
    return {"slowest_models": slowest, "profiles": profiles, **m.as_dict()}


def _pipeline(
    ds: Dataset, opts: Options, res: dict, url: str, data: Path, logs: Path, todo: tuple
) -> None:
    """The stages, then (if they all worked) the checks, the queries and the no-op run."""
    raw_path = res["path"] == "raw"
    pipe = stages.run_pipeline(ds, url, data, logs, opts.rss_cap_mb, todo)
    for name, m in pipe.items():
        res["stages"][name] = m.as_dict()
        say(f"bench: {ds.name}: {name:9} {_brief(m)}")
    if not raw_path:  # tidy, validate and store as the real validate measured them
        res["stages"]["validate"], res["sub_steps"] = stages.validate_when_made(data)
        if not res["stages"]["validate"]:
            del res["stages"]["validate"]
    if "ingest" in pipe and pipe["ingest"].ok:
        res["stages"]["ingest"]["bytes"] = stages.ingested_bytes(data)
        if not raw_path:  # measured for its rate only: nothing reads the pages (GBs) again
            shutil.rmtree(data / "raw")
    if "validate" in pipe and pipe["validate"].ok:
        res["sub_steps"] = stages.sub_steps(data, pipe["validate"].peak_rss_mb)
    if not all(m.ok for m in pipe.values()):
        return
    if raw_path:
        res["checks"] = stages.check_outputs(ds, data)
        say(f"bench: {ds.name}: stored rows match the data set: {res['checks']['ok']}")
    res["queries"] = stages.queries(ds, url, data, logs)
    if raw_path and ds.name != "real" and ds.rows <= opts.noop_max:
        cap = opts.rss_cap_mb
        res["noop"] = stages.noop_run(ds, url, data, logs, cap, "--if-changed").as_dict()
        say(f"bench: {ds.name}: no-op run --if-changed {res['noop']['seconds']:.1f} s")
        if ds.rows <= opts.noop_full_max:
            res["noop_full"] = stages.noop_run(ds, url, data, logs, cap).as_dict()
            say(
                f"bench: {ds.name}: no-op run downloading everything {res['noop_full']['seconds']:.1f} s"
            )


def _child(module: str, mode: str, ds: Dataset, opts, data: Path, logs: Path, **kw) -> dict:
    """Run a baseline (bench.floors or bench.pandas_baseline) in its own measured process."""
    name = f"{module}-{mode}"
    spec_path = logs / f"{name}.spec.json"
    result_path = logs / f"{name}.result.json"
    spec = _spec(ds, data, logs / name, result_path, **kw)
    spec_path.write_text(json.dumps(spec) + "\n")
    argv = [sys.executable, "-m", f"bench.{module}", mode, str(spec_path)]
    m = measure.run(name, argv, logs, rss_cap_mb=opts.rss_cap_mb)
    out = {**m.as_dict(), **(json.loads(result_path.read_text()) if m.ok else {})}
    say(f"bench: {ds.name}: {name:24} {_brief(m)}")
    shutil.rmtree(logs / name, ignore_errors=True)  # the baselines' own Parquet and CSV files
    return out


def _spec(ds: Dataset, data: Path, out: Path, result: Path, url=None, raw=True) -> dict:
    settings = Settings.from_env({})
    stored = data / "processed" / "tables" / "observations.parquet"
    catalog = load_catalog(ds.catalog_dir)
    return {
        "result": str(result),
        "out": str(out),
        "urls": ds.urls(url) if url else [],
        "pages": ds.page_records() if raw else [],
        "observations": str(stored if stored.exists() else ds.expected),
        "economies": str(ds.economies_parquet),
        "catalog": [
            {
                "series": s.id,
                "valid_min": _finite(s.valid_min),
                "valid_max": _finite(s.valid_max),
                "unit": s.unit,
            }
            for s in catalog.series
        ],
        "year_min": settings.year_min,
        "year_max": settings.year_max,
        "count_series": ds.count_series,
        "per_100_series": ds.per_100_series,
    }


def _finite(x: float) -> float | None:
    return x if abs(x) != float("inf") else None


def _describe(ds: Dataset) -> dict:
    return {
        "name": ds.name,
        "rows": ds.rows,
        "pages": ds.pages,
        "bytes": ds.bytes,
        "economies": ds.economies,
        "series": ds.series,
        "years": ds.years,
        "expected_stored": ds.expected_stored,
        "expected_quarantined": ds.expected_quarantined,
    }


def _brief(m: measure.Measured) -> str:
    text = f"{m.seconds:8.2f} s {m.peak_rss_mb:8,.0f} MB"
    return text if m.ok else f"{text}  FAILED: {m.failure()}"

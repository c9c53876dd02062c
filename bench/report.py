"""The benchmark's table and JSON: each stage's time, peak RSS, ratios and targets.

A row is measured; or, where the raw path did not run (the largest size), taken from the run
manifest of the real `ictp validate` that made the data set's cached outputs (`cached`), or
predicted by a straight line in rows through the two largest measured sizes; the `source`
column says which.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

from bench.stages import SUB_STEPS
from pipeline.runs import versions

# The targets of issue #15 (Performance)
INGEST_MB_S = 100
VALIDATE_S_PER_1M = 2
X_FLOOR = {"tidy": 1.5, "store": 2, "build": 4, "export": 1.5}  # stage: at most x its floor
PANDAS_X = 1 / 3  # "at least 3x faster than pandas" = at most a third of its time
RAW_TO_EXPORTS_ROWS = 20_000_000
RAW_TO_EXPORTS_S = 90
RAW_TO_EXPORTS_RSS_MB = 4096
COMPOSITES_BUILD_S = 2  # every shipped composite, every edition, ~230 economies
COMPOSITES_UNCERTAINTY_S = 20  # 1,000 uncertainty runs on 2 cores
BENCH_WALL_S = {"quick": 90, "full": 600}  # make bench-quick; a cold make bench (a warm one:
# no target, its time is reported)
NOOP_S = 3  # issue #6
PREDICTED = ("ingest", "tidy", "gx setup", "validate", "store", "ictp validate")

# stage -> (where its time is, floor step, pandas step); "sub:" = a validate sub-step
STAGES = {
    "ingest": ("ingest", "http:download", None),
    "tidy": ("sub:tidy", "duckdb:read_raw", "tidy"),
    "gx setup": ("sub:gx_setup", None, None),  # GX import + context: once per run, any size
    "validate": ("sub:validate", "duckdb:rules", "validate"),
    "store": ("sub:store", "duckdb:write_parquet", "store"),
    "ictp validate": ("validate", None, None),
    "build": ("build", "duckdb:build", "aggregate"),
    "build, old floor": ("build", "duckdb:aggregate", None),  # for information: no target
    "export": ("export", "duckdb:export_csv", "export"),
}


def rows(results: list[dict]) -> list[dict]:
    """Every table row, data set by data set."""
    out = []
    raw = sorted(
        (r for r in results if r["path"] == "raw" and r["dataset"]["name"] != "real"),
        key=lambda r: r["dataset"]["rows"],
    )
    for r in results:
        out += _dataset_rows(r, raw[-2:] if r["path"] == "parquet" else [])
    return out


def _dataset_rows(r: dict, basis: list[dict]) -> list[dict]:
    size, n = r["dataset"]["name"], r["dataset"]["rows"]
    stage_rows = {}
    for stage, (where, floor, pandas) in STAGES.items():
        m = _time(r, where)
        if m is None and stage in PREDICTED and len(basis) == 2:
            m = _predict(basis, n, lambda b, w=where: _time(b, w))
            if m and stage == "ingest" and "ingest_not_measured" in r:
                m["basis"] += f"; not measured: {r['ingest_not_measured']}"
        if m is None:
            continue
        row = _row(
            size, stage, m, _step(r, floor), _step(r, f"pandas:{pandas}" if pandas else None)
        )
        stage_rows[stage] = row
    _whole_validate(stage_rows)
    _add_targets(r, stage_rows)
    out = list(stage_rows.values())
    out += _totals(r, stage_rows, size, n)
    for q in r["queries"]:
        out.append(_row(size, f"query: {q['query']}", q, None, None))
    return out


def _whole_validate(s: dict) -> None:
    """The `ictp validate` process against the sum of its sub-steps' floors and pandas steps."""
    if "ictp validate" not in s or not all(k in s for k in ("tidy", "validate", "store")):
        return
    row = s["ictp validate"]
    for col, name in (("floor", "floors of tidy, validate, store"), ("pandas", "pandas steps")):
        parts = [s[k][f"{col}_seconds"] for k in ("tidy", "validate", "store")]
        if None not in parts:
            row[col] = name
            row[f"{col}_seconds"] = sum(parts)
            row[f"x_{col}"] = round(row["seconds"] / sum(parts), 2)


def _totals(r: dict, s: dict, size: str, n: int) -> list[dict]:
    """raw -> exports, end to end, and the no-op run, from the stage rows `s`."""
    out = []
    if all(k in s for k in ("ictp validate", "build", "export")):
        m = _sum([s["ictp validate"], s["build"], s["export"]])
        out.append(_raw_to_exports(r, s, size, n, m))
        if "ingest" in s:
            out.append(_row(size, "end to end", _sum([s["ingest"], m]), None, None))
    noop = _noop(r, s, size)
    return out + ([noop] if noop else [])


def _raw_to_exports(r: dict, s: dict, size: str, n: int, m: dict) -> dict:
    floors = [
        s[k]["floor_seconds"] for k in ("tidy", "validate", "store", "build", "export") if k in s
    ]
    floor = None
    if len(floors) == 5 and None not in floors:
        floor = {"seconds": sum(floors), "name": "sum of the stages' floors"}
    pandas = _whole(r["pandas"]) if r["pandas"].get("mode") == "full" else None
    row = _row(size, "raw -> exports", m, floor, pandas)
    if n >= RAW_TO_EXPORTS_ROWS:
        rss = f"peak RSS < {RAW_TO_EXPORTS_RSS_MB:,} MB"
        row["targets"] += [
            _target(f"< {RAW_TO_EXPORTS_S} s", m["seconds"], RAW_TO_EXPORTS_S, "s"),
            _target(rss, m["peak_rss_mb"], RAW_TO_EXPORTS_RSS_MB, "MB"),
        ]
    _pandas_target(row)
    return row


def _noop(r: dict, s: dict, size: str) -> dict | None:
    """`ictp run --if-changed` when nothing changed upstream, where it was measured; its floor
    is the run that downloads everything again (and skips validate, build and export)."""
    if "noop" not in r:
        return None
    full = _whole(r.get("noop_full", {}), "no-op run downloading everything")
    noop = r["noop"]  # a run that failed is said to have failed, not timed as if it worked
    row = _row(size, "no-op run", {**noop, "source": "failed" if "error" in noop else "measured"},
               full, None)  # fmt: skip
    row["targets"].append(_target(f"< {NOOP_S} s", row["seconds"], NOOP_S, "s"))
    return row


def _add_targets(r: dict, s: dict) -> None:
    if "ingest" in s:  # predicted: the data set's page bytes over the predicted seconds
        n_bytes = r["stages"].get("ingest", {}).get("bytes", r["dataset"]["bytes"])
        mb_s = n_bytes / 1e6 / s["ingest"]["seconds"]
        s["ingest"]["mb_per_s"] = round(mb_s, 1)
        s["ingest"]["targets"].append(
            _target(f">= {INGEST_MB_S} MB/s", mb_s, INGEST_MB_S, "MB/s", higher_is_better=True)
        )
    for stage, limit in X_FLOOR.items():
        if stage in s and s[stage]["x_floor"] is not None:
            s[stage]["targets"].append(
                _target(f"<= {limit}x floor", s[stage]["x_floor"], limit, "x")
            )
    if "validate" in s and r["dataset"]["rows"] >= 1_000_000:
        per_1m = s["validate"]["seconds"] / (r["dataset"]["rows"] / 1e6)
        s["validate"]["targets"].append(
            _target(f"< {VALIDATE_S_PER_1M} s per 1M rows", per_1m, VALIDATE_S_PER_1M, "s")
        )
    for row in s.values():
        _pandas_target(row)


def _pandas_target(row: dict) -> None:
    """`<= 0.33x pandas`, and whether DuckDB alone doing the stage's job (its floor) meets it:
    `floor_x_pandas` above a third says no pipeline slower than its floor can."""
    if row["x_pandas"] is None:
        return
    target = _target("<= 0.33x pandas", row["x_pandas"], PANDAS_X, "x")
    if row["floor_seconds"]:
        target["floor_x_pandas"] = round(row["floor_seconds"] / row["pandas_seconds"], 2)
    row["targets"].append(target)


def beyond_floor(target: dict) -> bool:
    """Whether a target is missed by the stage's floor too (DuckDB alone doing the job)."""
    return target.get("floor_x_pandas", 0) > PANDAS_X


# ---------------------------------------------------------------- pieces


def _time(r: dict, where: str) -> dict | None:
    if where.startswith("sub:"):
        lap = r["sub_steps"].get(where[4:])
        return {"source": "measured", **lap} if lap else None
    m = r["stages"].get(where)
    if not m:
        return None
    return {**m, "source": "failed" if "error" in m else m.get("source", "measured")}


def _step(r: dict, ref: str | None) -> dict | None:
    """A baseline step's time: 'http:download', 'duckdb:read_raw', 'pandas:tidy'..."""
    if not ref:
        return None
    kind, step = ref.split(":")
    found = (r["pandas"] if kind == "pandas" else r["floors"].get(kind, {})).get(step)
    return {**found, "name": ref} if isinstance(found, dict) else None


def _whole(result: dict, name: str = "the whole process") -> dict | None:
    if not result or "error" in result:
        return None
    return {"seconds": result["seconds"], "name": name}


def _predict(basis: list[dict], n: int, get) -> dict | None:
    (a, b) = basis
    ma, mb = get(a), get(b)
    if not ma or not mb or ma["source"] != "measured" or mb["source"] != "measured":
        return None
    na, nb = a["dataset"]["rows"], b["dataset"]["rows"]

    def line(key: str) -> float:
        slope = (mb[key] - ma[key]) / (nb - na)
        return max(mb[key], mb[key] + slope * (n - nb))

    return {
        "seconds": line("seconds"),
        "peak_rss_mb": line("peak_rss_mb"),
        "source": "predicted",
        "basis": f"straight line through {a['dataset']['name']} and {b['dataset']['name']}",
    }


def _sum(parts: list[dict]) -> dict:
    sources = {p["source"] for p in parts}
    source = next(s for s in ("failed", "predicted", "cached", "measured") if s in sources)
    return {
        "seconds": sum(p["seconds"] for p in parts),
        "peak_rss_mb": max(p["peak_rss_mb"] for p in parts),
        "source": source,
    }


def _row(size: str, stage: str, m: dict, floor: dict | None, pandas: dict | None) -> dict:
    seconds = m["seconds"]
    return {
        "size": size,
        "stage": stage,
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(m["peak_rss_mb"]),
        "source": m.get("source", "measured"),
        **({"basis": m["basis"]} if "basis" in m else {}),
        **({"error": m["error"]} if "error" in m else {}),
        "floor": floor and floor["name"],
        "floor_seconds": floor and floor["seconds"],
        "x_floor": round(seconds / floor["seconds"], 2) if floor else None,
        "pandas": pandas and pandas["name"],
        "pandas_seconds": pandas and pandas["seconds"],
        "x_pandas": round(seconds / pandas["seconds"], 2) if pandas else None,
        "targets": [],
    }


def _target(text: str, value: float, limit: float, unit: str, higher_is_better=False) -> dict:
    met = value >= limit if higher_is_better else value <= limit
    return {"target": text, "measured": round(value, 2), "unit": unit, "met": bool(met)}


# ---------------------------------------------------------------- output


COLUMNS = [
    ("size", 5, "<"),
    ("stage", 31, "<"),
    ("seconds", 8, ">"),
    ("peak MB", 8, ">"),
    ("floor s", 8, ">"),
    ("x floor", 8, ">"),
    ("pandas s", 9, ">"),
    ("x pandas", 8, ">"),
    ("target", 34, "<"),
    ("measured", 10, ">"),
    ("met", 4, "<"),
]


def table(table_rows: list[dict]) -> str:
    lines = [_line([c for c, _w, _a in COLUMNS]), _line(["-" * w for _c, w, _a in COLUMNS])]
    for r in table_rows:
        tag = {
            "predicted": " (predicted)",
            "cached": " (cached run)",
            "failed": " FAILED",
        }
        cells = [
            r["size"],
            r["stage"] + tag.get(r["source"], ""),
            f"{r['seconds']:.2f}",
            f"{r['peak_rss_mb']:,}",
            _num(r["floor_seconds"]),
            _x(r["x_floor"]),
            _num(r["pandas_seconds"]),
            _x(r["x_pandas"]),
        ]
        targets = r["targets"] or [None]
        for i, t in enumerate(targets):
            head = cells if i == 0 else [""] * len(cells)
            tail = (
                ["", "", ""]
                if t is None
                else [
                    t["target"],
                    f"{t['measured']:,.2f}{'' if t['unit'] == 'x' else ' '}{t['unit']}",
                    "yes" if t["met"] else "NO*" if beyond_floor(t) else "NO",
                ]
            )
            lines.append(_line(head + tail))
    return "\n".join(lines)


LEGEND = """\
(predicted): not run at this size (it does not fit the time budget); a straight line in rows
through the two largest sizes measured from ingest. The notes below say why.
(cached run): measured by the real `ictp validate` that made the data set's cached Parquet
outputs (this run or an earlier one; its day is `made` in the JSON), not in this run.
x floor, x pandas: the stage's time divided by its floor's, by pandas' (below 1 = faster).
NO*: the floor misses it too: DuckDB alone doing the stage's job takes more than a third of
pandas' time (`floor_x_pandas` in the JSON), so no pipeline slower than its floor meets it.
build, old floor: build against the old hand-written aggregate, for information (no target).
run: once per run (the composites; the benchmark's own wall time, cold = nothing cached)."""


def where_time_goes(doc: dict) -> str:
    """Each size's `ictp validate` by sub-step and part (its run manifest), the build's slowest
    models and DuckDB's profile of the slowest, as text."""
    lines = [_validate_parts(r) for r in doc["results"] if r.get("sub_steps")]
    for p in doc["slowest_models"]:
        models = ", ".join(f"{m['model']} {m['seconds']:.2f} s" for m in p["slowest_models"])
        lines.append(f"{p['size']}: the build's slowest models: {models}")
        for prof in p["profiles"]:
            ops = ", ".join(
                f"{o['operator']} {o['seconds']:.2f} s ({o['rows']:,} rows)"
                for o in prof["operators"]
            )
            lines.append(
                f"  {prof['model']} re-run alone: {prof['seconds']:.2f} s, CPU "
                f"{prof['cpu_seconds']:.2f} s, spilled {prof['spilled_mb']} MB; slowest "
                f"operators: {ops}"
            )
    return "\n".join(lines)


def _validate_parts(r: dict) -> str:
    """One size's `ictp validate`: each sub-step's seconds, and its parts' where it has them."""
    steps = []
    for name in SUB_STEPS:
        lap = r["sub_steps"].get(name)
        if lap:
            parts = ", ".join(f"{p['part']} {p['seconds']:.2f}" for p in lap.get("parts", []))
            steps.append(f"{name} {lap['seconds']:.2f} s" + (f" ({parts})" if parts else ""))
    return f"{r['dataset']['name']}: ictp validate: {'; '.join(steps)}"


def _line(cells: list[str]) -> str:
    return "  ".join(f"{c:{a}{w}}" for c, (_n, w, a) in zip(cells, COLUMNS, strict=True)).rstrip()


def _num(x) -> str:
    return "" if x is None else f"{x:.2f}"


def _x(x) -> str:
    return "" if x is None else f"{x:.2f}x"


def run_rows(composites: dict | None, opts, wall: float, cold: bool, peak: float) -> list[dict]:
    """Once per run: the composites' two targets, and the benchmark's own wall time (with the
    largest peak RSS of any of its processes)."""
    out = []
    if composites and "error" not in composites:
        rss = {"peak_rss_mb": composites["peak_rss_mb"], "source": "measured"}
        runs = composites["uncertainty_runs"]
        for what, key, limit in (
            ("composites build", "build", COMPOSITES_BUILD_S),
            (f"uncertainty {runs}", "uncertainty", COMPOSITES_UNCERTAINTY_S),
        ):
            cpu = composites[f"{key}_cpu_seconds"]
            seconds = composites[f"{key}_seconds"]
            row = _row("run", f"{what} (CPU {cpu:.2f} s)", {"seconds": seconds, **rss}, None, None)
            row["targets"].append(_target(f"< {limit} s", seconds, limit, "s"))
            out.append(row)
    elif composites:
        out.append(_row("run", "composites", {**composites, "source": "failed"}, None, None))
    m = {"seconds": wall, "peak_rss_mb": peak, "source": "measured"}
    row = _row("run", f"benchmark wall time ({'cold' if cold else 'warm'})", m, None, None)
    if opts.default_sizes and (cold or opts.mode == "quick"):  # make bench's is a cold run's
        limit = BENCH_WALL_S[opts.mode]
        what = "cold full run" if opts.mode == "full" else "quick run"
        row["targets"].append(_target(f"< {limit} s ({what})", wall, limit, "s"))
    return out + [row]


def is_cold(results: list[dict], opts) -> bool:
    """Nothing cached at the start: the work directory was absent, or a data set or its
    validate outputs were made in this run."""
    made = [r["dataset"].get(k) for r in results for k in ("generated", "processed_made")]
    return not opts.work_existed or any(made)


def document(results: list[dict], composites: dict | None, opts, wall: float) -> dict:
    cold = is_cold(results, opts)
    table_rows = rows(results)
    peak = max((r["peak_rss_mb"] for r in table_rows), default=0)
    table_rows += run_rows(composites, opts, wall, cold, peak)
    targets = [
        {"size": r["size"], "stage": r["stage"], "source": r["source"], **t}
        for r in table_rows
        for t in r["targets"]
    ]
    return {
        "started": opts.started,
        "mode": opts.mode,
        "wall_seconds": round(wall, 1),
        "cold": cold,
        "work_dir_existed": opts.work_existed,
        "machine": {
            "load_average_at_start": opts.load_at_start,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
            "memory_mb": _memory_mb(),
            "platform": platform.platform(),
            "versions": versions(),
        },
        "options": {
            "raw_path_max": opts.raw_path_max,
            "pandas_full_max": opts.pandas_full_max,
            "noop_max": opts.noop_max,
            "rss_cap_mb": opts.rss_cap_mb,
            "ingest_large": opts.ingest_large,
        },
        "notes": opts.notes,
        "table": table_rows,
        "targets": targets,
        "results": results,
        "composites": composites,
        "slowest_models": [
            {"size": r["dataset"]["name"], **r["profile"]} for r in results if "profile" in r
        ],
    }


def write(doc: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"bench-{doc['mode']}-{stamp}.json"
    text = json.dumps(doc, indent=1) + "\n"
    path.write_text(text)
    tmp = out / ".latest.json.tmp"
    tmp.write_text(text)
    os.replace(tmp, out / "latest.json")
    return path


def _memory_mb() -> int | None:
    try:
        with open("/proc/meminfo") as f:
            return int(f.readline().split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None

"""The real pipeline, stage by stage, through its command line (one measured process each).

`ictp validate` tidies, validates and stores in one process; it records the seconds of each
sub-step in its run manifest, which is where the tidy / validate / store times come from.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import duckdb

from bench import measure
from bench.datasets import Dataset

SUB_STEPS = ("tidy", "gx_setup", "validate", "store")
# the report too, where the no-op run is measured after it: that run then has nothing to redraw
RAW_PATH = ("ingest", "validate", "build", "export", "report")
PARQUET_PATH = ("build", "export")  # from the data set's pre-built validate outputs


def env(ds: Dataset, url: str) -> dict[str, str]:
    """The data set's environment (Dataset.env), pointed at the server."""
    return ds.env(ICTP_WORLDBANK_URL=url, ICTP_SOURCES="worldbank")


def ictp(*args) -> list[str]:
    return [sys.executable, "-m", "pipeline", *map(str, args), "-q"]


def run_pipeline(
    ds: Dataset, url: str, data: Path, logs: Path, cap_mb: float, stages=RAW_PATH
) -> dict[str, measure.Measured]:
    """Each of `stages` in its own process: {stage: Measured}, stopping at the first failure."""
    out: dict[str, measure.Measured] = {}
    for stage in stages:
        m = measure.run(stage, ictp(stage, "--data-dir", data), logs, env(ds, url), cap_mb)
        out[stage] = m
        if not m.ok:
            break
    return out


def sub_steps(data: Path, process_peak_mb: float) -> dict[str, dict]:
    """The validate sub-steps' seconds and peak RSS, from the latest validate run manifest.

    A manifest that records seconds only ({"tidy": 1.9, ...}) gets the process's peak RSS for
    every sub-step (an upper bound)."""
    runs = sorted((data / "processed" / "runs").glob("*.json"))
    for path in reversed(runs):
        doc = json.loads(path.read_text())
        if doc["command"] == "validate" and "validate" in doc["steps"]:
            timings = doc["steps"]["validate"].get("timings", {})
            return {
                step: t if isinstance(t, dict) else {"seconds": t, "peak_rss_mb": process_peak_mb}
                for step, t in timings.items()
                if step in SUB_STEPS
            }
    return {}


def validate_when_made(data: Path) -> tuple[dict, dict]:
    """For the Parquet path: the `ictp validate` that made the data set's cached outputs, from
    its run manifest (copied with them): (the whole process, its sub-steps), each marked
    `cached` with the day it ran. Empty when there is no manifest."""
    runs = sorted((data / "processed" / "runs").glob("*.json"))
    docs = [json.loads(p.read_text()) for p in runs]
    made = [d for d in docs if d["command"] == "validate" and d.get("ended")]
    if not made:
        return {}, {}
    doc = made[-1]
    laps = doc["steps"]["validate"].get("timings", {})
    started, ended = (dt.datetime.fromisoformat(doc[k]) for k in ("started", "ended"))
    tag = {"source": "cached", "made": doc["started"]}
    whole = {
        "seconds": (ended - started).total_seconds(),
        "peak_rss_mb": max((lap["peak_rss_mb"] for lap in laps.values()), default=0),
        **tag,
    }
    return whole, {step: {**lap, **tag} for step, lap in laps.items() if step in SUB_STEPS}


def noop_run(
    ds: Dataset, url: str, data: Path, logs: Path, cap_mb: float, *flags: str
) -> measure.Measured:
    """`ictp run` again, nothing changed upstream (`--if-changed`: page 1 of each download)."""
    name = "noop-run" + "".join(f.replace("--", "-") for f in flags)
    argv = ictp("run", "--data-dir", data, *flags)
    return measure.run(name, argv, logs, env(ds, url), cap_mb)


def ingested_bytes(data: Path) -> int:
    """Bytes of every response body the ingest received (the raw manifest's count)."""
    with open(data / "raw" / "manifest.jsonl", encoding="utf-8") as f:
        return sum(json.loads(line).get("bytes") or 0 for line in f)


def queries(ds: Dataset, url: str, data: Path, logs: Path) -> list[dict]:
    """Three typical analyst questions through `ictp query`, each a fresh process."""
    out = []
    for name, sql in analyst_queries(ds).items():
        m = measure.run(
            f"query-{name}", ictp("query", "--data-dir", data, "--csv", sql), logs, env(ds, url)
        )
        out.append({"query": name, "sql": sql, **m.as_dict()})
    return out


def analyst_queries(ds: Dataset) -> dict[str, str]:
    economy = ds.sample_economy
    return {
        "one_country_series": (
            'select "year", value from indicator_values '
            f"where series = 'mobile_cellular_subs_per_100' and economy = '{economy}' "
            'order by "year"'
        ),
        "latest_value_per_country": (
            'select economy, economy_name, max("year") as "year", arg_max(value, "year") as value '
            "from indicator_values where series = 'internet_users_pct' "
            "group by economy, economy_name order by economy"
        ),
        "regional_weighted_mean": (
            'select v.region, v."year", sum(v.value * p.value) / sum(p.value) as mean_per_100 '
            "from indicator_values v join indicator_values p "
            'on p.economy = v.economy and p."year" = v."year" and p.series = \'population\' '
            "where v.series = 'mobile_cellular_subs_per_100' group by all order by all"
        ),
    }


def check_outputs(ds: Dataset, data: Path) -> dict:
    """Did `ictp validate` store exactly the data set's rows, and quarantine the invalid ones?"""
    con = duckdb.connect()

    def fingerprint(path: Path) -> list:  # equal for equal multisets of rows
        return list(
            con.execute(
                'select count(*), sum(hash(economy, series, "year", value)) from read_parquet($p)',
                {"p": str(path)},
            ).fetchall()[0]
        )

    tables = data / "processed" / "tables"
    stored = fingerprint(tables / "observations.parquet")
    quarantined = fingerprint(tables / "quarantine.parquet")[0]
    expected = fingerprint(ds.expected)
    return {
        "stored": stored[0],
        "expected_stored": expected[0],
        "quarantined": quarantined,
        "expected_quarantined": ds.expected_quarantined,
        "ok": stored == expected and quarantined == ds.expected_quarantined,
    }

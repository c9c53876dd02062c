"""What an analyst would write instead: the same jobs in plain Python json + pandas.

    python -m bench.pandas_baseline full SPEC.json        tidy the raw pages, validate,
                                                           store Parquet, aggregate, export CSV
    python -m bench.pandas_baseline aggregate SPEC.json   only the aggregate, from the stored
                                                           Parquet (the large sizes)

The aggregate is the floors' AGGREGATE_SQL: per-100 rates derived from counts and population,
then population-weighted means by region and year. Its check numbers must equal DuckDB's.
Writes `{step: {"seconds", "peak_rss_mb"}, ...}` to SPEC's `result` path.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from bench.measure import baseline_main
from pipeline.runs import Stopwatch

KEY = ["economy", "series", "year"]


def tidy(pages: list[list[str]]) -> pd.DataFrame:
    frames = []
    for series, path, *_page in pages:  # (series, file, code, vintage, sha): it reads the file
        header, rows = json.loads(Path(path).read_bytes())
        rows = rows or []
        frames.append(
            pd.DataFrame(
                {
                    "economy": [r["countryiso3code"] for r in rows],
                    "series": series,
                    "year": [r["date"] for r in rows],
                    "value": [r["value"] for r in rows],
                    "source": "worldbank",
                    "source_code": rows[0]["indicator"]["id"] if rows else None,
                    "obs_status": [r["obs_status"] or None for r in rows],
                    "vintage": header.get("lastupdated"),
                    "raw_file": path,
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int16")
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df[df["value"].notna()].reset_index(drop=True)


def validate(df: pd.DataFrame, spec: dict, economies: pd.DataFrame) -> pd.Series:
    """True for each row breaking a rule."""
    bounds = pd.DataFrame(spec["catalog"]).set_index("series")
    lo = df["series"].map(bounds["valid_min"])
    hi = df["series"].map(bounds["valid_max"])
    return (
        (df["value"] < lo)
        | (df["value"] > hi)
        | df["year"].isna()
        | ~df["year"].between(spec["year_min"], spec["year_max"])
        | ~df["economy"].isin(economies["iso3"])
        | df.duplicated(KEY, keep=False)
    )


def aggregate(obs: pd.DataFrame, economies: pd.DataFrame, spec: dict) -> pd.DataFrame:
    countries = economies.loc[~economies["is_aggregate"], ["iso3", "region_id"]]
    countries = countries.rename(columns={"iso3": "economy"})
    pop = obs.loc[obs["series"] == "population", ["economy", "year", "value"]]
    pop = pop.rename(columns={"value": "pop"})
    counts = obs[obs["series"].isin(spec["count_series"])].merge(pop, on=["economy", "year"])
    counts["value"] = counts["value"] / counts["pop"] * 100
    counts["series"] = counts["series"] + "_per_100"
    rates = pd.concat(
        [
            obs.loc[obs["series"].isin(spec["per_100_series"]), KEY + ["value"]],
            counts[KEY + ["value"]],
        ]
    )
    m = rates.merge(pop, on=["economy", "year"]).merge(countries, on="economy")
    m["weighted"] = m["value"] * m["pop"]
    g = m.groupby(["series", "region_id", "year"]).agg(
        weighted=("weighted", "sum"), pop=("pop", "sum"), n=("value", "size")
    )
    g["value"] = g["weighted"] / g["pop"]
    return g.reset_index()


LONG = [
    "economy",
    "economy_name",
    "region",
    "income_group",
    "year",
    "value",
    "unit",
    "source",
    "source_code",
    "obs_status",
    "vintage",
]  # the columns of ictp's long CSV


def export(obs: pd.DataFrame, economies: pd.DataFrame, spec: dict, out: Path) -> None:
    names = economies.loc[~economies["is_aggregate"], ["iso3", "name", "region", "income_group"]]
    rows = obs.merge(names.rename(columns={"iso3": "economy", "name": "economy_name"}))
    rows = rows.merge(pd.DataFrame(spec["catalog"])[["series", "unit"]], on="series")
    for series, part in rows.groupby("series"):
        part = part.sort_values(["economy", "year"])
        part[LONG].to_csv(out / f"{series}.csv", index=False)
        wide = part.pivot_table(index=["economy", "economy_name"], columns="year", values="value")
        wide.to_csv(out / f"{series}_wide.csv")


def check(agg: pd.DataFrame) -> list:
    return [len(agg), int(agg["n"].sum()), round(float(agg["value"].sum()), 3)]


def full(spec: dict) -> dict:
    out = Path(spec["out"])
    out.mkdir(parents=True, exist_ok=True)
    economies = pd.read_parquet(spec["economies"])
    clock = Stopwatch()
    df = tidy(spec["pages"])
    clock.lap("tidy")
    bad = validate(df, spec, economies)
    good = df[~bad]
    clock.lap("validate")
    good.sort_values(KEY).to_parquet(out / "observations.parquet", index=False, compression="zstd")
    clock.lap("store")
    stored = pd.read_parquet(out / "observations.parquet")  # each step reads what the last wrote
    agg = aggregate(stored, economies, spec)
    clock.lap("aggregate")
    export(stored, economies, spec, out)
    clock.lap("export")
    return {**clock.laps, "rules_failed": int(bad.sum()), "aggregate_check": check(agg)}


def aggregate_only(spec: dict) -> dict:
    clock = Stopwatch()
    obs = pd.read_parquet(spec["observations"], columns=["economy", "series", "year", "value"])
    agg = aggregate(obs, pd.read_parquet(spec["economies"]), spec)
    clock.lap("aggregate")
    return {**clock.laps, "aggregate_check": check(agg)}


if __name__ == "__main__":
    sys.exit(baseline_main(sys.argv[1:], {"full": full, "aggregate": aggregate_only}))

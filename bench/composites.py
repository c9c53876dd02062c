"""The composites' speed (wall and CPU seconds; CPU time tells more on a shared machine):
every shipped spec, every edition, for about 230 economies (the build's share), and
`--uncertainty 1000` of the classic IDI. `python -m bench.composites`; `make bench` runs it
once per run, in its own process.

The inputs are made in SQL (a hash of economy, series and year, 10% of the cells missing) in the
two tables the composite models read from a built database; the models and specs are the
project's own.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import duckdb

from pipeline import composites
from pipeline.catalog import load_composites_into

ROOT = Path(__file__).resolve().parent.parent
LARGE = ("population", "international_bandwidth_mbps")


def database(economies: int, years: range) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    specs = load_composites_into(con, ROOT / "indicators", "input")
    composites.load_provider_scores_into(con, ROOT / "no-such-dir")
    series = sorted({s for sp in specs for e in sp.editions for n in e.nodes if n.input
                     for s in n.input.series_ids()})  # fmt: skip
    con.execute("create schema intermediate")
    con.execute(
        """
        create table economies as
        select printf('E%03d', i) as iso3, printf('Economy %d', i) as name, false as is_aggregate,
               ['HIC', 'UMC', 'LMC', 'LIC'][1 + i % 4] as income_id,
               ['EAS', 'ECS', 'SSF', 'LCN'][1 + i % 4] as region_id, i as itu_country_id
        from range($n) t(i)
        """,
        {"n": economies},
    )
    con.execute(
        """
        create table intermediate.int_country_values as
        select e.iso3 as economy, s.series, cast(y."year" as smallint) as "year",
               (hash(e.iso3, s.series, y."year") % 100000) / 1000.0
                   * case when list_contains($large, s.series) then 1e4 else 1 end as value,
               1 as choice
        from economies e, unnest($series) s(series), range($y0, $y1) y("year")
        where hash('gap', e.iso3, s.series, y."year") % 10 <> 0
        """,
        {"series": series, "large": list(LARGE), "y0": years.start, "y1": years.stop},
    )
    return con


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--economies", type=int, default=230)
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--result", type=Path, help="also write the result here, as JSON")
    args = p.parse_args(argv)
    con = database(args.economies, range(2000, 2025))
    sql = ROOT / "sql"
    composites.run_models(con, sql)  # warm
    started, cpu = time.perf_counter(), time.process_time()
    composites.run_models(con, sql)
    build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    composites.run_uncertainty(con, sql, "idi2017", args.runs, seed=1, edition=2017)
    uncertainty = time.perf_counter() - started
    uncertainty_cpu = time.process_time() - cpu
    runs = con.execute("select count(*) from intermediate.composite_runs").fetchone()[0]
    result = {
        "economies": args.economies,
        "composite_editions": con.execute("select count(*) from input.composite_specs").fetchone()[
            0
        ],
        "build_seconds": round(build, 2),
        "build_cpu_seconds": round(build_cpu, 2),
        "uncertainty_runs": args.runs,
        "uncertainty_runs_total": runs
        - con.execute("select count(*) from input.composite_specs").fetchone()[0],
        "uncertainty_seconds": round(uncertainty, 2),
        "uncertainty_cpu_seconds": round(uncertainty_cpu, 2),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(result, indent=2))
    if args.result:
        args.result.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()

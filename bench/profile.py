"""Where the build's time goes: its slowest models, and DuckDB's profile of the slowest.

`ictp build` records the seconds of every model in its run manifest (pipeline/build.py); the
slowest are read from there. Then each of the `PROFILED` slowest is run again alone, with
DuckDB's profiler on (`enable_profiling = 'json'`), on a copy of the built database, after its
views over the stored Parquet files are made again as the build made them (the build drops
them). A child process of the benchmark:

    python -m bench.profile DATA_DIR RESULT_JSON MODEL...   (MODEL as the manifest names it:
                                                            "3_marts/40_aggregates.sql")
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import duckdb

from pipeline import build, composites, sql
from pipeline.settings import Settings

SLOWEST = 5  # models listed
PROFILED = 2  # of them, profiled
OPERATORS = 5  # operators listed per profile
VIEW = re.compile(r"(?im)^\s*create\s+or\s+replace\s+view\b")


def slowest_models(data: Path, n: int = SLOWEST) -> list[dict]:
    """The latest build's `n` slowest models (and checks), from its run manifest."""
    for path in sorted((data / "processed" / "runs").glob("*.json"), reverse=True):
        step = json.loads(path.read_text())["steps"].get("build", {})
        if step.get("seconds"):
            ranked = sorted(step["seconds"].items(), key=lambda kv: -kv[1])
            return [{"model": m, "seconds": s} for m, s in ranked[:n]]
    return []


def profile(data: Path, models: list[str]) -> list[dict]:
    """Each model of `models` run again with DuckDB's profiler on, on a copy of the built
    database: its statements' time, and its slowest operators."""
    settings = Settings.from_env({}, data_dir=data)
    work = data / "processed" / ".bench-profile"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    copy = work / "ict.duckdb"
    shutil.copyfile(settings.db_path, copy)
    con = duckdb.connect(str(copy), config={"memory_limit": settings.memory_limit})
    _views_again(con, settings)
    folder = settings.sql_dir / "build"
    out = []
    for model in models:
        profiles = []
        for i, statement in enumerate(duckdb.extract_statements(sql.text(folder / model))):
            con.execute("pragma enable_profiling = 'json'")
            con.execute(f"pragma profiling_output = '{work / f'{i}.json'}'")
            con.execute(statement, _params(statement))
            con.execute("pragma disable_profiling")
            profiles.append(json.loads((work / f"{i}.json").read_text()))
        out.append(_summary(model, profiles))
    con.close()
    shutil.rmtree(work)
    return out


def _views_again(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """The build's set-up, and the views it dropped (staging and those over them)."""
    build.set_up(con, settings)
    for f in build.model_files(settings):
        if VIEW.search(sql.text(f)):
            sql.run_model(con, f, composites.NOMINAL)


def _params(statement) -> dict:
    wanted = statement.named_parameters
    return {k: v for k, v in composites.NOMINAL.items() if k in wanted}


def _summary(model: str, profiles: list[dict]) -> dict:
    """The model's statements' seconds (wall and CPU), spill, and its slowest operators."""
    operators = []
    for p in profiles:
        for tree in p.get("operator", []):
            operators += _operators(tree)
    operators.sort(key=lambda o: -o["seconds"])
    queries = [p.get("query", {}) for p in profiles]
    return {
        "model": model,
        "seconds": round(sum(q.get("total_time", 0) for q in queries), 3),
        "cpu_seconds": round(sum(q.get("cpu_time", 0) for q in queries), 3),
        "spilled_mb": round(
            sum(p.get("system", {}).get("total_bytes_spilled", 0) for p in profiles) / 1e6, 1
        ),
        "operators": operators[:OPERATORS],
    }


def _operators(node: dict) -> list[dict]:
    """Every operator of a profile tree: its name, seconds and rows out."""
    here = {
        "operator": node.get("name", node.get("type", "?")),
        "seconds": round(node.get("timing", 0), 3),
        "rows": node.get("intermediate_rows", 0),
    }
    return [here] + [o for child in node.get("children", []) for o in _operators(child)]


def main(argv: list[str]) -> int:
    data, result, *models = argv
    out = profile(Path(data), models)
    Path(result).write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

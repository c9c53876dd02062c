"""Shared test fixtures: a real local HTTP server, real DuckDB and Parquet in temp directories.

Tests that read the real published data in ../shared/data skip with a reason when it is absent.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.demo import synthetic
from pipeline.demo.worldbank_api import JSON, WorldBankAPI, serve

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _fast_http(monkeypatch):
    """Short backoff and timeouts so retry tests take fractions of a second."""
    monkeypatch.setenv("ICTP_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("ICTP_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("ICTP_HTTP_RETRIES", "3")
    for var in (
        "ICTP_DATA_DIR",
        "ICTP_WORLDBANK_URL",
        "ICTP_ITU_URL",
        "ICTP_FILES",
        "ICTP_FILE_ROOTS",
        "ICTP_CATALOG_DIR",
        "ICTP_SQL_DIR",
    ):
        monkeypatch.delenv(var, raising=False)


def env_without_settings() -> dict[str, str]:
    """This process's environment without ICTP_* settings: a child `ictp` process then runs on
    its defaults and the options it is given."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ICTP_")}


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "wdi").is_dir():
        pytest.skip(
            f"real published data not found at {SHARED_DATA} (../shared/data beside the repo)"
        )
    return SHARED_DATA


class Cli:
    """Run `ictp` in this process (real exit codes, captured output)."""

    def __init__(self, capsys):
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def ictp(capsys) -> Cli:
    return Cli(capsys)


def demo_api(per_page_codes: list[str] | None = None) -> WorldBankAPI:
    return WorldBankAPI(synthetic.economies(), synthetic.indicators(per_page_codes))


@pytest.fixture
def demo_server():
    """The synthetic data set served in the World Bank wire format on 127.0.0.1."""
    with serve(demo_api()) as url:
        yield url


def run_worldbank(data: Path, api, series: str, *extra: str, command: str = "run") -> int:
    """`ictp <command>` on `series` from `api` (World Bank format) served on 127.0.0.1."""
    with serve(api) as url:
        return main([command, "--data-dir", str(data), "--worldbank-url", url,
                     "--series", series, "--sources", "worldbank", *extra])  # fmt: skip


def untyped_columns(data: Path) -> list[tuple[str, str]]:
    """(file or table, column) of every column of data's stored tables, vintage files and
    database whose type is DuckDB's NULL: what a column holding only NULLs gets unless cast, so
    that the schema would change with the data."""
    processed = data / "processed"
    files = sorted((processed / "tables").glob("*.parquet"))
    files += sorted((processed / "vintages").rglob("*.parquet"))
    untyped = []
    with duckdb.connect() as con:
        for f in files:
            described = con.execute("describe from read_parquet(?)", [str(f)]).fetchall()
            untyped += [(f.name, column) for column, typ, *_ in described if typ == '"NULL"']
    if (processed / "ict.duckdb").exists():
        with duckdb.connect(str(processed / "ict.duckdb"), read_only=True) as con:
            untyped += con.execute(
                "select table_name, column_name from duckdb_columns() "
                "where data_type = '\"NULL\"' and not internal"
            ).fetchall()
    return untyped


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


class Faulty:
    """Answers like `api` (any stand-in), except where a fault is given.

    A fault is keyed by the last part of the path (a World Bank code with "." written "_", an
    ITU codeID) or by the end of the path ("aggregation/bycodeid/11624/byregionid/3"). It is
    `fault(query, call_no, good) -> response | None`, where `good` is what the API would have
    answered and call_no counts calls per page; None means answer `good`.
    """

    def __init__(self, api, **faults):
        self.api = api
        self.faults = faults
        self.calls: Counter = Counter()

    def handle(self, path, query):
        good = self.api.handle(path, query)
        path = path.rstrip("/")
        name = path.rsplit("/", 1)[-1].replace(".", "_")
        if name not in self.faults:
            name = next((k for k in self.faults if "/" in k and path.endswith("/" + k)), None)
        if name is None:
            return good
        key = (name, query.get("page", "1"))
        self.calls[key] += 1
        return self.faults[name](query, self.calls[key], good) or good


def patch_rows(change):
    """A fault that edits rows: `change(rows)` changes the page's list of row dicts in place."""

    def fault(query, n, good):
        status, headers, body = good
        header, rows = json.loads(body)
        change(rows or [])
        return status, headers, json.dumps([header, rows]).encode()

    return fault


def set_values(values: dict[tuple[str, str], object]):
    """A fault that sets the value of given (economy, year) rows, e.g. {("USA", "2020"): -5}."""

    def change(rows):
        for r in rows:
            key = (r["countryiso3code"], r["date"])
            if key in values:
                r["value"] = values[key]

    return patch_rows(change)


JSON_HEADERS = JSON


@pytest.fixture(scope="session")
def published_demo(tmp_path_factory) -> Path:
    """`ictp demo`, then `ictp export --format csv,xlsx`: the demo's data directory."""
    data = tmp_path_factory.mktemp("published") / "data"
    with pytest.MonkeyPatch.context() as mp:
        for var in ("ICTP_FILES", "ICTP_CATALOG_DIR", "ICTP_SQL_DIR"):
            mp.delenv(var, raising=False)
        assert main(["demo", "--data-dir", str(data), "-q"]) == 0
        # --force: the export fingerprint does not hold the formats yet
        assert main(["export", "--data-dir", str(data), "--format", "csv,xlsx", "--force"]) == 0
    return data

"""Shared test fixtures: a real local HTTP server, real DuckDB and Parquet in temp directories.

Tests that read the real published data in ../shared/data skip with a reason when it is absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.demo import synthetic
from pipeline.demo.worldbank_api import WorldBankAPI, serve

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
        "ICTP_CATALOG_DIR",
        "ICTP_SQL_DIR",
    ):
        monkeypatch.delenv(var, raising=False)


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


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst

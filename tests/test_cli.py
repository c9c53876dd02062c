"""The command line: help, exit codes, one clear line for every error a user can cause."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, env_without_settings

COMMANDS = [
    "ingest", "validate", "build", "export", "report", "run", "demo", "query", "indicators",
    "diff", "status", "verify",
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(ictp, command):
    with pytest.raises(SystemExit) as exit_:
        ictp(command, "--help")
    assert exit_.value.code == 0


def test_console_script_and_module_agree():
    for cmd in ([str(ROOT / ".venv" / "bin" / "ictp")], [sys.executable, "-m", "pipeline"]):
        if not os.path.exists(cmd[0]):
            continue
        proc = subprocess.run([*cmd, "--help"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0
        assert all(c in proc.stdout for c in COMMANDS)


def test_no_command_prints_help_and_fails(ictp):
    code, out, _err = ictp()
    assert code == 2 and "ingest" in out


def test_query_without_database(ictp, tmp_path):
    code, _out, err = ictp("query", "--data-dir", tmp_path, "select 1")
    assert code == 1
    assert err.count("\n") == 1 and "no database at" in err and "ictp build" in err


def test_build_without_validated_data(ictp, tmp_path):
    code, _out, err = ictp("build", "--data-dir", tmp_path)
    assert code == 1 and "run `ictp validate` first" in err


def test_validate_without_downloads(ictp, tmp_path):
    code, _out, err = ictp("validate", "--data-dir", tmp_path)
    assert code == 1 and "run `ictp ingest`" in err


def test_bad_setting_names_the_variable(ictp, tmp_path, monkeypatch):
    monkeypatch.setenv("ICTP_MAX_IN_FLIGHT", "9")
    code, _out, err = ictp("ingest", "--data-dir", tmp_path)
    assert code == 1 and "ICTP_MAX_IN_FLIGHT=9" in err
    monkeypatch.setenv("ICTP_MAX_IN_FLIGHT", "lots")
    code, _out, err = ictp("ingest", "--data-dir", tmp_path)
    assert code == 1 and "ICTP_MAX_IN_FLIGHT='lots'" in err


def test_unknown_series(ictp, tmp_path, demo_server):
    code, _out, err = ictp(
        "ingest",
        "--data-dir",
        tmp_path,
        "--worldbank-url",
        demo_server,
        "--series",
        "internet_users_pct,no_such_series",
    )
    assert code == 1 and "unknown series no_such_series" in err


def test_broken_catalog_names_the_file(ictp, tmp_path, monkeypatch):
    catalog = tmp_path / "indicators"
    catalog.mkdir()
    (catalog / "sources.yml").write_text((ROOT / "indicators" / "sources.yml").read_text())
    shipped = (ROOT / "indicators" / "series.yml").read_text()
    (catalog / "series.yml").write_text(
        shipped[: shipped.index("\nseries:\n")]  # the kinds and defaults
        + "\nseries:\n  - id: x\n    name: X\n    unit: '%'\n    kind: percent\n"
        "    valid_range: [100, 0]\n    sources: {worldbank: X.Y}\n"
    )
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(catalog))
    code, _out, err = ictp("ingest", "--data-dir", tmp_path)
    assert code == 1 and "series.yml: series #1 (x): valid_range min 100.0 is above max 0.0" in err


def test_unreachable_server_fails_every_series_clearly(ictp, tmp_path, monkeypatch):
    monkeypatch.setenv("ICTP_HTTP_RETRIES", "0")
    code, _out, err = ictp(
        "ingest",
        "--data-dir",
        tmp_path,
        "--worldbank-url",
        "http://127.0.0.1:9/v2",
        "--series",
        "population",
    )
    assert code == 3
    assert "series population (SP.POP.TOTL)" in err and "127.0.0.1:9" in err


def test_list_series(ictp):
    code, out, _err = ictp("ingest", "--list-series")
    assert code == 0 and "IT.CEL.SETS.P2" in out and "mobile_cellular_subs_per_100" in out


def test_readme_documents_every_command():
    """Every setting is in docs/operations.md's table instead (tests/test_docs.py)."""
    readme = (ROOT / "README.md").read_text()
    for command in COMMANDS:
        assert f"ictp {command}" in readme


def test_ingest_starts_without_the_libraries_it_does_not_use(demo_server, tmp_path):
    """A World Bank ingest opens no database and reads no frame: it imports neither DuckDB nor
    pandas nor Great Expectations, and no progress bar off a terminal (together 0.1-0.2 s of
    every scheduled ingest's start-up)."""
    code, imported = _imported_by("ingest", "--data-dir", tmp_path, "--worldbank-url",
                                  demo_server, "--sources", "worldbank")  # fmt: skip
    assert code == 0
    assert "pipeline.ingest" in imported and "requests" in imported  # the list is complete
    assert {"duckdb", "pandas", "great_expectations", "tqdm"} & imported == set()
    assert list((tmp_path / "raw" / "objects").rglob("*"))  # and it did download


def _imported_by(*args) -> tuple[int, set[str]]:
    """`ictp *args -q` in a process of its own: its exit code, and the modules it imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline", *map(str, args), "-q"],
        capture_output=True, text=True, timeout=300, env=env_without_settings(), cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode in (0, 4), proc.stderr[-2000:]
    return proc.returncode, _imported(proc.stderr)


def _imported(stderr: str) -> set[str]:
    """The modules `python -X importtime` says it imported."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:")
    }


def test_validate_leaves_what_its_rules_never_call_unimported(demo_server, tmp_path):
    """Great Expectations imports SciPy's statistics and Altair at the top of one expectation's
    module, which our rules never use: validate leaves both unimported (about 1 s of its
    start-up), and still validates: the demo's deliberately invalid rows are quarantined."""
    ingested, _modules = _imported_by(
        "ingest", "--data-dir", tmp_path, "--worldbank-url", demo_server, "--sources",
        "worldbank", "--series", "population,internet_users_pct",
    )  # fmt: skip
    assert ingested == 0
    code, imported = _imported_by("validate", "--data-dir", tmp_path)
    assert code == 4  # rows quarantined
    assert {"great_expectations", "sqlalchemy", "scipy"} <= imported  # the list is complete
    assert not {m for m in imported if m.split(".")[0] == "altair" or m.startswith("scipy.stats")}
    con = duckdb.connect()
    quarantine = tmp_path / "processed" / "tables" / "quarantine.parquet"
    assert con.execute("select count(*) from read_parquet(?)", [str(quarantine)]).fetchone()[0]


def test_a_module_left_unimported_is_imported_when_first_read():
    """What validate leaves unimported is still there for any code that reads it: the first
    attribute read, or import of one of its submodules, imports the real module, and
    `sys.modules` holds that one from then on."""
    code = """if True:
        import sys
        from pipeline import expectations
        expectations._defer(("scipy.stats", "altair"))
        assert type(sys.modules["scipy.stats"]).__name__ == "_Deferred"
        from scipy import stats
        print(stats.norm.cdf(0.0), type(sys.modules["scipy.stats"]).__name__, stats.__name__)
        import altair.vegalite
        print(type(sys.modules["altair"]).__name__, altair.Chart.__name__)
    """
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["0.5", "module", "scipy.stats", "module", "Chart"]
    # its own modules were imported then (the module itself is imported by importlib's Python,
    # which -X importtime does not time)
    assert "scipy.stats._stats_py" in _imported(proc.stderr)

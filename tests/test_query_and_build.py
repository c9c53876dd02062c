"""Query the built database; a failing SQL model never replaces a good database."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, copy_tree

from pipeline.cli import main
from pipeline.demo import serve_demo
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data = tmp_path_factory.mktemp("built") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        with serve_demo(Settings().catalog()) as urls:
            code = main(
                [
                    "run",
                    "--data-dir",
                    str(data),
                    "--worldbank-url",
                    urls["worldbank"],
                    "--itu-url",
                    urls["itu"],
                    "--series",
                    "population,internet_users_pct",
                ]
            )
    assert code == 4  # usable: the demo data's invalid values are quarantined
    return data


def test_query_prints_a_table_and_csv(built, ictp):
    sql = (
        "select economy, value from indicator_values where series = 'population' "
        "and economy = 'KEN' and \"year\" = 2015"
    )
    code, out, _err = ictp("query", "--data-dir", built, sql)
    assert code == 0 and "KEN" in out and "economy" in out
    code, out, _err = ictp("query", "--data-dir", built, "--csv", sql)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "economy,value" and lines[1].startswith("KEN,")


def test_query_is_read_only(built, ictp):
    code, _out, err = ictp("query", "--data-dir", built, "drop table observations")
    assert code == 1 and "read-only" in err and err.count("\n") == 1
    code, out, _err = ictp("query", "--data-dir", built, "select count(*) as n from observations")
    assert code == 0 and "0 rows" not in out


def test_query_error_is_one_line(built, ictp):
    code, _out, err = ictp("query", "--data-dir", built, "select nope from observations")
    assert code == 1 and err.startswith("ictp: error: query failed:") and err.count("\n") == 1


def test_failing_model_keeps_the_previous_database(built, ictp, tmp_path, monkeypatch):
    data = copy_tree(built, tmp_path / "data")
    db = data / "processed" / "ict.duckdb"
    before = db.read_bytes()
    sql = shutil.copytree(ROOT / "sql", tmp_path / "sql")
    (sql / "build" / "3_marts" / "99_broken.sql").write_text(
        "create table broken as select no_such_column;"
    )
    monkeypatch.setenv("ICTP_SQL_DIR", str(sql))
    code, _out, err = ictp("build", "--data-dir", data)
    assert code == 1
    assert "99_broken.sql failed" in err and "previous database is unchanged" in err
    assert db.read_bytes() == before
    assert not list(db.parent.glob(".ict.duckdb.tmp-*"))


def test_failing_warning_rule_stops_validate_and_keeps_the_stored_tables(
    built, ictp, tmp_path, monkeypatch
):
    """A soft rule of sql/validate/warnings/ that DuckDB cannot run: exit 1, one message naming
    the rule's file, and the stored tables as they were."""
    data = copy_tree(built, tmp_path / "data")
    tables = data / "processed" / "tables"
    before = {p.name: p.read_bytes() for p in tables.glob("*.parquet")}
    sql = shutil.copytree(ROOT / "sql", tmp_path / "sql")
    rule = sql / "validate" / "warnings" / "zz_broken.sql"
    rule.write_text("select rid, no_such_column as detail from valid_rows")
    monkeypatch.setenv("ICTP_SQL_DIR", str(sql))
    code, _out, err = ictp("validate", "--data-dir", data, "--force")
    assert code == 1
    assert err.startswith(f"ictp: error: warning rule {rule} failed: Binder Error")
    assert "no_such_column" in err and err.count("\n") == 1
    assert err.rstrip().endswith(
        "The stored tables are unchanged; fix the file and run `ictp validate` again"
    )
    assert {p.name: p.read_bytes() for p in tables.glob("*.parquet")} == before


def test_describing_a_table_no_model_creates_fails_the_build(built, ictp, tmp_path, monkeypatch):
    """sql/build/3_marts/columns.yml names a table the models do not create: exit 1, the file named."""
    data = copy_tree(built, tmp_path / "data")
    db = data / "processed" / "ict.duckdb"
    before = db.read_bytes()
    sql = shutil.copytree(ROOT / "sql", tmp_path / "sql")
    docs = sql / "build" / "3_marts" / "columns.yml"
    text = docs.read_text(encoding="utf-8")
    extra = "  no_such_table: {description: X., columns: {x: X.}}\n"
    docs.write_text(text.replace("\ntables:\n", "\ntables:\n" + extra, 1), encoding="utf-8")
    monkeypatch.setenv("ICTP_SQL_DIR", str(sql))
    code, _out, err = ictp("build", "--data-dir", data)
    assert code == 1
    assert "columns.yml describes table no_such_table, which the models did not create" in err
    assert db.read_bytes() == before


def test_status_reports_runs_and_series(built, ictp):
    code, out, _err = ictp("status", "--data-dir", built)
    assert code == 0
    assert "population" in out and "ok" in out and "ict.duckdb" in out


def test_a_second_writer_is_refused(built, ictp, tmp_path):
    import fcntl

    data = copy_tree(built, tmp_path / "data")
    with open(data / ".ictp.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, _out, err = ictp("build", "--data-dir", data)
    assert code == 75 and "busy: another ictp process" in err

"""`ictp query` cannot write, read outside the database, reach the network or unlock itself.

Each case runs the real command against a real DuckDB file and checks the exit code, the
message, and that nothing was written.
"""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture
def data(tmp_path):
    """A data directory whose database holds one small table (made here, not by a build)."""
    data = tmp_path / "data"
    (data / "processed").mkdir(parents=True)
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"))
    con.execute(
        "create table indicator_values as select 'KEN' as economy, 2015 as year, 17.8 as value"
    )
    con.close()
    return data


def refused(ictp, data, sql: str) -> str:
    db = data / "processed" / "ict.duckdb"
    before = db.read_bytes()
    code, out, err = ictp("query", "--data-dir", data, sql)
    assert code == 1, out
    assert err.startswith("ictp: error: ") and err.count("\n") == 1
    assert db.read_bytes() == before
    return err


def test_a_normal_select_works(ictp, data):
    code, out, err = ictp(
        "query", "--data-dir", data, "--csv", "select economy, value from indicator_values"
    )
    assert code == 0, err
    assert out.splitlines() == ["economy,value", "KEN,17.8"]


def test_several_queries_print_the_last(ictp, data):
    code, out, err = ictp("query", "--data-dir", data, "--csv", "select 1 as a; select 2 as b")
    assert code == 0, err
    assert out.splitlines() == ["b", "2"]


def test_copy_is_refused_and_writes_nothing(ictp, data, tmp_path):
    target = tmp_path / "x.csv"
    err = refused(ictp, data, f"copy (select 1) to '{target}'")
    assert "read-only" in err and "copy statement" in err and "nothing was run" in err
    assert not target.exists()


@pytest.mark.parametrize(
    "sql, kind",
    [
        ("install httpfs", "load"),
        ("load httpfs", "load"),
        ("set enable_external_access = true", "set"),
        ("reset lock_configuration", "set"),
        ("pragma enable_profiling", "pragma"),
        ("checkpoint", "call"),
        ("export database '/tmp/ictp-never'", "export"),
        ("detach ict", "detach"),
        ("create table t as select 1", "create"),
    ],
)
def test_statements_that_are_not_queries_are_refused(ictp, data, sql, kind):
    err = refused(ictp, data, sql)
    assert f"is a {kind} statement" in err


def test_attach_for_writing_is_refused(ictp, data, tmp_path):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    before = other.read_bytes()
    err = refused(
        ictp, data, f"attach '{other}' as o (read_only false); create table o.t as select 1"
    )
    assert "attach statement" in err
    assert other.read_bytes() == before


def test_one_bad_statement_among_good_ones_stops_all(ictp, data, tmp_path):
    target = tmp_path / "y.csv"
    err = refused(ictp, data, f"select 1; copy (select 2) to '{target}'; select 3")
    assert "statement 2 of 3 is a copy statement" in err
    assert not target.exists()


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from 'http://127.0.0.1:9/x.csv'",
        "select * from glob('/etc/*')",
    ],
)
def test_files_and_the_network_are_out_of_reach(ictp, data, sql):
    err = refused(ictp, data, sql)
    assert "query failed" in err and "no other files, no network" in err
    assert "root:" not in err  # nothing of the file is echoed

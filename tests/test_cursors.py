"""pipeline.store.on_cursors: statements side by side on one DuckDB database, each on its own
cursor; without a number of workers, one per DuckDB thread, each on one thread (the export)."""

import duckdb
import pandas as pd
import pytest

from pipeline.store import on_cursors


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select current_setting('threads')").fetchall()[0][0]


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "side_by_side.duckdb"))
    con.execute("set threads = 3")
    con.execute("create table t as select range as i from range(10000)")
    yield con
    con.close()


def _sum_of_class(cur: duckdb.DuckDBPyConnection, k: int) -> tuple[int, int, int]:
    """(k, the cursor's thread count, the sum of t's numbers that leave k when divided by 7)"""
    total = cur.execute("select sum(i) from t where i % 7 = $k", {"k": k}).fetchall()[0][0]
    return k, _threads(cur), total


def test_without_workers_each_statement_runs_on_one_thread_and_the_count_comes_back(con):
    seen = on_cursors(con, _sum_of_class, range(7))
    assert [k for k, _, _ in seen] == list(range(7))  # in the items' order
    assert {threads for _, threads, _ in seen} == {1}
    assert sum(total for _, _, total in seen) == sum(range(10000))
    assert _threads(con) == 3


def test_the_thread_count_comes_back_when_a_statement_fails(con):
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        on_cursors(con, lambda cur, k: cur.execute("select * from no_such_table"), [1, 2])
    assert _threads(con) == 3


def test_with_workers_the_thread_count_is_left_alone_and_the_connection_stays_usable(con):
    seen = on_cursors(con, _sum_of_class, range(7), workers=2)
    assert {threads for _, threads, _ in seen} == {3}
    # what validate does next on the same connection (a frame registered, then read)
    con.register("frame", pd.DataFrame({"x": [1, 2, 3]}))
    assert con.execute("select sum(x) from frame").fetchall() == [(6,)]
    assert _threads(con) == 3

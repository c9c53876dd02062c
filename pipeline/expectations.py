"""Great Expectations suites, generated from the catalog and settings, and their runner.

Two suites, both generic (no series needs a hand-written rule):

- `rows`: one check per row. Per-series bounds come from the catalog as columns joined onto each
  row (valid_min, valid_max, whole), the economy list as the column `economy_listed` (the code
  when it is in the list) and the key's row count as `key_rows`, so one suite serves every
  series. A failing row goes to quarantine.
- `series`: table-level checks on a per-series summary computed in SQL (rows returned, rows
  stored before, economies covered in the previous vintage's latest year, dates parsed). A
  failure here makes the whole batch untrustworthy: nothing downstream is replaced.

GX runs them with its SQL engine on the validation's own DuckDB database (through SQLAlchemy
and duckdb_engine), so the rows are never copied into pandas.
GX is imported only here and only when validation runs: the import alone takes seconds, so
validate starts it in the background (`preload`) as DuckDB starts reading the pages, and leaves
out what it imports that our rules never call (`UNUSED_BY_GX_IMPORT`).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import threading
import types

import duckdb
import numpy as np
import pandas as pd

from pipeline.errors import IctpError
from pipeline.settings import Settings

# Great Expectations calls home on import unless told not to, and there is no network.
os.environ["GX_ANALYTICS_ENABLED"] = "false"

_preload: threading.Thread | None = None
# Modules GX imports at the top of one expectation's module (KL divergence: SciPy's statistics,
# Altair for its chart) that our rules never call: about 1 s of its 2-3 s import. Each is a
# stand-in until one of its attributes is read, which imports it then (`_Deferred`).
UNUSED_BY_GX_IMPORT = ("scipy.stats", "altair")

# The tables (or views) each suite reads in the validation database; each has a `rid` column.
TABLES = {"rows": "rows_to_check", "series": "series_checks"}


def _row_rules(settings: Settings) -> list:
    import great_expectations.expectations as gxe

    pair = dict(or_equal=True, ignore_row_if="either_value_is_missing")
    return [
        (
            "value_is_number",
            "Every value is a number.",
            gxe.ExpectColumnValuesToNotBeNull(column="value"),
        ),
        (
            "value_type",
            "Values are stored as floating-point numbers.",
            gxe.ExpectColumnValuesToBeInTypeList(column="value", type_list=["DOUBLE", "FLOAT"]),
        ),
        (
            "value_is_finite",
            "Every value is a finite number (not NaN, Infinity or -Infinity).",
            gxe.ExpectColumnValuesToBeInSet(column="finite", value_set=[True]),
        ),
        (
            "value_within_cap",
            "A value's magnitude is at most its kind's cap (series.yml kinds: max_abs).",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="max_abs", column_B="magnitude", **pair
            ),
        ),
        (
            "value_at_least_min",
            "Value is at least its series' minimum (series.yml valid_range or the kind's default).",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="bounded", column_B="valid_min", **pair
            ),
        ),
        (
            "value_at_most_max",
            "Value is at most its series' maximum (series.yml valid_range or the kind's default).",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="valid_max", column_B="bounded", **pair
            ),
        ),
        (
            "count_is_whole",
            "Counts are whole numbers.",
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="bounded", column_B="whole_value", ignore_row_if="either_value_is_missing"
            ),
        ),
        (
            "year_is_year",
            "The date is a calendar year.",
            gxe.ExpectColumnValuesToNotBeNull(column="year"),
        ),
        (
            "year_in_bounds",
            f"Year within {settings.year_min}-{settings.year_max}.",
            gxe.ExpectColumnValuesToBeBetween(
                column="year", min_value=settings.year_min, max_value=settings.year_max
            ),
        ),
        (
            "economy_known",
            "Economy code is in the economy list.",
            gxe.ExpectColumnValuesToNotBeNull(column="economy_listed"),
        ),
        (
            "key_unique",
            "One row per economy, series, year and source.",
            gxe.ExpectColumnValuesToBeBetween(column="key_rows", max_value=1),
        ),
    ]


def _series_rules() -> list:
    import great_expectations.expectations as gxe

    pair = dict(or_equal=True, ignore_row_if="either_value_is_missing")
    return [
        (
            "series_returned_rows",
            "A series that was downloaded returned at least one row.",
            gxe.ExpectColumnValuesToBeBetween(column="rows_in", min_value=1),
        ),
        (
            "series_not_vanished",
            "A series stored before still has values.",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="rows_with_value", column_B="min_rows_with_value", **pair
            ),
        ),
        (
            "coverage_kept",
            "Countries (not aggregates) with data in the previous vintage's latest year of country data did not fall by more than max_coverage_drop.",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="now_economies", column_B="min_economies", **pair
            ),
        ),
        (
            "dates_parse",
            "At least half of a series' dates are calendar years (else its format changed).",
            gxe.ExpectColumnValuesToBeBetween(column="dated_share", min_value=0.5),
        ),
    ]


def preload() -> None:
    """Start importing GX (and the SQL engine it runs on) in a background thread, so that the
    seconds it takes overlap the DuckDB work before Expectations() is made, which waits for it.
    A failed import there is left for the import in Expectations() to raise, with its words."""
    global _preload
    if _preload is None and "great_expectations" not in sys.modules:
        _preload = threading.Thread(target=_import_gx, name="gx-import", daemon=True)
        _preload.start()


def _import_gx() -> None:
    _defer(UNUSED_BY_GX_IMPORT)
    try:
        import duckdb_engine  # noqa: F401
        import great_expectations  # noqa: F401
        import great_expectations.expectations  # noqa: F401
    except BaseException:  # noqa: S110 - Expectations() imports it again and says why it fails
        pass


_deferred_lock = threading.RLock()  # re-entered if the real import reads its stand-in


class _Deferred(types.ModuleType):
    """A module not imported yet: the first attribute read that it lacks imports the real one,
    which replaces it in `sys.modules`, and the stand-in takes on its contents."""

    def __getattr__(self, attr: str):
        with _deferred_lock:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def _defer(names: tuple[str, ...]) -> None:
    """Put a `_Deferred` stand-in in `sys.modules` for each module not imported yet. (The
    standard library's LazyLoader does not serve: on Python 3.11 an `import` statement reads
    the module's `__spec__`, which makes a lazy module load at once.)"""
    with _deferred_lock:
        for name in names:
            if name in sys.modules:
                continue
            spec = importlib.util.find_spec(name)
            if spec is None:  # not installed: GX's own import says so, if it needs it
                continue
            module = _Deferred(name)
            # no __path__: importing one of its submodules reads it, which imports the module
            module.__spec__, module.__file__ = spec, spec.origin
            sys.modules[name] = module


class Expectations:
    """One ephemeral GX context per validation run, on the validation's DuckDB database."""

    def __init__(self, settings: Settings, con: duckdb.DuckDBPyConnection):
        if _preload is not None:
            _preload.join()
        _defer(UNUSED_BY_GX_IMPORT)
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        for name, logger in list(logging.root.manager.loggerDict.items()):
            if name.startswith("great_expectations") and isinstance(logger, logging.Logger):
                logger.setLevel(logging.WARNING)  # GX sets some of its loggers to INFO on import
        # GX knows no DuckDB dialect of its own and says so once per type check
        logging.getLogger("great_expectations.expectations.type_comparison").setLevel(logging.ERROR)
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_sql(
            "ictp",
            connection_string="duckdb:///:memory:",  # not opened: `creator` hands over `con`'s
            kwargs={"creator": lambda: _Connection(con.cursor())},
        )
        self.suites = {
            "rows": self._suite("rows", _row_rules(settings)),
            "series": self._suite("series", _series_rules()),
        }
        self.descriptions = {
            rule: desc
            for rules in (_row_rules(settings), _series_rules())
            for rule, desc, _e in rules
        }

    def _suite(self, name: str, rules: list):
        import great_expectations as gx

        suite = gx.ExpectationSuite(name=name)
        for rule, description, expectation in rules:
            expectation.meta = {"rule": rule}
            expectation.description = description
            suite.add_expectation(expectation)
        return self.context.suites.add(suite)

    def run(self, suite: str) -> tuple[pd.DataFrame, list[dict]]:
        """Validate the suite's table (TABLES); return every failure as a frame of (rid, rule),
        and one summary per rule."""
        asset = self.source.add_table_asset(suite, table_name=TABLES[suite])
        batch = asset.add_batch_definition_whole_table("whole").get_batch()
        result = batch.validate(
            self.suites[suite],
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": ["rid"],
                "partial_unexpected_count": 2**62,  # else GX lists only the first 20 rids
            },
        )
        failures: list[pd.DataFrame] = []
        summary = []
        for r in result.results:
            rule = r.expectation_config.meta["rule"]
            if r.exception_info and r.exception_info.get("raised_exception"):
                raise IctpError(
                    f"validation rule {rule} could not run: {r.exception_info['exception_message']}"
                )
            unexpected = [row["rid"] for row in r.result.get("unexpected_index_list") or []]
            if unexpected:
                failures.append(
                    pd.DataFrame({"rid": np.asarray(unexpected, dtype="int64"), "rule": rule})
                )
            summary.append(
                {
                    "rule": rule,
                    "expectation": r.expectation_config.type,
                    "kwargs": {
                        k: _plain(v)
                        for k, v in r.expectation_config.kwargs.items()
                        if k != "batch_id"
                    },
                    "description": r.expectation_config.description,
                    "success": bool(r.success),
                    "checked": int(r.result.get("element_count") or 0),
                    "failing": int(r.result.get("unexpected_count") or len(unexpected)),
                }
            )
        return _concat_failures(failures), summary


class _Cursor:
    """A DB-API cursor over a DuckDB connection that holds its result itself.

    A DuckDB connection keeps one pending result, and GX reads its results after handing the
    connection back to SQLAlchemy's pool (which rolls back): reading the rows at once keeps
    them. GX's queries return counts and the failing rows' ids, so the rows are few.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, connection: _Connection):
        self._con, self.connection = con, connection
        self.description, self.rowcount, self._rows = None, -1, []

    def execute(self, statement: str, parameters=None, context=None) -> None:
        if parameters:
            self._con.execute(statement, parameters)
        else:
            self._con.execute(statement)
        self.description = self._con.description
        self._rows = self._con.fetchall() if self.description else []
        self.rowcount = len(self._rows)

    def fetchall(self) -> list:
        rows, self._rows = self._rows, []
        return rows

    def fetchmany(self, size: int = 1) -> list:
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def fetchone(self):
        return self.fetchmany(1)[0] if self._rows else None

    def close(self) -> None:
        pass


class _Connection:
    """duckdb_engine's connection wrapper, with cursors that hold their results (_Cursor)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        from duckdb_engine import ConnectionWrapper

        self._con, self._wrapped = con, ConnectionWrapper(con)

    def cursor(self) -> _Cursor:
        return _Cursor(self._con, self)

    def __getattr__(self, name: str):
        return getattr(self._wrapped, name)


def _concat_failures(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({"rid": np.asarray([], dtype="int64"), "rule": []})
    return pd.concat(frames, ignore_index=True)


def _plain(x):
    """GX values as plain JSON (numpy scalars, NaN and infinities are not JSON)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    try:
        x = x.item()
    except AttributeError:
        pass
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        return None
    return x

"""`ictp diff`: what changed between two vintages of each series, read from the built database.

The vintages compared are found first (sql/queries/diff_span.sql), so a vintage that does not
exist is an error naming it rather than an empty table; the changes are then printed through
the read-only query sandbox (pipeline/query.py) by sql/queries/diff.sql.
"""

from __future__ import annotations

import duckdb

from pipeline import sql
from pipeline.errors import IctpError, one_line
from pipeline.query import connect, show
from pipeline.settings import Settings

LIST_HINT = "`ictp diff --vintages` lists the vintages"


def diff(
    settings: Settings,
    series: list[str] | None,
    from_: str | None,
    to: str | None,
    **table,
) -> int:
    """Print the values added, removed or revised from vintage `from_` to `to` of each series
    (default: the latest against the one before it); `table` is how show() prints."""
    queries = settings.sql_dir / "queries"
    span = sql.text(queries / "diff_span.sql").strip().rstrip(";")
    params = {"series": series or None, "from": from_, "to": to}
    spans = _spans(settings, span, params)
    if not spans:
        raise IctpError(_nothing(series, from_, to))
    backwards = [s for s in spans if s[2] is not None and s[2] >= s[3]]
    if backwards:
        raise IctpError(
            f"--from {from_} is not a vintage before --to {to} of {backwards[0][0]} "
            f"({backwards[0][1]}): give the earlier vintage as --from; {LIST_HINT}"
        )
    text = sql.text(queries / "diff.sql").replace("{span_query}", span)
    return show(settings.db_path, text, params=params, **table)


def vintages(settings: Settings, series: list[str] | None, **table) -> int:
    """Print every vintage (of `series`, or all)."""
    text = sql.text(settings.sql_dir / "queries" / "vintages.sql")
    return show(settings.db_path, text, params={"series": series or None}, **table)


def _spans(settings: Settings, span: str, params: dict) -> list[tuple]:
    con = connect(settings.db_path)
    try:
        return con.execute(span, params).fetchall()
    except duckdb.CatalogException:
        raise IctpError(
            f"{settings.db_path} has no vintages table (built by an older ictp): run "
            "`ictp validate` and `ictp build`"
        ) from None
    except duckdb.Error as e:
        raise IctpError(f"ictp diff failed: {one_line(e)}") from None
    finally:
        con.close()


def _nothing(series: list[str] | None, from_: str | None, to: str | None) -> str:
    of = f" of {', '.join(series)}" if series else ""
    given = [f"--{k} {v}" for k, v in (("from", from_), ("to", to)) if v]
    if given:
        return (
            f"no series{of} has a vintage matching {' and '.join(given)} (a vintage_id, or the "
            f"source's last-updated date as YYYY-MM-DD); {LIST_HINT}"
        )
    if series:
        return f"no vintages{of} were kept: is the series id right? {LIST_HINT}"
    return "no vintages were kept yet: run `ictp run` (or `ictp validate` and `ictp build`)"

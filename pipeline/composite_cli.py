"""`ictp composite ...`: list the composite specs, show a ranking or one economy's drill-down,
run the uncertainty analysis, calibrate unconfirmed goalposts.

  ictp composite list
  ictp composite show NAME [--edition E] [--economy X]
  ictp composite NAME --uncertainty N [--seed S] [--edition E]
  ictp composite calibrate NAME [--edition E]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import errors
from pipeline.errors import IctpError, one_line

QUERIES = Path("queries") / "composites"

HELP = """\
Composite indices (indicators/composites/*.yml), computed by `ictp build` into the tables
composite_scores, composite_components, composite_missing, composite_audit and
composite_rank_intervals.

  ictp composite list                                  the specs: editions, indicators, status
  ictp composite show NAME [--edition E]               the ranking (latest edition by default)
  ictp composite show NAME --economy KEN               one economy's scores, inputs, gaps
  ictp composite NAME --uncertainty 1000 [--seed 1]    Monte Carlo rank intervals
  ictp composite calibrate NAME [--edition E]          fit unconfirmed goalposts to ITU's scores

ITU's published IDI scores, which `composite_vs_provider` and `calibrate` compare with, are
pulled by `ictp ingest` (source itu_idi) with every run.
"""


def register(sub, parents) -> None:
    """Add `composite` to the `ictp` subcommands (`sub`: argparse's subparsers)."""
    sp = sub.add_parser(
        "composite",
        help="composite indices: list, show, uncertainty, calibrate",
        description=HELP,
        parents=list(parents),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sp.add_argument("words", nargs="+", metavar="list|show NAME|NAME|calibrate NAME")
    sp.add_argument("--edition", type=int, help="the edition (default: the latest)")
    sp.add_argument("--economy", help="show: one economy's drill-down (ISO3 code)")
    sp.add_argument("--uncertainty", type=int, metavar="N", help="N Monte Carlo runs")
    sp.add_argument("--seed", type=int, default=1, help="seed of the runs (default 1)")
    sp.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sp.add_argument("--max-rows", type=int, default=40, help="rows to show (default 40)")
    sp.add_argument("--max-width", type=int, default=160, help="table width in characters")
    sp.set_defaults(func=cmd_composite)


def cmd_composite(args) -> int:
    from pipeline.settings import Settings

    settings = Settings.from_env(data_dir=getattr(args, "data_dir", None))
    words = args.words
    if words == ["list"]:
        return _list(settings, args)
    if words[0] == "show" and len(words) == 2:
        return _show(settings, words[1], args)
    if words[0] == "calibrate" and len(words) == 2:
        from pipeline.composite_calibrate import calibrate_command

        return calibrate_command(settings, words[1], args)
    if len(words) == 1 and args.uncertainty is not None:
        return _uncertainty(settings, words[0], args)
    raise IctpError(
        f"ictp composite {' '.join(words)}: say `list`, `show NAME`, `NAME --uncertainty N` "
        "or `calibrate NAME` (ictp composite --help)",
        errors.USAGE,
    )


def _list(settings, args) -> int:
    from pipeline.catalog import load_composites

    specs = load_composites(settings.catalog_dir)
    rows = [
        (
            s.name,
            ", ".join(str(e.edition) for e in s.editions),
            sum(n.input is not None for n in s.editions[-1].nodes),
            sum(
                n.input is not None and n.input.unavailable is not None
                for n in s.editions[-1].nodes
            ),
            "unconfirmed" if s.unconfirmed() else "confirmed",
            s.label,
        )
        for s in specs
    ]
    if not rows:
        print(f"no composite specs in {settings.catalog_dir / 'composites'}")
        return errors.OK
    head = ("composite", "editions", "indicators", "unavailable", "goalposts", "label")
    _table(head, rows, args)
    return errors.OK


def _connect(settings, read_only: bool = True):
    import duckdb

    db = settings.db_path
    if not db.exists():
        raise IctpError(f"no database at {db}: run `ictp build` (or `ictp run`) first")
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as e:
        raise IctpError(f"cannot open {db}: {one_line(e)}") from None
    if not _query(con, settings, "has_tables", {}).fetchone()[0]:
        con.close()
        raise IctpError(
            f"the database {db} has no composite tables: it predates them; run `ictp build`"
        )
    return con


def _query(con, settings, name: str, params: dict):
    """The cursor of sql/queries/composites/<name>.sql."""
    from pipeline import sql  # here: every command builds this parser, few need DuckDB

    return sql.query(con, settings.sql_dir / QUERIES / f"{name}.sql", params)


def _edition(con, settings, name: str, edition: int | None) -> int:
    found = [r[0] for r in _query(con, settings, "editions", {"composite": name}).fetchall()]
    if not found:
        names = [r[0] for r in _query(con, settings, "names", {}).fetchall()]
        raise IctpError(
            f"no composite {name!r} in the database (it has: {', '.join(names) or 'none'}); "
            "add indicators/composites/<name>.yml and run `ictp build`"
        )
    if edition is None:
        return found[-1]
    if edition not in found:
        raise IctpError(f"composite {name!r} has no edition {edition} (it has {found})")
    return edition


def _show(settings, name: str, args) -> int:
    con = _connect(settings)
    try:
        edition = _edition(con, settings, name, args.edition)
        which = {"composite": name, "edition": edition}
        (note,) = _query(con, settings, "note", which).fetchone()
        if args.economy:
            _drill_down(con, settings, which, args.economy.upper(), args)
        else:
            _print(_query(con, settings, "ranking", which), args)
            unscored, screened_out = _query(con, settings, "unscored", which).fetchone()
            if unscored:
                print(
                    f"{unscored} economies have no score ({screened_out} screened out); "
                    f"`ictp query \"select * from composite_missing where composite = '{name}' "
                    f'and edition = {edition}"` says which inputs they lack'
                )
            _provider_summary(con, settings, which, args)
        if note:
            print(f"{name} {edition}: {note}")
    finally:
        con.close()
    return errors.OK


def _provider_summary(con, settings, which: dict, args) -> None:
    """How far ours is from the provider's published scores, per node, where it publishes."""
    _print_if_any(_query(con, settings, "provider_summary", which), args,
                  "against ITU's published scores (within 0.5 points):")  # fmt: skip


def _drill_down(con, settings, which: dict, economy: str, args) -> None:
    name, edition = which["composite"], which["edition"]
    params = {**which, "economy": economy}
    scores = _query(con, settings, "economy_scores", params)
    head, rows = _head(scores), scores.fetchall()
    if not rows:
        raise IctpError(f"{economy} is not a country of composite {name!r} {edition} (ISO3 code?)")
    print(f"{name} {edition}, {economy}: scores")
    _table(head, rows, args)
    print("inputs")
    _print(_query(con, settings, "economy_inputs", params), args)
    _print_if_any(_query(con, settings, "economy_missing", params), args, "missing")


def _uncertainty(settings, name: str, args) -> int:
    import time

    from pipeline import composites

    con = _connect(settings, read_only=False)
    try:
        started = time.perf_counter()
        edition = composites.run_uncertainty(
            con, settings.sql_dir, name, args.uncertainty, args.seed, args.edition
        )
        con.checkpoint()
        seconds = time.perf_counter() - started
        print(
            f"{name} {edition}: {args.uncertainty} runs varying every assumption (seed "
            f"{args.seed}) plus {-(-args.uncertainty // 10)} per assumption alone, in "
            f"{seconds:.1f} s; results in composite_rank_intervals"
        )
        which = {"composite": name, "edition": edition}
        _print(_query(con, settings, "rank_intervals", which), args)
    finally:
        con.close()
    return errors.OK


def _head(cur) -> tuple:
    return tuple(d[0] for d in cur.description)


def _print(cur, args) -> None:
    """A query's result as a table (or CSV)."""
    _table(_head(cur), cur.fetchall(), args)


def _print_if_any(cur, args, title: str) -> None:
    """A query's result under `title`, or nothing when it has no rows."""
    head, rows = _head(cur), cur.fetchall()
    if rows:
        print(title)
        _table(head, rows, args)


def _table(head: tuple, rows: list, args) -> None:
    import csv

    if getattr(args, "csv", False):
        w = csv.writer(sys.stdout)
        w.writerow(head)
        w.writerows(rows)
        return
    limit = getattr(args, "max_rows", 40)
    shown = rows[:limit]
    text = [[("" if v is None else str(v)) for v in r] for r in shown]
    widths = [max([len(h)] + [len(r[i]) for r in text]) for i, h in enumerate(head)]
    width = getattr(args, "max_width", 160)
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))[:width])
    for r in text:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True))[:width])
    if len(rows) > limit:
        print(f"... {len(rows) - limit} more rows (--max-rows, or --csv for all)")

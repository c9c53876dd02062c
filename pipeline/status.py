"""`ictp status`: the latest runs, each series' freshness (its age against the catalog's
expect_update_days), the rows of every table of the database, and where the outputs are."""

from __future__ import annotations

import duckdb

from pipeline import sql
from pipeline.errors import IctpError, one_line
from pipeline.runs import load_runs
from pipeline.settings import Settings


def status(settings: Settings) -> str:
    lines = [f"data directory: {settings.data_dir.resolve()}"]
    runs = load_runs(settings.runs_dir)
    if not runs:
        lines.append("no runs yet: try `make demo`, or `make run` for the live sources")
        return "\n".join(lines)
    lines.append("latest runs:")
    for r in runs[-5:]:
        v = r.get("steps", {}).get("validate") or {}
        rows = (
            f" rows in {v['rows_in']:,}, stored {v['stored']:,}, quarantined {v['quarantined']:,}"
            if v
            else ""
        )
        synthetic = " SYNTHETIC" if r.get("synthetic") else ""
        lines.append(
            f"  {r['run_id']}  {r['command']:<9} {r['status']:<11} exit {r.get('exit_code')}"
            f"{synthetic}{rows}"
        )
        if r.get("error"):
            lines.append(f"      {r['error']}")
    status_file = settings.tables_dir / "series_status.parquet"
    if status_file.exists():
        lines += _series(settings, status_file)
    db = settings.db_path
    lines.append(
        f"database: {db} ({db.stat().st_size / 1e6:.1f} MB)"
        if db.exists()
        else f"database: {db} not built yet (`ictp build`)"
    )
    if db.exists():
        lines += _table_rows(settings)
    exports = settings.exports_dir
    if exports.exists():
        lines.append(f"exports:  {exports} ({len(list(exports.glob('*.csv')))} CSV files)")
    return "\n".join(lines)


def _series(settings: Settings, status_file) -> list[str]:
    expect = [{"series": s.id, "days": s.expect_update_days} for s in settings.catalog().series]
    con = duckdb.connect()
    query = settings.sql_dir / "queries" / "series_status.sql"
    rows = sql.rows(con, query, {"path": str(status_file), "expect": expect})
    overdue = [r for r in rows if r["overdue"]]
    lines = ["series (as of the latest validate; age = days since the source's vintage):"]
    lines.append(
        f"  {'series':40} {'source':12} {'code':16} {'status':8} {'retrieved':21} {'vintage':11}"
        f" {'stored':>8} {'quarant.':>8} {'age':>5} {'expect':>6}"
    )
    for r in rows:
        age = "-" if r["age_days"] is None else str(r["age_days"])
        expect_days = "-" if r["expect_days"] is None else str(r["expect_days"])
        lines.append(
            f"  {r['series']:40} {r['source']:12} {r['source_code'] or '':16} {r['status']:8} "
            f"{r['retrieved'] or '-':21} {r['vintage'] or '-':11} {r['stored']:>8,} "
            f"{r['quarantined']:>8,} {age:>5} {expect_days:>6}"
            + ("  OVERDUE" if r["overdue"] else "")
        )
        if r["last_error"] and r["status"] != "ok":
            lines.append(f"      last error: {r['last_error']}")
    if overdue:
        lines.append(
            f"  {len(overdue)} series overdue: older than the catalog expects "
            "(expect_update_days in indicators/series.yml): "
            + ", ".join(f"{r['series']}@{r['source']}" for r in overdue)
        )
    return lines


def _table_rows(settings: Settings) -> list[str]:
    queries = settings.sql_dir / "queries"
    try:
        con = duckdb.connect(str(settings.db_path), read_only=True)
    except duckdb.Error as e:
        return [f"  (cannot read the database: {one_line(e)})"]
    try:
        lines = ["tables (rows):"]
        for t in sql.rows(con, queries / "tables.sql"):
            name = f"{t['schema']}.{t['table']}"
            n = sql.query(con, queries / "table_rows.sql", {"table": name}).fetchone()[0]
            lines.append(f"  {name:48} {t['kind']:5} {n:>12,}")
        return lines
    except IctpError as e:  # a database built before the catalog view
        return [f"  (no table list: {one_line(e)}; run `ictp build --force`)"]
    finally:
        con.close()

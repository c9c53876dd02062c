"""`ictp status`: the latest runs, each series' freshness, and where the outputs are."""

from __future__ import annotations

import duckdb

from pipeline import sql
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
            f"  {r['run_id']}  {r['command']:<9} {r['status']:<8} exit {r.get('exit_code')}"
            f"{synthetic}{rows}"
        )
        if r.get("error"):
            lines.append(f"      {r['error']}")
    status_file = settings.tables_dir / "series_status.parquet"
    if status_file.exists():
        con = duckdb.connect()
        query = settings.sql_dir / "queries" / "series_status.sql"
        rows = sql.query(con, query, {"path": str(status_file)}).fetchall()
        lines.append("series (as of the latest validate):")
        lines.append(
            f"  {'series':40} {'source':12} {'code':16} {'status':8} {'retrieved':21} {'vintage':11}"
            f" {'stored':>8} {'quarant.':>8}"
        )
        for s, source, code, st, retrieved, vintage, stored, quarantined, err in rows:
            lines.append(
                f"  {s:40} {source:12} {code or '':16} {st:8} {retrieved or '-':21} {vintage or '-':11}"
                f" {stored:>8,} {quarantined:>8,}"
            )
            if err and st != "ok":
                lines.append(f"      last error: {err}")
    db = settings.db_path
    lines.append(
        f"database: {db} ({db.stat().st_size / 1e6:.1f} MB)"
        if db.exists()
        else f"database: {db} not built yet (`ictp build`)"
    )
    exports = settings.exports_dir
    if exports.exists():
        lines.append(f"exports:  {exports} ({len(list(exports.glob('*.csv')))} CSV files)")
    return "\n".join(lines)

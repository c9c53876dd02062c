"""The validation report: one static HTML page for people, one JSON file for machines.

Built from the Great Expectations results and the row accounting of `ictp validate`, written
to processed/reports/validation.html and validation.json, also when the batch failed.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.html_page import STYLE
from pipeline.html_page import escape as _e
from pipeline.html_page import table as _table
from pipeline.runs import write_json_atomic


def write_report(folder: Path, report: dict) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "validation.json"
    write_json_atomic(json_path, json.loads(json.dumps(report, default=str)))
    html_path = folder / "validation.html"
    tmp = html_path.with_name(f".{html_path.name}.tmp")
    tmp.write_text(render(report), encoding="utf-8")
    tmp.replace(html_path)
    return html_path, json_path


def render(r: dict) -> str:
    t = r["totals"]
    desc = r["descriptions"]
    parts = [
        f"<!doctype html><meta charset=utf-8><title>ictp validation {_e(r['run_id'])}</title>",
        f"<style>{STYLE}</style>",
        f"<h1>Validation report <small>run {_e(r['run_id'])}</small></h1>",
        f"<p class='status s-{_e(r['status'])}'>{_status_text(r['status'])}</p>",
        f"<p>Rows in <b>{t['rows_in']:,}</b> = stored <b>{t['stored']:,}</b> + quarantined "
        f"<b>{t['quarantined']:,}</b> + without a value <b>{t['no_value']:,}</b>.</p>",
    ]
    if r["table_failures"]:
        parts.append("<h2 class=bad>Table-level failures (the batch was not stored)</h2>")
        parts.append(
            _table(
                ["rule", "series", "source", "what happened"],
                [[f["rule"], f["series"], f["source"], f["detail"]] for f in r["table_failures"]],
            )
        )
    parts.append("<h2>Per series</h2>")
    parts.append(
        _table(
            [
                "series",
                "source",
                "status",
                "rows in",
                "without value",
                "checked",
                "passed",
                "quarantined",
                "warnings",
            ],
            [
                [
                    s["series"],
                    s["source"],
                    s["status"],
                    s["rows_in"],
                    s["no_value"],
                    s["checked"],
                    s["passed"],
                    s["quarantined"],
                    s["warnings"],
                ]
                for s in r["series"]
            ],
        )
    )
    parts.append(
        "<h2>Rules</h2><p><small>Generated from indicators/series.yml and the settings; "
        "row rules quarantine a row, table-level rules fail the batch.</small></p>"
    )
    parts.append(
        _table(
            ["rule", "what it checks", "Great Expectations expectation", "checked", "failing", ""],
            [
                [
                    x["rule"],
                    desc.get(x["rule"], x.get("description") or ""),
                    x["expectation"],
                    x["checked"],
                    x["failing"],
                    "ok" if x["success"] else "FAILED",
                ]
                for x in r["rules"]
            ],
        )
    )
    quarantined = [s for s in r["series"] if s["examples"]]
    if quarantined:
        parts.append("<h2>Quarantined rows (first five per series)</h2>")
        for s in quarantined:
            parts.append(
                f"<h3>{_e(s['series'])} <small>{_e(s['source'])}: "
                f"{s['quarantined']:,} rows</small></h3>"
            )
            parts.append(_table(["economy", "year", "value", "reason"], s["examples"]))
    parts.append("<h2>Warnings <small>(reported, not quarantined)</small></h2>")
    if r["warnings"]:
        for w in r["warnings"]:
            parts.append(
                f"<h3 class=warn>{_e(w['rule'])} <small>{w['count']:,} rows; first 20</small></h3>"
            )
            parts.append(_table(["economy", "series", "year", "value", "detail"], w["examples"]))
    else:
        parts.append("<p class=ok>none</p>")
    parts.append("<h2>Corrections register <small>(indicators/corrections.yml)</small></h2>")
    if r["corrections"]:
        parts.append(
            _table(
                [
                    "series",
                    "economy",
                    "years",
                    "source",
                    "action",
                    "value",
                    "reason",
                    "reported upstream",
                    "rows matched",
                ],
                [
                    [
                        c["series"],
                        c["economy"],
                        f"{c['year_from']}-{c['year_to']}",
                        c["source"] or "any",
                        c["action"],
                        c["value"],
                        c["reason"],
                        "yes" if c["reported_upstream"] else "no",
                        c["rows_matched"],
                    ]
                    for c in r["corrections"]
                ],
            )
        )
    else:
        parts.append("<p>no entries</p>")
    return "\n".join(parts) + "\n"


def _status_text(status: str) -> str:
    return {
        "ok": "All rows passed.",
        "quarantined": "Usable: some rows failed and were quarantined (exit code 4).",
        "failed": "FAILED table-level checks: nothing was stored (exit code 5).",
    }[status]

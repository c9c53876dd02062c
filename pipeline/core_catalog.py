"""indicators/core.yml: the Core List of ICT indicators and how each is obtained.

Checked entry by entry and loaded into DuckDB tables (input.core_indicators, input.core_methods,
input.core_settings) that the SQL models join; the formulas themselves live in sql/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.catalog import _read_yaml, create_table
from pipeline.errors import IctpError

AREAS = ("A", "HH", "B", "ICT", "ED", "EG")
METHODS = ("reported", "derived")
AGGREGATES = ("weighted_mean", "sum")
FILLS = ("none", "interpolate", "carry_forward")

INDICATORS_TABLE = {
    "indicator": "varchar",
    "name": "varchar",
    "area": "varchar",
    "unit": "varchar",
    "definition": "varchar",
    "sdg": "varchar[]",
    "code_confirmed": "boolean",
    "computable": "boolean",
    "reason": "varchar",
    "aggregate_method": "varchar",
    "aggregate_weight": "varchar",
    "aggregate_reason": "varchar",
    "aggregate_note": "varchar",
    "fill": "varchar",
    "max_gap": "integer",
    "position": "integer",
}
METHODS_TABLE = {
    "indicator": "varchar",
    "priority": "integer",
    "method": "varchar",
    "series": "varchar",
    "numerator": "varchar",
    "denominator": "varchar",
    "denominator2": "varchar",
    "scale": "double",
}
SETTINGS_TABLE = {
    "reference_year": "integer",
    "latest_window_years": "integer",
    "coverage_threshold": "double",
    "derived_tolerance": "double",
    "provider_tolerance": "double",
}
SETTINGS_DEFAULTS = {
    "latest_window_years": 5,
    "reference_year": None,
    "coverage_threshold": 0.66,
    "derived_tolerance": 0.05,
    "provider_tolerance": 0.05,
}


def load_core(catalog_dir: Path) -> dict[str, list[dict]]:
    """The core catalog as table rows: {"indicators": [...], "methods": [...], "settings": [...]}.

    Series the core list needs but the series catalog lacks are not an error: the indicator
    then shows as not computed, with the missing series named (`ictp indicators`).
    """
    path = Path(catalog_dir) / "core.yml"
    doc = _read_yaml(path)
    settings = {**SETTINGS_DEFAULTS, **(doc.get("settings") or {})}
    unknown = sorted(set(settings) - set(SETTINGS_DEFAULTS))
    if unknown:
        raise IctpError(f"{path}: unknown settings {', '.join(unknown)}")
    if settings["reference_year"] is None:
        settings["reference_year"] = dt.date.today().year
    indicators, methods = [], []
    seen = set()
    for n, e in enumerate(doc.get("indicators") or [], 1):
        where = f"{path}: indicator #{n} ({e.get('id', 'no id') if isinstance(e, dict) else e})"
        if not isinstance(e, dict) or not {"id", "name", "unit", "obtained"} <= set(e):
            raise IctpError(f"{where} needs id, name, unit and obtained")
        if e["id"] in seen:
            raise IctpError(f"{where}: id {e['id']} appears twice")
        seen.add(e["id"])
        area = next(
            (a for a in sorted(AREAS, key=len, reverse=True) if e["id"].startswith(a)), None
        )
        if area is None:
            raise IctpError(f"{where}: the id must start with an area code ({', '.join(AREAS)})")
        computable = e["obtained"] != "not_computable"
        if not computable and not e.get("reason"):
            raise IctpError(f"{where}: a not_computable indicator needs a reason")
        if computable and not isinstance(e["obtained"], list):
            raise IctpError(f"{where}: obtained must be a list of ways, or not_computable")
        for priority, m in enumerate(e["obtained"] if computable else [], 1):
            methods.append(_method(where, e["id"], priority, m))
        agg = e.get("aggregate", "none") if computable else "none"
        if agg != "none" and (not isinstance(agg, dict) or agg.get("method") not in AGGREGATES):
            raise IctpError(
                f"{where}: aggregate must be none or {{method: {' | '.join(AGGREGATES)}}}"
            )
        if isinstance(agg, dict) and agg["method"] == "weighted_mean" and not agg.get("weight"):
            raise IctpError(f"{where}: a weighted_mean aggregate needs a weight series")
        fill = e.get("fill", "none")
        if fill not in FILLS:
            raise IctpError(f"{where}: fill must be one of {', '.join(FILLS)}")
        indicators.append(
            {
                "indicator": e["id"],
                "name": e["name"],
                "area": area,
                "unit": e["unit"],
                "definition": e.get("definition", ""),
                "sdg": [str(x) for x in e.get("sdg", [])],
                "code_confirmed": bool(e.get("confirmed", False)),
                "computable": computable,
                "reason": e.get("reason"),
                "aggregate_method": agg["method"] if isinstance(agg, dict) else None,
                "aggregate_weight": agg.get("weight") if isinstance(agg, dict) else None,
                "aggregate_reason": e.get("aggregate_reason"),
                "aggregate_note": e.get("aggregate_note"),
                "fill": fill,
                "max_gap": int(e.get("max_gap", 3)),
                "position": n,
            }
        )
    return {"indicators": indicators, "methods": methods, "settings": [settings]}


def _method(where: str, indicator: str, priority: int, m) -> dict:
    if not isinstance(m, dict) or m.get("method") not in METHODS:
        raise IctpError(f"{where}: each way needs method: {' | '.join(METHODS)}")
    row = {
        "indicator": indicator,
        "priority": priority,
        "method": m["method"],
        "series": None,
        "numerator": None,
        "denominator": None,
        "denominator2": None,
        "scale": None,
    }
    if m["method"] == "reported":
        if not m.get("series"):
            raise IctpError(f"{where}: a reported way needs a series")
        row["series"] = m["series"]
    else:
        if not (m.get("numerator") and m.get("denominator")):
            raise IctpError(f"{where}: a derived way needs numerator and denominator")
        row.update(
            numerator=m["numerator"],
            denominator=m["denominator"],
            denominator2=m.get("denominator2"),
            scale=float(m.get("scale", 1)),
        )
    return row


def load_core_into(con, catalog_dir: Path, schema: str = "input") -> None:
    core = load_core(catalog_dir)
    create_table(con, f"{schema}.core_indicators", INDICATORS_TABLE, core["indicators"])
    create_table(con, f"{schema}.core_methods", METHODS_TABLE, core["methods"])
    create_table(con, f"{schema}.core_settings", SETTINGS_TABLE, core["settings"])

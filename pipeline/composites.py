"""Composite indices on a built database: the stage models, uncertainty runs, exports.

The statistics are the SQL models in sql/composites/ (one table per stage, then the marts:
scores, components, missing inputs, audit, rank intervals); the build runs them after the
marts, and this module runs them again for uncertainty runs, and writes the composites' CSV
files into an export.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline.errors import IctpError

log = logging.getLogger(__name__)

LAYER = Path("build") / "4_composites"
RUN_VARIABLES = ("runs", "seed", "name", "edition")


def model_files(sql_dir: Path) -> list[Path]:
    """The composite stages and marts, in name order (the build runs them after the marts)."""
    return sorted((Path(sql_dir) / LAYER).glob("*.sql"))


def run_models(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> None:
    """Run the composite stages and marts on a connection that has the built tables
    (intermediate.int_country_values, economies) and the spec tables (input.composite_*)."""
    files = model_files(sql_dir)
    if not files:
        raise IctpError(f"no composite SQL models under {Path(sql_dir) / LAYER} (ICTP_SQL_DIR?)")
    for f in files:
        try:
            con.execute(f.read_text(encoding="utf-8"))
        except duckdb.Error as e:
            raise IctpError(
                f"SQL model {f} failed: {' '.join(str(e).split())[:400]}; fix the model or the "
                "composite spec and run again"
            ) from None


def set_runs(
    con: duckdb.DuckDBPyConnection,
    runs: int = 0,
    seed: int = 0,
    name: str | None = None,
    edition: int | None = None,
) -> None:
    """The variables sql/composites/00_composite_runs.sql reads (0 runs: the nominal index)."""
    values = {"runs": runs, "seed": seed, "name": name, "edition": edition}
    for k in RUN_VARIABLES:
        if values[k] is None:
            con.execute(f"reset variable composite_uncertainty_{k}")
        else:
            con.execute(f"set variable composite_uncertainty_{k} = ?", [values[k]])


def run_uncertainty(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    name: str,
    runs: int,
    seed: int = 0,
    edition: int | None = None,
) -> int:
    """Re-run the composite models with `runs` Monte Carlo runs of composite `name` (its latest
    edition unless given): composite_rank_intervals then holds the results. Returns the edition."""
    editions = [
        r[0]
        for r in con.execute(
            "select edition from input.composite_specs where composite = ? order by edition",
            [name],
        ).fetchall()
    ]
    if not editions:
        raise IctpError(f"no composite {name!r} in the database: `ictp composite list` lists them")
    if edition is None:
        edition = editions[-1]
    elif edition not in editions:
        raise IctpError(f"composite {name!r} has no edition {edition} (it has {editions})")
    if runs < 1:
        raise IctpError(f"--uncertainty needs a number of runs >= 1, not {runs}")
    set_runs(con, runs, seed, name, edition)
    try:
        run_models(con, sql_dir)
    finally:
        set_runs(con)
    return edition


# ---------------------------------------------------------------- export

SCORE_FIELDS = [
    ("composite", "string", "Composite name (indicators/composites/<name>.yml)."),
    ("edition", "integer", "Edition."),
    ("data_year", "integer", "The year of the inputs the data-year rule asks for."),
    ("economy", "string", "ISO 3166-1 alpha-3 code."),
    ("economy_name", "string", "Economy name."),
    ("node", "string", "Node: the index, a pillar or sub-index, or an indicator."),
    ("node_label", "string", "Node label."),
    ("level", "integer", "Depth in the tree: 0 the index, 1 its pillars..."),
    ("score", "number", "Score on the composite's scale, unrounded; empty when none."),
    ("rank", "integer", "Rank on the unrounded score (exact ties broken by economy code)."),
    ("status", "string", "scored, screened out, insufficient data or no data, with counts."),
    ("indicators_used", "integer", "Indicators under the node with a value."),
    ("indicators_imputed", "integer", "Of those, imputed."),
    ("note", "string", '"unconfirmed goalposts: not ITU\'s figures" where that applies.'),
]
COMPONENT_FIELDS = [
    ("composite", "string", "Composite name."),
    ("edition", "integer", "Edition."),
    ("economy", "string", "ISO 3166-1 alpha-3 code."),
    ("economy_name", "string", "Economy name."),
    ("indicator", "string", "Indicator code in the composite."),
    ("input", "string", "The series, or the formula over series."),
    ("raw_value", "number", "The input's value under the data-year rule; empty when missing."),
    ("input_year", "integer", "Year of the value used."),
    ("value", "number", "The value used (raw, or imputed)."),
    ("imputed", "boolean", "The value is imputed."),
    ("imputation_detail", "string", "How it was imputed."),
    ("transformed", "number", "The value after the transform (none or log10)."),
    ("normalised", "number", "Normalised value, 0-1."),
    ("score", "number", "The indicator's score on the composite's scale."),
    ("weight", "number", "The indicator's weight within its parent."),
    ("normalisation", "string", "Normalisation method."),
    ("reference", "number", "Reference value used (method reference)."),
    ("lower", "number", "Lower goalpost used."),
    ("upper", "number", "Upper goalpost used."),
    ("clipped", "boolean", "The normalised value was clipped to [0, 1]."),
    ("note", "string", '"unconfirmed goalposts: not ITU\'s figures" where that applies.'),
]
TABLES = {
    "scores": ("composite_scores", SCORE_FIELDS),
    "components": ("composite_components", COMPONENT_FIELDS),
}


def export_composites(
    con: duckdb.DuckDBPyConnection, out: Path, redistributable: bool = False
) -> tuple[list[dict], list[dict]]:
    """Write composite_<name>_scores.csv and composite_<name>_components.csv for every
    composite with input data into `out`; return (datapackage resources, composites left
    out). With
    `redistributable`, a composite is left out when a source of one of its input series
    forbids commercial use (its components carry those figures)."""
    specs = con.execute(
        "select composite, any_value(label), list(distinct edition order by edition), "
        "bool_or(not goalposts_confirmed) from input.composite_specs group by 1 order by 1"
    ).fetchall()
    resources, left_out = [], []
    for name, label, editions, unconfirmed in specs:
        terms = _licence_terms(con, name)
        if not terms:
            left_out.append({"composite": name, "why": "none of its input series has data"})
            continue
        if redistributable and any(t["commercial_use"] is False for t in terms):
            left_out.append({"composite": name, "why": "an input's licence forbids commercial use"})
            continue
        synthetic = any(t["synthetic"] for t in terms)
        for kind, (table, fields) in TABLES.items():
            path = Path(out) / f"composite_{name}_{kind}.csv"
            cols = ", ".join(f'"{f}"' for f, _t, _d in fields)
            order = (
                "edition, level, node, rank nulls last, economy"
                if kind == "scores"
                else ("edition, economy, indicator")
            )
            con.execute(
                f"copy (select {cols} from {table} where composite = $name order by {order}) "
                f"to '{str(path).replace(chr(39), chr(39) * 2)}' (header, delimiter ',')",
                {"name": name},
            )
            resources.append(
                {
                    "name": f"composite-{name}-{kind}".replace("_", "-"),
                    "path": path.name,
                    "title": f"{label}: {kind}" + (" (SYNTHETIC DEMO DATA)" if synthetic else ""),
                    "description": (
                        f"Composite {name} (editions {', '.join(map(str, editions))}), "
                        + (
                            "one row per edition, country and node."
                            if kind == "scores"
                            else "one row per edition, country and indicator: the drill-down."
                        )
                        + (" Unconfirmed goalposts: not ITU's figures." if unconfirmed else "")
                    ),
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    **_terms(terms),
                    "ictp": {
                        "composite": name,
                        "goalposts_confirmed": not unconfirmed,
                        "synthetic": synthetic,
                    },
                    "schema": {
                        "fields": [{"name": f, "type": t, "description": d} for f, t, d in fields]
                    },
                }
            )
    return resources, left_out


def _licence_terms(con: duckdb.DuckDBPyConnection, name: str) -> list[dict]:
    """The licences of every source of every series the composite reads."""
    cur = con.execute(
        """
        with used as (
            select distinct unnest(case when input_kind = 'series' then [series]
                                        else numerator || coalesce(denominator, []) end) as series
            from input.composite_nodes
            where composite = $name and input_kind in ('series', 'formula')
        )
        select distinct s.licence, s.licence_url, s.commercial_use, s.attribution, s.synthetic
        from series s join used u using (series)
        where s.rows_stored > 0
        order by all
        """,
        {"name": name},
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _terms(terms: list[dict]) -> dict:
    from pipeline.export import SYNTHETIC_LICENCE, SYNTHETIC_SOURCE

    if any(t["synthetic"] for t in terms):
        return {"licenses": [SYNTHETIC_LICENCE], "sources": [SYNTHETIC_SOURCE]}
    return {
        "licenses": _unique({"name": t["licence"], "path": t["licence_url"]} for t in terms),
        "sources": _unique(
            {"title": t["attribution"], "path": ""} for t in terms if t["attribution"]
        ),
    }


def _unique(items) -> list[dict]:
    seen = {}
    for x in items:
        seen.setdefault(tuple(sorted(x.items())), x)
    return list(seen.values())


# ---------------------------------------------------------------- provider scores

PROVIDER_COLUMNS = {
    "edition": "integer",
    "country_id": "integer",
    "code_id": "integer",
    "code": "varchar",
    "score": "double",
    "raw_sha256": "varchar",
}


def load_provider_scores_into(
    con: duckdb.DuckDBPyConnection, processed_dir: Path, schema: str = "input"
) -> int:
    """{schema}.provider_composite_scores from data/processed/provider_composite_scores.parquet
    (pipeline/sources/itu_idi.py), or empty when no pull has written it. Returns its rows."""
    from pipeline.sources.itu_idi import PARQUET

    con.execute(f"create schema if not exists {schema}")
    cols = ", ".join(f"{c} {t}" for c, t in PROVIDER_COLUMNS.items())
    con.execute(f"create or replace table {schema}.provider_composite_scores ({cols})")
    path = Path(processed_dir) / PARQUET
    if not path.exists():
        return 0
    names = ", ".join(PROVIDER_COLUMNS)
    con.execute(
        f"insert into {schema}.provider_composite_scores select {names} from read_parquet(?)",
        [str(path)],
    )
    return con.execute(f"select count(*) from {schema}.provider_composite_scores").fetchone()[0]

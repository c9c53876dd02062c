"""`ictp composite calibrate NAME`: fit a composite's unconfirmed goalposts to the provider's
published indicator scores, and write a variant spec whose numbers say they were fitted.

The fit is sql/calibrate/fit_goalposts.sql (per indicator and transform, a
least-squares line through our reported values and the provider's unclipped scores). Only
indicators whose lower and upper goalposts are both unconfirmed are fitted: a confirmed value is
never replaced. The variant, indicators/composites/<NAME>_fitted_<E>.yml, `extends:` NAME and
overrides the fitted transforms and goalposts, each number `confirmed: false, fitted: true`
with its source saying which edition's scores it was fitted to; `ictp build` then computes it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline import errors, sql
from pipeline.errors import IctpError

CALIBRATE = Path("calibrate")  # its queries, under the SQL folder
MARKER = "# Written by `ictp composite calibrate`"


def fit(con, sql_dir: Path, name: str, edition: int) -> list[dict]:
    """Every indicator's fits (one per transform), best marked."""
    params = {"composite": name, "edition": edition}
    return sql.rows(con, Path(sql_dir) / CALIBRATE / "fit_goalposts.sql", params)


def nodes(con, sql_dir: Path, name: str, edition: int) -> dict[str, dict]:
    """The indicators of the composite's edition by code, in the spec's order."""
    params = {"composite": name, "edition": edition}
    return {
        r["code"]: r for r in sql.rows(con, Path(sql_dir) / CALIBRATE / "indicators.sql", params)
    }


def variant(name: str, edition: int, label: str, chosen: dict[str, dict]) -> dict:
    """The variant spec (a mapping to dump as YAML)."""
    overrides = {}
    for code, f in chosen.items():
        src = (
            f"fitted to ITU's published indicator scores of edition {edition} by `ictp composite "
            f"calibrate` ({f['economies']} economies, RMSE {f['rmse']:.3g} points)"
        )

        def num(v, src=src):
            return {"value": float(round(v, 6)), "source": src, "confirmed": False, "fitted": True}

        overrides[code] = {
            "transform": f["transform"],
            "normalisation": {
                "method": "goalposts",
                "lower": num(f["lower"]),
                "upper": num(f["upper"]),
            },
        }
    return {
        "name": f"{name}_fitted_{edition}",
        "label": f"{label} (goalposts fitted to ITU's published scores of {edition})",
        "source": f"{name} with goalposts fitted to ITU's published indicator scores of edition "
        f"{edition}: not ITU's figures",
        "extends": name,
        "editions": {edition: {}},
        "overrides": overrides,
    }


def calibrate_command(settings, name: str, args) -> int:
    """`ictp composite calibrate NAME`: prints what became of every indicator, writes the
    variant of those fitted; returns the exit code."""
    from pipeline.composite_cli import _table

    edition, label, spec_nodes, fits = _inputs(settings, name, args.edition)
    chosen, rows = _choose(spec_nodes, fits)
    head = ("indicator", "result", "transform", "lower", "upper", "economies", "rmse",
            "max_residual", "was_transform", "was_lower", "was_upper")  # fmt: skip
    _table(head, rows, args)
    if not chosen:
        print(f"{name} {edition}: nothing to fit; no variant written")
        return errors.OK
    path = _write_variant(settings, name, edition, label, chosen)
    used = sorted({e for f in chosen.values() for e in f["economies_used"]})
    print(
        f"wrote {path} ({len(chosen)} indicators fitted over {len(used)} economies); run "
        f"`ictp build` to compute {name}_fitted_{edition}"
    )
    return errors.OK


def _inputs(settings, name: str, edition: int | None) -> tuple[int, str, dict, list[dict]]:
    """(edition, the spec's label, its indicators, their fits) from the database; checks it
    holds the provider's published scores of that edition."""
    from pipeline.composite_cli import _connect, _edition

    con = _connect(settings)
    folder = settings.sql_dir / CALIBRATE
    try:
        edition = _edition(con, settings, name, edition)
        (published,) = sql.query(con, folder / "published.sql", {"edition": edition}).fetchone()
        if not published:
            raise IctpError(
                f"no published scores of edition {edition} in the database: pull ITU's IDI "
                "scores (`ictp ingest`, source itu_idi; `ictp run` does it), then `ictp validate` "
                "and `ictp build`, then calibrate again"
            )
        (label,) = sql.query(con, folder / "spec_label.sql", {"composite": name}).fetchone()
        spec_nodes = nodes(con, settings.sql_dir, name, edition)
        fits = fit(con, settings.sql_dir, name, edition)
    finally:
        con.close()
    return edition, label, spec_nodes, fits


def _choose(spec_nodes: dict[str, dict], fits: list[dict]) -> tuple[dict[str, dict], list]:
    """The best fit of every indicator that is fitted, by code, and a row per indicator saying
    what became of it."""
    best = {f["code"]: f for f in fits if f["best"]}
    chosen, rows = {}, []
    for code, n in spec_nodes.items():
        f = best.get(code)
        why = _not_fitted(n, f)
        if why is None:
            chosen[code] = f
        rows.append(_row(code, why or "fitted", f, n))
    return chosen, rows


def _not_fitted(n: dict, f: dict | None) -> str | None:
    """Why the indicator `n` is left as it is, or None if its best fit `f` replaces its
    goalposts."""
    if n["lower_confirmed"] or n["upper_confirmed"] or n["reference_confirmed"]:
        return "confirmed goalposts: left as they are"
    if n["provider_code"] is None:
        return "no provider node named in the spec"
    if f is None:
        return "fewer than 3 economies with our value and an unclipped published score"
    return None


def _row(code: str, why: str, f: dict | None, n: dict) -> tuple:
    """An indicator's row of the table: what became of it, its best fit, its spec's values."""
    return (
        code,
        why,
        f and f["transform"],
        f and round(f["lower"], 4),
        f and round(f["upper"], 4),
        f and f["economies"],
        f and round(f["rmse"], 4),
        f and round(f["max_residual"], 4),
        n["transform"],
        n["lower"],
        n["upper"],
    )


def _write_variant(settings, name: str, edition: int, label: str, chosen: dict) -> Path:
    """The variant spec's path, written; checks a file already there was written by
    calibration (one written by hand is never overwritten)."""
    path = Path(settings.catalog_dir) / "composites" / f"{name}_fitted_{edition}.yml"
    if path.exists() and MARKER not in path.read_text(encoding="utf-8"):
        raise IctpError(
            f"{path} exists and was not written by `ictp composite calibrate`: move it away "
            "(calibration never overwrites a spec written by hand)"
        )
    text = (
        f"{MARKER} {name} --edition {edition}: goalposts fitted to ITU's published indicator\n"
        "# scores; they are not ITU's figures. Run it again rather than editing this file.\n"
        + yaml.safe_dump(variant(name, edition, label, chosen), sort_keys=False, width=100)
    )
    path.write_text(text, encoding="utf-8")
    return path

"""Report: data/processed/reports/index.html, one static page of what the run published.

Reads only the built database (its SQL: sql/report/, one query a file), the validation report's
status (reports/validation.json) and the names and sizes of the output files; what it shows is
set in indicators/report.yml. Sections: the runs and each series' freshness; the validation
summary (linking validation.html); a coverage heatmap; the headline trends by group, our
aggregates beside the providers'; the latest composite ranking with its rank intervals; the
revisions since the previous vintage; where every output file is. The composite and revisions
marts are optional: a section whose table is absent says so. Charts are matplotlib images
inside the page (pipeline/charts.py), so viewing it needs no network. The page is written to a
temporary name and renamed into place.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import duckdb

from pipeline import charts, fingerprint, sql
from pipeline.catalog.base import Entry, Identifier, field, read_yaml, validate
from pipeline.errors import IctpError, one_line
from pipeline.html_page import STYLE, escape, table
from pipeline.runs import Run
from pipeline.settings import Settings
from pipeline.step import run_step

log = logging.getLogger(__name__)

SPEC = "report.yml"
PAGE = "index.html"
REVISIONS_SHOWN = 20
PAGE_STYLE = STYLE + (
    "nav a{margin-right:1em}figure{margin:1em 0}img.chart{max-width:100%;height:auto}"
    ".banner{background:#fde7e9;padding:.5em 1em;border-radius:4px}"
    "figcaption{color:#666;font-size:.9em}"
)


class Headline(Entry):
    indicator: str = field("A Core List indicator id (core.yml).")
    title: str = field("The title of its chart.")


class ReportSpec(Entry):
    headline: list[Headline] = field("The indicators whose trends the report charts.")
    group_types: list[Identifier] = field("One panel per group type (economies/groups.yml).")
    ranking_rows: int = field("Economies listed of each composite's latest ranking.", gt=0)


def run(settings: Settings, manifest: Run) -> dict:
    """Write reports/index.html from the built database."""
    db = settings.db_path
    if not db.exists():
        raise IctpError(f"no database at {db}: run `ictp build` first (or `ictp run`)")
    folder = settings.sql_dir / "report"
    spec_path = settings.catalog_dir / SPEC
    return run_step(
        settings,
        manifest,
        "report",
        [
            fingerprint.tree(folder),
            fingerprint.tree(spec_path.parent, SPEC),
            fingerprint.stamp(db),
            fingerprint.stamp(settings.reports_dir / "validation.json"),
            fingerprint.stamp(settings.exports_dir / "datapackage.json"),
        ],
        [settings.reports_dir / PAGE],
        "the database, validation report, exports, SQL and code are unchanged",
        lambda: _publish(settings, folder, load_spec(spec_path)),
    )


def load_spec(path: Path) -> ReportSpec:
    return validate(ReportSpec, read_yaml(path), path, "report")


def _publish(settings: Settings, folder: Path, spec: ReportSpec) -> dict:
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        page = Page(settings, con, folder, spec)
        html = page.render()
    except duckdb.Error as e:
        raise IctpError(
            f"the report from {settings.db_path} failed: {one_line(e, 2000)}; the previous "
            "report is unchanged (run `ictp build` if the database predates this version)"
        ) from None
    finally:
        con.close()
    out = settings.reports_dir / PAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return {"report": str(out), "bytes": out.stat().st_size, **page.summary}


class Page:
    """The page's sections, each from its queries; `summary` says what each showed."""

    def __init__(self, settings: Settings, con, folder: Path, spec: ReportSpec):
        self.settings, self.con, self.folder, self.spec = settings, con, folder, spec
        self.summary: dict = {"charts": 0, "tables": 0, "sections": {}}

    def rows(self, query: str, **params) -> list[dict]:
        return sql.rows(self.con, self.folder / f"{query}.sql", params)

    def render(self) -> str:
        freshness = self.rows("freshness")
        synthetic = any(s["synthetic"] for s in self.rows("runs"))
        sections = [
            ("runs", "Runs and freshness", self.runs(freshness)),
            ("validation", "Validation", self.validation()),
            ("coverage", "Coverage", self.coverage()),
            ("trends", "Headline trends by group", self.trends()),
            ("ranking", "Composite ranking", self.ranking()),
            ("revisions", "Revisions since the previous vintage", self.revisions()),
            ("outputs", "Where every output is", self.outputs()),
        ]
        nav = " ".join(f"<a href='#{k}'>{escape(t)}</a>" for k, t, _b in sections)
        banner = (
            "<p class=banner><b>SYNTHETIC DEMO DATA</b>: generated by <code>ictp demo</code>, "
            "not published statistics.</p>"
            if synthetic
            else ""
        )
        body = "\n".join(
            f"<section id={k}><h2>{escape(t)}</h2>\n{b}\n</section>" for k, t, b in sections
        )
        return (
            "<!doctype html><html lang=en><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>ictp report</title><style>{PAGE_STYLE}</style>\n"
            f"<h1>ICT indicators: the report</h1>{banner}\n<nav>{nav}</nav>\n{body}\n"
        )

    # ---------------------------------------------------------------- sections

    def runs(self, freshness: list[dict]) -> str:
        runs = self.rows("runs")
        stale = [f"{s['series']} ({s['source']})" for s in freshness if s["status"] != "ok"]
        return (
            "<h3>Latest runs <small>(as recorded when the database was built)</small></h3>"
            + self.table(
                ["run", "command", "started", "ended", "status", "exit", "rows in", "stored"]
                + ["quarantined", "without value"],
                [
                    [r["run_id"], r["command"], _time(r["started"]), _time(r["ended"])]
                    + [r["status"], r["exit_code"], r["rows_in"], r["rows_stored"]]
                    + [r["rows_quarantined"], r["rows_no_value"]]
                    for r in runs
                ],
                "runs",
            )
            + "<h3>Freshness of each series</h3>"
            + (
                f"<p class=warn>Not up to date: {escape(', '.join(stale))}.</p>"
                if stale
                else "<p class=ok>Every series' latest download succeeded.</p>"
            )
            + self.table(
                ["series", "source", "status", "downloaded", "source's vintage"]
                + ["vintage age at download (days)", "rows stored", "last error"],
                [
                    [s["series"], s["source"], s["status"], _time(s["retrieved"])]
                    + [_time(s["vintage"]), s["vintage_age_days"], s["rows_stored"]]
                    + [s["last_error"]]
                    for s in freshness
                ],
                "freshness",
            )
        )

    def validation(self) -> str:
        t = self.rows("validation_totals")[0]
        status = _validation_status(self.settings.reports_dir / "validation.json")
        quarantined = self.rows("quarantine_by_series")
        warnings = self.rows("warnings_by_rule")
        checks = self.rows("checks")
        failing = [c["check"] for c in checks if c["failing_rows"]]
        return (
            f"<p class='status s-{escape(status)}'>validation: {escape(status)}</p> "
            "<p>Full report: <a href='validation.html'>validation.html</a> (every rule, the "
            "quarantined rows, the warnings, the corrections register).</p>"
            f"<p>Rows in <b>{t['rows_in']:,}</b> = stored <b>{t['rows_stored']:,}</b> + "
            f"quarantined <b>{t['rows_quarantined']:,}</b> + without a value "
            f"<b>{t['rows_no_value']:,}</b>; {t['warnings']:,} warnings (reported, not "
            "quarantined).</p>"
            + "<h3>Quarantined rows</h3>"
            + self.table(
                ["series", "source", "rows", "first reason"],
                [[q["series"], q["source"], q["rows"], q["first_reason"]] for q in quarantined],
                "quarantine",
            )
            + "<h3>Warnings by rule</h3>"
            + self.table(
                ["rule", "rows", "series", "in"],
                [[w["rule"], w["rows"], w["series"], w["series_list"]] for w in warnings],
                "warnings",
            )
            + "<h3>Build checks <small>(failing rows kept in schema qa)</small></h3>"
            + (f"<p class=warn>With failing rows: {escape(', '.join(failing))}.</p>")
            * bool(failing)
            + self.table(
                ["check", "failing rows"],
                [[c["check"], c["failing_rows"]] for c in checks],
                "checks",
            )
        )

    def coverage(self) -> str:
        rows = self.rows("coverage")
        if not rows:
            return "<p>No country data.</p>"
        return self.chart(
            charts.coverage_heatmap(rows),
            "coverage",
            "Countries with a value (indicator_values), by series and year.",
        )

    def trends(self) -> str:
        indicators = [h.indicator for h in self.spec.headline]
        types = list(self.spec.group_types)
        rows = self.rows("trends", indicators=indicators, group_types=types)
        names = {r["indicator"]: r for r in self.rows("indicator_names", indicators=indicators)}
        parts = [
            "<p><small>Solid: our aggregates (the <code>aggregates</code> mart); dashed or "
            "dotted: the provider's own aggregate of the indicator's reported series, for the "
            "same group (indicators/report.yml lists the indicators).</small></p>"
        ]
        for h in self.spec.headline:
            mine = [r for r in rows if r["indicator"] == h.indicator]
            info = names.get(h.indicator, {"name": h.indicator, "unit": ""})
            title = f"{h.title}: {info['name']} ({h.indicator})"
            if not mine:
                parts.append(f"<h3>{escape(title)}</h3><p>No aggregates, ours or a provider's.</p>")
                continue
            parts.append(
                self.chart(
                    charts.trend_panels(mine, types, title, info["unit"]),
                    f"trend-{h.indicator}",
                    f"{title}, by {', '.join(types)}.",
                )
            )
        return "\n".join(parts)

    def ranking(self) -> str:
        if not (self.present("composite_scores") and self.present("composite_rank_intervals")):
            self.summary["sections"]["ranking"] = "absent"
            return "<p class=absent>No composite computed yet.</p>"
        try:
            rows = self.rows("composite_ranking", rows=self.spec.ranking_rows)
        except IctpError as e:
            return self.unreadable("ranking", e)
        if not rows:
            self.summary["sections"]["ranking"] = "empty"
            return "<p class=absent>No composite computed yet: composite_scores has no score.</p>"
        parts = []
        for composite in dict.fromkeys(r["composite"] for r in rows):
            mine = [r for r in rows if r["composite"] == composite]
            head = mine[0]
            title = f"{composite}, edition {head['edition']}"
            has_runs = any(r["rank_p05"] is not None for r in mine)
            parts.append(
                f"<h3>{escape(title)} <small>top {len(mine)} of {head['ranked']} ranked</small></h3>"
                + (
                    ""
                    if has_runs
                    else "<p><small>No uncertainty runs yet (<code>ictp composite "
                    f"{escape(composite)} --uncertainty N</code>): nominal ranks only.</small></p>"
                )
                + self.chart(
                    charts.rank_intervals(mine, title),
                    f"ranking-{composite}",
                    "Rank with its 5th-95th percentile interval over the uncertainty runs.",
                )
                + self.table(
                    ["rank", "economy", "score", "median rank", "rank 5th pct", "rank 95th pct"],
                    [
                        [r["rank"], f"{r['economy_name']} ({r['economy']})", round(r["score"], 2)]
                        + [r["median_rank"], r["rank_p05"], r["rank_p95"]]
                        for r in mine
                    ],
                    f"ranking-{composite}",
                )
            )
        self.summary["sections"]["ranking"] = "shown"
        return "\n".join(parts)

    def revisions(self) -> str:
        if not self.present("revisions"):
            self.summary["sections"]["revisions"] = "absent"
            return "<p class=absent>No revisions: no earlier vintage has been compared yet.</p>"
        try:
            summary = self.rows("revisions_summary")
            largest = self.rows("revisions_largest", rows=REVISIONS_SHOWN)
        except IctpError as e:
            return self.unreadable("revisions", e)
        if not summary:
            self.summary["sections"]["revisions"] = "empty"
            return "<p class=absent>No revisions since the previous vintage.</p>"
        self.summary["sections"]["revisions"] = "shown"
        return (
            self.chart(
                charts.revision_counts(summary),
                "revisions",
                "Values added, removed and revised between each series' two latest vintages.",
            )
            + self.table(
                ["series", "source", "from vintage", "to vintage", "added", "removed"]
                + ["revised", "largest relative change"],
                [
                    [r["series"], r["source"], _time(r["from_vintage"]), _time(r["to_vintage"])]
                    + [r["added"], r["removed"], r["revised"], _pct(r["largest_rel_change"])]
                    for r in summary
                ],
                "revisions-summary",
            )
            + f"<h3>The {REVISIONS_SHOWN} largest revisions</h3>"
            + self.table(
                ["series", "source", "economy", "year", "old value", "new value"]
                + ["change", "relative change"],
                [
                    [r["series"], r["source"], r["economy"], str(r["year"]), r["old_value"]]
                    + [r["new_value"], r["abs_change"], _pct(r["rel_change"])]
                    for r in largest
                ],
                "revisions-largest",
            )
        )

    def outputs(self) -> str:
        s = self.settings
        reports, processed = s.reports_dir, s.processed_dir
        exports = sorted(s.exports_dir.glob("*")) if s.exports_dir.exists() else []
        listing = [
            ["database (DuckDB)", s.db_path, _size(s.db_path)],
            [
                "CSV extracts and datapackage.json",
                s.exports_dir,
                f"{sum(p.suffix == '.csv' for p in exports)} CSV files",
            ],
            ["this report", reports / PAGE, ""],
            ["validation report", reports / "validation.html", _size(reports / "validation.html")],
            ["validation results (JSON)", reports / "validation.json", ""],
            *[["Parquet", p, _size(p)] for p in sorted(processed.glob("*.parquet"))],
            ["run manifests", s.runs_dir, f"{len(list(s.runs_dir.glob('*.json')))} runs"],
            ["raw downloads (SHA-256 named) and their manifest", s.raw_dir, ""],
        ]
        rows = [
            [what, f"<a href='{escape(_relative(p, reports))}'>{escape(p.resolve())}</a>", size]
            for what, p, size in listing
        ]
        head = "".join(f"<th>{h}</th>" for h in ("what", "where", "size"))
        body = "".join(
            f"<tr><td>{escape(a)}</td><td>{b}</td><td class=n>{escape(c)}</td></tr>"
            for a, b, c in rows
        )
        self.summary["tables"] += 1
        return (
            f"<table class=outputs><tr>{head}</tr>{body}</table>"
            + "<h3>Tables and views in the database</h3>"
            + self.table(
                ["name", "kind", "rows"],
                [[t["table"], t["kind"], t["rows"]] for t in self.rows("tables")],
                "tables",
            )
        )

    # ---------------------------------------------------------------- pieces

    def present(self, name: str) -> bool:
        return bool(self.rows("relation_exists", name=name)[0]["present"])

    def unreadable(self, section: str, error: Exception) -> str:
        log.warning("report: the %s section could not be read: %s", section, error)
        self.summary["sections"][section] = "unreadable"
        return f"<p class=bad>Could not be read: {escape(error)}</p>"

    def table(self, header: list[str], rows: list[list], name: str) -> str:
        self.summary["tables"] += 1
        if not rows:
            return table(header, [["none"] + [""] * (len(header) - 1)], f"t-{name} empty")
        return table(header, rows, f"t-{name}")

    def chart(self, uri: str, name: str, caption: str) -> str:
        self.summary["charts"] += 1
        return (
            f"<figure><img class=chart data-chart={escape(name)} alt='{escape(caption)}' "
            f"src='{uri}'><figcaption>{escape(caption)}</figcaption></figure>"
        )


def _validation_status(path: Path) -> str:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["status"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return "unknown"


def _time(v) -> str:
    return "" if v is None else str(v)[:19]


def _pct(v) -> str:
    return "" if v is None else f"{v:+.1%}"


def _size(p: Path) -> str:
    if not p.exists():
        return "absent"
    n = p.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


def _relative(p: Path, start: Path) -> str:
    return os.path.relpath(p.resolve(), start.resolve())

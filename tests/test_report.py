"""The published report, reports/index.html: from the demo's database, self-contained, the
optional composite and revisions sections, the step's skip, and the page in headless Chromium."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, env_without_settings

from pipeline import sql
from pipeline.catalog.report import load_report
from pipeline.demo import synthetic

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SECTIONS = [
    "runs",
    "validation",
    "coverage",
    "trends",
    "ranking",
    "reproduction",
    "revisions",
    "outputs",
]


def ictp(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=env_without_settings(),
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("report") / "data"
    proc = ictp("demo", data=data)
    assert proc.returncode == 0, proc.stderr
    return proc, data


@pytest.fixture(scope="module")
def with_marts(demo, tmp_path_factory):
    """A copy of the demo's outputs whose database also has small hand-made composite and
    revisions marts (the shapes their builders publish), and its report."""
    _proc, src = demo
    data = tmp_path_factory.mktemp("marts") / "data"
    shutil.copytree(src / "processed", data / "processed", symlinks=True)
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"))
    con.execute(
        "create or replace table composite_scores (composite varchar, edition integer, economy varchar, "
        "node varchar, level integer, score double, rank integer)"
    )
    con.execute(
        "insert into composite_scores values "
        # the older edition and a pillar must not be shown; MLT has no score
        "('idi', 2023, 'KEN', 'IDI', 0, 99.0, 1), "
        "('idi', 2024, 'KEN', 'IDI', 0, 71.25, 2), ('idi', 2024, 'FIN', 'IDI', 0, 88.5, 1), "
        "('idi', 2024, 'BRA', 'IDI', 0, 64.0, 3), ('idi', 2024, 'MLT', 'IDI', 0, null, null), "
        "('idi', 2024, 'KEN', 'UNI', 1, 10.0, 3)"
    )
    con.execute(
        "create or replace table composite_rank_intervals (composite varchar, edition integer, "
        "node varchar, economy varchar, nominal_rank integer, median_rank double, "
        "rank_p05 double, rank_p95 double)"
    )
    con.execute(
        "insert into composite_rank_intervals values ('idi', 2024, 'IDI', 'FIN', 1, 1, 1, 2), "
        "('idi', 2024, 'IDI', 'KEN', 2, 2.5, 1.5, 3), ('idi', 2024, 'IDI', 'BRA', 3, 3, 2, 3)"
    )
    con.execute("delete from revisions")  # the real mart's shape, with hand-made rows
    con.execute(
        "insert into revisions (series, source, economy, year, change, old_value, new_value, "
        "abs_change, rel_change, from_vintage, from_retrieved, from_source_updated, to_vintage, "
        "to_retrieved, to_source_updated) values "
        # an earlier pair of vintages: not 'since the previous vintage'
        "('internet_users_pct', 'worldbank', 'KEN', 2015, 'revised', 1, 2, 1, 1.0, 'v1', "
        "'2017-01-02', '2017-01-01', 'v2', '2024-01-02', '2024-01-01'), "
        "('internet_users_pct', 'worldbank', 'KEN', 2020, 'revised', 20, 22, 2, 0.1, 'v2', "
        "'2024-01-02', '2024-01-01', 'v3', '2025-07-02', '2025-07-01'), "
        "('internet_users_pct', 'worldbank', 'BRA', 2020, 'revised', 50, 40, -10, -0.2, 'v2', "
        "'2024-01-02', '2024-01-01', 'v3', '2025-07-02', '2025-07-01'), "
        "('internet_users_pct', 'worldbank', 'FIN', 2021, 'added', null, 93, null, null, 'v2', "
        "'2024-01-02', '2024-01-01', 'v3', '2025-07-02', '2025-07-01'), "
        "('internet_users_pct', 'worldbank', 'FIN', 1990, 'removed', 0.4, null, null, null, 'v2', "
        "'2024-01-02', '2024-01-01', 'v3', '2025-07-02', '2025-07-01')"
    )
    con.close()
    proc = ictp("report", data=data)
    assert proc.returncode == 0, proc.stderr
    return proc, data


class Dom(HTMLParser):
    """Per section: its images, tables and text; every link and source of the page."""

    def __init__(self, text: str):
        super().__init__()
        self.section = None
        self.sections: dict[str, dict] = {}
        self.refs: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "section":
            self.section = a["id"]
            self.sections[self.section] = {"img": [], "table": [], "text": []}
        for k in ("src", "href"):
            if k in a:
                self.refs.append((k, a[k]))
        if self.section and tag in ("img", "table", "svg"):
            key = "img" if tag in ("img", "svg") else "table"
            self.sections[self.section][key].append(a)

    def handle_data(self, data):
        if self.section:
            self.sections[self.section]["text"].append(data)

    def text(self, section: str) -> str:
        return " ".join(" ".join(self.sections[section]["text"]).split())


def cells(data: Path, table_class: str = "t-reproduction") -> list[list[str]]:
    """The body rows of the report's table of `table_class`, as the text of their cells."""
    found = re.search(rf"<table class=['\"]?{table_class}\b.*?</table>", page(data), re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(0), re.S)
    cell = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
    return [[html.unescape(re.sub("<[^>]+>", "", c)) for c in cell.findall(r)] for r in rows[1:]]


def page(data: Path) -> str:
    return (data / "processed" / "reports" / "index.html").read_text(encoding="utf-8")


def test_the_demo_writes_the_report_after_export(demo):
    proc, data = demo
    out = proc.stdout
    assert out.index("\nexport:") < out.index("\nreport:")
    assert str(data / "processed" / "reports" / "index.html") in out
    runs = [json.loads(p.read_text()) for p in (data / "processed" / "runs").glob("*.json")]
    (run,) = [r for r in runs if r["command"] == "demo"]
    assert run["steps"]["report"]["report"] == str(data / "processed" / "reports" / "index.html")
    # the demo computes its composites; its first run keeps one vintage per series: nothing revised
    assert run["steps"]["report"]["sections"] == {
        "ranking": "shown",
        "reproduction": "shown",
        "revisions": "empty",
    }


def test_the_page_needs_no_network(demo):
    _proc, data = demo
    text = page(data)
    dom = Dom(text)
    assert not dom.tags & {"script", "link", "iframe", "object", "embed"}
    srcs = [v for k, v in dom.refs if k == "src"]
    assert srcs and all(
        v.startswith(("data:image/svg+xml;base64,", "data:image/png;base64,")) for v in srcs
    )
    hrefs = [v for k, v in dom.refs if k == "href"]
    assert all(":" not in v for v in hrefs), [v for v in hrefs if ":" in v]  # anchors, relative
    assert "url(" not in text and "@import" not in text and "@font-face" not in text


def test_the_sections_show_what_the_database_and_the_validation_hold(demo):
    _proc, data = demo
    dom = Dom(page(data))
    assert list(dom.sections) == SECTIONS
    totals = json.loads((data / "processed" / "reports" / "validation.json").read_text())["totals"]
    validation = dom.text("validation")
    assert (
        f"Rows in {totals['rows_in']:,} = stored {totals['stored']:,} + quarantined "
        f"{totals['quarantined']:,} + without a value {totals['no_value']:,}"
    ) in validation
    assert totals["quarantined"] == len(synthetic.INVALID) + len(synthetic.ITU_INVALID)
    assert "validation: quarantined" in validation
    assert "1,234,567 is not a number" in validation
    # the checks' failing rows, counted here
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    qa = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'qa'"
        ).fetchall()
    ]
    checks = next(t for t in dom.sections["validation"]["table"] if t["class"] == "t-checks")
    assert checks
    for name in qa:
        n = con.execute(f'select count(*) from qa."{name}"').fetchone()[0]
        assert f"{name} {n:,}" in validation
    # freshness: every series and source of the database, with its status
    runs = dom.text("runs")
    for series, source, status in con.execute(
        "select series, source, status from series"
    ).fetchall():
        assert f"{series} {source} {status}" in runs
    assert "Every series' latest download succeeded." in runs
    # where every output is: the files exist
    outputs = dom.text("outputs")
    tables = sorted((data / "processed" / "tables").glob("*.parquet"))
    assert len(tables) >= 5  # observations, quarantine, warnings, economies, series_status...
    for p in [data / "processed" / "ict.duckdb", *tables]:
        assert str(p.absolute()) in outputs
    csvs = list((data / "processed" / "exports").glob("*.csv"))
    assert csvs and f"{len(csvs)} CSV files" in outputs


def test_charts_and_absent_marts(demo):
    _proc, data = demo
    dom = Dom(page(data))
    count = {s: len(v["img"]) for s, v in dom.sections.items()}
    assert count["coverage"] == 1
    # the demo has aggregates for every headline indicator but affordability, which ITU provides
    spec = load_report(ROOT / "indicators" / "report.yml")
    assert count["trends"] == len(spec.headline)
    assert {i["data-chart"] for i in dom.sections["trends"]["img"]} == {
        f"trend-{h.indicator}" for h in spec.headline
    }
    # the demo computes its composites (the ranking is drawn); nothing is revised yet
    with duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True) as con:
        (ranked,) = con.execute(
            "select count(distinct composite) from composite_scores "
            "where level = 0 and rank is not null"
        ).fetchone()
    assert ranked >= 1 and count["ranking"] == ranked  # one chart per ranked composite
    assert "No composite computed yet." not in dom.text("ranking")
    assert "No revisions" in dom.text("revisions") and count["revisions"] == 0


def test_no_composite_says_so(demo, tmp_path):
    """A database with no composite marts: the section says so instead of failing."""
    _proc, src = demo
    data = tmp_path / "data"
    shutil.copytree(src / "processed", data / "processed", symlinks=True)
    with duckdb.connect(str(data / "processed" / "ict.duckdb")) as con:
        con.execute("drop table composite_scores")
        con.execute("drop table composite_rank_intervals")
    proc = ictp("report", "--force", data=data)
    assert proc.returncode == 0, proc.stderr
    dom = Dom(page(data))
    assert "No composite computed yet." in dom.text("ranking")
    assert len(dom.sections["ranking"]["img"]) == 0
    assert "No composite computed yet" not in dom.text("reproduction")
    with duckdb.connect(str(data / "processed" / "ict.duckdb")) as con:
        con.execute("delete from composite_vs_provider_summary")  # no node of ours matches
    assert ictp("report", "--force", data=data).returncode == 0
    text = Dom(page(data)).text("reproduction")
    assert "No composite names their nodes" in text and "ITU regions" in text
    with duckdb.connect(str(data / "processed" / "ict.duckdb")) as con:
        con.execute("delete from provider_composite_scores")  # nothing ITU published pulled
    assert ictp("report", "--force", data=data).returncode == 0
    text = Dom(page(data)).text("reproduction")
    assert "No published scores pulled" in text and "source itu_idi" in text
    with duckdb.connect(str(data / "processed" / "ict.duckdb")) as con:
        con.execute("drop table composite_vs_provider_summary")  # a database before composites
    assert ictp("report", "--force", data=data).returncode == 0
    assert "No composite computed yet" in Dom(page(data)).text("reproduction")


def test_the_report_says_how_many_economies_reproduce_itu_within_half_a_point(demo):
    """Per pillar and per indicator of each composite's latest edition compared, counted here
    from composite_vs_provider's rows (one per economy and node), not from the summary mart."""
    _proc, data = demo
    with duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select composite, edition, node, count(ours), "
            "count(*) filter (where abs(ours - provider) <= 0.5) "
            "from composite_vs_provider group by composite, edition, node having count(ours) > 0 "
            "qualify edition = max(edition) over (partition by composite)"
        ).fetchall()
        held = con.execute(
            "select count(distinct economy) filter (where provider_country_id is not null), "
            "count(distinct economy) filter (where economy like 'ITU.%'), min(edition), "
            "max(edition) from provider_composite_scores"
        ).fetchone()
    assert rows, "the demo's run compares its composites with ITU's published scores"
    assert held[1] > 0, "the demo's ITU server publishes region scores too"
    text = Dom(page(data)).text("reproduction")
    assert "within 0.5 points" in text and "per pillar and per indicator" in text
    assert f"{held[0]} countries and {held[1]} ITU regions, editions {held[2]}-{held[3]}" in text
    # each row: composite, edition, "label (node)", level, ITU code, compared, within 0.5, ...
    table = {(r[0], r[1], r[2].rsplit("(", 1)[-1].rstrip(")")): r[3:] for r in cells(data)}
    for composite, edition, node, compared, within in rows:
        level, _code, shown, shown_within = table[(composite, str(edition), node)][:4]
        assert (shown, shown_within) == (str(compared), str(within)), (composite, node)
        assert level in ("index", "pillar", "component", "indicator")
    assert table[("idi2024", "2024", "universal")][:2] == ["pillar", "U"]
    assert table[("idi2024", "2024", "internet_users")][:2] == ["indicator", "i99H"]


def test_trends_put_ours_beside_the_providers(demo):
    _proc, data = demo
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    rows = sql.rows(
        con,
        ROOT / "sql" / "report" / "trends.sql",
        {"indicators": ["HH7", "A10"], "group_types": ["wb_income", "itu_region"]},
    )
    got = {(r["indicator"], r["group_code"], r["source"], r["year"]): r["value"] for r in rows}
    ours = con.execute(
        "select value from aggregates where indicator = 'HH7' and group_code = 'HIC' "
        "and group_type = 'wb_income' and year = 2020"
    ).fetchone()[0]
    wb = con.execute(
        "select value from observations where economy = 'HIC' and series = 'internet_users_pct' "
        "and source = 'worldbank' and year = 2020"
    ).fetchone()[0]
    itu = con.execute(
        "select value from observations where economy = 'ITU.ARB' and source = 'itu' "
        "and series = 'mobile_broadband_basket_5gb_gni_pct' and year = 2020"
    ).fetchone()[0]
    assert got[("HH7", "HIC", "ictp", 2020)] == ours
    assert got[("HH7", "HIC", "worldbank", 2020)] == wb
    # ITU's Arab States are the itu_region ARB, never the World Bank's ARB
    assert got[("A10", "ARB", "itu", 2020)] == itu
    assert {r["group_type"] for r in rows} == {"wb_income", "itu_region"}
    # a World Bank code is a group of its own type only: HIC is no itu_region
    assert not [r for r in rows if r["group_type"] == "itu_region" and r["source"] == "worldbank"]
    names = {r["group_code"]: r["group_name"] for r in rows}
    assert names["ARB"] == "Arab States" and names["HIC"] == "High income"


def test_the_composite_ranking_and_revisions_when_their_marts_exist(with_marts):
    proc, data = with_marts
    assert "report:" in proc.stdout
    dom = Dom(page(data))
    ranking = dom.text("ranking")
    assert "idi, edition 2024" in ranking and "top 3 of 3 ranked" in ranking
    # rank order, scores of the latest edition's index, the intervals
    fin, ken, bra = (ranking.index(f"({c})") for c in ("FIN", "KEN", "BRA"))
    assert fin < ken < bra
    assert "Finland (FIN) 88.5 1 1 2" in ranking
    assert "(KEN) 71.25 2.5 1.5 3" in ranking
    assert "(MLT)" not in ranking and "99" not in ranking
    assert len(dom.sections["ranking"]["img"]) == 1
    revisions = dom.text("revisions")
    # the latest pair of vintages only: 1 added, 1 removed, 2 revised, largest |change| 20%
    assert "internet_users_pct worldbank 2024-01-01 2025-07-01 1 1 2 +20.0%" in revisions
    largest = revisions[revisions.index("largest revisions") :]
    assert largest.index("BRA") < largest.index("KEN")
    assert "2015" not in largest
    assert len(dom.sections["revisions"]["img"]) == 1
    runs = [json.loads(p.read_text()) for p in (data / "processed" / "runs").glob("*.json")]
    (run,) = [r for r in runs if r["command"] == "report"]
    assert run["steps"]["report"]["sections"] == {
        "ranking": "shown",
        "reproduction": "shown",
        "revisions": "shown",
    }


def test_an_unchanged_database_skips_the_report_and_force_redoes_it(with_marts):
    _proc, data = with_marts
    before = (data / "processed" / "reports" / "index.html").stat().st_mtime_ns
    again = ictp("report", data=data)
    assert again.returncode == 0, again.stderr
    assert "report:   nothing to do" in again.stdout
    assert (data / "processed" / "reports" / "index.html").stat().st_mtime_ns == before
    forced = ictp("report", "--force", data=data)
    assert forced.returncode == 0 and "nothing to do" not in forced.stdout
    assert (data / "processed" / "reports" / "index.html").stat().st_mtime_ns != before


def test_without_a_database_report_says_what_to_run(tmp_path):
    proc = ictp("report", data=tmp_path / "data")
    assert proc.returncode == 1
    assert f"no database at {tmp_path / 'data' / 'processed' / 'ict.duckdb'}" in proc.stderr
    assert "run `ictp build` first" in proc.stderr


# ---------------------------------------------------------------- a real browser


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)
def test_the_page_in_headless_chromium(with_marts, tmp_path):
    _proc, data = with_marts
    url = (data / "processed" / "reports" / "index.html").resolve().as_uri()
    dumped = chromium("--dump-dom", url, profile=tmp_path / "profile")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Dom(dumped.stdout)
    assert list(dom.sections) == SECTIONS
    spec = load_report(ROOT / "indicators" / "report.yml")
    charts = {s: len(v["img"]) for s, v in dom.sections.items()}
    assert charts == {
        "runs": 0,
        "validation": 0,
        "coverage": 1,
        "trends": len(spec.headline),
        "ranking": 1,
        "reproduction": 0,
        "revisions": 1,
        "outputs": 0,
    }
    tables = {s: [t["class"] for t in v["table"]] for s, v in dom.sections.items()}
    assert tables == {
        "runs": ["t-runs", "t-freshness"],
        "validation": ["t-quarantine", "t-warnings", "t-checks"],
        "coverage": [],
        "trends": [],
        "ranking": ["t-ranking-idi"],
        "reproduction": ["t-reproduction"],
        "revisions": ["t-revisions-summary", "t-revisions-largest"],
        "outputs": ["outputs", "t-tables"],
    }
    shot = tmp_path / "page.png"
    taken = chromium(
        f"--screenshot={shot}", "--window-size=1280,4000", url, profile=tmp_path / "p2"
    )
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 4000)
    pixels = list(image.getdata())
    ink = sum(1 for p in pixels if p != (255, 255, 255))
    assert ink > 0.03 * len(pixels), f"only {ink} of {len(pixels)} pixels are not white"
    # the coverage heatmap (viridis: its dark purple end) was drawn, not only the text
    assert sum(1 for r, g, b in pixels if r < 90 and g < 30 and 60 < b < 110) > 5_000


def test_a_bad_report_yml_names_its_file_and_key(tmp_path):
    from pipeline.errors import IctpError

    spec = tmp_path / "report.yml"
    text = (ROOT / "indicators" / "report.yml").read_text(encoding="utf-8")
    spec.write_text(text.replace("ranking_rows: 30", "ranking_rows: 0"), encoding="utf-8")
    with pytest.raises(IctpError) as e:
        load_report(spec)
    assert str(spec) in str(e.value) and "ranking_rows" in str(e.value)

"""End to end on real ITU data: ITU's CSV exports and the captured DataHub responses, replayed by
a local ITU stand-in beside the real World Bank data, through ingest, validate, build, export.
ITU's World aggregate of every series is built by the stand-in from the same exports
(tests/test_itu_aggregates.py replays the captured regional aggregate).

Values, estimate flags and notes are compared with ITU's own files (read here), not with our
output; precedence, the disagreement check, licences and --redistributable are checked on them.
"""

from __future__ import annotations

import csv
import json

import duckdb
import itu_replay
import pytest
import row_counts
import wdi_replay
from conftest import SHARED_DATA

from pipeline.cli import main
from pipeline.demo.server import serve
from pipeline.settings import Settings

CATALOG = Settings().catalog()
ITU_MAP = CATALOG.economy_map.codes["itu"]  # KSO -> XKX, AAA -> GGY, GBJ -> JEY


def itu_series_served() -> dict[str, str]:
    """Catalog series (id -> ITU code) whose ITU code is in the exports and whose World Bank code,
    if any, is in the WDI replay: every series the replayed run can pull whole."""
    codes = {r["seriesCode"] for r in itu_replay.all_rows(SHARED_DATA)}
    replayed = {code for code, _path in (wdi_replay.LONG_FILES | wdi_replay.WIDE_FILES).values()}
    return {
        s.id: s.sources["itu"]
        for s in CATALOG.series
        if s.sources.get("itu") in codes
        and ("worldbank" not in s.sources or s.sources["worldbank"] in replayed)
    }


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not (SHARED_DATA / "itu" / "datahub").is_dir() or not (SHARED_DATA / "wdi").is_dir():
        pytest.skip(f"real ITU / WDI data not found at {SHARED_DATA} (../shared/data)")
    data = tmp_path_factory.mktemp("itu") / "data"
    served = itu_series_served()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        with (
            serve(wdi_replay.api(SHARED_DATA)) as wb_url,
            serve(itu_replay.api(SHARED_DATA)) as itu_url,
        ):
            code = main(
                [
                    "run",
                    "--data-dir",
                    str(data),
                    "--worldbank-url",
                    wb_url,
                    "--itu-url",
                    itu_url,
                    "--series",
                    ",".join(served),
                ]  # fmt: skip
            )
            bad_code = main(
                [
                    "ingest",
                    "--data-dir",
                    str(data),
                    "--itu-url",
                    itu_url,
                    "--sources",
                    "itu",
                    "--series",
                    "international_bandwidth_mbps",
                ]  # fmt: skip
            )
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    yield {"code": code, "bad_code": bad_code, "dir": data, "con": con, "served": served}
    con.close()


def itu_values(code: str) -> dict[tuple[str, int], dict]:
    """The export's rows of one ITU series, keyed by (our economy code, year)."""
    return {
        (ITU_MAP.get(r["entityIso"], r["entityIso"]), int(r["dataYear"])): r
        for r in itu_replay.all_rows(SHARED_DATA)
        if r["seriesCode"] == code
    }


def test_run_succeeds_and_stores_every_itu_row(real):
    assert real["code"] == 0
    con = real["con"]
    assert (
        con.execute("select count(*) from quarantine where source = 'itu'").fetchone()[0] == 0
    )  # real ITU data breaks no rule of the catalog
    for series, code in real["served"].items():
        source = {k: float(r["dataValue"]) for k, r in itu_values(code).items()}
        ours = dict(
            ((e, y), v)
            for e, y, v in con.execute(
                'select economy, "year", value from observations o '
                "join economies e on e.iso3 = o.economy and not e.is_aggregate "
                "where source = 'itu' and series = ?",
                [series],
            ).fetchall()
        )
        assert ours == source, series


def test_itus_world_aggregate_of_every_series_is_kept_apart(real):
    con = real["con"]
    api = itu_replay.api(SHARED_DATA)
    by_id = CATALOG.series_by_id()
    for series in real["served"]:
        code_id = int(by_id[series].source_details["itu"]["code_id"])
        served = {r["dataYear"]: r["answer"][0]["value"] for r in api.aggregate(code_id, 701)}
        stored = dict(
            con.execute(
                "select \"year\", value from observations where economy = 'ITU.WORLD' "
                "and source = 'itu' and series = ?",
                [series],
            ).fetchall()
        )
        assert stored == served and served, series
    assert con.execute(
        "select count(*) from indicator_values where economy like 'ITU.%'"
    ).fetchone() == (0,)
    assert con.execute(
        "select count(*) from economies where is_aggregate and iso3 like 'ITU.%'"
    ).fetchone() == (1,)  # the replay's region list is cut to the World


def test_a_known_internet_use_figure_with_its_flags_and_notes(real):
    con = real["con"]
    usa = itu_values("i99H")[("USA", 2020)]
    row = con.execute(
        "select value, source, obs_status, source_note from indicator_values "
        "where series = 'internet_users_pct' and economy = 'USA' and \"year\" = 2020"
    ).fetchone()
    assert row == (float(usa["dataValue"]), "itu", "E", usa["dataSource"])
    assert usa["dataSource"] == "ITU estimate."
    # every estimate is flagged E, whatever ITU's spelling ("ITU estimate", "ITU Estimate.")
    rows = itu_values("i99H")
    estimates = {
        k for k, r in rows.items() if "itu estimate" in " ".join(r["dataSource"].lower().split())
    }
    assert {"ITU estimate", "ITU Estimate."} <= {rows[k]["dataSource"] for k in estimates}
    flagged = set(
        con.execute(
            "select economy, \"year\" from observations where source = 'itu' "
            "and series = 'internet_users_pct' and obs_status = 'E'"
        ).fetchall()
    )
    assert flagged == estimates
    # dataNote is kept as note
    noted = {k: r["dataNote"] for k, r in rows.items() if r["dataNote"].strip()}
    assert noted
    ours = dict(
        ((e, y), n)
        for e, y, n in con.execute(
            "select economy, \"year\", note from observations where source = 'itu' "
            "and series = 'internet_users_pct' and note is not null"
        ).fetchall()
    )
    assert ours == {k: " ".join([n.strip()]) for k, n in noted.items()}


def test_scientific_notation_and_units_from_the_catalog(real):
    con = real["con"]
    text = itu_values("i271mw")[("USA", 2024)]["dataValue"]
    assert text == "6.79479e+008"
    value, unit = con.execute(
        "select value, unit from indicator_values where series = 'active_mobile_broadband_subs' "
        "and economy = 'USA' and \"year\" = 2024"
    ).fetchone()
    assert value == 679479000 and unit == "subscriptions"
    # the export says "count" for i911mw too; the catalog's unit is used
    assert itu_values("i911mw")[("USA", 2020)]["seriesUnits"] == "count"
    assert con.execute(
        "select distinct unit from indicator_values where series = 'active_mobile_broadband_subs_per_100'"
    ).fetchall() == [("per 100 inhabitants",)]


def test_economies_xkx_chi_and_itu_codes(real):
    con = real["con"]
    cols = "iso3, itu_code, in_worldbank, in_itu, in_iso, code_kind, is_aggregate, name_itu"
    rows = {r[0]: r for r in con.execute(f"select {cols} from economies").fetchall()}
    assert rows["XKX"] == ("XKX", "KSO", True, True, False, "keep", False, "Kosovo")
    assert rows["CHI"][1:7] == (None, True, False, False, "keep", False)
    assert rows["GGY"][:6] == ("GGY", "AAA", False, True, True, "iso")
    assert rows["JEY"][:6] == ("JEY", "GBJ", False, True, True, "iso")
    assert "KSO" not in rows and "AAA" not in rows
    kosovo = itu_values("i99H")[("XKX", 2018)]
    assert kosovo["entityIso"] == "KSO"
    assert con.execute(
        "select value from observations where source = 'itu' and series = 'internet_users_pct' "
        "and economy = 'XKX' and \"year\" = 2018"
    ).fetchone()[0] == float(kosovo["dataValue"])
    # ITU's region comes from the captured record; the LDC flag is unknown (NULL), because
    # ITU's list (as captured: Afghanistan shows no LDC grouping) carries no LDC grouping
    assert con.execute(
        "select itu_region_id, itu_region, ldc, m49, income_group from economies where iso3 = 'AFG'"
    ).fetchone() == ("ASP", "Asia & Pacific", None, "004", "Low income")


def test_precedence_itu_first_world_bank_where_itu_has_nothing(real):
    con = real["con"]
    wb = wdi_replay.values(SHARED_DATA, "internet_users_pct")
    itu = itu_values("i99H")
    both = sorted(k for k in wb if k in itu)
    only_wb = sorted(k for k in wb if k not in itu and k[0] in {e for e, _y in itu})
    assert both and only_wb
    chosen = {
        (e, y): (s, v)
        for e, y, s, v in con.execute(
            'select economy, "year", source, value from indicator_values '
            "where series = 'internet_users_pct'"
        ).fetchall()
    }
    for k in both[:50]:
        assert chosen[k] == ("itu", float(itu[k]["dataValue"]))
    for k in only_wb[:50]:
        assert chosen[k] == ("worldbank", float(wb[k]))
    # observations keeps both sources
    n = con.execute(
        "select count(*) from observations where series = 'internet_users_pct' and economy = ? "
        'and "year" = ?',
        list(both[0]),
    ).fetchone()[0]
    assert n == 2


def test_disagreements_beyond_the_tolerance_are_listed(real):
    con = real["con"]
    wb = wdi_replay.values(SHARED_DATA, "internet_users_pct")
    itu = {k: float(r["dataValue"]) for k, r in itu_values("i99H").items()}
    countries = {e for e, _y in wb}  # the WB test data's own aggregates are never ITU's
    expected = {
        (e, y)
        for (e, y), a in itu.items()
        if (e, y) in wb
        and e in countries
        and abs(a - wb[(e, y)]) > 0.01 * max(abs(a), abs(wb[(e, y)]))
    }
    listed = set(
        con.execute(
            "select economy, \"year\" from qa.sources_disagree where series = 'internet_users_pct'"
        ).fetchall()
    )
    assert expected and listed == expected


def test_exports_carry_licences_per_file_and_redistributable_leaves_itu_out(real, ictp):
    exports = real["dir"] / "processed" / "exports"
    with open(exports / "internet_users_pct.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["source"] for r in rows} == {"itu", "worldbank"}
    assert "licence" not in rows[0] and "attribution" not in rows[0]
    with open(exports / "sources.csv", encoding="utf-8", newline="") as f:
        terms = {r["source"]: r for r in csv.DictReader(f)}
    assert {s: (t["licence"], t["commercial_use"]) for s, t in terms.items()} == {
        "itu": ("CC-BY-NC-SA-3.0-IGO", "false"),
        "worldbank": ("CC-BY-4.0", "true"),
    }
    assert "ITU" in terms["itu"]["attribution"]
    package = json.loads((exports / "datapackage.json").read_text())
    res = next(r for r in package["resources"] if r["path"] == "internet_users_pct.csv")
    assert {x["name"] for x in res["licenses"]} == {"CC-BY-NC-SA-3.0-IGO", "CC-BY-4.0"}
    assert {x["title"] for x in res["sources"]} == {
        terms["itu"]["attribution"],
        terms["worldbank"]["attribution"],
    }
    for r in package["resources"]:
        header = (exports / r["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in r["schema"]["fields"]]

    code, out, _err = ictp("export", "--data-dir", real["dir"], "--redistributable")
    assert code == 0
    assert "left out (licence forbids commercial use)" in out
    assert "households_internet_pct" in out and "from itu" in out
    with open(exports / "internet_users_pct.csv", encoding="utf-8", newline="") as f:
        open_rows = list(csv.DictReader(f))
    assert {r["source"] for r in open_rows} == {"worldbank"}
    wb = wdi_replay.values(SHARED_DATA, "internet_users_pct")
    usa = next(r for r in open_rows if r["economy"] == "USA" and r["year"] == "2019")
    assert float(usa["value"]) == wb[("USA", 2019)]  # the World Bank's figure stands in
    assert not (exports / "households_internet_pct.csv").exists()  # ITU only: left out
    package = json.loads((exports / "datapackage.json").read_text())
    assert package["ictp"]["redistributable"] is True
    assert all(x["name"] != "CC-BY-NC-SA-3.0-IGO" for x in package["licenses"])
    code, _out, _err = ictp("export", "--data-dir", real["dir"])  # back to the full set
    assert code == 0


def test_row_counts_per_source_series_and_year_are_the_committed_ones(real):
    """tests/row_counts/real_replay.csv: observations per source, series and year (PUDL style)."""
    assert real["code"] == 0
    if problem := row_counts.compare(real["con"], row_counts.REAL_REPLAY):
        pytest.fail(problem, pytrace=False)


def test_unknown_code_id_answers_empty_and_fails_naming_the_code(real):
    assert real["bad_code"] == 3
    pulls = [json.loads(x) for x in (real["dir"] / "raw" / "pulls.jsonl").read_text().splitlines()]
    failed = {p["series"]: p for p in pulls if p["status"] == "failed"}
    assert sorted(failed) == [
        "aggregates:international_bandwidth_mbps",
        "international_bandwidth_mbps",
    ]  # its country figures, and ITU's aggregates of it
    data = failed["international_bandwidth_mbps"]
    assert "international_bandwidth_mbps (i4214)" in data["error"]
    assert "answered [] (no records) for codeID 242" in data["error"]
    assert data["url"].endswith("/data/bycode/242")
    agg = failed["aggregates:international_bandwidth_mbps"]
    assert "answered [] (no records) for codeID 242 in region 701 (World)" in agg["error"]
    assert "set aggregates: false in its itu entry" in agg["error"]
    assert agg["url"].endswith("/aggregation/bycodeid/242/byregionid/701")


def test_series_table_says_which_codes_are_unconfirmed(real):
    con = real["con"]
    assert con.execute(
        "select code_confirmed, source_code_id, code_note like '%Part C%' from series "
        "where series = 'international_bandwidth_mbps' and source = 'itu'"
    ).fetchone() == (False, "242", True)
    assert con.execute(
        "select code_confirmed, commercial_use, precedence from series "
        "where series = 'internet_users_pct' and source = 'itu'"
    ).fetchone() == (True, False, 1)


def test_the_stand_in_answers_like_the_captured_responses():
    if not (SHARED_DATA / "itu-datahub-examples").is_dir():
        pytest.skip(f"captured ITU responses not found at {SHARED_DATA}")
    real = itu_replay.captured(SHARED_DATA, "itu-get-indicator-series.json")
    api = itu_replay.api(SHARED_DATA)
    _status, _h, body = api.handle("/v2/data/bycode/11624", {})
    ours = json.loads(body)
    assert {k: type(v) for k, v in ours[0].items()} == {k: type(v) for k, v in real[0].items()}
    assert set(ours[0]["answer"][0]) == set(real[0]["answer"][0])
    # the captured ABW 2000 record and ITU's export agree, and so does our replay of it
    abw = next(r for r in ours if r["isoCode"] == "ABW" and r["dataYear"] == 2000)
    assert float(abw["answer"][0]["value"]) == pytest.approx(
        float(real[0]["answer"][0]["value"]), rel=1e-5
    )
    assert abw["dataSource"] == real[0]["dataSource"]
    assert api.handle("/v2/data/bycode/999999", {})[2] == b"[]"
    # ITU's aggregates and region list: the stand-in's records have the captured records' shape
    real = itu_replay.captured(SHARED_DATA, "itu-get-regional-aggregate.json")
    ours = json.loads(api.handle("/v2/aggregation/bycodeid/11624/byregionid/701", {})[2])
    assert {k: type(v) for k, v in ours[0].items()} == {k: type(v) for k, v in real[0].items()}
    assert ours[0]["regionName"] == "World" and ours[0]["code"] == "i99H"
    regions = json.loads(api.handle("/v2/region/all", {})[2])
    assert regions == [
        r for r in itu_replay.captured(SHARED_DATA, "itu-list-regions.json") if r["regionID"] == 701
    ]
    assert api.handle("/v2/aggregation/bycodeid/11624/byregionid/3", {})[2] == b"[]"

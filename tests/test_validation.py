"""Validation on real World Bank data with faults injected as a user (or an API) would feed them.

Row faults end in quarantine with their rule; table-level faults fail the batch (exit 5) and
leave the previous database and exports byte-identical; every row is accounted for.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
import wdi_replay
from conftest import ROOT, SHARED_DATA, Faulty, copy_tree, patch_rows, run_worldbank, set_values

from pipeline.runs import load_runs

SERIES = "population,internet_users_pct,mobile_cellular_subs_per_100"
CODES = {
    "population": "SP_POP_TOTL",
    "internet_users_pct": "IT_NET_USER_ZS",
    "mobile_cellular_subs_per_100": "IT_CEL_SETS_P2",
}


def _run(data, api, *extra, command="run") -> int:
    return run_worldbank(data, api, SERIES, *extra, command=command)


@pytest.fixture(scope="module")
def real_api():
    if not (SHARED_DATA / "wdi").is_dir():
        pytest.skip(f"real published data not found at {SHARED_DATA} (../shared/data)")
    return wdi_replay.api(SHARED_DATA)


@pytest.fixture(scope="module")
def good(real_api, tmp_path_factory):
    """One good run on real data: the previous vintage the table-level checks compare with."""
    data = tmp_path_factory.mktemp("good") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        assert _run(data, real_api) == 0
    return data


def _db(data):
    return duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)


def _outputs(data) -> dict:
    processed = data / "processed"
    files = [processed / "ict.duckdb", *sorted((processed / "exports").iterdir())]
    files += sorted((processed / "tables").glob("*.parquet"))
    return {p.name: p.read_bytes() for p in files}


# ------------------------------------------------------------------ row rules: quarantine


ROW_FAULTS = {
    "population": {("USA", "2020"): -5, ("FRA", "2019"): 67_000_000.5},
    "internet_users_pct": {("IND", "2019"): 140},
    "mobile_cellular_subs_per_100": {("KEN", "2015"): "n/a"},
}


def _mobile_rows(rows):
    for r in rows:
        key = (r["countryiso3code"], r["date"])
        if key == ("BRA", "2010"):
            r["date"] = "2011"  # now two rows for BRA 2011: a duplicated key
        elif key == ("CHL", "2012"):
            r["countryiso3code"], r["country"]["id"] = "XYZ", "XY"  # an unknown economy
        elif key == ("DEU", "2014"):
            r["date"] = "2099"
        elif key == ("ARG", "2013"):
            r["date"] = "2013Q1"  # not a calendar year: the reason quotes the text as sent


@pytest.fixture(scope="module")
def faulty(real_api, tmp_path_factory):
    data = tmp_path_factory.mktemp("faulty") / "data"

    def mobile(query, n, good):
        good = set_values(ROW_FAULTS["mobile_cellular_subs_per_100"])(query, n, good)
        return patch_rows(_mobile_rows)(query, n, good)

    api = Faulty(
        real_api,
        SP_POP_TOTL=set_values(ROW_FAULTS["population"]),
        IT_NET_USER_ZS=set_values(ROW_FAULTS["internet_users_pct"]),
        IT_CEL_SETS_P2=mobile,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        code = _run(data, api)
    return data, code


def test_bad_rows_are_quarantined_with_their_rule(faulty):
    data, code = faulty
    assert code == 4  # usable batch, rows quarantined
    q = {
        (s, e, y): reason
        for s, e, y, reason in _db(data)
        .execute('select series, economy, "year", reason from quarantine')
        .fetchall()
    }
    expected = {
        ("population", "USA", 2020): "value_at_least_min: value -5.0 is below the minimum 1.0",
        ("population", "FRA", 2019): "count_is_whole: value 67000000.5",
        (
            "internet_users_pct",
            "IND",
            2019,
        ): "value_at_most_max: value 140.0 is above the maximum 100.0",
        ("mobile_cellular_subs_per_100", "KEN", 2015): "value_is_number: value n/a is not a number",
        ("mobile_cellular_subs_per_100", "XYZ", 2012): "economy_known: economy code XYZ",
        ("mobile_cellular_subs_per_100", "DEU", 2099): "year_in_bounds: year 2099 is outside",
        (
            "mobile_cellular_subs_per_100",
            "ARG",
            None,
        ): "year_is_year: date 2013Q1 is not a calendar year",
        ("mobile_cellular_subs_per_100", "BRA", 2011): "key_unique: more than one row for BRA",
    }
    assert set(q) == set(expected)
    for key, words in expected.items():
        assert words in q[key], (key, q[key])
    # both rows of the duplicated key are quarantined, neither reaches the marts
    n_bra = (
        _db(data)
        .execute("select count(*) from quarantine where economy = 'BRA' and \"year\" = 2011")
        .fetchone()[0]
    )
    assert n_bra == 2
    assert (
        _db(data)
        .execute(
            "select count(*) from indicator_values v semi join quarantine q "
            'using (series, economy, "year")'
        )
        .fetchone()[0]
        == 0
    )


def _negative_2015_and_2016(rows):
    for r in rows:
        if r["date"] in ("2015", "2016") and r["value"] is not None:
            r["value"] = -r["value"] - 1


def _2010_becomes_2011(rows):
    for r in rows:
        if r["date"] == "2010":
            r["date"] = "2011"


def test_hundreds_of_failing_rows_are_all_quarantined(real_api, tmp_path):
    """More failing rows than Great Expectations lists by default (20 ids, 200 values)."""
    api = Faulty(
        real_api,
        SP_POP_TOTL=patch_rows(_negative_2015_and_2016),
        IT_CEL_SETS_P2=patch_rows(_2010_becomes_2011),
    )
    data = tmp_path / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        assert _run(data, api) == 4
    population = wdi_replay.values(SHARED_DATA, "population")
    negative = {(e, y) for (e, y) in population if y in (2015, 2016)}
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    both = {e for (e, y) in mobile if y == 2010} & {e for (e, y) in mobile if y == 2011}
    assert len(negative) > 400 and len(both) > 200
    q = _db(data).execute('select series, economy, "year", reason from quarantine').fetchall()
    assert {(e, y) for s, e, y, _r in q if s == "population"} == negative
    assert all("value_at_least_min" in r for s, _e, _y, r in q if s == "population")
    duplicated = [(e, y) for s, e, y, r in q if s == "mobile_cellular_subs_per_100"]
    assert sorted(duplicated) == sorted([(e, 2011) for e in both] * 2)


def test_every_row_is_accounted_for(faulty):
    data, code = faulty
    con = _db(data)
    run = load_runs(data / "processed" / "runs")[-1]
    # a usable run with rows quarantined says so in its manifest (not "failed")
    assert code == run["exit_code"] == 4 and run["status"] == "quarantined"
    per_series = {
        s["series"]: s for s in run["steps"]["validate"]["series"] if s["source"] == "worldbank"
    }
    n_economies = len(wdi_replay.country_rows(SHARED_DATA))
    for series in SERIES.split(","):
        s = per_series[series]
        assert s["rows_in"] == s["stored"] + s["quarantined"] + s["no_value"]
        source = wdi_replay.values(SHARED_DATA, series)
        years = {y for _e, y in source}
        assert s["rows_in"] == n_economies * (max(years) - min(years) + 1)
        injected = len(ROW_FAULTS.get(series, {}))
        if series == "mobile_cellular_subs_per_100":
            injected = 6  # n/a, XYZ, 2099, 2013Q1, and the two BRA 2011 rows
        assert s["quarantined"] == injected
        stored = con.execute(
            "select rows_stored from series where series = ? and source = 'worldbank'", [series]
        ).fetchone()[0]
        assert stored == s["stored"]
    totals = run["steps"]["validate"]
    assert totals["rows_in"] == totals["stored"] + totals["quarantined"] + totals["no_value"]


def test_report_shows_rules_series_and_examples(faulty):
    data, _code = faulty
    reports = data / "processed" / "reports"
    doc = json.loads((reports / "validation.json").read_text())
    assert doc["status"] == "quarantined"
    by_rule = {r["rule"]: r for r in doc["rules"]}
    assert by_rule["value_at_most_max"]["failing"] == 1
    assert by_rule["key_unique"]["failing"] == 2
    assert by_rule["series_returned_rows"]["success"]
    mobile = next(s for s in doc["series"] if s["series"] == "mobile_cellular_subs_per_100")
    assert mobile["quarantined"] == 6 and mobile["checked"] == mobile["passed"] + 6
    assert len(mobile["examples"]) == 5  # the report shows five a series
    page = (reports / "validation.html").read_text()
    assert "quarantined" in page and "value_at_most_max" in page and "IND" in page
    assert "Rows in" in page


# ------------------------------------------------------------------ soft rules: warn only


def test_warnings_flag_without_quarantining(good):
    con = _db(good)
    jumps = con.execute(
        "select economy, \"year\" from validation_warnings where rule = 'yoy_jump' "
        "and series = 'mobile_cellular_subs_per_100'"
    ).fetchall()
    mobile = wdi_replay.values(SHARED_DATA, "mobile_cellular_subs_per_100")
    # Fiji: 361 in 2023, 574 in 2024 (the source files' own numbers)
    assert mobile[("FJI", 2024)] - mobile[("FJI", 2023)] > 200
    assert ("FJI", 2024) in jumps
    above = con.execute(
        "select count(*) from validation_warnings where rule = 'per_100_above_100'"
    ).fetchone()[0]
    countries_above = sum(1 for v in mobile.values() if v > 100)
    assert 0 < above <= countries_above
    # warned values stay in the data
    assert (
        con.execute(
            "select value from indicator_values where series = 'mobile_cellular_subs_per_100' "
            "and economy = 'FJI' and \"year\" = 2024"
        ).fetchone()[0]
        == mobile[("FJI", 2024)]
    )


def test_stored_files_are_sorted_by_their_keys_text(good):
    """The stored tables are sorted by the text of their keys, as Python sorts the same strings
    (validate sorts by numbers given to the texts in their order: int_checked)."""
    con = duckdb.connect()
    processed = good / "processed"

    def keys(path, columns):
        return con.execute(f"select {columns} from '{path}'").fetchall()  # in the file's order

    observations = keys(
        processed / "tables" / "observations.parquet", 'series, economy, "year", source'
    )
    assert len({s for s, *_ in observations}) == 3 and len({e for _, e, *_ in observations}) > 200
    assert observations == sorted(observations)
    warned = keys(
        processed / "tables" / "warnings.parquet", 'rule, series, economy, "year", source'
    )
    assert len({r for r, *_ in warned}) >= 2 and warned == sorted(warned)
    vintage_files = sorted((processed / "vintages").glob("*/*/*.parquet"))
    assert len(vintage_files) == 3
    for path in vintage_files:
        rows = keys(path, 'economy, "year"')
        assert len(rows) > 1000 and rows == sorted(rows)


# ------------------------------------------------------------------ table rules: fail the batch


def _empty(query, n, good):
    status, headers, _body = good
    header = {
        "page": 1,
        "pages": 1,
        "per_page": int(query["per_page"]),
        "total": 0,
        "sourceid": "2",
        "lastupdated": "2026-07-01",
    }
    return status, headers, json.dumps([header, None]).encode()


def _all_null(rows):
    for r in rows:
        r["value"] = None


def _first_page_null(query, n, good):
    if query.get("page") == "1":
        return patch_rows(_all_null)(query, n, good)


def _quarterly_dates(rows):
    for r in rows:
        r["date"] = f"{r['date']}Q4"


TABLE_FAULTS = {
    "an empty series": ("IT_NET_USER_ZS", _empty, "series_returned_rows"),
    "a series whose values all vanished": (
        "IT_NET_USER_ZS",
        patch_rows(_all_null),
        "series_not_vanished",
    ),
    "a whole page of nulls": ("SP_POP_TOTL", _first_page_null, "coverage_kept"),
    "dates in a new format": ("IT_CEL_SETS_P2", patch_rows(_quarterly_dates), "dates_parse"),
}


@pytest.mark.parametrize("case", TABLE_FAULTS)
def test_table_level_failure_replaces_nothing(good, real_api, tmp_path, monkeypatch, case):
    code_, fault, rule = TABLE_FAULTS[case]
    monkeypatch.setenv("ICTP_PER_PAGE", "5000")  # a page then covers about 75 economies
    data = copy_tree(good, tmp_path / "data")
    before = _outputs(data)
    code = _run(data, Faulty(real_api, **{code_: fault}))
    assert code == 5
    assert _outputs(data) == before
    doc = json.loads((data / "processed" / "reports" / "validation.json").read_text())
    assert doc["status"] == "failed"
    assert rule in {f["rule"] for f in doc["table_failures"]}
    assert (
        "FAILED table-level checks"
        in (data / "processed" / "reports" / "validation.html").read_text()
    )


def test_table_level_failure_message(good, real_api, tmp_path, capsys):
    data = copy_tree(good, tmp_path / "data")
    capsys.readouterr()
    assert _run(data, Faulty(real_api, IT_NET_USER_ZS=_empty)) == 5
    err = capsys.readouterr().err
    assert "the batch failed table-level checks" in err
    assert "internet_users_pct (worldbank): the download returned no rows" in err
    assert "previous outputs are unchanged" in err and "validation.html" in err


def test_rows_with_a_different_schema_fail_the_pull(good, real_api, tmp_path, capsys):
    def renamed(rows):
        for r in rows:
            r["iso3"] = r.pop("countryiso3code")
            r["year"] = r.pop("date")

    data = copy_tree(good, tmp_path / "data")
    before = (
        _db(data)
        .execute("select count(*), sum(value) from indicator_values where series = 'population'")
        .fetchone()
    )
    capsys.readouterr()
    assert _run(data, Faulty(real_api, SP_POP_TOTL=patch_rows(renamed))) == 3
    err = capsys.readouterr().err
    assert "series population (SP.POP.TOTL)" in err
    assert "lack the field(s) countryiso3code, date" in err
    con = _db(data)
    assert (
        con.execute(
            "select count(*), sum(value) from indicator_values where series = 'population'"
        ).fetchone()
        == before
    )
    assert con.execute("select status from series where series = 'population'").fetchone()[0] == (
        "stale"
    )


# ------------------------------------------------------------------ catalog-driven checks


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    folder = shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(folder))
    return folder


def test_corrections_register_is_applied_and_reported(good, real_api, tmp_path, catalog):
    pop = wdi_replay.values(SHARED_DATA, "population")
    users = wdi_replay.values(SHARED_DATA, "internet_users_pct")
    (catalog / "corrections.yml").write_text(
        "corrections:\n"
        "  - {series: population, economy: USA, years: 2020, action: override, value: 331000000,"
        "     reason: test override, reported_upstream: true}\n"
        "  - {series: internet_users_pct, economy: IND, years: [2018, 2019], action: drop,"
        "     reason: test drop}\n"
        "  - {series: population, economy: FRA, years: 2019, action: flag, reason: test flag}\n"
        "  - {series: population, economy: ZZZ, years: 2019, action: flag, reason: matches nothing}\n"
    )
    data = copy_tree(good, tmp_path / "data")
    assert _run(data, real_api) == 0
    con = _db(data)

    def value(series, economy, year):
        row = con.execute(
            "select value, correction from indicator_values where series = ? and economy = ? "
            'and "year" = ?',
            [series, economy, year],
        ).fetchone()
        return row

    assert pop[("USA", 2020)] != 331000000
    assert value("population", "USA", 2020) == (331000000.0, "override: test override")
    assert ("IND", 2019) in users and value("internet_users_pct", "IND", 2019) is None
    assert value("internet_users_pct", "IND", 2017) == (users[("IND", 2017)], None)
    assert value("population", "FRA", 2019) == (pop[("FRA", 2019)], "flag: test flag")
    matched = dict(con.execute("select economy, rows_matched from corrections").fetchall())
    assert matched == {"USA": 1, "IND": 2, "FRA": 1, "ZZZ": 0}
    assert con.execute("select economy from qa.corrections_match_rows").fetchall() == [("ZZZ",)]
    doc = json.loads((data / "processed" / "reports" / "validation.json").read_text())
    assert {c["economy"]: c["rows_matched"] for c in doc["corrections"]} == matched


def test_part_above_whole_is_reported(good, real_api, tmp_path, catalog, monkeypatch):
    text = (catalog / "series.yml").read_text()
    text = text.replace(
        "    sources: {worldbank: SE.TER.ENRR}\n",
        "    sources: {worldbank: SE.TER.ENRR}\n    not_above: school_enrolment_secondary_gross\n",
    )
    (catalog / "series.yml").write_text(text)
    series = "school_enrolment_secondary_gross,school_enrolment_tertiary_gross"
    data = copy_tree(good, tmp_path / "data")
    assert run_worldbank(data, real_api, series) == 0
    sec = wdi_replay.values(SHARED_DATA, "school_enrolment_secondary_gross")
    ter = wdi_replay.values(SHARED_DATA, "school_enrolment_tertiary_gross")
    expected = {k for k, v in ter.items() if k in sec and v > sec[k] * 1.02}
    assert ("GRC", 2022) in expected  # Greece: tertiary 166 against secondary about 100
    found = set(_db(data).execute('select economy, "year" from qa.part_not_above_whole').fetchall())
    assert found == expected


def test_rate_matches_count_check(tmp_path):
    """Per-100 rates agree with count / population x 100, except where a rate was altered."""
    from conftest import demo_api

    data = tmp_path / "data"
    series = "mobile_cellular_subs,mobile_cellular_subs_per_100,population"
    api = Faulty(demo_api(), IT_CEL_SETS_P2=set_values({("KEN", "2016"): 55.5}))
    assert run_worldbank(data, api, series) == 4  # the demo's invalid MNG value is quarantined
    rows = _db(data).execute('select economy, "year" from qa.rate_matches_count').fetchall()
    assert rows == [("KEN", 2016)]

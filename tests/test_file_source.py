"""The `file` source: ITU's real CSV exports, a survey team's long CSV keyed by economy names and
a regulator's wide XLSX go through the raw store, tidy, validation, build and export; bad files
fail with file, row and column and keep the last good data; economy names nothing maps are
loud warnings (stderr and the run manifest).

The survey CSV and the XLSX are made by the tests (their figures are made up); the ITU exports
are read from ../shared/data at run time.
"""

from __future__ import annotations

import csv
import json
import textwrap

import duckdb
import itu_replay
import openpyxl
import pytest
from conftest import SHARED_DATA, copy_tree

from pipeline.cli import main
from pipeline.settings import Settings

ITU_MAP = Settings().catalog().economy_map.codes["itu"]
SURVEY = """\
Country,Year,Indicator,Value,Notes,Flag
Kenya,2023,Households with Internet,28.4,Census.,
Kenya,2024,Households with Internet,31.0,,p
"Korea, Rep. of",2023,Households with Internet,99.9,,
Atlantis,2023,Households with Internet,50,,
All countries,2023,Households with Internet,..,,
Ghana,2023,Mobile phone owners,..,,
Ghana,2024,Mobile phone owners,81.5,Age 15+.,
"""
REGULATOR = [
    ["Mobile-cellular subscriptions per 100, by the regulator"],
    ["ISO3", "Name", "2022", "2023", "2024"],
    ["KEN", "Kenya", 118.2, 121.5, None],
    ["UGA", "Uganda", 70, 72.25, 74.5],
]


def write_inputs(root, survey=SURVEY, sheet="Subscriptions"):
    drops = root / "drops"
    drops.mkdir(exist_ok=True)
    (drops / "survey.csv").write_text(survey, encoding="utf-8")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in REGULATOR:
        ws.append(row)
    book.save(drops / "regulator.xlsx")
    itu = SHARED_DATA / "itu" / "datahub"
    (root / "files.yml").write_text(
        textwrap.dedent(
            f"""\
            files:
              - name: itu_internet
                path: {itu / "individuals_using_internet.csv.gz"}
                format: itu_datahub_csv
                series: [internet_users_pct]
              - name: itu_broadband
                path: {itu / "fixed_broadband_subscriptions.csv.gz"}
                format: itu_datahub_csv
                series: [fixed_broadband_subs, fixed_broadband_subs_per_100]
              - name: survey
                path: drops/survey.csv
                columns: {{economy: Country, year: Year, series: Indicator, value: Value,
                           note: Notes, status: Flag}}
                economy_by: name
                names: {{"Korea, Rep. of": KOR, "Narnia": NRN}}
                exclude: ["All countries", "Totl"]
                series: {{"Households with Internet": households_internet_pct,
                          "Mobile phone owners": mobile_phone_owners_pct}}
                terms:
                  licence: {{name: CC-BY-4.0, title: Creative Commons Attribution 4.0,
                             path: "https://creativecommons.org/licenses/by/4.0/"}}
                  attribution: "National Statistics Office, Household ICT survey (test data)."
                  commercial_use: true
              - name: regulator
                path: drops/regulator.xlsx
                sheet: Subscriptions
                header_row: 2
                layout: wide
                columns: {{economy: ISO3}}
                series: mobile_cellular_subs_per_100
                terms: worldbank
            """
        ),
        encoding="utf-8",
    )
    return root / "files.yml"


@pytest.fixture(scope="module")
def good_template(tmp_path_factory):
    if not (SHARED_DATA / "itu" / "datahub").is_dir():
        pytest.skip(f"real ITU exports not found at {SHARED_DATA} (../shared/data)")
    root = tmp_path_factory.mktemp("files")
    files = write_inputs(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_FILES", str(files))
        mp.setenv("ICTP_FILE_ROOTS", str(SHARED_DATA / "itu" / "datahub"))
        code = main(["run", "--data-dir", str(root / "data"), "--sources", "file"])
    return root, code


@pytest.fixture
def good_run(good_template, tmp_path, monkeypatch):
    root, code = good_template
    assert code == 4  # usable; the survey's unmapped "Atlantis" row is quarantined
    copy_tree(root, tmp_path / "root")
    files = write_inputs(tmp_path / "root")  # paths in files.yml are relative to it
    monkeypatch.setenv("ICTP_FILES", str(files))
    monkeypatch.setenv("ICTP_FILE_ROOTS", str(SHARED_DATA / "itu" / "datahub"))
    return tmp_path / "root"


def db(root):
    return duckdb.connect(str(root / "data" / "processed" / "ict.duckdb"), read_only=True)


def test_itu_exports_through_the_file_source(good_template):
    root, code = good_template
    assert code == 4  # usable; the survey's unmapped "Atlantis" row is quarantined
    con = db(root)
    for series, itu_code, source in (
        ("internet_users_pct", "i99H", "file:itu_internet"),
        ("fixed_broadband_subs", "i4213tfbb", "file:itu_broadband"),
        ("fixed_broadband_subs_per_100", "i992b", "file:itu_broadband"),
    ):
        rows = [r for r in itu_replay.all_rows(SHARED_DATA) if r["seriesCode"] == itu_code]
        expected = {
            (ITU_MAP.get(r["entityIso"], r["entityIso"]), int(r["dataYear"])): (
                float(r["dataValue"]),
                "E" if "itu estimate" in " ".join(r["dataSource"].lower().split()) else None,
                r["dataNote"].strip() or None,
            )
            for r in rows
        }
        ours = {
            (e, y): (v, s, n)
            for e, y, v, s, n in con.execute(
                'select economy, "year", value, obs_status, note from observations '
                "where series = ? and source = ?",
                [series, source],
            ).fetchall()
        }
        assert ours == expected, series
    # "1.21232e+008": ITU's 6-significant-digit exponent format, one file, two series
    usa = next(
        r
        for r in itu_replay.all_rows(SHARED_DATA)
        if r["seriesCode"] == "i4213tfbb" and r["entityIso"] == "USA" and r["dataYear"] == "2020"
    )
    assert usa["dataValue"] == "1.21232e+008"
    assert con.execute(
        "select value, unit, licence from indicator_values where series = 'fixed_broadband_subs' "
        "and economy = 'USA' and \"year\" = 2020"
    ).fetchone() == (121232000.0, "subscriptions", "CC-BY-NC-SA-3.0-IGO")
    assert con.execute(
        "select commercial_use, licence from series where source = 'file:itu_internet'"
    ).fetchone() == (False, "CC-BY-NC-SA-3.0-IGO")


def test_survey_csv_by_names_and_regulator_xlsx_wide(good_template):
    root, _code = good_template
    con = db(root)
    got = con.execute(
        'select economy, series, "year", value, obs_status, note from observations '
        "where source in ('file:survey', 'file:regulator') order by all"
    ).fetchall()
    assert got == [
        ("GHA", "mobile_phone_owners_pct", 2024, 81.5, None, "Age 15+."),
        ("KEN", "households_internet_pct", 2023, 28.4, None, "Census."),
        ("KEN", "households_internet_pct", 2024, 31.0, "p", None),
        ("KEN", "mobile_cellular_subs_per_100", 2022, 118.2, None, None),
        ("KEN", "mobile_cellular_subs_per_100", 2023, 121.5, None, None),
        ("KOR", "households_internet_pct", 2023, 99.9, None, None),
        ("UGA", "mobile_cellular_subs_per_100", 2022, 70.0, None, None),
        ("UGA", "mobile_cellular_subs_per_100", 2023, 72.25, None, None),
        ("UGA", "mobile_cellular_subs_per_100", 2024, 74.5, None, None),
    ]
    # an economy name nothing maps is quarantined, not dropped
    assert con.execute(
        "select economy, source, reason like '%economy%Atlantis%' from quarantine"
    ).fetchall() == [("Atlantis", "file:survey", True)]
    series = dict(
        con.execute(
            "select source, rows_stored from series where source like 'file:%' "
            "and series = 'households_internet_pct'"
        ).fetchall()
    )
    assert series == {"file:survey": 3}
    exports = root / "data" / "processed" / "exports"
    with open(exports / "households_internet_pct.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["source"] for r in rows} == {"file:survey"}
    with open(exports / "sources.csv", encoding="utf-8", newline="") as f:
        terms = {r["source"]: r for r in csv.DictReader(f)}
    assert terms["file:survey"]["licence"] == "CC-BY-4.0"
    assert terms["file:survey"]["attribution"].startswith("National Statistics Office")


def test_unmapped_names_unused_entries_and_unknown_exclusions_are_loud(good_template):
    root, _code = good_template
    runs = [
        json.loads(p.read_text()) for p in (root / "data" / "processed" / "runs").glob("*.json")
    ]
    warnings = " | ".join(w["message"] for r in runs for w in r["warnings"])
    assert (
        "economy names that no mapping covers" in warnings and 'file:survey "Atlantis"' in warnings
    )
    assert 'file:survey names."Narnia"' in warnings  # a names entry no row used
    assert "excluded names that match no row" in warnings and 'file:survey "Totl"' in warnings
    assert '"All countries"' not in warnings  # it matched a row


def test_files_are_raw_objects_with_manifest_lines(good_template):
    root, _code = good_template
    manifest = [
        json.loads(x) for x in (root / "data" / "raw" / "manifest.jsonl").read_text().splitlines()
    ]
    survey = [m for m in manifest if m["source"] == "file:survey"]
    assert survey and survey[0]["url"].startswith("file://") and survey[0]["status"] == 200
    sha = survey[0]["sha256"]
    stored = root / "data" / "raw" / "objects" / sha[:2] / sha
    assert stored.read_text(encoding="utf-8") == SURVEY


BAD = {
    "missing column": (
        SURVEY.replace("Year,", "Yr,", 1),
        "row 1: column 'Year' (year) is not in the header",
    ),
    "unparseable year": (
        SURVEY.replace("Kenya,2024", "Kenya,20l4"),
        "row 3 column 'Year': '20l4' is not a year",
    ),
    "value not a number": (
        SURVEY.replace("81.5", '"81,5"'),
        "row 8 column 'Value': '81,5' is not a number",
    ),
    "unmapped series label": (
        SURVEY + "Ghana,2024,Smartphone owners,60,,\n",
        "column 'Indicator' holds series no entry maps: Smartphone owners",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_fails_naming_file_row_column_and_keeps_good_data(good_run, ictp, case):
    survey, words = BAD[case]
    before = (
        db(good_run)
        .execute("select * from observations where source = 'file:survey' order by all")
        .fetchall()
    )
    (good_run / "drops" / "survey.csv").write_text(survey, encoding="utf-8")
    code, _out, err = ictp("run", "--data-dir", good_run / "data", "--sources", "file")
    assert code == 3, err
    assert words in err, err
    assert str(good_run / "drops" / "survey.csv") in err
    con = db(good_run)
    after = con.execute(
        "select * from observations where source = 'file:survey' order by all"
    ).fetchall()
    assert after == before
    assert dict(
        con.execute("select series, status from series where source = 'file:survey'").fetchall()
    ) == {"households_internet_pct": "stale", "mobile_phone_owners_pct": "stale"}


def test_unknown_sheet_and_missing_file(good_run, ictp):
    write_inputs(good_run, sheet="Data")
    code, _out, err = ictp("ingest", "--data-dir", good_run / "data", "--sources", "file")
    assert code == 3
    assert "the workbook has no sheet 'Subscriptions' (it has Data)" in err
    (good_run / "drops" / "survey.csv").unlink()
    code, _out, err = ictp("ingest", "--data-dir", good_run / "data", "--sources", "file")
    assert code == 3 and "cannot read the file: No such file or directory" in err


def test_a_bad_files_list_names_the_entry(tmp_path, ictp, monkeypatch):
    (tmp_path / "files.yml").write_text(
        "files:\n  - name: x\n    path: x.csv\n    columns: {economy: A, year: B}\n"
        "    series: internet_users_pct\n    terms: worldbank\n"
    )
    monkeypatch.setenv("ICTP_FILES", str(tmp_path / "files.yml"))
    code, _out, err = ictp("ingest", "--data-dir", tmp_path / "data", "--sources", "file")
    assert code == 1 and "files.yml: file #1 (x): columns lacks value" in err

"""Vintages and revisions: every pull that brings new bytes is kept, and what changed is listed.

Two real vintages of IT.NET.SECR.P6 (the World Bank's 2017 download and the current datahub.io
file, ../shared/data/wdi) are served one after the other by the local World Bank stand-in; the
revisions mart is compared with changes computed here from the two files themselves. A small
hand-made series checks the rest: no new vintage for the same bytes, a return to earlier bytes,
`ictp diff` and its errors, kept files never rewritten.
"""

from __future__ import annotations

import csv
import io

import duckdb
import pyarrow.parquet as pq
import pytest
import wdi_replay
from conftest import SHARED_DATA, Faulty, copy_tree, run_worldbank, untyped_columns

from pipeline.demo import synthetic
from pipeline.demo.worldbank_api import INVALID_VALUE, JSON, Indicator, WorldBankAPI, dumps

SECR = "secure_internet_servers_per_million"
SECR_CODE = "IT.NET.SECR.P6"
OLD_FILE = "api_csv/2017_API_IT.NET.SECR.P6_DS2_en_csv_v2.csv"
NEW_FILE = "datahub_long/it.net.secr.p6.csv.gz"
NEW_UPDATED = "2026-06-30"  # the datahub file carries no date: the replay's (wdi_replay.api)


def db(data):
    return duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)


def revisions(data, series: str) -> list[dict]:
    con = db(data)
    try:
        cur = con.execute("select * from revisions where series = ? order by all", [series])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def vintage_rows(data, series: str) -> list[tuple]:
    con = db(data)
    try:
        return con.execute(
            "select number, vintage_id, previous_vintage, cast(source_updated as varchar), "
            '"rows", latest, path from vintages where series = ? order by number',
            [series],
        ).fetchall()
    finally:
        con.close()


def expected_changes(old: dict, new: dict) -> set[tuple]:
    """(economy, year, change, old value, new value) between two {(economy, year): value}."""
    out = {(e, y, "added", None, new[(e, y)]) for e, y in new.keys() - old.keys()}
    out |= {(e, y, "removed", old[(e, y)], None) for e, y in old.keys() - new.keys()}
    out |= {
        (e, y, "revised", old[(e, y)], new[(e, y)])
        for e, y in old.keys() & new.keys()
        if old[(e, y)] != new[(e, y)]
    }
    return out


def as_changes(rows: list[dict]) -> set[tuple]:
    return {(r["economy"], r["year"], r["change"], r["old_value"], r["new_value"]) for r in rows}


def assert_arithmetic(rows: list[dict]) -> None:
    for r in rows:
        if r["change"] != "revised":
            assert r["abs_change"] is None and r["rel_change"] is None
            continue
        assert r["abs_change"] == pytest.approx(r["new_value"] - r["old_value"])
        if r["old_value"] == 0:
            assert r["rel_change"] is None
        else:
            rel = (r["new_value"] - r["old_value"]) / abs(r["old_value"])
            assert r["rel_change"] == pytest.approx(rel)


# ---------------------------------------------------------------- two real vintages


def last_updated(path) -> str:
    """The "Last Updated Date" line of a World Bank download CSV."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if row and row[0] == "Last Updated Date":
                return row[1]
    raise AssertionError(f"{path} has no Last Updated Date")


def secr_api(values: dict, lastupdated: str) -> WorldBankAPI:
    years = [y for _e, y in values]
    indicator = Indicator(
        SECR_CODE, SECR_CODE, values, range(min(years), max(years) + 1), lastupdated=lastupdated
    )
    return WorldBankAPI(wdi_replay.economies(SHARED_DATA), {SECR_CODE: indicator})


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not (SHARED_DATA / "wdi").is_dir():
        pytest.skip(f"real published data not found at {SHARED_DATA} (../shared/data)")
    data = tmp_path_factory.mktemp("vintages_real") / "data"
    old = wdi_replay.wide_values(SHARED_DATA, OLD_FILE)
    new = wdi_replay.long_values(SHARED_DATA, NEW_FILE)
    old_updated = last_updated(SHARED_DATA / "wdi" / OLD_FILE)
    codes = {r["Country Code"] for r in wdi_replay.country_rows(SHARED_DATA)}
    first = run_worldbank(data, secr_api(old, old_updated), SECR)
    folder = data / "processed" / "vintages" / "worldbank" / SECR
    kept = {p.name: (p.read_bytes(), p.stat().st_ino) for p in folder.iterdir()}
    second = run_worldbank(data, secr_api(new, NEW_UPDATED), SECR)
    return {
        "data": data,
        "codes": (first, second),
        "kept": kept,
        "folder": folder,
        # the economies the current country list knows: the others' rows are quarantined
        "old": {k: v for k, v in old.items() if k[0] in codes},
        "new": {k: v for k, v in new.items() if k[0] in codes},
        "old_all": old,
        "old_updated": old_updated,
    }


def test_real_vintages_are_both_kept_with_their_dates(real):
    first, second = real["codes"]
    # 2017 rows of economies the current list no longer has are quarantined (exit 4)
    assert first == (4 if len(real["old"]) < len(real["old_all"]) else 0)
    assert second == 0
    (v1, id1, prev1, upd1, rows1, latest1, path1), (v2, id2, prev2, upd2, rows2, latest2, _p) = (
        vintage_rows(real["data"], SECR)
    )
    assert (v1, prev1, upd1, rows1, latest1) == (
        1,
        None,
        real["old_updated"],
        len(real["old"]),
        False,
    )
    assert (v2, prev2, upd2, rows2, latest2) == (2, id1, NEW_UPDATED, len(real["new"]), True)
    assert upd1 == "2017-02-01"
    # the first vintage's file is still there, byte for byte and the same file
    p = real["data"] / "processed" / path1
    assert {p.name: (p.read_bytes(), p.stat().st_ino)} == real["kept"]
    assert sorted(f.name for f in real["folder"].iterdir()) == sorted(
        [f"{id1}.parquet", f"{id2}.parquet"]
    )


def test_real_revisions_match_the_two_files(real):
    rows = revisions(real["data"], SECR)
    expected = expected_changes(real["old"], real["new"])
    assert as_changes(rows) == expected
    kinds = {k: sum(1 for e in expected if e[2] == k) for k in ("added", "removed", "revised")}
    assert all(kinds.values()), kinds  # the series was revised, and its years moved
    # the first year moved: 2001-2009 only in 2017's vintage, 2016 on only in the current one
    removed_years = {e[1] for e in expected if e[2] == "removed"}
    added_years = {e[1] for e in expected if e[2] == "added"}
    assert min(y for _e, y in real["old"]) == 2001 == min(removed_years)
    assert min(y for _e, y in real["new"]) == 2010
    assert max(added_years) == max(y for _e, y in real["new"])
    assert_arithmetic(rows)
    ids = vintage_rows(real["data"], SECR)
    assert {(r["from_vintage"], r["to_vintage"]) for r in rows} == {(ids[0][1], ids[1][1])}
    assert {str(r["from_source_updated"]) for r in rows} == {"2017-02-01"}
    assert {str(r["to_source_updated"]) for r in rows} == {NEW_UPDATED}
    assert all(r["from_retrieved"] < r["to_retrieved"] for r in rows)


def test_real_diff_prints_the_revisions(real, ictp):
    code, out, err = ictp(
        "diff", "--data-dir", real["data"], "--series", SECR, "--from", "2017-02-01", "--csv"
    )
    assert code == 0, err
    printed = list(csv.DictReader(io.StringIO(out)))
    got = {
        (
            r["economy"],
            int(r["year"]),
            r["change"],
            float(r["old_value"]) if r["old_value"] else None,
            float(r["new_value"]) if r["new_value"] else None,
        )
        for r in printed
    }
    assert got == expected_changes(real["old"], real["new"])


# ---------------------------------------------------------------- synthetic vintages

SERIES = "internet_users_pct"
CODE = "IT.NET.USER.ZS"
V1 = {("KEN", 2020): 20.0, ("KEN", 2021): 25.0, ("KEN", 2022): 30.0,
      ("USA", 2020): 90.0, ("USA", 2021): 91.0, ("USA", 2022): 92.0,
      ("FRA", 2020): 0.0, ("FRA", 2021): 84.0, ("FRA", 2022): 85.0}  # fmt: skip
# revised KEN 2021 and FRA 2020 (from 0), removed USA 2020, added a year 2023 for two economies
V2 = {**{k: v for k, v in V1.items() if k != ("USA", 2020)},
      ("KEN", 2021): 26.5, ("FRA", 2020): 80.0, ("KEN", 2023): 33.0, ("USA", 2023): 93.0}  # fmt: skip


def small_api(values: dict, lastupdated: str) -> WorldBankAPI:
    indicator = Indicator(
        CODE, "Internet users", values, range(2020, 2024), lastupdated=lastupdated
    )
    return WorldBankAPI(synthetic.economies(), {CODE: indicator})


@pytest.fixture(scope="module")
def synthetic_runs(tmp_path_factory):
    data = tmp_path_factory.mktemp("vintages_synthetic") / "data"
    folder = data / "processed" / "vintages" / "worldbank" / SERIES
    steps = {}
    for name, values, date in (
        ("v1", V1, "2025-01-15"),
        ("v1_again", V1, "2025-01-15"),
        ("v2", V2, "2025-07-01"),
    ):
        code = run_worldbank(data, small_api(values, date), SERIES)
        steps[name] = {
            "code": code,
            "files": {p.name: (p.read_bytes(), p.stat().st_ino) for p in folder.iterdir()},
            "vintages": vintage_rows(data, SERIES),
            "revisions": revisions(data, SERIES),
        }
    return data, steps


def test_the_same_bytes_are_no_new_vintage(synthetic_runs):
    _data, steps = synthetic_runs
    assert [s["code"] for s in steps.values()] == [0, 0, 0]
    assert len(steps["v1"]["vintages"]) == 1
    assert steps["v1_again"]["vintages"] == steps["v1"]["vintages"]
    assert steps["v1_again"]["files"] == steps["v1"]["files"]
    assert steps["v1"]["revisions"] == steps["v1_again"]["revisions"] == []


def test_new_bytes_are_a_new_vintage_and_the_old_file_is_kept(synthetic_runs):
    _data, steps = synthetic_runs
    first, second = steps["v2"]["vintages"]
    assert (first[0], first[3], first[4]) == (1, "2025-01-15", len(V1))
    assert (second[0], second[2], second[3], second[4]) == (2, first[1], "2025-07-01", len(V2))
    old_name = f"{first[1]}.parquet"
    assert steps["v2"]["files"][old_name] == steps["v1"]["files"][old_name]
    assert len(steps["v2"]["files"]) == 2


def test_revisions_list_every_change_with_its_arithmetic(synthetic_runs):
    _data, steps = synthetic_runs
    rows = steps["v2"]["revisions"]
    assert as_changes(rows) == expected_changes(V1, V2)
    assert as_changes(rows) == {
        ("KEN", 2021, "revised", 25.0, 26.5),
        ("FRA", 2020, "revised", 0.0, 80.0),
        ("USA", 2020, "removed", 90.0, None),
        ("KEN", 2023, "added", None, 33.0),
        ("USA", 2023, "added", None, 93.0),
    }
    assert_arithmetic(rows)
    ken = next(r for r in rows if r["economy"] == "KEN" and r["year"] == 2021)
    assert ken["abs_change"] == pytest.approx(1.5) and ken["rel_change"] == pytest.approx(0.06)


def test_diff_defaults_to_the_latest_vintage_against_the_one_before(synthetic_runs, ictp):
    data, steps = synthetic_runs
    code, out, err = ictp("diff", "--data-dir", data, "--series", SERIES, "--csv")
    assert code == 0, err
    printed = list(csv.DictReader(io.StringIO(out)))
    assert len(printed) == 5
    (v1, id1, *_), (v2, id2, *_) = steps["v2"]["vintages"]
    assert {(r["from_vintage"], r["to_vintage"]) for r in printed} == {(id1, id2)}
    # by id, by date: the same
    code2, out2, _ = ictp("diff", "--data-dir", data, "--from", id1, "--to", "2025-07-01", "--csv")
    assert code2 == 0 and out2 == out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "nosuchvintage"], "no series has a vintage matching --from nosuchvintage"),
        (["--series", "no_such_series"], "no vintages of no_such_series were kept"),
        (["--from", "2025-07-01", "--to", "2025-01-15"], "is not a vintage before --to"),
    ],
)
def test_diff_errors_name_what_is_wrong(synthetic_runs, ictp, args, message):
    data, _steps = synthetic_runs
    code, out, err = ictp("diff", "--data-dir", data, *args)
    assert code == 1 and out == ""
    assert message in err and "ictp diff --vintages" in err


def test_going_back_to_earlier_bytes_is_a_new_vintage_and_nets_to_nothing(
    synthetic_runs, ictp, tmp_path
):
    data = copy_tree(synthetic_runs[0], tmp_path / "data")
    v2b = {**V2, ("KEN", 2021): 27.0}
    assert run_worldbank(data, small_api(v2b, "2025-08-01"), SERIES) == 0
    assert run_worldbank(data, small_api(V2, "2025-07-01"), SERIES) == 0  # V2's bytes again
    vintages = vintage_rows(data, SERIES)
    assert [v[0] for v in vintages] == [1, 2, 3, 4]
    assert len({v[1] for v in vintages}) == 4  # a new id, not V2's back
    rows = revisions(data, SERIES)
    back = [r for r in rows if r["to_vintage"] == vintages[3][1]]
    assert as_changes(back) == {("KEN", 2021, "revised", 27.0, 26.5)}
    code, out, err = ictp(
        "diff", "--data-dir", data, "--from", vintages[1][1], "--to", vintages[3][1], "--csv"
    )
    assert code == 0, err
    assert list(csv.DictReader(io.StringIO(out))) == []  # revised, then revised back
    # across all three steps, the net change from the first vintage is V1 -> V2
    code, out, err = ictp("diff", "--data-dir", data, "--from", vintages[0][1], "--csv")
    assert code == 0, err
    printed = {
        (r["economy"], int(r["year"]), r["change"]) for r in csv.DictReader(io.StringIO(out))
    }
    assert printed == {(e, y, c) for e, y, c, _o, _n in expected_changes(V1, V2)}


def test_a_series_never_downloaded_has_no_vintage_and_the_build_still_runs(tmp_path, ictp):
    """No vintage kept at all: the build's vintage views stand in empty (no_vintages.sql), and
    with no page read every stored table and the database still have their columns' types."""
    data = tmp_path / "data"

    def refuse(query, n, good):
        return 200, JSON, dumps(INVALID_VALUE)

    api = Faulty(small_api(V1, "2025-01-15"), IT_NET_USER_ZS=refuse)
    assert run_worldbank(data, api, SERIES) == 3  # the download failed; the rest ran
    assert not (data / "processed" / "vintages").exists()
    assert vintage_rows(data, SERIES) == []
    assert revisions(data, SERIES) == []
    code, _out, err = ictp("diff", "--data-dir", data)
    assert code == 1 and "no vintages were kept yet" in err
    assert untyped_columns(data) == []


def test_vintage_ids_do_not_depend_on_when_or_where(synthetic_runs, tmp_path):
    """The same history of bytes in another data directory, pulled at another time, gives the
    same ids and the same rows (only `retrieved` differs)."""
    data, steps = synthetic_runs
    other = tmp_path / "data"
    assert run_worldbank(other, small_api(V1, "2025-01-15"), SERIES) == 0
    assert run_worldbank(other, small_api(V2, "2025-07-01"), SERIES) == 0
    mine = vintage_rows(other, SERIES)
    theirs = steps["v2"]["vintages"]
    assert [v[:6] for v in mine] == [v[:6] for v in theirs]
    for v in mine:
        a = pq.read_table(other / "processed" / v[6])
        b = pq.read_table(data / "processed" / v[6])
        assert a.equals(b) and a.num_rows == v[4]

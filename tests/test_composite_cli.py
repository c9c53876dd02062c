"""`ictp composite ...` on the demo's built database, the composites in the data package, and
calibration: the demo ITU server publishes IDI scores made from known goalposts
(pipeline/demo/idi_scores.py), and `ictp composite calibrate` must recover them."""

from __future__ import annotations

import csv
import json
import math

import duckdb
import pytest
import yaml
from test_ingest_faults import manifest, pulls

from pipeline.cli import main
from pipeline.demo import idi_scores
from pipeline.raw_store import RawStore
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("composite")
    data, catalog = root / "data", root / "catalog"
    import shutil

    shutil.copytree(Settings().catalog_dir, catalog)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ICTP_HTTP_BACKOFF", "0.01")
        mp.setenv("ICTP_CATALOG_DIR", str(catalog))
        assert main(["demo", "--data-dir", str(data)]) == 0
        yield {"data": data, "catalog": catalog, "db": data / "processed" / "ict.duckdb"}


@pytest.fixture(autouse=True)
def _catalog(demo, monkeypatch):
    """Every command of these tests reads (and calibrate writes) the copy of the catalog."""
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(demo["catalog"]))


def query(demo, sql, params=()):
    con = duckdb.connect(str(demo["db"]), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_list_names_every_spec(demo, ictp):
    code, out, _ = ictp("composite", "list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert names == sorted(p.stem for p in (demo["catalog"] / "composites").glob("*.yml"))


def test_show_prints_the_ranking_and_a_drill_down(demo, ictp):
    code, out, _ = ictp("composite", "show", "idi2017", "--data-dir", demo["data"], "--csv")
    assert code == 0
    rows = list(
        csv.DictReader(
            out.splitlines()[: out.splitlines().index("") if "" in out.splitlines() else None]
        )
    )
    ranked = [r for r in rows if r.get("rank", "").isdigit()]
    expected = query(
        demo,
        "select rank, economy, round(score, 2) from composite_scores where composite = 'idi2017' "
        "and edition = 2017 and level = 0 and score is not null order by rank",
    )
    assert [(int(r["rank"]), r["economy"], float(r["score"])) for r in ranked] == expected
    assert "unconfirmed goalposts: not ITU's figures" in out
    top = expected[0][1]
    code, out, _ = ictp(
        "composite", "show", "idi2017", "--data-dir", demo["data"], "--economy", top
    )
    assert code == 0 and "households_computer" in out and "unavailable:" in out


def test_show_of_an_unknown_composite_fails_clearly(demo, ictp):
    code, _, err = ictp("composite", "show", "nope", "--data-dir", demo["data"])
    assert code == 1 and "no composite 'nope'" in err and "idi2024" in err
    code, _, err = ictp("composite", "frobnicate", "--data-dir", demo["data"])
    assert code == 2 and "say `list`" in err


def test_uncertainty_from_the_command_line_repeats_under_a_seed(demo, ictp):
    args = (
        "composite",
        "idi2017",
        "--uncertainty",
        "50",
        "--seed",
        "7",
        "--data-dir",
        demo["data"],
    )
    assert ictp(*args)[0] == 0
    sql = "select * exclude (seed) from composite_rank_intervals order by all"
    first = query(demo, sql)
    assert first and all(r[0] == "idi2017" and r[1] == 2017 for r in first)
    assert ictp(*args)[0] == 0
    assert query(demo, sql) == first


def test_each_composite_is_in_the_data_package(demo):
    exports = demo["data"] / "processed" / "exports"
    package = json.loads((exports / "datapackage.json").read_text())
    res = {r["path"]: r for r in package["resources"] if r["path"].startswith("composite_")}
    assert "composite_idi2017_scores.csv" in res and "composite_idi2017_components.csv" in res
    for path, r in res.items():
        header = (exports / path).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in r["schema"]["fields"]]
        assert r["licenses"][0]["name"] == "CC0-1.0"  # the demo's data is synthetic
    with open(exports / "composite_idi2017_scores.csv", encoding="utf-8") as f:
        n = sum(1 for _ in csv.DictReader(f))
    assert (
        n == query(demo, "select count(*) from composite_scores where composite = 'idi2017'")[0][0]
    )


def test_the_demo_pulls_itus_published_scores_through_ingest(demo):
    """ITU's IDI scores are a pull of the demo's ingest like every other: a pull record, every
    body in the raw store, and the built table holds countries' and ITU regions' scores read
    from those very pages."""
    (pull,) = [p for p in pulls(demo["data"]) if p["source"] == "itu_idi"]
    assert (pull["series"], pull["status"], pull["error"]) == ("idi", "ok", None)
    pages = {p["sha256"] for p in pull["pages"]}
    assert len(pull["pages"]) > 2 and all(
        RawStore(demo["data"] / "raw").verify(sha) for sha in pages
    )
    asked = [r for r in manifest(demo["data"]) if r["pull_id"] == pull["pull_id"]]
    paths = {r["url"].split("/v2/", 1)[1].rsplit("/", 1)[0] for r in asked}
    assert {"idi/dashboard", "idi/data/bycountryid", "idi/region/byregionid"} <= paths
    assert all(r["status"] == 200 for r in asked)
    rows = query(
        demo,
        "select economy, provider_country_id is not null, provider_region_id is not null, "
        "raw_sha256 from provider_composite_scores",
    )
    countries = {r[0] for r in rows if r[1]}
    regions = {r[0] for r in rows if r[2]}
    assert len(countries) > 20 and all(len(c) == 3 for c in countries)
    assert {"ITU.ARB", "ITU.WORLD", "ITU.LDC"} <= regions and all(
        r.startswith("ITU.") for r in regions
    )
    assert {r[3] for r in rows} <= pages


def test_calibration_recovers_the_known_goalposts(demo, ictp):
    # the demo's run pulled ITU's published scores (source itu_idi) like every other series
    published = query(
        demo, "select count(*), count(distinct economy) from provider_composite_scores"
    )[0]
    assert published[0] > 100 and published[1] > 20
    code, out, err = ictp("composite", "calibrate", "idi2024", "--data-dir", demo["data"])
    assert code == 0, err
    variant = demo["catalog"] / "composites" / "idi2024_fitted_2024.yml"
    spec = yaml.safe_load(variant.read_text())
    assert spec["extends"] == "idi2024"
    fitted = spec["overrides"]
    known = {  # spec code -> the demo's tree codeID
        "internet_users": 3, "households_internet": 4, "mobile_broadband": 5,
        "coverage_3g": 8, "coverage_4g": 9, "fixed_affordability": 13, "mobile_owners": 14,
    }  # fmt: skip
    assert set(fitted) == set(known)
    for code, node in known.items():
        _series, transform, lower, upper, _d = idi_scores.KNOWN[node]
        f = fitted[code]
        assert f["transform"] == transform, code
        assert f["normalisation"]["lower"]["value"] == pytest.approx(lower, abs=1e-4), code
        assert f["normalisation"]["upper"]["value"] == pytest.approx(upper, abs=1e-4), code
        for k in ("lower", "upper"):
            num = f["normalisation"][k]
            assert num["fitted"] is True and num["confirmed"] is False
            assert "edition 2024" in num["source"]
    # the variant, built, reproduces ITU's published universal pillar
    assert ictp("build", "--data-dir", demo["data"])[0] == 0
    rows = query(
        demo,
        "select ours, provider, within_half_point from composite_vs_provider "
        "where composite = 'idi2024_fitted_2024' and node = 'universal' and ours is not null",
    )
    assert rows and all(r[2] for r in rows)
    # while the placeholder goalposts of idi2024 do not
    before = query(
        demo,
        "select count(*) filter (where not within_half_point) from composite_vs_provider "
        "where composite = 'idi2024' and node = 'universal'",
    )[0][0]
    assert before > 0
    assert math.isfinite(rows[0][0])
    code, out, _ = ictp("composite", "show", "idi2024_fitted_2024", "--data-dir", demo["data"])
    summary = query(
        demo,
        "select compared, within_half_point from composite_vs_provider_summary "
        "where composite = 'idi2024_fitted_2024' and node = 'universal'",
    )[0]
    assert code == 0 and "against ITU's published scores" in out
    assert summary[0] == len(rows) and summary[1] == len(rows)


def test_calibration_never_overwrites_a_hand_written_spec(demo, ictp):
    path = demo["catalog"] / "composites" / "idi2023_fitted_2023.yml"
    path.write_text("# mine\n", encoding="utf-8")
    code, _, err = ictp("composite", "calibrate", "idi2023", "--data-dir", demo["data"])
    path.unlink()
    assert code == 1 and "never overwrites" in err


def test_the_same_inputs_give_byte_identical_composite_exports(demo, ictp):
    """Float sums of the composites run in a fixed order: building again from the same stored
    tables gives the same bits (parallel aggregation would otherwise change the last ones)."""
    exports = demo["data"] / "processed" / "exports"
    runs = []
    for _ in range(3):
        assert ictp("build", "--force", "--data-dir", demo["data"])[0] == 0
        assert ictp("export", "--force", "--data-dir", demo["data"])[0] == 0
        runs.append({p.name: p.read_bytes() for p in sorted(exports.glob("composite_*.csv"))})
    assert runs[0] and runs[0] == runs[1] == runs[2]

"""A run where nothing changed is a no-op: each step skips when its inputs and code are
unchanged, and --if-changed stops World Bank downloads after an unchanged page 1."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, Faulty, demo_api, run_worldbank, set_values

SERIES = "population,internet_users_pct"


def _run(data, api, *extra) -> int:
    return run_worldbank(data, api, SERIES, *extra)


def _stamps(data) -> dict:
    processed = data / "processed"
    files = [processed / "ict.duckdb", *processed.glob("tables/*"), *processed.glob("exports/*")]
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}


def _manifest(data) -> list[dict]:
    return [json.loads(x) for x in (data / "raw" / "manifest.jsonl").read_text().splitlines()]


@pytest.fixture
def once(tmp_path, monkeypatch):
    monkeypatch.setenv("ICTP_PER_PAGE", "500")  # 4 pages a series
    data = tmp_path / "data"
    assert _run(data, demo_api()) == 4  # the demo data's invalid values are quarantined
    return data


def test_nothing_changed_nothing_rebuilt(once, capsys):
    before = _stamps(once)
    capsys.readouterr()
    assert _run(once, demo_api()) == 4  # the same result as the run it repeats
    out = capsys.readouterr().out
    for step in ("validate", "build", "export"):
        assert f"{step + ':':9} nothing to do" in out
    assert "quarantined 2" in out  # the numbers of the run it repeats
    assert _stamps(once) == before  # not rewritten: same bytes, same modification times


def test_force_runs_every_step(once, capsys):
    before = _stamps(once)
    capsys.readouterr()
    assert _run(once, demo_api(), "--force") == 4
    assert "nothing to do" not in capsys.readouterr().out
    after = _stamps(once)
    assert after["ict.duckdb"][0] != before["ict.duckdb"][0]
    assert after["observations.parquet"][1] == before["observations.parquet"][1]  # same bytes


def test_a_changed_input_reruns_what_depends_on_it(once, tmp_path, monkeypatch, capsys):
    catalog = shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    text = (catalog / "series.yml").read_text()
    (catalog / "series.yml").write_text(text.replace("yoy_robust_z: 8", "yoy_robust_z: 6"))
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(catalog))
    capsys.readouterr()
    assert _run(once, demo_api()) == 4
    out = capsys.readouterr().out
    assert "nothing to do" not in out  # the catalog changed: validate, so build and export


def test_if_changed_stops_after_an_unchanged_first_page(once, capsys):
    before = len(_manifest(once))
    capsys.readouterr()
    assert _run(once, demo_api(), "--if-changed") == 4
    assert "3 unchanged since the last pull" in capsys.readouterr().out  # and the country list
    new = _manifest(once)[before:]
    pages = [m["params"]["page"] for m in new if m["series"] != "economies"]
    assert pages == [1, 1]  # one request per series instead of four

    # a new figure on page 1 is a change: the whole series is downloaded and rebuilt
    before = len(_manifest(once))
    first = demo_api().economies[0].id  # page 1 holds the first economy by name
    changed = Faulty(demo_api(), SP_POP_TOTL=set_values({(first, "2020"): 123456}))
    capsys.readouterr()
    assert _run(once, changed, "--if-changed") == 4
    out = capsys.readouterr().out
    assert "2 unchanged since the last pull" in out and "validate: nothing to do" not in out
    pop_pages = [
        m["params"]["page"] for m in _manifest(once)[before:] if m["series"] == "population"
    ]
    assert pop_pages == [1, 2, 3, 4]


def test_a_deleted_or_edited_export_is_written_again(once, capsys):
    exports = once / "processed" / "exports"
    before = {p.name: p.read_bytes() for p in exports.iterdir()}
    long, wide = exports / "internet_users_pct.csv", exports / "population_wide.csv"
    long.unlink()
    wide.write_bytes(wide.read_bytes().replace(b",", b";", 3))
    capsys.readouterr()
    assert _run(once, demo_api()) == 4
    out = capsys.readouterr().out
    assert "export:   nothing to do" not in out and "build:    nothing to do" in out
    assert {p.name: p.read_bytes() for p in exports.iterdir()} == before  # restored, byte for byte

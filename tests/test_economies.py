"""Economy identity: ITU codes that nothing maps, map entries nothing uses, and the UN flags.

The synthetic World Bank and ITU stand-ins are served on 127.0.0.1; the catalog is copied and
its economy map edited, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb
from conftest import ROOT, Faulty

from pipeline.demo import itu_api, serve_demo
from pipeline.demo.server import serve
from pipeline.settings import Settings


def test_unmapped_itu_code_and_unused_entry_are_loud_and_nothing_is_dropped(tmp_path):
    catalog = shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    path = catalog / "economies" / "map.yml"
    text = path.read_text()
    assert "    KSO: XKX" in text
    path.write_text(text.replace("    KSO: XKX", "    ZZZ: ZWE"))
    data = tmp_path / "data"
    with serve_demo(Settings().catalog()) as urls:
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", "--data-dir", str(data),
             "--worldbank-url", urls["worldbank"], "--itu-url", urls["itu"],
             "--series", "internet_users_pct"],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env={**os.environ, "ICTP_CATALOG_DIR": str(catalog)},
        )  # fmt: skip
    assert proc.returncode == 4, proc.stderr  # usable; the unmapped code's rows are quarantined
    lines = [x for x in proc.stderr.splitlines() if "WARNING" in x]
    assert any(
        "economy codes that no mapping covers" in x and "itu KSO (Kosovo)" in x for x in lines
    )
    assert any(
        "economy map entries that no source used" in x and "codes.itu.ZZZ" in x for x in lines
    )
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    # Kosovo's ITU rows wait in quarantine until KSO is mapped; the World Bank's XKX stays
    n, reason = con.execute(
        "select count(*), any_value(reason) from quarantine where source = 'itu' and economy = 'KSO'"
    ).fetchone()
    assert n > 0 and "KSO" in reason
    assert any(f"itu KSO (Kosovo) ({n} rows quarantined)" in x for x in lines)
    assert con.execute(
        "select source from indicator_values where economy = 'XKX' limit 1"
    ).fetchone() == ("worldbank",)
    assert con.execute("select count(*) from economies where iso3 = 'KSO'").fetchone()[0] == 0
    run = json.loads(next((data / "processed" / "runs").glob("*.json")).read_text())
    messages = " ".join(w["message"] for w in run["warnings"])
    assert "itu KSO (Kosovo)" in messages and "codes.itu.ZZZ" in messages


def _run_itu(ictp, data, handler) -> tuple[int, str]:
    """`ictp run` of ITU's internet_users_pct, its pages passed through `handler`: (exit, err)."""
    api = Faulty(itu_api(Settings().catalog()), **{"11624": handler})
    with serve(api) as url:
        code, _out, err = ictp(
            "run", "--data-dir", data, "--itu-url", url, "--series", "internet_users_pct",
            "--sources", "itu",
        )  # fmt: skip
    return code, err


def _unmapped_codes_warning(data) -> str:
    """The unmapped-codes warning of the latest run's manifest."""
    run = json.loads(max((data / "processed" / "runs").glob("*.json")).read_text())
    return next(
        w["message"]
        for w in run["warnings"]
        if "economy codes that no mapping covers" in w["message"]
    )


def _kso_without_values(query, n, good):
    status, headers, body = good
    records = json.loads(body)
    for r in records:
        if r["isoCode"] == "KSO":
            r["answer"][0]["value"] = None
    return status, headers, json.dumps(records).encode()


def test_an_unmapped_code_whose_rows_are_all_empty_is_not_said_to_be_quarantined(
    tmp_path, ictp, monkeypatch
):
    catalog = shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    path = catalog / "economies" / "map.yml"
    path.write_text(path.read_text().replace("    KSO: XKX", "    ZZZ: ZWE"))
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(catalog))
    data = tmp_path / "data"
    code, err = _run_itu(ictp, data, _kso_without_values)
    assert code == 4, err  # the demo's invalid GHA value is quarantined, no KSO row
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    assert con.execute("select count(*) from quarantine where economy = 'KSO'").fetchone()[0] == 0
    warning = _unmapped_codes_warning(data)
    assert "itu KSO (Kosovo) (no rows with a value)" in warning
    assert "KSO (Kosovo) (0 rows" not in warning and "KSO (Kosovo) (1" not in warning


def _unknown_codes(query, n, good):
    """Four of one year's records under codes no list has: QQA and QQC once, QQB twice."""
    status, headers, body = good
    records = json.loads(body)
    year = records[0]["dataYear"]
    valued = [r for r in records if r["dataYear"] == year and r["answer"][0]["value"]]
    for r, code in zip(valued[:4], ["QQA", "QQC", "QQB", "QQB"], strict=True):
        r["isoCode"] = code
    return status, headers, json.dumps(records).encode()


def test_rows_of_unknown_codes_share_a_key_only_with_rows_of_the_same_code(tmp_path, ictp):
    # a key is economy, series, year and source: two codes no list has are two economies
    data = tmp_path / "data"
    code, err = _run_itu(ictp, data, _unknown_codes)
    assert code == 4, err
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    reasons = con.execute(
        "select economy, list(reason order by reason) from quarantine "
        "where economy like 'QQ_' group by economy order by economy"
    ).fetchall()
    assert [(e, len(r)) for e, r in reasons] == [("QQA", 1), ("QQB", 2), ("QQC", 1)]
    for economy, rows in reasons:
        for reason in rows:
            assert f"economy_known: economy code {economy} is not in" in reason
            assert ("key_unique: more than one row for " + economy in reason) == (economy == "QQB")
    warning = _unmapped_codes_warning(data)
    for unknown, n in (("QQA", 1), ("QQB", 2), ("QQC", 1)):
        assert f"itu {unknown} ({n} rows quarantined)" in warning


def test_un_flags_come_from_itu_groupings_when_it_carries_them(tmp_path, ictp, caplog):
    data = tmp_path / "data"
    with serve_demo(Settings().catalog()) as urls:
        code, _out, err = ictp(
            "run", "--data-dir", data, "--worldbank-url", urls["worldbank"], "--itu-url",
            urls["itu"], "--series", "households_internet_pct",
        )  # fmt: skip
    assert code == 0, err
    assert "no mapping covers" not in caplog.text and "no source used" not in caplog.text
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    flags = dict(
        ((r[0]), r[1:])
        for r in con.execute(
            "select iso3, ldc, lldc, itu_region_id from economies where iso3 in ('AFG', 'KEN', 'CHI')"
        ).fetchall()
    )
    # the stand-in carries LDC groupings (not LLDC): AFG is one, KEN is not, CHI is not in ITU's
    # list so unknown; LLDC is unknown everywhere
    assert flags == {
        "AFG": (True, None, "ASP"),
        "KEN": (False, None, "AFR"),
        "CHI": (None, None, None),
    }

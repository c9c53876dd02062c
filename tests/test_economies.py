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
from conftest import ROOT

from pipeline.demo import serve_demo
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
    assert con.execute(
        "select source from indicator_values where economy = 'XKX' limit 1"
    ).fetchone() == ("worldbank",)
    assert con.execute("select count(*) from economies where iso3 = 'KSO'").fetchone()[0] == 0
    run = json.loads(next((data / "processed" / "runs").glob("*.json")).read_text())
    messages = " ".join(w["message"] for w in run["warnings"])
    assert "itu KSO (Kosovo)" in messages and "codes.itu.ZZZ" in messages


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

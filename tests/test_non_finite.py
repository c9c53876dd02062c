"""Values that are not finite, or absurdly large, are quarantined under reasons of their own.

A World Bank stand-in serves "Infinity", "-Infinity", "NaN" and 1e308 for a count series whose
kind has no upper bound (fixed_telephone_subs: counts, valid_range [0, null]); each row must be
quarantined (never stored, built or exported) with its own rule, and the reason for NaN must
not claim it is above a maximum.
"""

from __future__ import annotations

import csv

import duckdb
from conftest import Faulty, demo_api, run_worldbank, set_values

from pipeline.catalog import load_catalog
from pipeline.settings import PROJECT_DIR

SERIES = "fixed_telephone_subs"
FAULTS = {
    ("USA", "2015"): "Infinity",
    ("FRA", "2015"): "-Infinity",
    ("DEU", "2015"): "NaN",
    ("JPN", "2015"): 1e308,
    ("BRA", "2015"): 2.5e15,  # finite, whole, above no maximum: only the kind's cap catches it
}


def test_non_finite_and_huge_values_are_quarantined_with_their_own_reason(tmp_path):
    cap = next(s for s in load_catalog(PROJECT_DIR / "indicators").series if s.id == SERIES)
    assert cap.valid_max == float("inf") and cap.max_abs == 1e15  # the case the issue found
    data = tmp_path / "data"
    api = Faulty(demo_api(), IT_MLT_MAIN=set_values(FAULTS))
    assert run_worldbank(data, api, SERIES) == 4  # usable batch, rows quarantined
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    quarantined = dict(
        con.execute(
            'select economy, reason from quarantine where series = $s and "year" = 2015',
            {"s": SERIES},
        ).fetchall()
    )
    assert set(quarantined) >= {e for e, _y in FAULTS}
    for economy in ("USA", "FRA", "DEU"):
        reason = quarantined[economy]
        assert reason.startswith("value_is_finite: value ") and "not a finite number" in reason
        assert "maximum" not in reason and "minimum" not in reason and ";" not in reason
    assert "value inf " in quarantined["USA"] and "value -inf " in quarantined["FRA"]
    assert "value nan " in quarantined["DEU"]
    for economy in ("JPN", "BRA"):
        assert quarantined[economy].startswith("value_within_cap: value ")
        assert (
            "cap of its kind" in quarantined[economy]
            and "than 1000000000000000.0," in quarantined[economy]
        )
    stored = con.execute(
        "select count(*) from observations where series = $s and (not isfinite(value) "
        "or abs(value) > 1e15)",
        {"s": SERIES},
    ).fetchone()[0]
    assert stored == 0
    con.close()
    with open(data / "processed" / "exports" / f"{SERIES}.csv", newline="") as f:
        values = [r["value"] for r in csv.DictReader(f)]
    assert values and not any(v.lower() in ("inf", "-inf", "nan", "infinity") for v in values)
    assert all(abs(float(v)) <= 1e15 for v in values if v)

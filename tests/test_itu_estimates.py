"""ITU marks its own estimates in `dataSource`: "ITU estimate" anywhere in it, in any case and
spacing, makes the row's obs_status E; a producer's name before it, a line break or a double
space do not hide it. An ITU stand-in on 127.0.0.1 serves the notes."""

from __future__ import annotations

import json

import conftest
import duckdb
from test_itu_faults import ARGS

from pipeline.demo import itu_api
from pipeline.demo.server import serve
from pipeline.settings import Settings

NOTES = {  # economy -> dataSource of its 2015 internet_users_pct record, and whether it is E
    "ARG": ("ITU estimate", True),
    "FRA": ("SITTEL. ITU estimate.", True),
    "DEU": ("RATEL.\nITU estimate.", True),
    "JPN": ("ITU  estimate.", True),
    "BRA": ("itu ESTIMATE based on survey", True),
    "BGD": ("National regulator", False),
}


def _notes(query, n, good):
    status, headers, body = good
    records = json.loads(body)
    for r in records:
        if r.get("isoCode") in NOTES and r.get("dataYear") == 2015:
            r["dataSource"] = NOTES[r["isoCode"]][0]
    return status, headers, json.dumps(records).encode()


def test_itu_estimate_anywhere_in_the_source_note_marks_e(tmp_path, ictp):
    api = conftest.Faulty(itu_api(Settings().catalog()), **{"11624": _notes})
    data = tmp_path / "data"
    with serve(api) as url:
        code, _out, err = ictp("run", "--data-dir", data, "--itu-url", url, *ARGS)
    assert code == 4, err  # usable (the demo's invalid GHA value is quarantined)
    con = duckdb.connect(str(data / "processed" / "ict.duckdb"), read_only=True)
    rows = dict(
        con.execute(
            "select economy, obs_status from observations where source = 'itu' "
            "and series = 'internet_users_pct' and \"year\" = 2015"
        ).fetchall()
    )
    notes = dict(
        con.execute(
            "select economy, source_note from observations where source = 'itu' "
            "and series = 'internet_users_pct' and \"year\" = 2015"
        ).fetchall()
    )
    assert set(NOTES) <= set(rows), rows  # the stand-in serves every one of them
    for economy, (note, estimate) in NOTES.items():
        assert notes[economy] == note  # the note is kept as sent
        assert rows[economy] == ("E" if estimate else None), (economy, note)

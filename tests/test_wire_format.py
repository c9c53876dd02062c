"""The local World Bank stand-in (demo, tests, benchmark) answers in the real API's shape.

Checked against a real captured API v2 response envelope (../shared/data/wdi/api_json: its
values were hand-edited upstream, but its field names and types are the API's).
"""

from __future__ import annotations

import json

from conftest import demo_api

from pipeline.sources.worldbank import parse_page


def _types(d: dict) -> dict:
    return {k: type(v).__name__ if not isinstance(v, dict) else _types(v) for k, v in d.items()}


def test_pages_match_the_captured_envelope(shared_data):
    real = json.loads(
        (shared_data / "wdi/api_json/trase_world_bank_population_indicators.json").read_text()
    )
    status, headers, body = demo_api().handle(
        "/v2/country/all/indicator/SP.POP.TOTL", {"per_page": "1000", "page": "1"}
    )
    ours = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert set(real[0]) <= set(ours[0])
    assert {k: type(real[0][k]) for k in real[0]} == {k: type(ours[0][k]) for k in real[0]}
    assert _types(ours[1][0]) == _types(real[1][0])
    header, n = parse_page(body, "test")
    assert (header["page"], n) == (1, 1000)


def test_every_economy_year_is_sent_with_nulls_newest_first():
    api = demo_api()
    _s, _h, body = api.handle(
        "/v2/country/all/indicator/IT.NET.BBND.P2", {"per_page": "100000", "page": "1"}
    )
    header, rows = json.loads(body)
    assert header["total"] == len(rows) == len(api.economies) * 35
    assert any(r["value"] is None for r in rows)
    first = rows[:35]
    assert [int(r["date"]) for r in first] == list(range(2024, 1989, -1))


def test_unknown_indicator_answers_200_with_a_message():
    status, _h, body = demo_api().handle("/v2/country/all/indicator/NO.SUCH", {})
    assert status == 200 and json.loads(body)[0]["message"][0]["key"] == "Invalid value"

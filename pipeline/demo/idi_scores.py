"""The demo ITU server's published IDI: scores made from its own series with KNOWN goalposts,
in the shapes of ITU's DataHub IDI API (../shared/data/itu-datahub-examples/: the tree of
/idi/dashboard/all, the editions of /idi/dashboard/version, and per country the records of
/idi/data/bycountryid/{CountryID}, assumed to be the region records' shape with a country id;
per region the records of /idi/region/byregionid/{regionID}, the mean of its members' scores).

The goalposts below are not ITU's (nobody here knows ITU's): they are what a test checks that
`ictp composite calibrate` recovers from the published scores. Indicator score = 100 x the
transformed value's place between the lower and upper goalpost, clipped (lower is better:
reversed); components are means of their children; pillars and the IDI means of theirs.
Indicators whose input the demo does not serve get a deterministic made-up score.
"""

from __future__ import annotations

import math
import random

from pipeline.demo.itu_api import members_of

EDITIONS = (2023, 2024, 2025)
LAG = 2  # edition E publishes inputs of year E - 2
# tree codeID -> (ITU series code, transform, lower, upper, direction)
KNOWN = {
    3: ("i99H", "none", 2.0, 98.0, 1),
    4: ("xHH6_IDI", "none", 0.0, 100.0, 1),
    5: ("i911mw", "log10", math.log10(5), math.log10(150), 1),
    8: ("i271G", "none", 10.0, 100.0, 1),
    9: ("i271GA", "none", 0.0, 100.0, 1),
    13: ("i154_FBB5_GNI", "none", 2.0, 25.0, -1),
    14: ("xHH18_IDI", "none", 20.0, 100.0, 1),
}
MADE_UP = (10, 11, 12)  # traffic and the mobile basket: no input served
# node codeID -> children codeIDs (ITU's tree, itu-get-idi-structure.json)
TREE = {1: (2, 6), 2: (3, 4, 5), 6: (7, 10, 11, 12, 13, 14), 7: (8, 9)}
STRUCTURE = [
    {"codeID": 1, "code": "IDI", "codeDesc": "ICT Development Index score",
     "label": "ICT Development Index", "children": [
        {"codeID": 2, "code": "U", "label": "Universal connectivity",
         "codeDesc": "Universal connectivity score", "children": [
            {"codeID": 3, "code": "i99H", "label": "Internet users", "codeDesc": "Individuals using the Internet (%)"},
            {"codeID": 4, "code": "xHH6_IDI", "label": "Households with Internet", "codeDesc": "Households with Internet access at home (%)"},
            {"codeID": 5, "code": "i911mw_IDI", "label": "Mobile broadband penetration", "codeDesc": "Active mobile broadband subscriptions per 100 inhabitants"}]},
        {"codeID": 6, "code": "M", "label": "Meaningful connectivity",
         "codeDesc": "Meaningful connectivity score", "children": [
            {"codeID": 7, "code": "Coverage", "label": "Mobile broadband coverage", "codeDesc": "3G and 4G/LTE network coverage", "children": [
                {"codeID": 8, "code": "i271G_IDI", "label": "3G population coverage", "codeDesc": "Population covered by at least a 3G mobile network (%)"},
                {"codeID": 9, "code": "i271GA_IDI", "label": "4G population coverage", "codeDesc": "Population covered by at least a 4G/LTE mobile network (%)"}]},
            {"codeID": 10, "code": "i136mwi_subs_IDI", "label": "Mobile broadband traffic", "codeDesc": "Mobile broadband Internet traffic per subscription (GB)"},
            {"codeID": 11, "code": "i135tfb_subs_IDI", "label": "Fixed broadband traffic", "codeDesc": "Fixed broadband Internet traffic per subscription (GB)"},
            {"codeID": 12, "code": "i271mb_high_ts_GNI_IDI", "label": "Mobile broadband affordability", "codeDesc": "Mobile data and voice high-consumption basket price (% GNI p.c.)"},
            {"codeID": 13, "code": "i154_FBB_ts_GNI_IDI", "label": "Fixed broadband affordability", "codeDesc": "Fixed-broadband Internet basket price (% GNI p.c.)"},
            {"codeID": 14, "code": "xHH18_IDI", "label": "Mobile phone owners", "codeDesc": "Individuals owning a mobile phone (%)"}]}]}
]  # fmt: skip


def indicator_score(value: float, transform: str, lower: float, upper: float, direction: int):
    t = math.log10(value) if transform == "log10" else value
    if transform == "log10" and value <= 0:
        return 0.0 if direction == 1 else 100.0
    z = (t - lower) / (upper - lower)
    z = min(max(z, 0.0), 1.0)
    return 100 * (z if direction == 1 else 1 - z)


def publish(countries: list[dict], series_by_code: dict[str, dict]) -> dict[int, list[dict]]:
    """CountryID -> the records of /idi/data/bycountryid/{CountryID}. `series_by_code`: ITU
    series code -> {(IsoCode, year): value text}. A country gets an edition's scores only when
    it has every known input of the data year (no imputation)."""
    out: dict[int, list[dict]] = {}
    for c in countries:
        cid, iso = c["CountryID"], c["IsoCode"]
        records = []
        for edition in EDITIONS:
            year = edition - LAG
            scores: dict[int, float] = {}
            for node, (code, transform, lo, up, d) in KNOWN.items():
                text = series_by_code.get(code, {}).get((iso, year))
                value = _number(text)
                if value is None:
                    break
                scores[node] = indicator_score(value, transform, lo, up, d)
            else:
                rng = random.Random(f"idi:{iso}:{edition}")
                for node in MADE_UP:
                    scores[node] = round(rng.uniform(20, 90), 1)
                for node in (7, 2, 6, 1):  # bottom-up
                    kids = TREE[node]
                    scores[node] = sum(scores[k] for k in kids) / len(kids)
                records += [
                    {"countryID": cid, "dataID": int(f"{edition}{cid:04d}{node:03d}"),
                     "codeID": node, "score": scores[node], "dataYear": edition}
                    for node in sorted(scores)
                ]  # fmt: skip
        if records:
            out[cid] = records
    return out


def publish_regions(countries: list[dict], regions: list[dict], by_country: dict) -> dict:
    """regionID -> the records of /idi/region/byregionid/{regionID}: per edition and node, the
    plain mean of the scores of the region's members (the countries listing it in `Regions`)
    that have one; [] for a region none of whose members has scores."""
    out: dict[int, list[dict]] = {}
    for region in regions:
        rid = region["regionID"]
        members = {c["CountryID"] for c in members_of(countries, rid)}
        scores: dict[tuple[int, int], list[float]] = {}
        for cid in sorted(members):
            for r in by_country.get(cid, []):
                scores.setdefault((r["dataYear"], r["codeID"]), []).append(r["score"])
        out[rid] = [
            {"regionID": rid, "dataID": int(f"{edition}{rid:04d}{node:03d}"), "codeID": node,
             "score": sum(v) / len(v), "dataYear": edition}
            for (edition, node), v in sorted(scores.items())
        ]  # fmt: skip
    return out


def _number(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None

"""A local stand-in for the ITU DataHub API v2, serving in-memory tables.

It answers in the wire format of the captured responses in ../shared/data/itu-datahub-examples/
(`/country/all`; `/region/all`; `/data/bycode/{codeID}`: one record per country-year, the value
a string in `answer[0].value`; `/aggregation/bycodeid/{codeID}/byregionid/{regionID}`: one
record per year, the value a number, the region named; an unknown codeID answers 200 with
`[]`), so `ictp demo` and the tests point the real ingest code at 127.0.0.1. It never touches
the network.

Its aggregates are computed from the series it serves, over the countries whose groupings in
`/country/all` carry the region's id: a population-weighted mean (a sum for counts) over the
members with a value and a population, for every year at least one member has both. (ITU's
own fill the gaps first; the stand-in does not.)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.demo.server import JSON, dumps


@dataclass
class ItuCountry:
    """A record of GET /v2/country/all."""

    country_id: int
    iso: str  # ITU's IsoCode: ISO3 mostly, its own code for some (KSO Kosovo, AAA Guernsey)
    short_name: str
    long_name: str
    regions: list[dict] = field(default_factory=list)  # as the API writes them

    def wire(self) -> dict:
        return {
            "CountryID": self.country_id,
            "IsoCode": self.iso,
            "ShortName": self.short_name,
            "LongName": self.long_name,
            "Regions": self.regions,
        }


@dataclass
class ItuSeries:
    code_id: int
    code: str
    values: dict[tuple[str, int], str]  # (ITU IsoCode, year) -> the value as ITU writes it
    sources: dict[tuple[str, int], str] = field(default_factory=dict)  # -> dataSource
    notes: dict[tuple[str, int], str] = field(default_factory=dict)  # -> dataNote
    additive: bool = False  # its aggregate is a sum (counts), not a population-weighted mean


def members_of(countries: list[dict], region_id: int) -> list[dict]:
    """The countries (wire records) that list the region in their `Regions`."""
    return [c for c in countries if any(g.get("id") == region_id for g in c.get("Regions") or ())]


class ItuAPI:
    def __init__(
        self,
        countries: list,
        series: dict[int, ItuSeries],
        regions: list[dict] = (),
        weights: dict[tuple[str, int], float] | None = None,
        aggregates: dict[tuple[int, int], list[dict]] | None = None,
        idi: dict[int, list[dict]] | None = None,
        idi_regions: dict[int, list[dict]] | None = None,
    ):
        """`countries`: ItuCountry objects or records already in the wire format. `regions`: the
        /region/all records (regionID, regionCode, regionName, className). `weights`: population
        by (IsoCode, year), for the aggregates it computes. `aggregates`: responses served as
        they are for (codeID, regionID), e.g. captured ones. `idi`: the published IDI scores
        by CountryID (pipeline/demo/idi_scores.py), served under /idi/; `idi_regions`: by
        regionID."""
        self.countries = [c.wire() if isinstance(c, ItuCountry) else c for c in countries]
        self.series = series
        self.regions = list(regions)
        self.weights = weights or {}
        self.captured = aggregates or {}
        self._by_iso = {c["IsoCode"]: c for c in self.countries}
        self.idi = idi
        self.idi_regions = idi_regions or {}

    def handle(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        parts = [p for p in path.split("/") if p]
        if parts == ["v2", "country", "all"]:
            return 200, JSON, dumps(self.countries)
        if parts == ["v2", "region", "all"]:
            return 200, JSON, dumps(self.regions)
        if len(parts) == 4 and parts[:3] == ["v2", "data", "bycode"]:
            s = self.series.get(int(parts[3])) if parts[3].isdigit() else None
            return 200, JSON, dumps(self.records(s) if s else [])
        if (
            len(parts) == 6
            and parts[:3] == ["v2", "aggregation", "bycodeid"]
            and parts[4] == "byregionid"
            and parts[3].isdigit()
            and parts[5].isdigit()
        ):
            return 200, JSON, dumps(self.aggregate(int(parts[3]), int(parts[5])))
        if self.idi is not None and parts[:2] == ["v2", "idi"]:
            return self._idi(parts[2:])
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"

    def _idi(self, parts: list[str]) -> tuple[int, dict[str, str], bytes]:
        from pipeline.demo import idi_scores

        if parts == ["dashboard", "version"]:
            return 200, JSON, dumps(list(idi_scores.EDITIONS))
        if parts == ["dashboard", "all"]:
            return 200, JSON, dumps(idi_scores.STRUCTURE)
        if len(parts) == 3 and parts[:2] == ["data", "bycountryid"] and parts[2].isdigit():
            return 200, JSON, dumps(self.idi.get(int(parts[2]), []))
        if len(parts) == 3 and parts[:2] == ["region", "byregionid"] and parts[2].isdigit():
            return 200, JSON, dumps(self.idi_regions.get(int(parts[2]), []))
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"

    def aggregate(self, code_id: int, region_id: int) -> list[dict]:
        """The records of /aggregation/bycodeid/{code_id}/byregionid/{region_id}; [] when the
        codeID or region is unknown or no member has data."""
        if (code_id, region_id) in self.captured:
            return self.captured[(code_id, region_id)]
        s = self.series.get(code_id)
        region = next((r for r in self.regions if r["regionID"] == region_id), None)
        if s is None or region is None:
            return []
        members = {c["IsoCode"] for c in members_of(self.countries, region_id)}
        pairs = defaultdict(list)  # year -> [(value, weight)]
        for (iso, year), text in s.values.items():
            value, weight = _number(text), self.weights.get((iso, year))
            if iso in members and value is not None and weight:
                pairs[year].append((value, weight))
        out = []
        for year, got in sorted(pairs.items()):
            value = (
                round(sum(v for v, _w in got))
                if s.additive
                else round(sum(v * w for v, w in got) / sum(w for _v, w in got), 4)
            )
            data_id = code_id * 100000 + region_id * 100 + year % 100
            out.append(
                {
                    "numberOfAnswer": None,
                    "internalNote": None,
                    "answersPercentage": [{"value": value}],
                    "answer": [{"value": value}],
                    "databaseID": 1,
                    "dataID": data_id,
                    "regionName": region["regionName"],
                    "createDate": "2024-04-24T18:20:23.000Z",
                    "codeID": code_id,
                    "updateDate": "2025-11-17T13:13:18.000Z",
                    "dataYear": year,
                    "regionID": region_id,
                    "classID": 0,
                    "code": s.code,
                }
            )
        return out

    def records(self, s: ItuSeries) -> list[dict]:
        out = []
        for n, ((iso, year), value) in enumerate(sorted(s.values.items()), 1):
            country = self._by_iso.get(iso, {})
            data_id = s.code_id * 100000 + n
            out.append(
                {
                    "codeID": s.code_id,
                    "shortName": country.get("ShortName", iso),
                    "answer": [{"value": value, "id": data_id}],
                    "dataID": data_id,
                    "code": s.code,
                    "isoCode": iso,
                    "dataNote": s.notes.get((iso, year), ""),
                    "dataYear": year,
                    "countryID": country.get("CountryID", 0),
                    "dataSource": s.sources.get((iso, year), ""),
                }
            )
        return out


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None  # a value that is not a number (the demo's invalid ones) counts as missing

"""A local stand-in for the ITU DataHub API v2, serving in-memory tables.

It answers in the wire format of the captured responses in ../shared/data/itu-datahub-examples/
(`/country/all`; `/data/bycode/{codeID}`: one record per country-year, the value a string in
`answer[0].value`; an unknown codeID answers 200 with `[]`), so `ictp demo` and the tests point
the real ingest code at 127.0.0.1. It never touches the network.
"""

from __future__ import annotations

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


class ItuAPI:
    def __init__(self, countries: list, series: dict[int, ItuSeries]):
        """`countries`: ItuCountry objects or records already in the wire format."""
        self.countries = [c.wire() if isinstance(c, ItuCountry) else c for c in countries]
        self.series = series
        self._by_iso = {c["IsoCode"]: c for c in self.countries}

    def handle(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        parts = [p for p in path.split("/") if p]
        if parts == ["v2", "country", "all"]:
            return 200, JSON, dumps(self.countries)
        if len(parts) == 4 and parts[:3] == ["v2", "data", "bycode"]:
            s = self.series.get(int(parts[3])) if parts[3].isdigit() else None
            return 200, JSON, dumps(self.records(s) if s else [])
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"

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

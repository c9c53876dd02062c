"""A local stand-in for the World Bank Indicators API v2, serving in-memory tables.

It answers in the API's wire format (`[header, rows]`, every economy-year including nulls,
ordered by economy name then year descending, paged by `per_page`), so `ictp demo`, the tests
and the benchmark point the real ingest code at 127.0.0.1. It never touches the network.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pipeline.demo.server import JSON, dumps, serve  # noqa: F401 (serve: the tests' server)

INVALID_VALUE = [
    {
        "message": [
            {
                "id": "120",
                "key": "Invalid value",
                "value": "The provided parameter value is not valid",
            }
        ]
    }
]


@dataclass
class Indicator:
    code: str
    name: str
    values: dict[tuple[str, int], object]  # (economy id, year) -> value (number, None, or text)
    years: range
    lastupdated: str = "2026-07-01"
    decimal: int = 1
    _rows: list | None = field(default=None, repr=False)


@dataclass
class Economy:
    """A row of GET /v2/country."""

    id: str  # ISO3, or the Bank's own code for aggregates
    iso2: str
    name: str
    region: tuple[str, str] = ("NA", "Aggregates")  # (id, name)
    income: tuple[str, str] = ("NA", "Aggregates")
    lending: tuple[str, str] = ("", "")

    def wire(self) -> dict:
        agg = self.region[0] == "NA"
        return {
            "id": self.id,
            "iso2Code": self.iso2,
            "name": self.name,
            "region": {
                "id": self.region[0],
                "iso2code": "NA" if agg else "",
                "value": self.region[1],
            },
            "adminregion": {"id": "", "iso2code": "", "value": ""},
            "incomeLevel": {
                "id": self.income[0],
                "iso2code": "NA" if agg else "",
                "value": self.income[1],
            },
            "lendingType": {"id": self.lending[0], "iso2code": "", "value": self.lending[1]},
            "capitalCity": "",
            "longitude": "",
            "latitude": "",
        }


class WorldBankAPI:
    def __init__(self, economies: list[Economy], indicators: dict[str, Indicator]):
        self.economies = sorted(economies, key=lambda e: e.name)
        self.indicators = indicators
        self.lock = threading.Lock()

    def handle(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for one GET, as the real API would answer it."""
        parts = [p for p in path.split("/") if p]
        per_page = int(query.get("per_page", 50))
        page = int(query.get("page", 1))
        if parts == ["v2", "country"]:
            rows = [e.wire() for e in self.economies]
            return self._page(rows, page, per_page, lastupdated=None)
        if len(parts) == 5 and parts[:2] == ["v2", "country"] and parts[3] == "indicator":
            ind = self.indicators.get(parts[4])
            if ind is None:
                return 200, JSON, dumps(INVALID_VALUE)
            return self._page(self._rows(ind), page, per_page, lastupdated=ind.lastupdated)
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"

    def _rows(self, ind: Indicator) -> list[dict]:
        with self.lock:
            if ind._rows is None:
                ind._rows = [
                    {
                        "indicator": {"id": ind.code, "value": ind.name},
                        "country": {"id": e.iso2, "value": e.name},
                        "countryiso3code": e.id,
                        "date": str(year),
                        "value": ind.values.get((e.id, year)),
                        "unit": "",
                        "obs_status": "",
                        "decimal": ind.decimal,
                    }
                    for e in self.economies
                    for year in reversed(ind.years)
                ]
            return ind._rows

    @staticmethod
    def _page(rows: list, page: int, per_page: int, lastupdated: str | None):
        chunk = rows[(page - 1) * per_page : page * per_page]
        header = page_header(page, len(rows), per_page, lastupdated)
        return 200, JSON, dumps([header, chunk or None])


def page_header(page: int, total: int, per_page: int, lastupdated: str | None) -> dict:
    """The `header` of a `[header, rows]` page; indicator pages carry their source and date."""
    header = {"page": page, "pages": page_count(total, per_page), "per_page": per_page,
              "total": total}  # fmt: skip
    if lastupdated:
        header.update(
            sourceid="2", sourcename="World Development Indicators", lastupdated=lastupdated
        )
    return header


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))

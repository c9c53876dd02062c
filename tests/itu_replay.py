"""Build ITU DataHub API v2 responses at test time from real ITU data in ../shared/data.

- itu-datahub-examples/: real captured responses (cut to a few elements); served verbatim where
  they fit (the three captured /country/all records), and used to check our stand-in's shape.
- itu/datahub/*.csv.gz: ITU's own CSV exports; every row becomes a /data/bycode/{codeID}
  record (codeID = the export's seriesID, the value string exactly as the export writes it,
  e.g. "3.62153e+007"), so the real ingest code reads full-size, real responses.

ITU's groupings (regions, income) for the other economies are not in any file here, so the
built /country/all records carry only the "World" grouping. Nothing is copied into the project.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from pipeline.demo.itu_api import ItuAPI, ItuSeries

WORLD = {"id": 701, "regionCode": "World", "class": "World, no regions", "classID": 187,
         "region": "World"}  # fmt: skip


def csv_rows(shared: Path, name: str) -> list[dict]:
    with gzip.open(shared / "itu" / "datahub" / name, "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def all_rows(shared: Path) -> list[dict]:
    return [
        r
        for p in sorted((shared / "itu" / "datahub").glob("*.csv.gz"))
        for r in csv_rows(shared, p.name)
    ]


def captured(shared: Path, name: str):
    return json.loads((shared / "itu-datahub-examples" / name).read_text(encoding="utf-8"))


def countries(shared: Path) -> list[dict]:
    """/country/all: the captured records, then one built record per other economy of the CSVs."""
    real = captured(shared, "itu-list-countries.json")
    seen = {c["IsoCode"] for c in real}
    built = {}
    for r in all_rows(shared):
        if r["entityIso"] not in seen:
            built[r["entityIso"]] = {
                "CountryID": int(r["entityID"]),
                "IsoCode": r["entityIso"],
                "ShortName": r["entityName"],
                "LongName": r["entityName"],
                "Regions": [WORLD],
            }
    return real + [built[k] for k in sorted(built)]


def series(shared: Path) -> dict[int, ItuSeries]:
    out: dict[int, ItuSeries] = {}
    for r in all_rows(shared):
        code_id = int(r["seriesID"])
        s = out.setdefault(code_id, ItuSeries(code_id, r["seriesCode"], {}))
        key = (r["entityIso"], int(r["dataYear"]))
        s.values[key] = r["dataValue"]
        s.sources[key] = r["dataSource"]
        s.notes[key] = r["dataNote"]
    return out


def api(shared: Path) -> ItuAPI:
    return ItuAPI(countries(shared), series(shared))

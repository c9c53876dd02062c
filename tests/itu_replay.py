"""Build ITU DataHub API v2 responses at test time from real ITU data in ../shared/data.

- itu-datahub-examples/: real captured responses (cut to a few elements); served verbatim where
  they fit (the three captured /country/all records), and used to check our stand-in's shape.
- itu/datahub/*.csv.gz: ITU's own CSV exports; every row becomes a /data/bycode/{codeID}
  record (codeID = the export's seriesID, the value string exactly as the export writes it,
  e.g. "3.62153e+007"), so the real ingest code reads full-size, real responses.
- ITU's aggregates: the captured /region/all, cut to the regions the replay can answer for
  (as the captured files are cut): World, whose aggregate of every series the stand-in builds
  from the exports (population-weighted with the real WDI population, summed for counts); and,
  on request, the Arab States, answered only for i99H with the captured response verbatim
  (regionID 647 in the answer although 3 was asked for).

ITU's groupings (regions, income) for the other economies are not in any file here, so the
built /country/all records carry only the "World" grouping. Nothing is copied into the project.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import wdi_replay

from pipeline.demo.itu_api import ItuAPI, ItuSeries
from pipeline.settings import Settings

WORLD_ID, ARAB_STATES_ID = 701, 3
INTERNET_CODE_ID = 11624  # i99H, the code of the captured regional aggregate

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
    kinds = {s.sources["itu"]: s.kind for s in Settings().catalog().series if "itu" in s.sources}
    out: dict[int, ItuSeries] = {}
    for r in all_rows(shared):
        code_id = int(r["seriesID"])
        additive = kinds.get(r["seriesCode"]) in ("count", "quantity")
        s = out.setdefault(code_id, ItuSeries(code_id, r["seriesCode"], {}, additive=additive))
        key = (r["entityIso"], int(r["dataYear"]))
        s.values[key] = r["dataValue"]
        s.sources[key] = r["dataSource"]
        s.notes[key] = r["dataNote"]
    return out


def regions(shared: Path, ids=(WORLD_ID,)) -> list[dict]:
    """/region/all: the captured list, cut to the regions `ids`."""
    return [r for r in captured(shared, "itu-list-regions.json") if r["regionID"] in ids]


def weights(shared: Path) -> dict[tuple[str, int], float]:
    """The World Bank's population by (ITU's code, year), what the stand-in weights with."""
    to_itu = {ours: its for its, ours in Settings().catalog().economy_map.codes["itu"].items()}
    return {
        (to_itu.get(e, e), y): float(v)
        for (e, y), v in wdi_replay.values(shared, "population").items()
    }


def api(shared: Path, arab_states: bool = False) -> ItuAPI:
    """The replay; with `arab_states`, the Arab States too, answered for i99H only (ask for
    internet_users_pct alone then: other codes get [] for them)."""
    ids = (WORLD_ID, ARAB_STATES_ID) if arab_states else (WORLD_ID,)
    answers = {
        (INTERNET_CODE_ID, ARAB_STATES_ID): captured(shared, "itu-get-regional-aggregate.json")
    }
    return ItuAPI(
        countries(shared),
        series(shared),
        regions=regions(shared, ids),
        weights=weights(shared),
        aggregates=answers if arab_states else None,
    )

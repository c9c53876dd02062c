"""World Bank API v2 responses built from the real WDI files in ../shared/data (tests, bench).

The files are the datahub.io long CSVs (`Country Name,Country Code,Year,Value`, one row per
economy-year that has a value), the World Bank "Download CSV" wide file for IT.NET.USER.ZS, and
WDICountry.csv for the country list. Nothing here is copied into the project.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from pipeline.demo.worldbank_api import Economy, Indicator, WorldBankAPI

REGION_IDS = {
    "East Asia & Pacific": "EAS",
    "Europe & Central Asia": "ECS",
    "Latin America & Caribbean": "LCN",
    "Middle East & North Africa": "MEA",
    "North America": "NAC",
    "South Asia": "SAS",
    "Sub-Saharan Africa": "SSF",
}
INCOME_IDS = {
    "High income": "HIC",
    "Upper middle income": "UMC",
    "Lower middle income": "LMC",
    "Low income": "LIC",
}
# catalog series id -> (World Bank code, file under wdi/)
LONG_FILES = {
    "mobile_cellular_subs_per_100": ("IT.CEL.SETS.P2", "datahub_long/it.cel.sets.p2.csv.gz"),
    "fixed_telephone_subs_per_100": ("IT.MLT.MAIN.P2", "datahub_long/it.mlt.main.p2.csv.gz"),
    "fixed_broadband_subs_per_100": ("IT.NET.BBND.P2", "datahub_long/it.net.bbnd.p2.csv.gz"),
    "secure_internet_servers_per_million": ("IT.NET.SECR.P6", "datahub_long/it.net.secr.p6.csv.gz"),
    "population": ("SP.POP.TOTL", "datahub_long/sp.pop.totl.csv.gz"),
    "gni_per_capita_atlas_usd": ("NY.GNP.PCAP.CD", "datahub_long/ny.gnp.pcap.cd.csv.gz"),
    "school_enrolment_secondary_gross": ("SE.SEC.ENRR", "datahub_long/se.sec.enrr.csv.gz"),
    "school_enrolment_tertiary_gross": ("SE.TER.ENRR", "datahub_long/se.ter.enrr.csv.gz"),
}
WIDE_FILES = {
    "internet_users_pct": (
        "IT.NET.USER.ZS",
        "api_csv/API_IT.NET.USER.ZS_DS2_en_csv_v2_4150946.csv",
    ),
}
SERIES = list(LONG_FILES) + list(WIDE_FILES)


def number(text: str) -> int | float:
    return int(text) if text.lstrip("-").isdigit() else float(text)


def country_rows(shared: Path) -> list[dict]:
    with open(shared / "wdi/bulk_metadata/WDICountry.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def economies(shared: Path) -> list[Economy]:
    out = []
    for r in country_rows(shared):
        if not r["Region"]:
            out.append(Economy(r["Country Code"], r["2-alpha code"], r["Table Name"]))
            continue
        income = r["Income Group"]
        out.append(
            Economy(
                r["Country Code"],
                r["2-alpha code"],
                r["Table Name"],
                (REGION_IDS[r["Region"]], r["Region"]),
                (INCOME_IDS[income], income) if income else ("INX", "Not classified"),
            )
        )
    return out


def long_values(shared: Path, path: str) -> dict[tuple[str, int], int | float]:
    with gzip.open(shared / "wdi" / path, "rt", encoding="utf-8", newline="") as f:
        return {(r["Country Code"], int(r["Year"])): number(r["Value"]) for r in csv.DictReader(f)}


def wide_values(shared: Path, path: str) -> dict[tuple[str, int], int | float]:
    with open(shared / "wdi" / path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[4:]
    header, body = rows[0], rows[1:]
    years = {i: int(h) for i, h in enumerate(header) if h.isdigit()}
    return {(r[1], year): number(r[i]) for r in body for i, year in years.items() if r[i] != ""}


def values(shared: Path, series: str) -> dict[tuple[str, int], int | float]:
    if series in LONG_FILES:
        return long_values(shared, LONG_FILES[series][1])
    return wide_values(shared, WIDE_FILES[series][1])


def api(shared: Path) -> WorldBankAPI:
    indicators = {}
    for series in SERIES:
        code = (LONG_FILES | WIDE_FILES)[series][0]
        vals = values(shared, series)
        years = [y for _e, y in vals]
        indicators[code] = Indicator(
            code, code, vals, range(min(years), max(years) + 1), lastupdated="2026-06-30"
        )
    return WorldBankAPI(economies(shared), indicators)

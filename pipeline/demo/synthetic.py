"""The synthetic demo data set: real economy codes and names, made-up but plausible values.

Deterministic (seeded by economy and series), with realistic gaps (missing years, fewer
recent values), real zeros (no mobile subscriptions yet in early years) and a handful of
deliberately invalid values that validation must quarantine (see INVALID). Counts agree with
their per-100 rates and population, as real statistics do. None of it is published data.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

import pycountry

from pipeline.demo.worldbank_api import Economy, Indicator

YEARS = range(1990, 2025)
SEED = "ictp-demo-1"

REGIONS = {
    "EAS": "East Asia & Pacific",
    "ECS": "Europe & Central Asia",
    "LCN": "Latin America & Caribbean",
    "MEA": "Middle East & North Africa",
    "NAC": "North America",
    "SAS": "South Asia",
    "SSF": "Sub-Saharan Africa",
}
INCOMES = {
    "HIC": "High income",
    "UMC": "Upper middle income",
    "LMC": "Lower middle income",
    "LIC": "Low income",
}
LEVEL = {"HIC": 0.85, "UMC": 0.6, "LMC": 0.38, "LIC": 0.15}

# (ISO3, World Bank region, income group): an illustrative sample, not an official list.
COUNTRIES = [
    ("AFG", "SAS", "LIC"),
    ("ARG", "LCN", "UMC"),
    ("AUS", "EAS", "HIC"),
    ("BGD", "SAS", "LMC"),
    ("BRA", "LCN", "UMC"),
    ("CAN", "NAC", "HIC"),
    ("CHL", "LCN", "HIC"),
    ("CHN", "EAS", "UMC"),
    ("CIV", "SSF", "LMC"),
    ("COD", "SSF", "LIC"),
    ("COL", "LCN", "UMC"),
    ("DEU", "ECS", "HIC"),
    ("EGY", "MEA", "LMC"),
    ("ESP", "ECS", "HIC"),
    ("ETH", "SSF", "LIC"),
    ("FJI", "EAS", "UMC"),
    ("FRA", "ECS", "HIC"),
    ("GBR", "ECS", "HIC"),
    ("GHA", "SSF", "LMC"),
    ("HKG", "EAS", "HIC"),
    ("IDN", "EAS", "UMC"),
    ("IND", "SAS", "LMC"),
    ("IRN", "MEA", "UMC"),
    ("ITA", "ECS", "HIC"),
    ("JOR", "MEA", "UMC"),
    ("JPN", "EAS", "HIC"),
    ("KEN", "SSF", "LMC"),
    ("KOR", "EAS", "HIC"),
    ("LKA", "SAS", "LMC"),
    ("MAR", "MEA", "LMC"),
    ("MDG", "SSF", "LIC"),
    ("MEX", "LCN", "UMC"),
    ("MNG", "EAS", "LMC"),
    ("NGA", "SSF", "LMC"),
    ("NPL", "SAS", "LMC"),
    ("PAK", "SAS", "LMC"),
    ("PER", "LCN", "UMC"),
    ("PHL", "EAS", "LMC"),
    ("POL", "ECS", "HIC"),
    ("RWA", "SSF", "LIC"),
    ("SAU", "MEA", "HIC"),
    ("SEN", "SSF", "LMC"),
    ("SWE", "ECS", "HIC"),
    ("THA", "EAS", "UMC"),
    ("TUR", "ECS", "UMC"),
    ("TZA", "SSF", "LMC"),
    ("UGA", "SSF", "LIC"),
    ("UKR", "ECS", "UMC"),
    ("USA", "NAC", "HIC"),
    ("VNM", "EAS", "LMC"),
    ("ZAF", "SSF", "UMC"),
    ("ZMB", "SSF", "LMC"),
]
# Codes the World Bank uses that ISO 3166 lacks.
NON_ISO = {"XKX": ("XK", "Kosovo", "ECS", "UMC"), "CHI": ("JG", "Channel Islands", "ECS", "HIC")}
AGGREGATES = [
    ("WLD", "1W", "World", None),
    ("HIC", "XD", "High income", "HIC"),
    ("LMY", "XO", "Low & middle income", ("UMC", "LMC", "LIC")),
]

# (series code, economy, year, value): wrong on purpose; each must end in quarantine.
INVALID = [
    ("IT.NET.USER.ZS", "KEN", 2015, 140.0),  # a percentage above 100
    ("IT.MLT.MAIN", "PER", 2010, -1200),  # a negative count
    ("IT.CEL.SETS.P2", "MNG", 2012, 999.0),  # far above the plausible maximum
    ("SP.POP.TOTL", "SEN", 2005, "1,234,567"),  # text in a numeric field
]

NAMES = {
    "IT.MLT.MAIN": "Fixed telephone subscriptions",
    "IT.MLT.MAIN.P2": "Fixed telephone subscriptions (per 100 people)",
    "IT.CEL.SETS": "Mobile cellular subscriptions",
    "IT.CEL.SETS.P2": "Mobile cellular subscriptions (per 100 people)",
    "IT.NET.BBND": "Fixed broadband subscriptions",
    "IT.NET.BBND.P2": "Fixed broadband subscriptions (per 100 people)",
    "IT.NET.USER.ZS": "Individuals using the Internet (% of population)",
    "IT.NET.SECR.P6": "Secure Internet servers (per 1 million people)",
    "SP.POP.TOTL": "Population, total",
    "NY.GNP.PCAP.CD": "GNI per capita, Atlas method (current US$)",
    "SE.SEC.ENRR": "School enrollment, secondary (% gross)",
    "SE.TER.ENRR": "School enrollment, tertiary (% gross)",
}
COUNTS = {
    "IT.MLT.MAIN": "IT.MLT.MAIN.P2",
    "IT.CEL.SETS": "IT.CEL.SETS.P2",
    "IT.NET.BBND": "IT.NET.BBND.P2",
}


def economies() -> list[Economy]:
    out = []
    for iso3, region, income in COUNTRIES:
        c = pycountry.countries.get(alpha_3=iso3)
        name = getattr(c, "common_name", None) or c.name
        out.append(
            Economy(iso3, c.alpha_2, name, (region, REGIONS[region]), (income, INCOMES[income]))
        )
    for iso3, (iso2, name, region, income) in NON_ISO.items():
        out.append(Economy(iso3, iso2, name, (region, REGIONS[region]), (income, INCOMES[income])))
    for code, iso2, name, _members in AGGREGATES:
        out.append(Economy(code, iso2, name))
    return out


def _curve(rng: random.Random, level: float, code: str, year: int, state: dict) -> float | None:
    """One plausible value of `code` for a country at development `level` in `year`."""
    t = year - YEARS.start
    if code == "SP.POP.TOTL":
        return round(state["pop0"] * (1 + state["growth"]) ** t)
    if code == "IT.CEL.SETS.P2":
        if year < 1993 - 10 * level:
            return 0.0  # no network yet: a real zero
        sat = 70 + 90 * level + state["jitter"] * 20
        return sat / (1 + math.exp(-0.45 * (year - (2009 - 9 * level))))
    if code == "IT.MLT.MAIN.P2":
        peak = 2 + 55 * level**1.5
        return peak * math.exp(-(((year - 2003) / 14) ** 2)) + 0.5
    if code == "IT.NET.BBND.P2":
        if year < 2000:
            return None
        sat = 1 + 42 * level**1.6
        return sat / (1 + math.exp(-0.35 * (year - (2014 - 7 * level))))
    if code == "IT.NET.USER.ZS":
        sat = 45 + 53 * level
        return sat / (1 + math.exp(-0.3 * (year - (2015 - 10 * level))))
    if code == "IT.NET.SECR.P6":
        if year < 2010:
            return None
        return 10 ** (0.5 + 3.5 * level) * 1.25 ** (year - 2010)
    if code == "NY.GNP.PCAP.CD":
        return round((400 + 52000 * level**2.2) * 1.028**t * (1 + state["jitter"] * 0.1), -1)
    if code == "SE.SEC.ENRR":
        return min(135.0, 30 + 75 * level + t * 0.6 + state["jitter"] * 8)
    if code == "SE.TER.ENRR":
        return min(120.0, 3 + 60 * level**1.3 + t * 0.9 + state["jitter"] * 6)
    raise KeyError(code)


def _level(rng: random.Random, income: str) -> float:
    """A country's development level in [0.05, 0.97]: drives every made-up series."""
    return min(0.97, max(0.05, LEVEL[income] + rng.uniform(-0.1, 0.1)))


def indicators(codes: list[str] | None = None) -> dict[str, Indicator]:
    """Every demo series, keyed by World Bank code. Counts = per-100 rate x population / 100."""
    codes = codes or list(NAMES)
    table: dict[str, dict[tuple[str, int], object]] = {c: {} for c in NAMES}
    for iso3, income in _income_of().items():
        _add_country(table, iso3, income)
    _add_aggregates(table)
    for code, iso3, year, bad in INVALID:
        table[code][(iso3, year)] = bad
    return {
        code: Indicator(code, NAMES[code], table[code], YEARS, decimal=0 if _adds(code) else 1)
        for code in codes
        if code in NAMES
    }


def _income_of() -> dict[str, str]:
    """Every country's (not aggregate's) income group by ISO3, COUNTRIES first."""
    return {iso3: inc for iso3, _r, inc in COUNTRIES} | {k: v[3] for k, v in NON_ISO.items()}


def _adds(code: str) -> bool:
    """The series adds up over economies (counts and population), rather than averages."""
    return code in COUNTS or code == "SP.POP.TOTL"


def _add_country(table: dict, iso3: str, income: str) -> None:
    """Adds a country's values of every series to `table`: the made-up ones, then the counts
    from them."""
    base = random.Random(f"{SEED}:{iso3}")
    level = _level(base, income)
    state = {
        "pop0": 10 ** base.uniform(5.0, 8.4),
        "growth": 0.028 - 0.022 * level + base.uniform(-0.004, 0.004),
        "jitter": base.uniform(-1, 1),
    }
    for code in NAMES:
        if code not in COUNTS:
            table[code].update(_series_values(iso3, code, level, state))
    for count, rate in COUNTS.items():
        for year in YEARS:
            v, pop = table[rate].get((iso3, year)), table["SP.POP.TOTL"].get((iso3, year))
            if v is not None and pop:
                table[count][(iso3, year)] = round(v * pop / 100)


def _series_values(iso3: str, code: str, level: float, state: dict) -> dict:
    """A country's made-up values of a series by (economy, year), with gaps (population has
    none); none at all for one in 25 (series, country)."""
    rng = random.Random(f"{SEED}:{iso3}:{code}")
    if code != "SP.POP.TOTL" and rng.random() < 0.04:
        return {}  # this country never reported this series
    out = {}
    for year in YEARS:
        v = _curve(rng, level, code, year, state)
        gap = rng.random() < (0.35 if year == YEARS[-1] else 0.06)
        if v is None or (gap and code != "SP.POP.TOTL"):
            continue
        out[(iso3, year)] = round(v, 4) if isinstance(v, float) else v
    return out


def _add_aggregates(table: dict) -> None:
    """WLD, HIC, LMY: sums for counts, population-weighted means for everything else."""
    income_of = _income_of()
    pop = table["SP.POP.TOTL"]
    for code_, _iso2, _name, members in AGGREGATES:
        group = _group(members, income_of)
        for code, values in table.items():
            for year in YEARS:
                pairs = [(values.get((e, year)), pop.get((e, year))) for e in sorted(group)]
                agg = _aggregate(code, pairs, len(group))
                if agg is not None:
                    values[(code_, year)] = agg


def _group(members: str | tuple | None, income_of: dict[str, str]) -> set[str]:
    """The countries of an aggregate: all (None), or those of its income group(s)."""
    if members is None:
        return set(income_of)
    wanted = {members} if isinstance(members, str) else set(members)
    return {e for e, inc in income_of.items() if inc in wanted}


def _aggregate(code: str, pairs: list[tuple], size: int) -> float | int | None:
    """A group's value of `code` from its members' (value, population): their sum or
    population-weighted mean, or None if fewer than half of the `size` members have both."""
    pairs = [(v, p) for v, p in pairs if isinstance(v, int | float) and p]
    if len(pairs) < size / 2:
        return None
    if _adds(code):
        return sum(v for v, _p in pairs)
    return round(sum(v * p for v, p in pairs) / sum(p for _v, p in pairs), 4)


# ---------------------------------------------------------------- ITU DataHub stand-in data

# ITU codes of the concepts the World Bank republishes: the demo serves the same figures from
# both sources (as in reality), with a few differences for the disagreement check to find.
ITU_OF_WB = {
    "i112": "IT.MLT.MAIN",
    "i91": "IT.MLT.MAIN.P2",
    "i271": "IT.CEL.SETS",
    "i911": "IT.CEL.SETS.P2",
    "i4213tfbb": "IT.NET.BBND",
    "i992b": "IT.NET.BBND.P2",
    "i99H": "IT.NET.USER.ZS",
}
ITU_ISO = {"XKX": "KSO"}  # ITU writes Kosovo as KSO (indicators/economies/map.yml maps it)
ITU_ONLY = {"AAA": ("GGY", "Guernsey"), "GBJ": ("JEY", "Jersey")}  # ITU codes the Bank lacks
ITU_KEPT = {"ANT": "Neth. Antilles", "ASC": "Ascension"}  # listed by ITU, outside ISO 3166-1
ITU_REGION = {
    "SSF": ("AFR", 1, "Africa"),
    "MEA": ("ARB", 3, "Arab States"),
    "EAS": ("ASP", 4, "Asia & Pacific"),
    "SAS": ("ASP", 4, "Asia & Pacific"),
    "ECS": ("EUR", 5, "Europe"),
    "LCN": ("AMS", 2, "The Americas"),
    "NAC": ("AMS", 2, "The Americas"),
}
ITU_LDC = {"AFG", "BGD", "COD", "ETH", "MDG", "NPL", "RWA", "SEN", "TZA", "UGA", "ZMB"}
# ITU's regionIDs and names as its real region list writes them (itu-list-regions.json)
ITU_WORLD = (701, "World", "World")
ITU_LDC_REGION = (1894, "LDC", "Least Developed Countries (LDC)")
ITU_YEARS = range(2005, 2025)
# (ITU code, economy, year, value as sent): wrong on purpose; each must end in quarantine.
ITU_INVALID = [("i99H", "GHA", 2018, "n/a")]


def itu_countries() -> list[dict]:
    """GET /country/all: ITU CountryID, IsoCode, names and groupings (made up for the demo)."""
    out = []
    rows = [(iso3, region) for iso3, region, _inc in COUNTRIES] + [("XKX", "ECS")]
    rows += [(code, "ECS") for code in ITU_ONLY] + [(code, "LCN") for code in ITU_KEPT]
    for n, (code, region) in enumerate(sorted(rows), 1):
        iso3 = ITU_ONLY[code][0] if code in ITU_ONLY else code
        name = ITU_ONLY[code][1] if code in ITU_ONLY else ITU_KEPT.get(code)
        c = pycountry.countries.get(alpha_3=iso3)
        name = name or (getattr(c, "common_name", None) or c.name if c else "Kosovo")
        rcode, rid, rname = ITU_REGION[region]
        groups = [
            {
                "id": rid,
                "regionCode": rcode,
                "class": "ITU/BDT Classification",
                "classID": 1,
                "region": rname,
            },
            {
                "id": ITU_WORLD[0],
                "regionCode": ITU_WORLD[1],
                "class": "World, no regions",
                "classID": 187,
                "region": ITU_WORLD[2],
            },
        ]
        if iso3 in ITU_LDC:
            groups.append(
                {
                    "id": ITU_LDC_REGION[0],
                    "regionCode": ITU_LDC_REGION[1],
                    "class": "UN M49 LDC",
                    "classID": 0,
                    "region": ITU_LDC_REGION[2],
                }
            )
        out.append(
            {
                "CountryID": n,
                "IsoCode": ITU_ISO.get(code, code),
                "ShortName": name,
                "LongName": name,
                "Regions": groups,
            }
        )
    return out


def itu_regions() -> list[dict]:
    """GET /region/all: the regions the demo's countries belong to, as ITU's list writes them,
    and one of a class ictp does not pull (ITU's figures by 2022 World Bank income group)."""
    rows = sorted({("ITU/BDT Classification", c, n, i) for c, i, n in ITU_REGION.values()})
    rows += [
        ("World", *ITU_WORLD[1:], ITU_WORLD[0]),
        ("UN M49 LDC", *ITU_LDC_REGION[1:], ITU_LDC_REGION[0]),
    ]
    rows += [("WB_Income2022", "HI2022", "High income", 2087)]
    return [
        {"className": c, "regionCode": code, "regionName": name, "regionID": rid}
        for c, code, name, rid in rows
    ]


def itu_weights() -> dict[tuple[str, int], float]:
    """Population by (ITU IsoCode, year): what the ITU stand-in weights its aggregates with."""
    return {
        (ITU_ISO.get(iso3, iso3), year): v
        for (iso3, year), v in indicators(["SP.POP.TOTL"])["SP.POP.TOTL"].values.items()
        if isinstance(v, int | float) and iso3 not in {a[0] for a in AGGREGATES}
    }


def itu_series(catalog) -> dict:
    """Every ITU series of the catalog, keyed by codeID, in the DataHub stand-in's form."""
    from pipeline.demo.itu_api import ItuSeries

    wb = indicators()
    itu_only = _itu_only_table(wb)
    out = {}
    for s in catalog.series:
        if "itu" not in s.sources or not s.source_details.get("itu", {}).get("code_id"):
            continue
        code, code_id = s.sources["itu"], int(s.source_details["itu"]["code_id"])
        rng = random.Random(f"{SEED}:itu:{code}")
        base = _itu_base(code, s.kind, rng, wb, itu_only)
        values, sources = _itu_values(code, s.kind, base, rng)
        additive = s.kind in ("count", "quantity")  # ITU sums these over a region
        out[code_id] = ItuSeries(code_id, code, values, sources, additive=additive)
    return out


def _itu_base(code: str, kind: str, rng: random.Random, wb: dict, itu_only: dict) -> dict:
    """The values by (ISO3, year) ITU's series `code` is made from: the World Bank's of the
    same concept, the ITU-only table's, or else made up by its kind."""
    if code in ITU_OF_WB:
        return _itu_of_wb(code, wb[ITU_OF_WB[code]].values)
    if code in itu_only:
        return itu_only[code]
    return _itu_only_values(kind, rng)


def _itu_of_wb(code: str, wb_values: dict) -> dict:
    """The World Bank's values of ITU's `code` by (ISO3, year): countries only, without the
    deliberately invalid ones, and GBR's also as Guernsey's and Jersey's."""
    wrong = {(e, y) for c, e, y, _v in INVALID if c == ITU_OF_WB[code]}
    base = {
        k: v
        for k, v in wb_values.items()
        if k[0] not in {a[0] for a in AGGREGATES} and k not in wrong
    }
    for iso3, _name in ITU_ONLY.values():  # ITU has Guernsey and Jersey apart
        base |= {(iso3, y): v for (e, y), v in base.items() if e == "GBR"}
    return base


def _itu_values(code: str, kind: str, base: dict, rng: random.Random) -> tuple[dict, dict]:
    """(values as ITU sends them, their sources) by (ITU IsoCode, year): a few of the World
    Bank's figures revised, one in five an ITU estimate, ITU_INVALID's values as they are."""
    values, sources = {}, {}
    to_itu = {v[0]: k for k, v in ITU_ONLY.items()} | ITU_ISO
    for (iso3, year), v in sorted(base.items()):
        if code in ITU_OF_WB and rng.random() < 0.01:
            v = _revised(v, kind)
        key = (to_itu.get(iso3, iso3), year)
        values[key] = str(v if isinstance(v, int) else round(v, 6))
        sources[key] = "ITU estimate." if rng.random() < 0.2 else "National regulator"
    for c, iso3, year, bad in ITU_INVALID:
        if c == code:
            values[(iso3, year)] = bad
    return values, sources


def _revised(v: float, kind: str) -> float:
    """A World Bank figure as ITU revised it: 2% higher (a percentage at most 100)."""
    v = round(v * 1.02) if isinstance(v, int) else v * 1.02
    return min(v, 100.0) if kind == "percent" else v


# The ITU-only series the demo knows, made coherent with each other and with the World Bank
# series (coverage 2G >= 3G >= 4G >= 5G; smartphone owners <= mobile phone owners; counts =
# rate x population / 100; prices in % of GNI = USD price x 1200 / GNI per capita), so the
# cross-series checks have nothing to report but what the data gets wrong on purpose. An
# economy misses a year of all of them at once (one survey or regulator return is missing), so
# parts and wholes, counts and rates cover the same economies and so do ITU's aggregates of them.
def _itu_only_table(wb: dict) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(dict)  # ITU code -> {(economy, year): value}

    def number(series: str, key) -> float | None:
        v = wb[series].values.get(key)
        return v if isinstance(v, int | float) and v > 0 else None  # not the invalid ones

    def logistic(year, mid, top=100.0, slope=0.45):
        return top / (1 + math.exp(-slope * (year - mid)))

    for iso3, _region, income in COUNTRIES:
        level = _level(random.Random(f"{SEED}:{iso3}"), income)
        rng = random.Random(f"{SEED}:itu:{iso3}")
        ppp = 1 / (0.3 + 0.7 * level)  # prices look higher in PPP$ where incomes are low
        for year in ITU_YEARS:
            fb_usd = round(12 + 35 * level * 1.01 ** (year - 2005), 2)
            mb_usd = round(5 + 20 * level * 0.97 ** (year - 2005), 2)
            amb = logistic(year, 2014 - 6 * level, 40 + 110 * level, 0.4)
            owners = min(99.0, 35 + 60 * level + 0.8 * (year - 2005))
            row = {
                "i271pop": logistic(year, 1998 - 6 * level, 99.5),
                "i271G": logistic(year, 2009 - 6 * level, 99.5),
                "i271GA": logistic(year, 2016 - 6 * level, 99.5),
                "i271G5_pop": logistic(year, 2023 - 5 * level, 99.5),
                "i911mw": amb,
                "i271mw": round(amb * p / 100)
                if (p := number("SP.POP.TOTL", (iso3, year)))
                else None,
                "xHH6_IDI": logistic(year, 2014 - 10 * level, 5 + 93 * level, 0.3),
                "xHH18_IDI": owners,
                "HHU271sown_HHTotalIndividual": owners * logistic(year, 2015 - 5 * level, 1.0),
                "HHA699_HHTotalHousehold": 1.5 + 4 * (1 - level),
                "i154_FBB5$": fb_usd,
                "i154_FBB5_PPP": round(fb_usd * ppp, 2),
                "i271mb_5GB$": mb_usd,
                "i271mb_5GB_PPP": round(mb_usd * ppp, 2),
                "i4214": 10 ** (2 + 4 * level) * 1.3 ** (year - 2005),
            }
            if g := number("NY.GNP.PCAP.CD", (iso3, year)):
                row["i154_FBB5_GNI"] = fb_usd * 1200 / g
                row["i271mb_5GB_GNI"] = mb_usd * 1200 / g
            if rng.random() < 0.1:  # about one year in ten is missing
                continue
            for code, v in row.items():
                if v is not None:
                    out[code][(iso3, year)] = v
    return dict(out)


def _itu_only_values(kind: str, rng: random.Random) -> dict:
    """Plausible made-up values of a series only ITU serves, by its kind."""
    out = {}
    countries = [(iso3, inc) for iso3, _r, inc in COUNTRIES]
    for iso3, income in countries:
        level = LEVEL[income] + rng.uniform(-0.1, 0.1)
        for year in ITU_YEARS:
            if rng.random() < 0.1:
                continue
            t = year - 2015
            share = 100 / (1 + math.exp(-0.4 * (t + 12 * (level - 0.5))))
            out[(iso3, year)] = {
                "percent": share,
                "per_100": 1.3 * share,
                "count": round(share * 10 ** rng.uniform(4, 6)),
                "currency": 10 + 40 * (1 - level) * (1 - 0.02 * t),
                "gross_ratio": 30 * (1 - level) ** 2 + 0.3,
                "quantity": 10 ** (2 + 4 * level) * 1.3 ** (year - 2005),
            }.get(kind, share)
    return out

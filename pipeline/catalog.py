"""The catalog (indicators/*.yml): what to pull, what it means, which values are possible.

Loaded once per step, checked entry by entry (a bad entry names its file and id), and loaded
into DuckDB tables so SQL joins to it rather than pasting catalog values into its text.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from pipeline.errors import IctpError

# kind -> (default min, default max, whole numbers only). None = the series must set it.
KINDS = {
    "count": (0.0, math.inf, True),
    "per_100": (0.0, None, False),  # a catalog maximum is required (mobile > 100 is normal)
    "per_million": (0.0, math.inf, False),
    "percent": (0.0, 100.0, False),  # a share of a whole
    "gross_ratio": (0.0, None, False),  # a % that can exceed 100 (gross enrolment)
    "currency": (0.0, math.inf, False),
}
# Validation thresholds; series.yml may change them under `defaults:` or per series.
DEFAULTS = {
    "yoy_robust_z": 8.0,  # warn when a year-on-year change is this many robust SDs from usual
    "max_coverage_drop": 0.1,  # fail the batch when economies with data fall by more than this
    "tolerance": 0.02,  # relative tolerance of cross-series consistency checks
}
ACTIONS = ("drop", "override", "flag")


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    homepage: str
    licence_name: str
    licence_title: str
    licence_path: str
    attribution: str


@dataclass(frozen=True)
class Series:
    id: str
    name: str
    unit: str
    kind: str
    valid_min: float  # -inf when unbounded
    valid_max: float  # +inf when unbounded
    definition: str
    attribution: str | None
    sources: dict[str, str]  # source id -> the source's own code
    whole: bool = False  # values must be whole numbers (counts)
    yoy_robust_z: float = DEFAULTS["yoy_robust_z"]
    max_coverage_drop: float = DEFAULTS["max_coverage_drop"]
    tolerance: float = DEFAULTS["tolerance"]
    rate_count: str | None = None  # this series = rate_count / rate_population x rate_scale
    rate_population: str | None = None
    rate_scale: float | None = None
    not_above: str | None = None  # a part: never above this series (its whole)


@dataclass(frozen=True)
class Correction:
    """A known upstream error, applied in SQL staging (indicators/corrections.yml)."""

    series: str
    economy: str
    year_from: int
    year_to: int
    action: str  # drop | override | flag
    value: float | None
    reason: str
    reported_upstream: bool
    source: str | None = None


@dataclass(frozen=True)
class Catalog:
    dir: Path
    sources: dict[str, Source]
    series: tuple[Series, ...]
    corrections: tuple[Correction, ...] = ()

    def series_by_id(self) -> dict[str, Series]:
        return {s.id: s for s in self.series}

    def check_ids(self, ids: list[str]) -> None:
        unknown = sorted(set(ids) - set(self.series_by_id()))
        if unknown:
            raise IctpError(
                f"unknown series {', '.join(unknown)}: see the ids in "
                f"{self.dir / 'series.yml'} (or `ictp ingest --list-series`)"
            )

    def codes(self, source: str, only: list[str] | None = None) -> list[tuple[Series, str]]:
        """(series, source code) for every series the source serves, optionally filtered by id."""
        if only:
            self.check_ids(only)
        return [
            (s, s.sources[source])
            for s in self.series
            if source in s.sources and (not only or s.id in only)
        ]

    def load_into(self, con, schema: str = "input") -> None:
        """The catalog as DuckDB tables {schema}.catalog_series / _sources / _corrections."""
        sources = [
            {
                "source": s.id,
                "name": s.name,
                "homepage": s.homepage,
                "licence": s.licence_name,
                "licence_title": s.licence_title,
                "licence_url": s.licence_path,
                "attribution": s.attribution,
            }
            for s in self.sources.values()
        ]
        con.execute(f"create schema if not exists {schema}")
        _table(con, f"{schema}.catalog_series", SERIES_TABLE, self.series_rows())
        _table(con, f"{schema}.catalog_sources", SOURCES_TABLE, sources)
        _table(
            con,
            f"{schema}.catalog_corrections",
            CORRECTIONS_TABLE,
            [asdict(c) for c in self.corrections],
        )

    def series_rows(self) -> list[dict]:
        """One row per (series, source): the catalog as a table for DuckDB."""
        rows = []
        for s in self.series:
            for source, code in s.sources.items():
                src = self.sources[source]
                row = {"series": s.id, **asdict(s)}
                del row["id"], row["sources"]
                row.update(
                    source=source,
                    source_code=code,
                    licence=src.licence_name,
                    licence_url=src.licence_path,
                    attribution=" ".join(x for x in (s.attribution, src.attribution) if x),
                )
                rows.append(row)
        return rows


SERIES_TABLE = {
    "series": "varchar",
    "source": "varchar",
    "source_code": "varchar",
    "name": "varchar",
    "unit": "varchar",
    "kind": "varchar",
    "definition": "varchar",
    "valid_min": "double",
    "valid_max": "double",
    "whole": "boolean",
    "yoy_robust_z": "double",
    "max_coverage_drop": "double",
    "tolerance": "double",
    "rate_count": "varchar",
    "rate_population": "varchar",
    "rate_scale": "double",
    "not_above": "varchar",
    "licence": "varchar",
    "licence_url": "varchar",
    "attribution": "varchar",
}
SOURCES_TABLE = {
    "source": "varchar",
    "name": "varchar",
    "homepage": "varchar",
    "licence": "varchar",
    "licence_title": "varchar",
    "licence_url": "varchar",
    "attribution": "varchar",
}
CORRECTIONS_TABLE = {
    "series": "varchar",
    "economy": "varchar",
    "year_from": "integer",
    "year_to": "integer",
    "source": "varchar",
    "action": "varchar",
    "value": "double",
    "reason": "varchar",
    "reported_upstream": "boolean",
}


def _table(con, name: str, columns: dict[str, str], rows: list[dict]) -> None:
    con.execute(
        f"create or replace table {name} ("
        + ", ".join(f'"{c}" {t}' for c, t in columns.items())
        + ")"
    )
    if rows:
        con.executemany(
            f"insert into {name} values ({', '.join('?' for _ in columns)})",
            [[r[c] for c in columns] for r in rows],
        )


def load_catalog(catalog_dir: Path) -> Catalog:
    catalog_dir = Path(catalog_dir)
    sources_doc = _read_yaml(catalog_dir / "sources.yml")
    series_doc = _read_yaml(catalog_dir / "series.yml")
    defaults = {**DEFAULTS, **(series_doc.get("defaults") or {})}
    sources = {
        sid: _source(catalog_dir / "sources.yml", sid, entry)
        for sid, entry in (sources_doc.get("sources") or {}).items()
    }
    path = catalog_dir / "series.yml"
    series = []
    seen = set()
    for n, entry in enumerate(series_doc.get("series") or [], 1):
        s = _series(path, n, entry, sources, defaults)
        if s.id in seen:
            raise IctpError(f"{path}: series id {s.id!r} appears twice; ids must be unique")
        seen.add(s.id)
        series.append(s)
    if not series:
        raise IctpError(f"{path} lists no series: add at least one under `series:`")
    ids = {s.id for s in series}
    for s in series:
        for ref in (s.rate_count, s.rate_population, s.not_above):
            if ref and ref not in ids:
                raise IctpError(f"{path}: series {s.id} refers to unknown series {ref!r}")
    corrections = _corrections(catalog_dir / "corrections.yml", ids)
    return Catalog(catalog_dir, sources, tuple(series), corrections)


def _read_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except FileNotFoundError:
        raise IctpError(f"catalog file {path} is missing (set ICTP_CATALOG_DIR?)") from None
    except yaml.YAMLError as e:
        raise IctpError(f"{path} is not valid YAML: {e}") from None
    if not isinstance(doc, dict):
        raise IctpError(f"{path} must hold a mapping at the top level")
    return doc


def _source(path: Path, sid: str, e: dict) -> Source:
    try:
        lic = e["licence"]
        return Source(
            id=sid,
            name=e["name"],
            homepage=e.get("homepage", ""),
            licence_name=lic["name"],
            licence_title=lic.get("title", lic["name"]),
            licence_path=lic.get("path", ""),
            attribution=e["attribution"],
        )
    except (KeyError, TypeError) as err:
        raise IctpError(f"{path}: source {sid!r} lacks {err}; see the other entries") from None


def _series(path: Path, n: int, e: dict, sources: dict[str, Source], defaults: dict) -> Series:
    label = e.get("id", "no id") if isinstance(e, dict) else repr(e)
    where = f"{path}: series #{n} ({label})"
    if not isinstance(e, dict):
        raise IctpError(f"{where} must be a mapping")
    missing = [k for k in ("id", "name", "unit", "kind", "sources") if k not in e]
    if missing:
        raise IctpError(f"{where} lacks {', '.join(missing)}")
    if e["kind"] not in KINDS:
        raise IctpError(f"{where}: kind {e['kind']!r} is not one of {', '.join(KINDS)}")
    lo, hi, whole = KINDS[e["kind"]]
    if "valid_range" in e:
        rng = e["valid_range"]
        if not (isinstance(rng, list) and len(rng) == 2):
            raise IctpError(f"{where}: valid_range must be [min, max] (null for no bound)")
        lo = -math.inf if rng[0] is None else float(rng[0])
        hi = math.inf if rng[1] is None else float(rng[1])
    if hi is None:
        raise IctpError(f"{where}: kind {e['kind']} needs a maximum: set valid_range: [0, max]")
    if lo > hi:
        raise IctpError(f"{where}: valid_range min {lo} is above max {hi}")
    rate = e.get("rate_of") or {}
    if rate and not {"count", "population"} <= set(rate):
        raise IctpError(f"{where}: rate_of needs count and population (and scale, default 100)")
    try:
        limits = {k: float(e.get(k, defaults[k])) for k in DEFAULTS}
    except (TypeError, ValueError):
        raise IctpError(f"{where}: {', '.join(DEFAULTS)} must be numbers") from None
    codes = e["sources"]
    if not isinstance(codes, dict) or not codes:
        raise IctpError(f"{where}: sources must map a source id to its code")
    unknown = sorted(set(codes) - set(sources))
    if unknown:
        raise IctpError(f"{where}: unknown source {', '.join(unknown)} (not in sources.yml)")
    return Series(
        id=str(e["id"]),
        name=str(e["name"]),
        unit=str(e["unit"]),
        kind=e["kind"],
        valid_min=lo,
        valid_max=hi,
        definition=str(e.get("definition", "")),
        attribution=e.get("attribution"),
        sources={k: str(v) for k, v in codes.items()},
        whole=whole,
        **limits,
        rate_count=rate.get("count"),
        rate_population=rate.get("population"),
        rate_scale=float(rate.get("scale", 100)) if rate else None,
        not_above=e.get("not_above"),
    )


def _corrections(path: Path, series_ids: set[str]) -> tuple[Correction, ...]:
    if not path.exists():
        return ()
    out = []
    for n, e in enumerate(_read_yaml(path).get("corrections") or [], 1):
        where = f"{path}: correction #{n}"
        if not isinstance(e, dict):
            raise IctpError(f"{where} must be a mapping")
        missing = [k for k in ("series", "economy", "years", "action", "reason") if k not in e]
        if missing:
            raise IctpError(f"{where} lacks {', '.join(missing)}")
        if e["series"] not in series_ids:
            raise IctpError(f"{where}: unknown series {e['series']!r}")
        if e["action"] not in ACTIONS:
            raise IctpError(f"{where}: action must be one of {', '.join(ACTIONS)}")
        if (e["action"] == "override") != (e.get("value") is not None):
            raise IctpError(f"{where}: give a value with action override, and only then")
        years = e["years"]
        try:
            if isinstance(years, int):
                y0 = y1 = years
            elif isinstance(years, list) and len(years) == 2:
                y0, y1 = int(years[0]), int(years[1])
            else:
                raise ValueError
        except (TypeError, ValueError):
            raise IctpError(f"{where}: years must be a year or [first, last]") from None
        out.append(
            Correction(
                series=e["series"],
                economy=str(e["economy"]),
                year_from=y0,
                year_to=y1,
                action=e["action"],
                value=None if e.get("value") is None else float(e["value"]),
                reason=str(e["reason"]),
                reported_upstream=bool(e.get("reported_upstream", False)),
                source=e.get("source"),
            )
        )
    return tuple(out)

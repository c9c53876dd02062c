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

KINDS = ("count", "per_100", "per_million", "percent", "gross_ratio", "currency")


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


@dataclass(frozen=True)
class Catalog:
    dir: Path
    sources: dict[str, Source]
    series: tuple[Series, ...]

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


def load_catalog(catalog_dir: Path) -> Catalog:
    catalog_dir = Path(catalog_dir)
    sources_doc = _read_yaml(catalog_dir / "sources.yml")
    series_doc = _read_yaml(catalog_dir / "series.yml")
    sources = {
        sid: _source(catalog_dir / "sources.yml", sid, entry)
        for sid, entry in (sources_doc.get("sources") or {}).items()
    }
    path = catalog_dir / "series.yml"
    series = []
    seen = set()
    for n, entry in enumerate(series_doc.get("series") or [], 1):
        s = _series(path, n, entry, sources)
        if s.id in seen:
            raise IctpError(f"{path}: series id {s.id!r} appears twice; ids must be unique")
        seen.add(s.id)
        series.append(s)
    if not series:
        raise IctpError(f"{path} lists no series: add at least one under `series:`")
    return Catalog(dir=catalog_dir, sources=sources, series=tuple(series))


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


def _series(path: Path, n: int, e: dict, sources: dict[str, Source]) -> Series:
    label = e.get("id", "no id") if isinstance(e, dict) else repr(e)
    where = f"{path}: series #{n} ({label})"
    if not isinstance(e, dict):
        raise IctpError(f"{where} must be a mapping")
    missing = [k for k in ("id", "name", "unit", "kind", "valid_range", "sources") if k not in e]
    if missing:
        raise IctpError(f"{where} lacks {', '.join(missing)}")
    if e["kind"] not in KINDS:
        raise IctpError(f"{where}: kind {e['kind']!r} is not one of {', '.join(KINDS)}")
    rng = e["valid_range"]
    if not (isinstance(rng, list) and len(rng) == 2):
        raise IctpError(f"{where}: valid_range must be [min, max] (null for no bound)")
    lo = -math.inf if rng[0] is None else float(rng[0])
    hi = math.inf if rng[1] is None else float(rng[1])
    if lo > hi:
        raise IctpError(f"{where}: valid_range min {lo} is above max {hi}")
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
    )

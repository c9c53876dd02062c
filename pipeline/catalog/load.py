"""The whole catalog: read every file, validate each entry, and load it into DuckDB."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalog.base import entry_label, validate
from pipeline.catalog.corrections import CORRECTIONS_TABLE, Correction, CorrectionsFile
from pipeline.catalog.economies import (
    GROUP_SETTINGS_TABLE,
    GROUP_TYPES_TABLE,
    GROUPS_TABLE,
    EconomyMap,
    Group,
    GroupsFile,
    GroupType,
)
from pipeline.catalog.files import FilesFile, FileSpec
from pipeline.catalog.series import SERIES_TABLE, Kind, Series, SeriesAtSource, SeriesFile  # noqa: F401
from pipeline.catalog.sources import (
    AGGREGATE_CLASSES_TABLE,
    SOURCES_TABLE,
    Source,
    SourceClass,
    SourcesFile,
    Tolerance,
)
from pipeline.errors import IctpError
from pipeline.yaml_file import read_yaml


@dataclass(frozen=True)
class Groups:
    """economies/groups.yml, validated."""

    coverage: GroupsFile
    types: tuple[GroupType, ...]
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Catalog:
    dir: Path
    sources: dict[str, Source]
    series: tuple[Series, ...]
    precedence: tuple[str, ...] = ()
    tolerance: tuple[float, float] = (0.01, 0.0)
    files: tuple[FileSpec, ...] = ()
    economy_map: EconomyMap = field(default_factory=EconomyMap)
    corrections: tuple[Correction, ...] = ()
    kinds: dict[str, Kind] = field(default_factory=dict)
    groups: Groups | None = None

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

    def rank(self, series: Series, source: str) -> int:
        """The source's place in the series' precedence (1 = preferred); unlisted sources last."""
        order = series.precedence or self.precedence
        for i, pattern in enumerate(order, 1):
            if fnmatch.fnmatchcase(source, pattern):
                return i
        return len(order) + 1

    def series_at_sources(self) -> list[SeriesAtSource]:
        """One row per (series, source): input.catalog_series."""
        return [
            SeriesAtSource.model_construct(
                series=s,
                source=self.sources[source],
                code=s.code(source),
                precedence=self.rank(s, source),
                tolerance=s.tolerance
                or Tolerance.model_construct(
                    relative=self.tolerance[0], absolute=self.tolerance[1]
                ),
            )
            for s in self.series
            for source in s.source_codes
        ]

    def load_into(self, con, schema: str = "input") -> None:
        """The catalog as DuckDB tables {schema}.catalog_series / _sources / _corrections /
        _aggregate_classes / _group_types / _groups / _group_settings."""
        con.execute(f"create schema if not exists {schema}")
        SERIES_TABLE.create(con, schema, self.series_at_sources())
        SOURCES_TABLE.create(con, schema, list(self.sources.values()))
        AGGREGATE_CLASSES_TABLE.create(
            con,
            schema,
            [
                SourceClass.model_construct(source=s, klass=c)
                for s in self.sources.values()
                for c in s.aggregate_classes
            ],
        )
        CORRECTIONS_TABLE.create(con, schema, list(self.corrections))
        if self.groups is not None:
            GROUP_TYPES_TABLE.create(con, schema, list(self.groups.types))
            GROUPS_TABLE.create(con, schema, list(self.groups.groups))
            GROUP_SETTINGS_TABLE.create(con, schema, [self.groups.coverage])


def load_catalog(
    catalog_dir: Path, files_path: Path | None = None, file_roots: tuple[Path, ...] = ()
) -> Catalog:
    """Read the catalog; `files_path` (ICTP_FILES) overrides <catalog_dir>/files.yml, and a
    local file may lie inside its list's folder or inside one of `file_roots`."""
    catalog_dir = Path(catalog_dir)
    sources_path = catalog_dir / "sources.yml"
    sources_doc = validate(SourcesFile, read_yaml(sources_path), sources_path, "top level")
    sources = {
        sid: validate(
            Source, _keyed(sources_path, f"source {sid}", sid, e), sources_path, f"source {sid}"
        )
        for sid, e in sources_doc.sources.items()
    }
    tolerance = (sources_doc.agreement.relative, sources_doc.agreement.absolute)
    series, kinds = _series(catalog_dir / "series.yml", sources)

    files_path = Path(files_path) if files_path else catalog_dir / "files.yml"
    files = _files(files_path, series, sources, file_roots) if files_path.exists() else ()
    for spec in files:
        sources[spec.source] = spec.as_source(sources)
        for label, sid in spec.series.items():
            s = series[sid]
            code = {**s.source_codes, spec.source: label}
            series[sid] = s.model_copy(update={"source_codes": code})
    map_path = catalog_dir / "economies" / "map.yml"
    economy_map = (
        validate(EconomyMap, read_yaml(map_path), map_path, "top level", sources=sources)
        if map_path.exists()
        else EconomyMap()
    )
    return Catalog(
        dir=catalog_dir,
        sources=sources,
        series=tuple(series.values()),
        precedence=tuple(sources_doc.precedence),
        tolerance=tolerance,
        files=files,
        economy_map=economy_map,
        corrections=_corrections(catalog_dir / "corrections.yml", set(series)),
        kinds=kinds,
        groups=_groups(catalog_dir / "economies" / "groups.yml"),
    )


def _keyed(path: Path, where: str, key: str, entry: dict) -> dict:
    """An entry listed under its id: the id joins its fields (and is no key of its own)."""
    if "id" in entry:
        raise IctpError(f"{path}: {where}: unknown key id (the entry's key is its id)")
    return {**entry, "id": key}


def _series(path: Path, sources: dict[str, Source]) -> tuple[dict[str, Series], dict[str, Kind]]:
    doc = validate(SeriesFile, read_yaml(path), path, "top level")
    out: dict[str, Series] = {}
    for n, e in enumerate(doc.series, 1):
        where = entry_label("series", n, e)
        s = validate(Series, e, path, where, kinds=doc.kinds, defaults=doc.defaults)
        if s.id in out:
            raise IctpError(
                f"{path}: {where}: series id {s.id!r} appears twice; ids must be unique"
            )
        unknown = sorted(set(s.source_codes) - set(sources))
        if unknown:
            raise IctpError(
                f"{path}: {where}: unknown source {', '.join(unknown)} (not in sources.yml)"
            )
        out[s.id] = s
    for s in out.values():
        for ref in (s.rate_count, s.rate_population, s.not_above):
            if ref and ref not in out:
                raise IctpError(f"{path}: series {s.id} refers to unknown series {ref!r}")
    return out, dict(doc.kinds)


def _files(path: Path, series: dict[str, Series], sources, roots) -> tuple[FileSpec, ...]:
    doc = validate(FilesFile, read_yaml(path), path, "top level")
    out, seen = [], set()
    for n, e in enumerate(doc.files, 1):
        where = entry_label("file", n, e, "name")
        spec = validate(
            FileSpec, e, path, where, folder=path.parent, roots=tuple(roots), series=series,
            sources=sources,
        )  # fmt: skip
        if spec.name in seen:
            raise IctpError(
                f"{path}: {where}: file name {spec.name!r} appears twice; names must be unique"
            )
        seen.add(spec.name)
        out.append(spec)
    return tuple(out)


def _corrections(path: Path, series_ids: set[str]) -> tuple[Correction, ...]:
    if not path.exists():
        return ()
    doc = validate(CorrectionsFile, read_yaml(path), path, "top level")
    return tuple(
        validate(Correction, e, path, f"correction #{n}", series_ids=series_ids)
        for n, e in enumerate(doc.corrections, 1)
    )


def _groups(path: Path) -> Groups:
    doc = validate(GroupsFile, read_yaml(path), path, "top level")
    types = tuple(
        validate(
            GroupType, _keyed(path, f"group type {t}", t, e), path, f"group type {t}", position=n
        )
        for n, (t, e) in enumerate(doc.types.items(), 1)
    )
    groups = tuple(
        validate(Group, e, path, entry_label("group", n, e, "code"), position=n)
        for n, e in enumerate(doc.groups, 1)
    )
    known = {t.id for t in types}
    for g in groups:
        if g.type not in known:
            raise IctpError(f"{path}: group {g.code}: type {g.type!r} is not one of types:")
    return Groups(doc, types, groups)

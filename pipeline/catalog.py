"""The catalog (indicators/*.yml): what to pull, what it means, which values are possible.

Loaded once per step, checked entry by entry (a bad entry names its file and id), and loaded
into DuckDB tables so SQL joins to it rather than pasting catalog values into its text.

    sources.yml             each source's licence, attribution, commercial use, the classes of
                            regions whose aggregates it publishes and we pull; the precedence
                            order when sources overlap; the tolerance of the disagreement check
    series.yml              the series, and each source's code for them
    files.yml               local CSV/XLSX drops read by the `file` source (ICTP_FILES overrides)
    economies/map.yml       economy codes that differ between sources, and codes kept as they are
    corrections.yml         known upstream errors: drop, override or flag, applied in SQL
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from pipeline.errors import IctpError

# libyaml's safe loader where PyYAML was built with it (ten times faster), else Python's
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# kind -> (default min, default max, whole numbers only). None = the series must set it.
KINDS = {
    "count": (0.0, math.inf, True),
    "quantity": (0.0, math.inf, False),  # an amount in a physical unit (Mbit/s)
    "per_100": (0.0, None, False),  # a catalog maximum is required (mobile > 100 is normal)
    "per_million": (0.0, math.inf, False),
    "percent": (0.0, 100.0, False),  # a share of a whole
    "gross_ratio": (0.0, None, False),  # a % that can exceed 100 (gross enrolment, prices)
    "currency": (0.0, math.inf, False),
}
# Validation thresholds; series.yml may change them under `defaults:` or per series.
DEFAULTS = {
    "yoy_robust_z": 8.0,  # warn when a year-on-year change is this many robust SDs from usual
    "max_coverage_drop": 0.1,  # fail the batch when economies with data fall by more than this
    "check_tolerance": 0.02,  # relative tolerance of the cross-series checks (rate_of, not_above)
}
ACTIONS = ("drop", "override", "flag")
FILE_PREFIX = "file:"
FILE_FORMATS = ("csv", "xlsx", "itu_datahub_csv")
# The ITU DataHub bulk CSV export: which of its columns hold what (SOURCES.md, section 2a).
ITU_CSV_COLUMNS = {
    "economy": "entityIso",
    "year": "dataYear",
    "value": "dataValue",
    "series": "seriesCode",
    "note": "dataNote",
    "source_note": "dataSource",
}
FILE_COLUMNS = ("economy", "year", "value", "series", "note", "source_note", "status")


@dataclass(frozen=True)
class AggregateClass:
    """A class of a source's regions whose aggregates are pulled (sources.yml `aggregates`)."""

    name: str  # the source's own class name (ITU's className)
    group_type: str  # the kind of group of ours its regions are (world, itu_region, un_list...)
    group_code: str | None = None  # our group's code; None: the region's own code


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    homepage: str
    licence_name: str
    licence_title: str
    licence_path: str
    attribution: str
    commercial_use: bool = True  # False: left out by `ictp export --redistributable`
    republishes: bool = False  # True: a series' own attribution (its producer) comes first
    estimate_prefix: str | None = None  # a note starting with this marks an estimate (obs_status E)
    aggregate_prefix: str | None = None  # our economy code of its aggregates: prefix + region code
    aggregate_classes: tuple[AggregateClass, ...] = ()  # whose regions' aggregates are pulled


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
    # source id -> {code_id, confirmed, note}: the API's numeric id and how sure we are of it
    source_details: dict[str, dict] = field(default_factory=dict)
    precedence: tuple[str, ...] | None = None  # overrides the catalog default
    tolerance: tuple[float, float] | None = None  # (relative, absolute); overrides the default
    whole: bool = False  # values must be whole numbers (counts)
    yoy_robust_z: float = DEFAULTS["yoy_robust_z"]
    max_coverage_drop: float = DEFAULTS["max_coverage_drop"]
    check_tolerance: float = DEFAULTS["check_tolerance"]
    rate_count: str | None = None  # this series = rate_count / rate_population x rate_scale
    rate_population: str | None = None
    rate_scale: float | None = None
    not_above: str | None = None  # a part: never above this series (its whole)


@dataclass(frozen=True)
class Correction:
    """A known upstream error, applied in the SQL models (indicators/corrections.yml)."""

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
class FileSpec:
    """One local file the `file` source reads (an entry of files.yml)."""

    name: str  # the source is file:<name>
    path: Path
    format: str  # csv | xlsx | itu_datahub_csv
    layout: str  # long | wide
    columns: dict[str, str]  # role (economy, year, value, series, note...) -> column name
    series: dict[str | None, str]  # label in the file (None: every row) -> catalog series id
    economy_by: str = "code"  # code | name
    economy_codes: str | None = None  # the source whose code map applies (e.g. itu)
    names: dict[str, str] = field(default_factory=dict)  # economy name -> code, for this file
    exclude: tuple[str, ...] = ()  # economy names whose rows are not economies (totals...)
    ignore_series: tuple[str, ...] = ()  # labels in the file we knowingly do not read
    sheet: str | None = None  # xlsx
    header_row: int = 1
    missing: tuple[str, ...] = ("", "..", "-", "n/a", "NA")
    estimate_prefix: str | None = None
    terms: str | dict | None = None  # a sources.yml id, or {licence, attribution, commercial_use}

    @property
    def source(self) -> str:
        return FILE_PREFIX + self.name


@dataclass(frozen=True)
class EconomyMap:
    codes: dict[str, dict[str, str]]  # source -> {the source's code: our code}
    keep: dict[str, dict]  # codes outside ISO 3166-1 kept as they are -> {name, why}

    def rows(self) -> list[dict]:
        """One row per entry: (source, code, iso3, kind code|keep, name, why)."""
        out = [
            {"source": s, "code": c, "iso3": t, "kind": "code", "name": None, "why": None}
            for s, m in sorted(self.codes.items())
            for c, t in sorted(m.items())
        ]
        out += [
            {"source": None, "code": c, "iso3": c, "kind": "keep", **self.keep[c]}
            for c in sorted(self.keep)
        ]
        return out


@dataclass(frozen=True)
class Catalog:
    dir: Path
    sources: dict[str, Source]
    series: tuple[Series, ...]
    precedence: tuple[str, ...] = ()
    tolerance: tuple[float, float] = (0.01, 0.0)
    files: tuple[FileSpec, ...] = ()
    economy_map: EconomyMap = field(default_factory=lambda: EconomyMap({}, {}))
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

    def rank(self, series: Series, source: str) -> int:
        """The source's place in the series' precedence (1 = preferred); unlisted sources last."""
        order = series.precedence or self.precedence
        for i, pattern in enumerate(order, 1):
            if fnmatch.fnmatchcase(source, pattern):
                return i
        return len(order) + 1

    def series_rows(self) -> list[dict]:
        """One row per (series, source): the catalog as a table for DuckDB."""
        rows = []
        for s in self.series:
            rel, absolute = s.tolerance or self.tolerance
            for source, code in s.sources.items():
                src = self.sources[source]
                details = s.source_details.get(source, {})
                own = s.attribution if src.republishes else None
                rows.append(
                    {
                        "series": s.id,
                        "name": s.name,
                        "unit": s.unit,
                        "kind": s.kind,
                        "valid_min": s.valid_min,
                        "valid_max": s.valid_max,
                        "definition": s.definition,
                        "source": source,
                        "source_code": code,
                        "source_code_id": details.get("code_id"),
                        "code_confirmed": details.get("confirmed", True),
                        "code_note": details.get("note"),
                        "precedence": self.rank(s, source),
                        "tolerance_relative": rel,
                        "tolerance_absolute": absolute,
                        "whole": s.whole,
                        "yoy_robust_z": s.yoy_robust_z,
                        "max_coverage_drop": s.max_coverage_drop,
                        "check_tolerance": s.check_tolerance,
                        "rate_count": s.rate_count,
                        "rate_population": s.rate_population,
                        "rate_scale": s.rate_scale,
                        "not_above": s.not_above,
                        "licence": src.licence_name,
                        "licence_url": src.licence_path,
                        "commercial_use": src.commercial_use,
                        "attribution": " ".join(x for x in (own, src.attribution) if x),
                    }
                )
        return rows

    def source_rows(self) -> list[dict]:
        return [
            {
                "source": s.id,
                "name": s.name,
                "homepage": s.homepage,
                "licence": s.licence_name,
                "licence_title": s.licence_title,
                "licence_url": s.licence_path,
                "attribution": s.attribution,
                "commercial_use": s.commercial_use,
            }
            for s in self.sources.values()
        ]

    def aggregate_class_rows(self) -> list[dict]:
        """One row per class of a source's regions whose aggregates are pulled."""
        return [
            {
                "source": s.id,
                "class": c.name,
                "code_prefix": s.aggregate_prefix,
                "group_type": c.group_type,
                "group_code": c.group_code,
            }
            for s in self.sources.values()
            for c in s.aggregate_classes
        ]

    def load_into(self, con, schema: str = "input") -> None:
        """The catalog as DuckDB tables {schema}.catalog_series / _sources / _corrections /
        _aggregate_classes."""
        con.execute(f"create schema if not exists {schema}")
        create_table(con, f"{schema}.catalog_series", SERIES_TABLE, self.series_rows())
        create_table(con, f"{schema}.catalog_sources", SOURCES_TABLE, self.source_rows())
        create_table(
            con,
            f"{schema}.catalog_aggregate_classes",
            AGGREGATE_CLASSES_TABLE,
            self.aggregate_class_rows(),
        )
        create_table(
            con,
            f"{schema}.catalog_corrections",
            CORRECTIONS_TABLE,
            [asdict(c) for c in self.corrections],
        )


SERIES_TABLE = {
    "series": "varchar",
    "source": "varchar",
    "source_code": "varchar",
    "source_code_id": "varchar",
    "code_confirmed": "boolean",
    "code_note": "varchar",
    "name": "varchar",
    "unit": "varchar",
    "kind": "varchar",
    "definition": "varchar",
    "valid_min": "double",
    "valid_max": "double",
    "whole": "boolean",
    "precedence": "integer",
    "tolerance_relative": "double",
    "tolerance_absolute": "double",
    "yoy_robust_z": "double",
    "max_coverage_drop": "double",
    "check_tolerance": "double",
    "rate_count": "varchar",
    "rate_population": "varchar",
    "rate_scale": "double",
    "not_above": "varchar",
    "licence": "varchar",
    "licence_url": "varchar",
    "commercial_use": "boolean",
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
    "commercial_use": "boolean",
}
AGGREGATE_CLASSES_TABLE = {
    "source": "varchar",
    "class": "varchar",
    "code_prefix": "varchar",
    "group_type": "varchar",
    "group_code": "varchar",
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


def create_table(con, name: str, columns: dict[str, str], rows: list[dict]) -> None:
    """A DuckDB table with explicit column types (a column of NULLs keeps its type)."""
    con.execute(
        f"create or replace table {name} ("
        + ", ".join(f'"{c}" {t}' for c, t in columns.items())
        + ")"
    )
    row = f"({', '.join('?' for _ in columns)})"
    for start in range(0, len(rows), 500):  # a statement per 500 rows (executemany: 1 ms a row)
        chunk = rows[start : start + 500]
        con.execute(
            f"insert into {name} values {', '.join(row for _ in chunk)}",
            [r[c] for r in chunk for c in columns],
        )


def load_catalog(catalog_dir: Path, files_path: Path | None = None) -> Catalog:
    """Read the catalog; `files_path` (ICTP_FILES) overrides <catalog_dir>/files.yml."""
    catalog_dir = Path(catalog_dir)
    sources_path = catalog_dir / "sources.yml"
    sources_doc = _read_yaml(sources_path)
    series_doc = _read_yaml(catalog_dir / "series.yml")
    sources = {
        sid: _source(sources_path, sid, entry)
        for sid, entry in (sources_doc.get("sources") or {}).items()
    }
    defaults = {**DEFAULTS, **(series_doc.get("defaults") or {})}
    precedence = tuple(str(x) for x in sources_doc.get("precedence") or ())
    tolerance = _tolerance(sources_path, "agreement", sources_doc.get("agreement"), (0.01, 0.0))
    path = catalog_dir / "series.yml"
    series = []
    seen = set()
    for n, entry in enumerate(series_doc.get("series") or [], 1):
        s = _series(path, n, entry, sources, tolerance, defaults)
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

    files_path = Path(files_path) if files_path else catalog_dir / "files.yml"
    files = _files(files_path, {s.id: s for s in series}, sources) if files_path.exists() else ()
    for spec in files:
        sources[spec.source] = _file_source(files_path, spec, sources)
    by_id = {s.id: s for s in series}
    for spec in files:
        for label, sid in spec.series.items():
            s = by_id[sid]
            by_id[sid] = Series(**{**s.__dict__, "sources": {**s.sources, spec.source: label}})
    return Catalog(
        dir=catalog_dir,
        sources=sources,
        series=tuple(by_id[s.id] for s in series),
        precedence=precedence,
        tolerance=tolerance,
        files=files,
        economy_map=_economy_map(catalog_dir / "economies" / "map.yml", sources),
        corrections=_corrections(catalog_dir / "corrections.yml", ids),
    )


def _read_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise IctpError(f"catalog file {path} is missing (set ICTP_CATALOG_DIR?)") from None
    except yaml.YAMLError as e:
        raise IctpError(f"{path} is not valid YAML: {' '.join(str(e).split())}") from None
    if doc is None:
        return {}
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
            commercial_use=bool(e.get("commercial_use", True)),
            republishes=bool(e.get("republishes", False)),
            estimate_prefix=e.get("estimate_prefix"),
            **_aggregates(path, sid, e.get("aggregates")),
        )
    except (KeyError, TypeError) as err:
        raise IctpError(f"{path}: source {sid!r} lacks {err}; see the other entries") from None


def _aggregates(path: Path, sid: str, e) -> dict:
    """A source's `aggregates:` entry: {code_prefix, classes: {class name: {group_type,
    group_code}}}, as Source fields."""
    if e is None:
        return {}
    where = f"{path}: source {sid}: aggregates"
    classes = e.get("classes") if isinstance(e, dict) else None
    prefix = e.get("code_prefix") if isinstance(e, dict) else None
    if not (isinstance(prefix, str) and prefix.strip() and isinstance(classes, dict) and classes):
        raise IctpError(
            f'{where} must be {{code_prefix: "ITU.", classes: {{<class name>: '
            "{group_type: <world | itu_region | un_list ...>, group_code: <optional>}}}}"
        )
    out = []
    for name, c in classes.items():
        if not (isinstance(c, dict) and isinstance(c.get("group_type"), str)):
            raise IctpError(f"{where}: class {name!r} needs {{group_type: ...}}")
        code = c.get("group_code")
        out.append(AggregateClass(str(name), c["group_type"], None if code is None else str(code)))
    return {"aggregate_prefix": prefix, "aggregate_classes": tuple(out)}


def _tolerance(path: Path, where: str, e, default: tuple[float, float]) -> tuple[float, float]:
    if e is None:
        return default
    try:
        rel, absolute = float(e.get("relative", 0.0)), float(e.get("absolute", 0.0))
    except (AttributeError, TypeError, ValueError):
        raise IctpError(
            f"{path}: {where} must be {{relative: 0.01, absolute: 0}} (numbers)"
        ) from None
    if rel < 0 or absolute < 0:
        raise IctpError(f"{path}: {where} tolerances cannot be negative")
    return rel, absolute


def _series(
    path: Path,
    n: int,
    e: dict,
    sources: dict[str, Source],
    tolerance: tuple[float, float],
    defaults: dict,
) -> Series:
    label = e.get("id", "no id") if isinstance(e, dict) else repr(e)
    where = f"{path}: series #{n} ({label})"
    _require(where, e, ("id", "name", "unit", "kind", "sources"))
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
    plain, details = {}, {}
    for source, code in codes.items():
        if isinstance(code, dict):  # {code: i99H, code_id: 11624, confirmed: false, note: ...}
            if "code" not in code:
                raise IctpError(f"{where}: sources.{source} lacks code")
            plain[source] = str(code["code"])
            details[source] = {
                "code_id": None if code.get("code_id") is None else str(code["code_id"]),
                "confirmed": bool(code.get("confirmed", True)),
                "note": code.get("note"),
                # false: the source publishes no aggregates of it (do not ask for them)
                "aggregates": bool(code.get("aggregates", True)),
            }
        else:
            plain[source] = str(code)
    precedence = e.get("precedence")
    if precedence is not None and not isinstance(precedence, list):
        raise IctpError(f"{where}: precedence must be a list of source ids, first preferred")
    return Series(
        id=str(e["id"]),
        name=str(e["name"]),
        unit=str(e["unit"]),
        kind=e["kind"],
        valid_min=lo,
        valid_max=hi,
        definition=str(e.get("definition", "")),
        attribution=e.get("attribution"),
        sources=plain,
        source_details=details,
        precedence=tuple(str(x) for x in precedence) if precedence else None,
        tolerance=_tolerance(path, f"series {label} tolerance", e["tolerance"], tolerance)
        if e.get("tolerance") is not None
        else None,
        whole=whole,
        **limits,
        rate_count=rate.get("count"),
        rate_population=rate.get("population"),
        rate_scale=float(rate.get("scale", 100)) if rate else None,
        not_above=e.get("not_above"),
    )


def _files(path: Path, series: dict[str, Series], sources: dict[str, Source]) -> tuple:
    doc = _read_yaml(path)
    out, seen = [], set()
    for n, e in enumerate(doc.get("files") or [], 1):
        spec = _file_spec(path, n, e, series, sources)
        if spec.name in seen:
            raise IctpError(f"{path}: file name {spec.name!r} appears twice; names must be unique")
        seen.add(spec.name)
        out.append(spec)
    return tuple(out)


def _file_spec(path: Path, n: int, e, series: dict[str, Series], sources) -> FileSpec:
    label = e.get("name", "no name") if isinstance(e, dict) else repr(e)
    where = f"{path}: file #{n} ({label})"
    if not isinstance(e, dict) or "name" not in e or "path" not in e:
        raise IctpError(f"{where} must be a mapping with at least name and path")
    fpath = Path(e["path"])
    if not fpath.is_absolute():
        fpath = (path.parent / fpath).resolve()
    fmt = e.get("format") or ("xlsx" if fpath.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    if fmt not in FILE_FORMATS:
        raise IctpError(f"{where}: format {fmt!r} is not one of {', '.join(FILE_FORMATS)}")
    preset = fmt == "itu_datahub_csv"
    layout = e.get("layout", "long")
    if layout not in ("long", "wide"):
        raise IctpError(f"{where}: layout must be long or wide")
    columns = dict(ITU_CSV_COLUMNS) if preset else {}
    columns.update({str(k): str(v) for k, v in (e.get("columns") or {}).items()})
    bad = sorted(set(columns) - set(FILE_COLUMNS))
    if bad:
        raise IctpError(f"{where}: unknown column role {', '.join(bad)} (use {FILE_COLUMNS})")
    needed = ("economy",) if layout == "wide" else ("economy", "year", "value")
    lacking = [r for r in needed if r not in columns]
    if lacking:
        raise IctpError(f"{where}: columns lacks {', '.join(lacking)} (which column holds them)")
    raw = e.get("series")
    if preset:  # a list of catalog ids; each is found in the file by its ITU code
        ids = [raw] if isinstance(raw, str) else list(raw or [])
        no_itu = [i for i in ids if i in series and "itu" not in series[i].sources]
        if no_itu:
            raise IctpError(f"{where}: series {', '.join(no_itu)} have no itu code in series.yml")
        mapping = {series[i].sources["itu"]: i for i in ids if i in series}
        ids_used = ids
    elif isinstance(raw, str):
        mapping, ids_used = {None: raw}, [raw]
    elif isinstance(raw, dict) and raw:
        mapping = {str(k): str(v) for k, v in raw.items()}
        ids_used = list(mapping.values())
    else:
        raise IctpError(
            f"{where}: series must be a catalog id (one series in the file) or a mapping "
            "from the file's series label to a catalog id"
        )
    if isinstance(raw, dict) and "series" not in columns:
        raise IctpError(f"{where}: series maps labels but columns has no series column")
    unknown = sorted(set(ids_used) - set(series))
    if unknown or not ids_used:
        raise IctpError(f"{where}: unknown series {', '.join(unknown) or '(none given)'}")
    terms = e.get("terms", "itu" if preset else None)
    if terms is None:
        raise IctpError(
            f"{where}: terms is missing: name a source in sources.yml whose licence applies "
            "(e.g. terms: itu) or give {licence: {name, title, path}, attribution, commercial_use}"
        )
    if isinstance(terms, str) and terms not in sources:
        raise IctpError(f"{where}: terms {terms!r} is not a source in sources.yml")
    economy_by = e.get("economy_by", "code")
    if economy_by not in ("code", "name"):
        raise IctpError(f"{where}: economy_by must be code or name")
    codes = e.get("economy_codes", "itu" if preset else None)
    return FileSpec(
        name=str(e["name"]),
        path=fpath,
        format=fmt,
        layout=layout,
        columns=columns,
        series=mapping,
        economy_by=economy_by,
        economy_codes=codes,
        names={str(k): str(v) for k, v in (e.get("names") or {}).items()},
        exclude=tuple(str(x) for x in e.get("exclude") or ()),
        ignore_series=tuple(str(x) for x in e.get("ignore_series") or ()),
        sheet=e.get("sheet"),
        header_row=int(e.get("header_row", 1)),
        missing=tuple(str(x) for x in e.get("missing", FileSpec.missing)),
        estimate_prefix=e.get(
            "estimate_prefix",
            sources[terms].estimate_prefix if isinstance(terms, str) else None,
        ),
        terms=terms,
    )


def _file_source(path: Path, spec: FileSpec, sources: dict[str, Source]) -> Source:
    terms = spec.terms
    if isinstance(terms, str):
        base = sources[terms]
        return Source(
            **{
                **base.__dict__,
                "id": spec.source,
                "name": f"{spec.path.name} ({base.name})",
                "republishes": False,
                "aggregate_prefix": None,  # a file holds no provider aggregates
                "aggregate_classes": (),
            }
        )
    if not isinstance(terms, dict):
        raise IctpError(f"{path}: file {spec.name}: terms must be a source id or a mapping")
    return _source(path, spec.source, {"name": spec.path.name, **terms})


def _economy_map(path: Path, sources: dict[str, Source]) -> EconomyMap:
    if not path.exists():
        return EconomyMap({}, {})
    doc = _read_yaml(path)
    codes = doc.get("codes") or {}
    if not isinstance(codes, dict) or not all(isinstance(v, dict) for v in codes.values()):
        raise IctpError(f"{path}: codes must map a source id to {{its code: our code}}")
    unknown = sorted(set(codes) - set(sources))
    if unknown:
        raise IctpError(f"{path}: codes for unknown source {', '.join(unknown)}")
    keep = doc.get("keep") or {}
    if not isinstance(keep, dict) or not all(
        isinstance(v, dict) and v.get("name") for v in keep.values()
    ):
        raise IctpError(f"{path}: keep must map a code to {{name: ..., why: ...}}")
    return EconomyMap(
        codes={s: {str(k): str(v) for k, v in m.items()} for s, m in codes.items()},
        keep={str(k): {"name": str(v["name"]), "why": v.get("why")} for k, v in keep.items()},
    )


def _require(where: str, entry, keys: tuple[str, ...]) -> None:
    """A catalog entry must be a mapping holding `keys`; else one error naming what lacks."""
    if not isinstance(entry, dict):
        raise IctpError(f"{where} must be a mapping")
    missing = [k for k in keys if k not in entry]
    if missing:
        raise IctpError(f"{where} lacks {', '.join(missing)}")


def _corrections(path: Path, series_ids: set[str]) -> tuple[Correction, ...]:
    if not path.exists():
        return ()
    out = []
    for n, e in enumerate(_read_yaml(path).get("corrections") or [], 1):
        where = f"{path}: correction #{n}"
        _require(where, e, ("series", "economy", "years", "action", "reason"))
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

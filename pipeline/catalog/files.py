"""files.yml: local CSV/XLSX drops the `file` source reads (ICTP_FILES points at another list)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import PrivateAttr, ValidationInfo, model_validator

from pipeline.catalog.base import Entry, Identifier, field
from pipeline.catalog.sources import FILE_PREFIX, Source, Terms

Role = Literal["economy", "year", "value", "series", "note", "source_note", "status"]
Format = Literal["csv", "xlsx", "itu_datahub_csv"]
# The ITU DataHub bulk CSV export: which of its columns hold what (SOURCES.md, section 2a).
ITU_CSV_COLUMNS = {
    "economy": "entityIso",
    "year": "dataYear",
    "value": "dataValue",
    "series": "seriesCode",
    "note": "dataNote",
    "source_note": "dataSource",
}
MISSING = ["", "..", "-", "n/a", "NA"]


class FileSpec(Entry):
    """One local file the `file` source reads (an entry of `files:`); its source is file:<name>."""

    name: Identifier = field("the file's name: its source is file:<name>")
    path_given: str = field(
        "the file, relative to the files list's folder; it must lie inside that folder or "
        "inside a folder of ICTP_FILE_ROOTS",
        alias="path",
        min_length=1,
    )
    format_given: Format | None = field(
        "csv | xlsx | itu_datahub_csv (ITU's bulk export: columns, terms and economy codes "
        "preset); default: from the file's suffix",
        None,
        alias="format",
    )
    layout: Literal["long", "wide"] = field(
        "long: a row per economy-year; wide: a column per year (headers like 2015)", "long"
    )
    columns_given: dict[Role, str] = field(
        "role (economy, year, value, series, note, source_note, status) -> the column holding it",
        {},
        alias="columns",
    )
    series_given: Identifier | list[Identifier] | dict[str, Identifier] = field(
        "a catalog id (one series in the file), or the file's series label -> catalog id; "
        "for itu_datahub_csv a list of catalog ids, found by their itu code",
        alias="series",
    )
    economy_by: Literal["code", "name"] = field(
        "code: the economy column holds codes; name: names", "code"
    )
    economy_codes_given: str | None = field(
        "the source whose code map (economies/map.yml) applies to the codes (e.g. itu)",
        None,
        alias="economy_codes",
    )
    names: dict[str, str] = field("economy name -> our code, for this file's names only", {})
    exclude: list[str] = field("economy names whose rows are not economies (totals...)", [])
    ignore_series: list[str] = field("series labels in the file knowingly not read", [])
    sheet: str | None = field("xlsx: the sheet; default: the first", None)
    header_row: int = field("the row holding the column headers (1 = the first)", 1, ge=1)
    missing: list[str] = field("cell texts that mean no value", MISSING)
    estimate_prefix_given: str | None = field(
        "a note containing these words anywhere (any case and spacing) marks an estimate; "
        "default: the terms source's",
        None,
        alias="estimate_prefix",
    )
    terms_given: Identifier | Terms | None = field(
        "a source id of sources.yml whose terms apply, or {licence, attribution, "
        "commercial_use}; itu_datahub_csv: itu",
        None,
        alias="terms",
    )
    _resolved: dict = PrivateAttr()

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> FileSpec:
        """Path, format, columns, series mapping and terms, with the catalog as context
        (folder, roots, series, sources)."""
        ctx = info.context or {}
        path = inside(self.path_given, ctx.get("folder", Path.cwd()), ctx.get("roots", ()))
        fmt = self.format_given or ("xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv")
        preset = fmt == "itu_datahub_csv"
        columns = self._columns(preset)
        mapping = self._series_mapping(preset, columns, ctx.get("series", {}))
        sources: dict[str, Source] = ctx.get("sources", {})
        terms = self._terms(preset, sources)
        prefix = self.estimate_prefix_given
        if prefix is None and isinstance(terms, str):
            prefix = sources[terms].estimate_prefix
        self._resolved = {
            "path": path,
            "format": fmt,
            "columns": columns,
            "series": mapping,
            "economy_codes": self.economy_codes_given or ("itu" if preset else None),
            "estimate_prefix": prefix,
            "terms": terms,
        }
        return self

    def _columns(self, preset: bool) -> dict[str, str]:
        """role -> column (the ITU export's preset, then the file's own); checks the layout's
        roles are there."""
        columns = {**(ITU_CSV_COLUMNS if preset else {}), **self.columns_given}
        needed = ("economy",) if self.layout == "wide" else ("economy", "year", "value")
        lacking = [r for r in needed if r not in columns]
        if lacking:
            raise ValueError(f"columns lacks {', '.join(lacking)} (which column holds them)")
        return columns

    def _series_mapping(self, preset: bool, columns: dict, series: dict) -> dict:
        """label in the file (None: every row) -> catalog id; checks every id is in series.yml."""
        raw = self.series_given
        mapping, ids = _itu_series(raw, series) if preset else _labelled_series(raw)
        if isinstance(raw, dict) and "series" not in columns:
            raise ValueError("series maps labels but columns has no series column")
        unknown = sorted(set(ids) - set(series))
        if unknown or not ids:
            raise ValueError(f"unknown series {', '.join(unknown) or '(none given)'}")
        return mapping

    def _terms(self, preset: bool, sources: dict[str, Source]) -> str | Terms:
        """The terms given (itu_datahub_csv: itu by default); checks a source id is in
        sources.yml."""
        terms = self.terms_given if self.terms_given is not None else "itu" if preset else None
        if terms is None:
            raise ValueError(
                "terms is missing: name a source in sources.yml whose licence applies (e.g. "
                "terms: itu) or give {licence: {name, title, path}, attribution, commercial_use}"
            )
        if isinstance(terms, str) and terms not in sources:
            raise ValueError(f"terms {terms!r} is not a source in sources.yml")
        return terms

    # The resolved values the rest of the code reads.
    @property
    def path(self) -> Path:
        return self._resolved["path"]

    @property
    def format(self) -> str:
        return self._resolved["format"]

    @property
    def columns(self) -> dict[str, str]:
        return self._resolved["columns"]

    @property
    def series(self) -> dict[str | None, str]:
        """label in the file (None: every row) -> catalog series id."""
        return self._resolved["series"]

    @property
    def economy_codes(self) -> str | None:
        return self._resolved["economy_codes"]

    @property
    def estimate_prefix(self) -> str | None:
        return self._resolved["estimate_prefix"]

    @property
    def terms(self) -> str | Terms:
        return self._resolved["terms"]

    @property
    def source(self) -> str:
        return FILE_PREFIX + self.name

    def as_source(self, sources: dict[str, Source]) -> Source:
        """The source file:<name>: the terms of a sources.yml source, or the file's own."""
        if isinstance(self.terms, str):
            base = sources[self.terms]
            return base.model_copy(
                update={
                    "id": self.source,
                    "name": f"{self.path.name} ({base.name})",
                    "republishes": False,
                    "aggregates": None,  # a file holds no provider aggregates
                }
            )
        return Source.model_construct(
            id=self.source,
            name=self.path.name,
            homepage="",
            republishes=False,
            estimate_prefix=None,
            aggregates=None,
            **dict(self.terms),
        )


class FilesFile(Entry):
    """files.yml."""

    files: list[dict] = field("the local files (see FileSpec)", [])


def _itu_series(raw, series: dict) -> tuple[dict, list]:
    """(ITU code -> catalog id, the ids) for itu_datahub_csv: a list of catalog ids, each found
    in the file by its ITU code; checks every known one has an itu code."""
    ids = [raw] if isinstance(raw, str) else list(raw)
    no_itu = [i for i in ids if i in series and "itu" not in series[i].sources]
    if no_itu:
        raise ValueError(f"series {', '.join(no_itu)} have no itu code in series.yml")
    return {series[i].sources["itu"]: i for i in ids if i in series}, ids


def _labelled_series(raw) -> tuple[dict, list]:
    """(label in the file (None: every row) -> catalog id, the ids) of a catalog id or a
    mapping from the file's labels; checks it is one of the two."""
    if isinstance(raw, str):
        return {None: raw}, [raw]
    if isinstance(raw, dict) and raw:
        return dict(raw), list(raw.values())
    raise ValueError(
        "series must be a catalog id (one series in the file) or a mapping from the "
        "file's series label to a catalog id"
    )


def inside(given: str, folder: Path, roots: tuple[Path, ...]) -> Path:
    """`given` (relative to `folder`) resolved, if it lies inside `folder` or one of `roots`;
    else an error naming neither more nor less than the path as written (nothing is read)."""
    path = (Path(folder) / given).resolve()
    allowed = [Path(folder).resolve(), *(Path(r).resolve() for r in roots)]
    if not any(path.is_relative_to(root) for root in allowed):
        raise ValueError(
            f"path {given!r} lies outside the files list's folder {allowed[0]}"
            + (f" and ICTP_FILE_ROOTS ({', '.join(map(str, allowed[1:]))})" if roots else "")
            + ": move the file there, or add its folder to ICTP_FILE_ROOTS"
        )
    return path

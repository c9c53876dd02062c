"""series.yml: the kinds of value and their bounds, the validation defaults, and the series."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field, PrivateAttr, ValidationInfo, model_validator

from pipeline.catalog.base import Entry, Identifier, field
from pipeline.catalog.sources import Source, Tolerance
from pipeline.catalog.tables import Table

Bound = float | None
Range = Annotated[list[Bound], Field(min_length=2, max_length=2)]


class Kind(Entry):
    """A kind of value (`kinds:`): its default bounds and whether values are whole numbers."""

    min: float = field("default minimum (.inf / -.inf for none)")
    max: float | None = field(
        "default maximum (.inf for none); null: every series of the kind must set its maximum"
    )
    whole: bool = field("values must be whole numbers (counts)", False)
    max_abs: float | None = field(
        "the largest magnitude a value of the kind may have (a cap against 1e308); null: none",
        None,
    )


class Defaults(Entry):
    """Validation thresholds every series gets unless it sets its own (`defaults:`)."""

    yoy_robust_z: float = field(
        "warn when a year-on-year change is this many robust SDs (1.4826 x MAD) from the "
        "median of the economy's changes in the 11 years around it (sql/validate/warnings/yoy_jump.sql)"
    )
    max_coverage_drop: float = field(
        "fail the batch when the economies with data in the previous vintage's latest year "
        "fall by more than this fraction (0.1 = 10%)"
    )
    check_tolerance: float = field(
        "relative tolerance of the cross-series checks rate_of and not_above (0.02 = 2%)"
    )


class SourceCode(Entry):
    """What one source calls a series (`sources:` value given as a mapping)."""

    code: str = field("the source's own code (IT.NET.USER.ZS, i99H)")
    code_id: int | None = field("the API's numeric id (ITU's codeID in /data/bycode/{id})", None)
    confirmed: bool = field("false: the code or id is not yet seen in a real response", True)
    note: str | None = field("where the code comes from", None)
    aggregates: bool = field("false: the source publishes no aggregates of the series", True)

    @property
    def code_id_text(self) -> str | None:
        return None if self.code_id is None else str(self.code_id)


class RateOf(Entry):
    """`rate_of`: this series should equal count / population x scale."""

    count: Identifier = field("the series counted")
    population: Identifier = field("the series divided by")
    scale: float = field("the multiplier (100 for per 100)", 100.0)


class Series(Entry):
    """One series (an entry of `series:`)."""

    id: Identifier = field("our series id, used in every table and file name")
    name: str = field("the series' title")
    unit: str = field("the unit of its values")
    kind: str = field("a kind of `kinds:` (count, per_100, percent...): default bounds")
    valid_range: Range | None = field(
        "[min, max]: a value outside is impossible (quarantined); null = no bound; "
        "default: the kind's bounds",
        None,
    )
    definition: str = field("what the series measures", "")
    attribution: str | None = field(
        "the original producer, credited first where a source republishes it", None
    )
    source_codes: dict[str, str | SourceCode | None] = field(
        "source id -> its code, or {code, code_id, confirmed, note, aggregates}",
        alias="sources",
        min_length=1,
    )
    precedence: list[str] | None = field(
        "this series' source order, first preferred (default: sources.yml precedence)", None
    )
    tolerance: Tolerance | None = field(
        "{relative, absolute} of the disagreement check (default: sources.yml agreement)", None
    )
    rate_of: RateOf | None = field(
        "{count, population, scale}: checked in sql/build/9_checks/", None
    )
    not_above: Identifier | None = field(
        "a series this one is a part of (never larger): sql/build/9_checks/part_not_above_whole.sql",
        None,
    )
    yoy_robust_z: float | None = field("see defaults; default: defaults.yoy_robust_z", None)
    max_coverage_drop: float | None = field("default: defaults.max_coverage_drop", None)
    check_tolerance: float | None = field("default: defaults.check_tolerance", None)
    expect_update_days: int = field(
        "the source updates the series at least every this many days: `ictp status` flags it "
        "stale when its vintage is older",
        400,
        gt=0,
    )
    _bounds: tuple[float, float, bool, float] = PrivateAttr()

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Series:
        """Bounds from the kind and thresholds from the defaults (context: kinds, defaults)."""
        ctx = info.context or {}
        kinds: dict[str, Kind] = ctx.get("kinds", {})
        if self.kind not in kinds:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(kinds)} (kinds:)")
        kind = kinds[self.kind]
        lo, hi = kind.min, kind.max
        if self.valid_range is not None:
            lo, hi = (-math.inf if x is None and i == 0 else math.inf if x is None else x
                      for i, x in enumerate(self.valid_range))  # fmt: skip
        if hi is None:
            raise ValueError(f"kind {self.kind} needs a maximum: set valid_range: [0, max]")
        if lo > hi:
            raise ValueError(f"valid_range min {lo} is above max {hi}")
        defaults: Defaults | None = ctx.get("defaults")
        for name in Defaults.model_fields:
            if getattr(self, name) is None and defaults is not None:
                object.__setattr__(self, name, getattr(defaults, name))
        cap = math.inf if kind.max_abs is None else float(kind.max_abs)
        self._bounds = (float(lo), float(hi), kind.whole, cap)
        return self

    # The resolved values the rest of the code reads.
    @property
    def valid_min(self) -> float:
        return self._bounds[0]

    @property
    def valid_max(self) -> float:
        return self._bounds[1]

    @property
    def whole(self) -> bool:
        return self._bounds[2]

    @property
    def max_abs(self) -> float:
        """The kind's cap on a value's magnitude (inf: none), enforced by validate."""
        return self._bounds[3]

    @property
    def sources(self) -> dict[str, str | None]:
        """source id -> the source's own code (None: a local file's only series)."""
        return {s: c.code if isinstance(c, SourceCode) else c for s, c in self.source_codes.items()}

    @property
    def source_details(self) -> dict[str, dict]:
        """source id -> {code_id, confirmed, note, aggregates}, for codes given as a mapping."""
        return {
            s: {
                "code_id": c.code_id_text,
                "confirmed": c.confirmed,
                "note": c.note,
                "aggregates": c.aggregates,
            }
            for s, c in self.source_codes.items()
            if isinstance(c, SourceCode)
        }

    def code(self, source: str) -> SourceCode:
        c = self.source_codes[source]
        return c if isinstance(c, SourceCode) else SourceCode.model_construct(code=c)

    @property
    def rate_count(self) -> str | None:
        return self.rate_of.count if self.rate_of else None

    @property
    def rate_population(self) -> str | None:
        return self.rate_of.population if self.rate_of else None

    @property
    def rate_scale(self) -> float | None:
        return self.rate_of.scale if self.rate_of else None


class SeriesFile(Entry):
    """series.yml."""

    kinds: dict[Identifier, Kind] = field("kind -> {min, max, whole, max_abs}", min_length=1)
    defaults: Defaults = field("the validation thresholds of every series (see Defaults)")
    series: list[dict] = field("the series (see Series)", min_length=1)


class SeriesAtSource(Entry):
    """One series as one source serves it: a row of input.catalog_series."""

    series: Series
    source: Source
    code: SourceCode
    precedence: int = field("the source's place in the series' precedence (1 = preferred)")
    tolerance: Tolerance = field("the disagreement check's tolerance for the series")

    @property
    def attribution(self) -> str:
        own = self.series.attribution if self.source.republishes else None
        return " ".join(x for x in (own, self.source.attribution) if x)


SERIES_TABLE = Table(
    "catalog_series",
    SeriesAtSource,
    "series=series.id source=source.id source_code=code.code source_code_id=code.code_id_text "
    "code_confirmed=code.confirmed code_note=code.note "
    "name=series.name unit=series.unit kind=series.kind definition=series.definition "
    "valid_min=series.valid_min valid_max=series.valid_max whole=series.whole precedence "
    "tolerance_relative=tolerance.relative tolerance_absolute=tolerance.absolute "
    "yoy_robust_z=series.yoy_robust_z max_coverage_drop=series.max_coverage_drop "
    "check_tolerance=series.check_tolerance rate_count=series.rate_count "
    "rate_population=series.rate_population rate_scale=series.rate_scale "
    "not_above=series.not_above licence=source.licence_name licence_url=source.licence_path "
    "commercial_use=source.commercial_use attribution max_abs=series.max_abs",
)

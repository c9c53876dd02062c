"""indicators/core.yml: the Core List of ICT indicators and how each is obtained.

Loaded into input.core_indicators, input.core_methods and input.core_settings, which the SQL
models join; the formulas themselves live in sql/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import PrivateAttr, ValidationInfo, model_validator

from pipeline.catalog.base import Entry, entry_label, field, validate
from pipeline.catalog.tables import Table
from pipeline.errors import IctpError
from pipeline.yaml_file import read_yaml

AREAS = ("A", "HH", "B", "ICT", "ED", "EG")


class Way(Entry):
    """One way an indicator is obtained (an item of `obtained:`), in order of preference."""

    method: Literal["reported", "derived"] = field(
        "reported: a source publishes it; derived: scale x numerator / (denominator [x "
        "denominator2])"
    )
    series: str | None = field("reported: the series that publishes it", None)
    numerator: str | None = field("derived: the numerator series", None)
    denominator: str | None = field("derived: the denominator series", None)
    denominator2: str | None = field("derived: a second denominator series, multiplied", None)
    scale: float | None = field("derived: the multiplier; default 1", None)

    @model_validator(mode="after")
    def _check(self) -> Way:
        if self.method == "reported" and not self.series:
            raise ValueError("a reported way needs a series")
        if self.method == "derived" and not (self.numerator and self.denominator):
            raise ValueError("a derived way needs numerator and denominator")
        return self

    # The row of input.core_methods: a reported way has only its series, a derived one the rest.
    def _only(self, method: str, value):
        return value if self.method == method else None

    @property
    def reported_series(self) -> str | None:
        return self._only("reported", self.series)

    @property
    def numerator_series(self) -> str | None:
        return self._only("derived", self.numerator)

    @property
    def denominator_series(self) -> str | None:
        return self._only("derived", self.denominator)

    @property
    def denominator2_series(self) -> str | None:
        return self._only("derived", self.denominator2)

    @property
    def scale_factor(self) -> float | None:
        return self._only("derived", 1.0 if self.scale is None else self.scale)


class Aggregate(Entry):
    """How regional, income-group and World aggregates of an indicator are formed."""

    method: Literal["weighted_mean", "sum"] = field(
        "weighted_mean: sum(weight x value) / sum(weight) over economies with both; sum: counts"
    )
    weight: str | None = field("weighted_mean: the weight series", None)

    @model_validator(mode="after")
    def _check(self) -> Aggregate:
        if self.method == "weighted_mean" and not self.weight:
            raise ValueError("a weighted_mean aggregate needs a weight series")
        return self


class Indicator(Entry):
    """One indicator of the Core List (an entry of `indicators:`)."""

    id: str = field("the Core List code (A1, HH6); it starts with its area code")
    name: str = field("the indicator's title")
    unit: str = field("the unit of its values")
    definition: str = field("what it measures", "")
    sdg: list[str] = field("the SDG indicators it serves (17.8.1)", [])
    confirmed: bool = field("true: code and title checked against the Core List", False)
    obtained: list[Way] | Literal["not_computable"] = field(
        "the ways, in order of preference (see Way), or not_computable with a reason"
    )
    reason: str | None = field("why it is not computable", None)
    aggregate: Aggregate | Literal["none"] = field(
        "{method, weight} (see Aggregate), or none: never aggregated", "none"
    )
    aggregate_reason: str | None = field("why it is not aggregated", None)
    aggregate_note: str | None = field("how the aggregate departs from ITU's", None)
    fill: Literal["none", "interpolate", "carry_forward"] = field(
        "fill gaps between reported years: none, interpolate or carry_forward", "none"
    )
    max_gap: int = field("the longest gap, in years, filled", 3)
    _position: int = PrivateAttr(0)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Indicator:
        if self.area is None:
            raise ValueError(f"the id must start with an area code ({', '.join(AREAS)})")
        if not self.computable and not self.reason:
            raise ValueError("a not_computable indicator needs a reason")
        self._position = (info.context or {}).get("position", 0)
        return self

    @property
    def area(self) -> str | None:
        return next(
            (a for a in sorted(AREAS, key=len, reverse=True) if self.id.startswith(a)), None
        )

    @property
    def computable(self) -> bool:
        return self.obtained != "not_computable"

    @property
    def ways(self) -> list[Way]:
        return self.obtained if self.computable else []

    @property
    def position(self) -> int:
        """The indicator's place in core.yml (1 = first)."""
        return self._position

    @property
    def aggregate_method(self) -> str | None:
        return self.aggregate.method if self.computable and self.aggregate != "none" else None

    @property
    def aggregate_weight(self) -> str | None:
        return self.aggregate.weight if self.aggregate_method else None


class CoreSettings(Entry):
    """core.yml `settings:`."""

    reference_year: int | None = field(
        "the latest values are counted back from this year; null = the current year", None
    )
    latest_window_years: int = field(
        "core_indicators_latest: the latest value at most this many years old", 5
    )
    coverage_threshold: float = field(
        "an aggregate is published only if its economies with data hold this share of the "
        "group's population",
        0.66,
    )
    derived_tolerance: float = field(
        "sql/build/9_checks/core_reported_vs_derived.sql: relative gap reported vs derived", 0.05
    )
    provider_tolerance: float = field(
        "sql/build/9_checks/aggregates_vs_provider.sql: relative gap ours vs the provider's", 0.05
    )
    affordability_target_pct: float = field(
        "the affordability target: a basket price at most this share of monthly GNI per capita "
        "(the Broadband Commission's 2%; docs/querying.md)",
        2.0,
    )
    affordability_target_confirmed: bool = field(
        "false while the target is not checked against the Broadband Commission's text", False
    )

    @property
    def year(self) -> int:
        return self.reference_year if self.reference_year is not None else dt.date.today().year


class CoreFile(Entry):
    """core.yml."""

    settings: CoreSettings = field("the core settings (see CoreSettings)", CoreSettings())
    indicators: list[dict] = field("the indicators (see Indicator)", [])


class IndicatorWay(Entry):
    """One way of one indicator: a row of input.core_methods."""

    indicator: Indicator
    priority: int = field("the way's place in obtained (1 = preferred)")
    way: Way


INDICATORS_TABLE = Table(
    "core_indicators",
    Indicator,
    "indicator=id name area unit definition sdg code_confirmed=confirmed computable reason "
    "aggregate_method aggregate_weight aggregate_reason aggregate_note fill max_gap position",
)
METHODS_TABLE = Table(
    "core_methods",
    IndicatorWay,
    "indicator=indicator.id priority method=way.method series=way.reported_series "
    "numerator=way.numerator_series denominator=way.denominator_series "
    "denominator2=way.denominator2_series scale=way.scale_factor",
)
SETTINGS_TABLE = Table(
    "core_settings",
    CoreSettings,
    "reference_year=year latest_window_years coverage_threshold derived_tolerance "
    "provider_tolerance affordability_target_pct affordability_target_confirmed",
)


def load_core(catalog_dir: Path) -> tuple[CoreSettings, list[Indicator]]:
    """core.yml checked entry by entry. Series the core list needs but the series catalog lacks
    are not an error: the indicator then shows as not computed, with the missing series named."""
    path = Path(catalog_dir) / "core.yml"
    doc = validate(CoreFile, read_yaml(path), path, "top level")
    indicators, seen = [], set()
    for n, e in enumerate(doc.indicators, 1):
        where = entry_label("indicator", n, e)
        ind = validate(Indicator, e, path, where, position=n)
        if ind.id in seen:
            raise IctpError(f"{path}: {where}: id {ind.id} appears twice")
        seen.add(ind.id)
        indicators.append(ind)
    return doc.settings, indicators


def load_core_into(con, catalog_dir: Path, schema: str = "input") -> None:
    settings, indicators = load_core(catalog_dir)
    INDICATORS_TABLE.create(con, schema, indicators)
    METHODS_TABLE.create(
        con,
        schema,
        [
            IndicatorWay.model_construct(indicator=i, priority=p, way=w)
            for i in indicators
            for p, w in enumerate(i.ways, 1)
        ],
    )
    SETTINGS_TABLE.create(con, schema, [settings])

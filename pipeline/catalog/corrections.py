"""corrections.yml: known upstream errors, a register applied in the SQL models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, model_validator

from pipeline.catalog.base import Entry, Identifier, field
from pipeline.catalog.tables import Table


class Correction(Entry):
    """A known upstream error (an entry of `corrections:`)."""

    series: Identifier = field("the catalog series id")
    economy: str = field("our economy code (ISO3) or the source's code")
    years: int | Annotated[list[int], Field(min_length=2, max_length=2)] = field(
        "a year, or [first, last]"
    )
    source: str | None = field("only rows from this source; default: every source", None)
    action: Literal["drop", "override", "flag"] = field(
        "drop: the rows never reach marts or exports; override: use value; flag: keep the "
        "value, marked in the correction column"
    )
    value: float | None = field("the replacement, for override only", None)
    reason: str = field("what is wrong and how we know (a link to the upstream report)")
    reported_upstream: bool = field("true once the error has been reported to the source", False)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Correction:
        ids = (info.context or {}).get("series_ids")
        if ids is not None and self.series not in ids:
            raise ValueError(f"unknown series {self.series!r}")
        if (self.action == "override") != (self.value is not None):
            raise ValueError("give a value with action override, and only then")
        return self

    @property
    def year_from(self) -> int:
        return self.years if isinstance(self.years, int) else self.years[0]

    @property
    def year_to(self) -> int:
        return self.years if isinstance(self.years, int) else self.years[1]


class CorrectionsFile(Entry):
    """corrections.yml."""

    corrections: list[dict] = field("the register (see Correction)", [])


CORRECTIONS_TABLE = Table(
    "catalog_corrections",
    Correction,
    "series economy year_from year_to source action value reason reported_upstream",
)

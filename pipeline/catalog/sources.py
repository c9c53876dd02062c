"""sources.yml: where the data comes from and the terms it is published under."""

from __future__ import annotations

from pydantic import model_validator

from pipeline.catalog.base import Entry, Identifier, field
from pipeline.catalog.tables import Table

FILE_PREFIX = "file:"


class Licence(Entry):
    """The licence a source's data is published under."""

    name: str = field("SPDX-style short name (CC-BY-4.0), in the licence column of every extract")
    title: str | None = field("full title; default: the name", None)
    path: str = field("the licence's URL", "")

    @property
    def full_title(self) -> str:
        return self.title if self.title is not None else self.name


class AggregateClass(Entry):
    """A class of a source's regions whose aggregates are pulled (`aggregates.classes`)."""

    name: str = field("the source's own class name (ITU's className)", "")
    group_type: str = field(
        "the kind of group of ours its regions are (a group type of economies/groups.yml)"
    )
    group_code: str | None = field("our group's code; default: each region's own code", None)


class Aggregates(Entry):
    """The provider aggregates of a source that are pulled (ITU's regions)."""

    code_prefix: str = field(
        "our economy code of an aggregate: this prefix + the region's code (ITU.ARB)",
        min_length=1,
    )
    classes: dict[str, AggregateClass] = field(
        "class name -> {group_type, group_code}: the classes whose regions are pulled",
        min_length=1,
    )


class Terms(Entry):
    """Licence, attribution and commercial use (a local file's own `terms:`)."""

    licence: Licence = field("{name, title, path}: the licence the data is published under")
    attribution: str = field("the credit every extract of its data carries")
    commercial_use: bool = field(
        "false: the licence forbids commercial use, so `ictp export --redistributable` "
        "leaves the data out",
        True,
    )


class Source(Terms):
    """One source of data (an entry of `sources:`, keyed by its id)."""

    id: str = field("the source id (the key of the entry; `file:<name>` for a local file)")
    name: str = field("the source's name, as extracts credit it")
    homepage: str = field("the source's home page", "")
    republishes: bool = field(
        "true: it republishes other producers' figures, so a series' own attribution comes first",
        False,
    )
    estimate_prefix: str | None = field(
        "a source note containing these words anywhere (any case, any run of spaces or line "
        "breaks between them) marks an estimate: obs_status E (the key keeps its old name; the "
        "words need not start the note)",
        None,
    )
    aggregates: Aggregates | None = field(
        "{code_prefix, classes}: the source's own aggregates that are pulled", None
    )

    @model_validator(mode="after")
    def _name_classes(self) -> Source:
        if self.aggregates:  # each class knows its own name (the key it is listed under)
            for name, c in self.aggregates.classes.items():
                object.__setattr__(c, "name", name)
        return self

    # The names the rest of the code reads.
    @property
    def licence_name(self) -> str:
        return self.licence.name

    @property
    def licence_title(self) -> str:
        return self.licence.full_title

    @property
    def licence_path(self) -> str:
        return self.licence.path

    @property
    def aggregate_prefix(self) -> str | None:
        return self.aggregates.code_prefix if self.aggregates else None

    @property
    def aggregate_classes(self) -> tuple[AggregateClass, ...]:
        return tuple(self.aggregates.classes.values()) if self.aggregates else ()


class Tolerance(Entry):
    """How far two sources' values may differ before qa.sources_disagree reports them."""

    relative: float = field("relative to the larger magnitude (0.01 = 1%)", 0.0, ge=0)
    absolute: float = field("in the series' unit", 0.0, ge=0)


class SourcesFile(Entry):
    """sources.yml."""

    precedence: list[str] = field(
        "source ids (fnmatch patterns: file:*), first preferred where several give a value", []
    )
    agreement: Tolerance = field(
        "{relative, absolute}: the default tolerance of the disagreement check",
        Tolerance(relative=0.01, absolute=0.0),
    )
    sources: dict[Identifier, dict] = field("source id -> its entry (see Source)")


SOURCES_TABLE = Table(
    "catalog_sources",
    Source,
    "source=id name homepage licence=licence_name licence_title licence_url=licence_path "
    "attribution commercial_use",
)


class SourceClass(Entry):
    """One class of a source's aggregates, as a row of input.catalog_aggregate_classes."""

    source: Source
    klass: AggregateClass


AGGREGATE_CLASSES_TABLE = Table(
    "catalog_aggregate_classes",
    SourceClass,
    "source=source.id class=klass.name code_prefix=source.aggregate_prefix "
    "group_type=klass.group_type group_code=klass.group_code",
)

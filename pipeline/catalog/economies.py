"""economies/map.yml (economy codes that differ between sources) and economies/groups.yml
(the groups of economies aggregates are computed for)."""

from __future__ import annotations

from pydantic import PrivateAttr, ValidationInfo, model_validator

from pipeline.catalog.base import Entry, field
from pipeline.catalog.tables import Table


class Kept(Entry):
    """A code outside ISO 3166-1 kept as it is (an entry of `keep:`)."""

    name: str = field("the economy's name", min_length=1)
    why: str | None = field("why the code is kept", None)


class EconomyMap(Entry):
    """economies/map.yml."""

    codes: dict[str, dict[str, str]] = field(
        "source id -> {the source's code: our code} (ITU's KSO -> XKX)", {}
    )
    keep: dict[str, Kept] = field("codes outside ISO 3166-1 that are economies -> {name, why}", {})

    @model_validator(mode="after")
    def _known_sources(self, info: ValidationInfo) -> EconomyMap:
        sources = (info.context or {}).get("sources")
        unknown = sorted(set(self.codes) - set(sources)) if sources is not None else []
        if unknown:
            raise ValueError(f"codes for unknown source {', '.join(unknown)}")
        return self

    def rows(self) -> list[dict]:
        """One row per entry: (source, code, iso3, kind code|keep, name, why)."""
        out = [
            {"source": s, "code": c, "iso3": t, "kind": "code", "name": None, "why": None}
            for s, m in sorted(self.codes.items())
            for c, t in sorted(m.items())
        ]
        out += [
            {"source": None, "code": c, "iso3": c, "kind": "keep", **dict(self.keep[c])}
            for c in sorted(self.keep)
        ]
        return out


class GroupType(Entry):
    """A kind of group of economies (an entry of `types:`, keyed by its id)."""

    id: str = field("the group type (world, wb_region, wb_income, itu_region, un_list)")
    provider: str | None = field(
        "the source whose own aggregates carry this type's group codes as economy codes "
        "(compared with ours in qa.aggregates_vs_provider); null: none",
        None,
    )
    exclude: list[str] = field(
        "group codes an economy list gives that are not groups (the World Bank's INX, "
        "not classified)",
        [],
    )
    _position: int = PrivateAttr(0)

    @model_validator(mode="after")
    def _place(self, info: ValidationInfo) -> GroupType:
        self._position = (info.context or {}).get("position", 0)
        return self

    @property
    def position(self) -> int:
        """The type's place in groups.yml: the order of int_group_members' rows."""
        return self._position


class Group(Entry):
    """A group named here rather than by an economy list (an entry of `groups:`)."""

    code: str = field("our group code (WLD, LDC)")
    name: str = field("the group's name")
    type: str = field("its group type (types:)")
    members: str = field(
        "the int_economies flag that marks its members (ldc, lldc, sids), or every_country"
    )
    _position: int = PrivateAttr(0)

    @model_validator(mode="after")
    def _place(self, info: ValidationInfo) -> Group:
        self._position = (info.context or {}).get("position", 0)
        return self

    @property
    def position(self) -> int:
        """The group's place in groups.yml."""
        return self._position


class GroupsFile(Entry):
    """economies/groups.yml."""

    coverage_series: str = field(
        "the series giving each economy's population: an aggregate's coverage is the share of "
        "its group's population in economies with a value"
    )
    types: dict[str, dict] = field("group type -> {provider, exclude} (see GroupType)")
    groups: list[dict] = field("the groups named here (see Group)", [])


GROUP_TYPES_TABLE = Table(
    "catalog_group_types", GroupType, "group_type=id provider exclude position"
)
GROUPS_TABLE = Table(
    "catalog_groups", Group, "group_code=code group_name=name group_type=type members position"
)
GROUP_SETTINGS_TABLE = Table("catalog_group_settings", GroupsFile, "coverage_series")

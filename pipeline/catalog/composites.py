"""indicators/composites/*.yml: composite-index specs, checked strictly, loaded into DuckDB.

A spec is one table of nodes in the manner of COINr's iMeta (code, parent, weight, direction,
input, transform, normalisation, imputation, minimum data, aggregation) plus the whole index's
name, scale, data-year rule and editions. Every number carries its source and whether it is
confirmed. A spec may `extends:` another (same nodes, its own overrides): that is how a weight
variant or a later edition is one short file. Per edition, `overrides:` change single nodes
(an edition's reference values). The SQL models of sql/build/4_composites/ read the two tables
this module creates: input.composite_specs (one row per composite and edition) and
input.composite_nodes (one row per composite, edition and node).

Entry points: `load_composites(catalog_dir)` and `load_composites_into(con, catalog_dir)`.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from pipeline.catalog.base import Entry, Identifier, field, validate
from pipeline.catalog.tables import Table
from pipeline.errors import IctpError
from pipeline.yaml_file import read_yaml

Text = Annotated[str, StringConstraints(min_length=1)]
UNCONFIRMED_NOTE = "unconfirmed goalposts: not ITU's figures"
SPEC_DIR = "composites"


class Number(Entry):
    """A number with where it comes from, and whether a retrieved source confirms it."""

    value: float = field("the number")
    source: Text = field("where it comes from (a document, a page, a table)")
    confirmed: bool = field("true: a retrieved source confirms it; false: believed, not known")
    fitted: bool = field(
        "set by `ictp composite calibrate`: fitted to a provider's published scores", False
    )


class Count(Entry):
    """A whole number (>= 0) with its source and whether it is confirmed."""

    value: Annotated[int, Field(ge=0)] = field("the count")
    source: Text = field("where it comes from")
    confirmed: bool = field("true: a retrieved source confirms it")


class Formula(Entry):
    """value = scale x product(numerator) / product(denominator), all of the same year."""

    numerator: Annotated[list[Identifier], Field(min_length=1)] = field(
        "the series multiplied (ids of series.yml)"
    )
    denominator: list[Identifier] = field("the series divided by", [])
    scale: Number = field("the multiplier (a number)")


class Input(Entry):
    """An indicator's input: exactly one of a series id of ours, a formula over series, or
    `unavailable` (why no source of ours serves it: the input is then missing for every
    economy)."""

    series: Identifier | None = field("a series id of series.yml", None)
    formula: Formula | None = field("a formula over series (see Formula)", None)
    unavailable: Text | None = field("why no source of ours serves the input", None)
    confirmed: bool = field(
        "false: our series is believed, not known, to be the provider's input", True
    )
    note: Text | None = field("what is known about the match", None)

    @model_validator(mode="after")
    def _one(self) -> Input:
        given = [k for k in ("series", "formula", "unavailable") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"input needs exactly one of series, formula, unavailable: {given}")
        return self

    def series_ids(self) -> list[str]:
        if self.series:
            return [self.series]
        if self.formula:
            return [*self.formula.numerator, *self.formula.denominator]
        return []


class Panel(Entry):
    """The fixed reference panel of min-max (and optionally z-score): every economy's values
    in these years."""

    from_year: int = field("the panel's first year")
    to_year: int = field("the panel's last year")


class Normalisation(Entry):
    """How an indicator's (transformed) value becomes 0-1; numbers in transformed units."""

    method: Literal["reference", "goalposts", "minmax", "zscore", "percentile"] = field(
        "reference: t / reference, capped at 1; goalposts: (t - lower) / (upper - lower), "
        "clipped; minmax: goalposts at the panel's min and max; zscore: (t - mean) / sd; "
        "percentile: the share of the edition's economies ranked below"
    )
    reference: Number | None = field("reference: the value that scores 1", None)
    lower: Number | None = field("goalposts: the value that scores 0", None)
    upper: Number | None = field("goalposts: the value that scores 1", None)
    panel: Panel | None = field("minmax (zscore optionally): the fixed panel (see Panel)", None)

    @model_validator(mode="after")
    def _needs(self) -> Normalisation:
        need = {
            "reference": ("reference",),
            "goalposts": ("lower", "upper"),
            "minmax": ("panel",),
        }.get(self.method, ())
        lacking = [k for k in need if getattr(self, k) is None]
        if lacking:
            raise ValueError(f"normalisation {self.method} needs {', '.join(lacking)}")
        if self.method == "goalposts" and self.lower.value >= self.upper.value:
            raise ValueError("goalposts need lower < upper (direction: negative inverts)")
        return self


class Imputation(Entry):
    """What a screened-in economy's missing value becomes."""

    method: Literal["none", "carry", "group_median", "group_mean"] = field(
        "none; carry: the latest older value; group_median / group_mean: of the economy's "
        "group's other screened-in economies with a value",
        "none",
    )
    years: Count | None = field("carry: the latest value at most this many years older", None)
    group: Literal["income_group", "region"] | None = field(
        "group_*: the economy's World Bank group", None
    )

    @model_validator(mode="after")
    def _needs(self) -> Imputation:
        if self.method == "carry" and self.years is None:
            raise ValueError("imputation carry needs years")
        if self.method.startswith("group_") and self.group is None:
            raise ValueError(f"imputation {self.method} needs group: income_group or region")
        return self


class Aggregation(Entry):
    """How an aggregate node combines its children."""

    method: Literal["arithmetic", "geometric"] = field(
        "the weighted arithmetic or geometric mean of the children with a value", "arithmetic"
    )
    floor: Number | None = field(
        "geometric: children below it count as it (one zero cannot zero all)", None
    )
    min_children: Count | None = field(
        "at least this many children with a value, else no score (default 1)", None
    )
    renormalise: bool = field(
        "true: the weights of the children that have a value are rescaled to sum to 1; false: "
        "used as printed (ITU's classic 0.33 x 3 = 0.99), rescaled only for missing ones",
        True,
    )

    @model_validator(mode="after")
    def _needs(self) -> Aggregation:
        if self.method == "geometric" and self.floor is None:
            raise ValueError("aggregation geometric needs floor")
        return self


class Provider(Entry):
    """The node in a provider's published index (ITU DataHub: code and the tree's codeID)."""

    code: Text = field("the provider's code of the node")
    code_id: int = field("its codeID in /idi/dashboard/all")


class Node(Entry):
    """One node of the tree (an item of `nodes:`): the index, a pillar, or an indicator."""

    code: Identifier = field("the node's code")
    parent: Identifier | None = field("its parent's code; null for the index (one node)", None)
    label: Text = field("what it is")
    weight: Number | None = field("its weight within its parent (required with a parent)", None)
    direction: Literal["positive", "negative"] = field(
        "positive: higher is better; negative: lower is better (prices)", "positive"
    )
    input: Input | None = field("indicators only: the input (see Input)", None)
    transform: Literal["none", "log10"] = field(
        "applied before normalising (log10 of a value <= 0 scores as the lowest)", "none"
    )
    normalisation: Normalisation | None = field(
        "indicators only: how it becomes 0-1 (see Normalisation)", None
    )
    imputation: Imputation = field("indicators: missing values (see Imputation)", Imputation())
    aggregation: Aggregation | None = field(
        "aggregate nodes only: how children combine (see Aggregation)", None
    )
    provider: Provider | None = field(
        "the node in the provider's published tree (see Provider)", None
    )

    @model_validator(mode="after")
    def _kind(self) -> Node:
        if self.parent is not None and self.weight is None:
            raise ValueError("a node with a parent needs weight")
        if self.input is not None:
            if self.normalisation is None:
                raise ValueError("an indicator (a node with input) needs normalisation")
            if self.aggregation is not None:
                raise ValueError("an indicator (a node with input) has no aggregation")
        elif self.aggregation is None:
            raise ValueError("a node without input needs aggregation (and children)")
        return self


class DataYear(Entry):
    """Edition E uses inputs of year E - lag, or the latest within `window` years before."""

    lag: Count = field("edition minus the inputs' year")
    window: Count = field("how many years older a value may be")


class Screen(Entry):
    """Economies with less than this share of the indicators (before imputation) are out."""

    min_share: Number = field("the share (0-1) of the indicators a source of ours serves")


class EditionFile(Entry):
    """One edition of `editions:`."""

    data_year: DataYear | None = field("this edition's own data-year rule", None)
    overrides: dict[Identifier, dict] = field(
        "node code -> a partial node, merged into that node for this edition", {}
    )


class SpecFile(Entry):
    """A spec file as written: the nodes (or `extends:` a spec's), overrides per edition."""

    name: Identifier = field("the composite's id (tables, command line)")
    label: Text = field("its title")
    description: Text | None = field("what it is", None)
    source: Text = field("where its definition comes from")
    extends: Identifier | None = field(
        "another spec's name: its nodes and settings, changed only where this file says", None
    )
    scale: Number | None = field("10 or 100: every score is its 0-1 value times this", None)
    data_year: DataYear | None = field("the data-year rule (see DataYear)", None)
    screen: Screen | None = field("the screening rule (see Screen); null: none", None)
    editions: dict[int, EditionFile] | None = field(
        "edition -> its data_year and overrides (see EditionFile)", None
    )
    overrides: dict[Identifier, dict] = field(
        "node code -> a partial node, merged for every edition (an input is replaced whole)", {}
    )
    nodes: list[dict] | None = field(
        "the table of nodes (see Node); exactly one has no parent", None
    )


# ---------------------------------------------------------------- resolved specs


class Edition(Entry):
    """A spec's edition, resolved: its data-year rule and its nodes after the overrides."""

    edition: int
    data_year: DataYear
    nodes: list[Node]

    def goalposts(self) -> list[Number]:
        """The normalisation numbers (references and goalposts) of every indicator."""
        return [
            num
            for n in self.nodes
            if n.normalisation
            for num in (n.normalisation.reference, n.normalisation.lower, n.normalisation.upper)
            if num is not None
        ]

    def unconfirmed(self) -> bool:
        return any(not num.confirmed for num in self.goalposts())


class Spec(Entry):
    """A spec, resolved: `extends:` followed, every edition's nodes checked."""

    name: Identifier
    label: str
    description: str | None = None
    source: str
    file: str
    extends: str | None = None
    scale: Number
    screen: Screen | None = None
    editions: list[Edition]

    def unconfirmed(self) -> bool:
        """Any edition has a normalisation number (reference or goalpost) not confirmed."""
        return any(e.unconfirmed() for e in self.editions)


# ---------------------------------------------------------------- loading


def load_composites(catalog_dir: Path, series_ids: set[str] | None = None) -> list[Spec]:
    """Every spec under {catalog_dir}/composites/, checked; a mistake names file, node and key.
    `series_ids`: the catalog's series (default: read from {catalog_dir}/series.yml)."""
    spec_dir = Path(catalog_dir) / SPEC_DIR
    if series_ids is None:
        series_ids = _series_ids(Path(catalog_dir) / "series.yml")
    raw = {}
    for path in sorted(spec_dir.glob("*.yml")):
        doc = read_yaml(path)
        name = doc.get("name")
        if name in raw:
            raise IctpError(f"{path}: composite name {name!r} is also used by {raw[name][0]}")
        raw[name] = (path, doc)
    return [_resolve(name, raw, series_ids) for name in sorted(raw, key=str)]


def _resolve(name, raw: dict, series_ids: set[str] | None) -> Spec:
    path, doc = raw[name]
    f = validate(SpecFile, doc, path, "the spec")
    chain = [f]
    while chain[-1].extends:
        base = chain[-1].extends
        if base not in raw:
            raise IctpError(f"{path}: extends {base!r}, but no spec in {path.parent} has that name")
        if any(c.name == base for c in chain):
            raise IctpError(f"{path}: extends forms a cycle ({' -> '.join(c.name for c in chain)})")
        chain.append(validate(SpecFile, raw[base][1], raw[base][0], "the spec"))
    root = chain[-1]
    if root.nodes is None:
        raise IctpError(f"{path}: no nodes (give `nodes:` or `extends:` a spec that has them)")
    for c in chain[:-1]:
        if c.nodes is not None:
            raise IctpError(f"{raw[c.name][0]}: a spec that extends another has no `nodes:`")

    def first(key):
        return next((getattr(c, key) for c in chain if getattr(c, key) is not None), None)

    scale, data_year, editions = first("scale"), first("data_year"), first("editions")
    for key, v in (("scale", scale), ("data_year", data_year), ("editions", editions)):
        if v is None:
            raise IctpError(f"{path}: no {key} (in it or the spec it extends)")
    resolved = []
    for year in sorted(editions):
        # from the base spec to this one: its overrides, then its overrides for this edition
        overrides: dict = {}
        edition_year = data_year
        for c in reversed(chain):
            _merge_overrides(overrides, c.overrides)
            ed = (c.editions or {}).get(year)
            if ed is not None:
                _merge_overrides(overrides, ed.overrides)
                edition_year = ed.data_year or edition_year
        nodes = _nodes(path, root.nodes, overrides, f"edition {year}")
        _check_tree(path, nodes, series_ids)
        resolved.append(Edition(edition=year, data_year=edition_year, nodes=nodes))
    return Spec(
        name=f.name,
        label=f.label,
        description=f.description,
        source=f.source,
        file=str(path),
        extends=f.extends,
        scale=scale,
        screen=first("screen"),
        editions=resolved,
    )


def _merge_overrides(into: dict, more: dict) -> None:
    for code, part in more.items():
        into[code] = _deep_merge(into.get(code, {}), part, top=True)


# An override replaces these keys of a node whole (an input is one of series, formula or
# unavailable: merging a series into a formula would make it both).
REPLACED = ("input",)


def _deep_merge(a, b, top: bool = False):
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for k, v in b.items():
            replace = top and k in REPLACED
            out[k] = _deep_merge(a[k], v) if k in a and not replace else copy.deepcopy(v)
        return out
    return copy.deepcopy(b)


def _nodes(path: Path, raw_nodes: list[dict], overrides: dict, where: str) -> list[Node]:
    codes = [n.get("code") if isinstance(n, dict) else None for n in raw_nodes]
    unknown = sorted(set(overrides) - set(codes))
    if unknown:
        raise IctpError(f"{path}: {where}: overrides name no node: {', '.join(unknown)}")
    out = []
    for i, n in enumerate(raw_nodes):
        if not isinstance(n, dict):
            raise IctpError(f"{path}: node {i + 1} must be a mapping (code: ..., label: ...)")
        merged = _deep_merge(n, overrides.get(n.get("code"), {}), top=True)
        out.append(validate(Node, merged, path, f"node {n.get('code') or i + 1!r} ({where})"))
    return out


def _check_tree(path: Path, nodes: list[Node], series_ids: set[str] | None) -> None:
    """Checks the nodes form one tree (unique codes, one root, known parents, no cycle) whose
    leaves are the indicators, each aggregate with at least min_children children and each
    input's series in series.yml; an error names the file and the node."""
    by_code = _by_code(path, nodes)
    roots = [n.code for n in nodes if n.parent is None]
    if len(roots) != 1:
        raise IctpError(f"{path}: exactly one node has no parent (the index); found {roots}")
    children = _children(path, nodes, by_code)
    for n in nodes:
        kids = children.get(n.code, [])
        problem = _cycle(n, by_code) or _children_problem(n, kids) or _series_problem(n, series_ids)
        if problem:
            raise IctpError(f"{path}: node {n.code!r}: {problem}")


def _by_code(path: Path, nodes: list[Node]) -> dict[str, Node]:
    """code -> node; checks no code is used twice."""
    by_code: dict[str, Node] = {}
    for n in nodes:
        if n.code in by_code:
            raise IctpError(f"{path}: node {n.code!r}: the code is used twice")
        by_code[n.code] = n
    return by_code


def _children(path: Path, nodes: list[Node], by_code: dict[str, Node]) -> dict[str, list[str]]:
    """parent code -> its children's codes, in the spec's order; checks every parent is a node."""
    children: dict[str, list[str]] = {}
    for n in nodes:
        if n.parent is not None:
            if n.parent not in by_code:
                raise IctpError(f"{path}: node {n.code!r}: key parent: no node {n.parent!r}")
            children.setdefault(n.parent, []).append(n.code)
    return children


def _cycle(n: Node, by_code: dict[str, Node]) -> str | None:
    """The problem if following the parents up from `n` comes back to a node, else None."""
    seen, p = {n.code}, n.parent
    while p is not None:
        if p in seen:
            return "key parent: the parents form a cycle"
        seen.add(p)
        p = by_code[p].parent
    return None


def _children_problem(n: Node, kids: list[str]) -> str | None:
    """The problem if an indicator has children, or an aggregate none or fewer than its
    min_children, else None."""
    if n.input is not None and kids:
        return "an indicator (input) cannot have children"
    if n.input is None and not kids:
        return "an aggregate node needs children"
    mc = n.aggregation.min_children if n.aggregation else None
    if mc is not None and mc.value > len(kids):
        return f"key aggregation.min_children: {mc.value} > its {len(kids)} children"
    return None


def _series_problem(n: Node, series_ids: set[str] | None) -> str | None:
    """The problem if an indicator's input names series not in series.yml (when known), else
    None."""
    if n.input is None or series_ids is None:
        return None
    bad = [s for s in n.input.series_ids() if s not in series_ids]
    if bad:
        return (
            f"key input: {', '.join(bad)} not in series.yml "
            "(add the series, or write `unavailable: <why>`)"
        )
    return None


def _series_ids(path: Path) -> set[str] | None:
    if not path.exists():
        return None
    entries = read_yaml(path).get("series", [])
    return {e["id"] for e in entries if isinstance(e, dict) and "id" in e}


# ---------------------------------------------------------------- tables


class SpecEdition(Entry):
    """One composite and edition: a row of input.composite_specs."""

    spec: Spec
    edition: Edition

    @property
    def data_year(self) -> int:
        return self.edition.edition - self.edition.data_year.lag.value

    @property
    def data_year_confirmed(self) -> bool:
        rule = self.edition.data_year
        return rule.lag.confirmed and rule.window.confirmed

    @property
    def goalposts_confirmed(self) -> bool:
        return not self.edition.unconfirmed()

    @property
    def fitted(self) -> bool:
        return any(num.fitted for num in self.edition.goalposts())

    @property
    def note(self) -> str | None:
        return UNCONFIRMED_NOTE if self.edition.unconfirmed() else None


class NodeAt(Entry):
    """One node of one composite's edition, placed in its tree: a row of input.composite_nodes."""

    spec: Spec
    edition: Edition
    node: Node
    position: int  # 1 = first in the spec's nodes
    depth: int  # 0 = the index
    height: int  # the longest path down to an indicator (0 = an indicator)
    children: int

    @property
    def is_indicator(self) -> bool:
        return self.node.input is not None

    @property
    def direction(self) -> int:
        return -1 if self.node.direction == "negative" else 1

    @property
    def input_kind(self) -> str | None:
        inp = self.node.input
        if inp is None:
            return None
        return "series" if inp.series else "formula" if inp.formula else "unavailable"

    @property
    def fitted(self) -> bool:
        norm = self.node.normalisation
        nums = (norm.reference, norm.lower, norm.upper) if norm else ()
        return any(x is not None and x.fitted for x in nums)


SPECS_TABLE = Table(
    "composite_specs",
    SpecEdition,
    "composite=spec.name edition=edition.edition label=spec.label "
    "description=spec.description source=spec.source file=spec.file extends=spec.extends "
    "scale=spec.scale.value scale_source=spec.scale.source scale_confirmed=spec.scale.confirmed "
    "data_year data_year_window=edition.data_year.window.value data_year_confirmed "
    "screen_min_share=spec.screen.min_share.value "
    "screen_confirmed=spec.screen.min_share.confirmed goalposts_confirmed fitted note",
)
_NUMBERS = " ".join(
    f"{name}=node.{path}.value {name}_source=node.{path}.source "
    f"{name}_confirmed=node.{path}.confirmed"
    for name, path in (
        ("reference", "normalisation.reference"),
        ("lower", "normalisation.lower"),
        ("upper", "normalisation.upper"),
    )
)
NODES_TABLE = Table(
    "composite_nodes",
    NodeAt,
    "composite=spec.name edition=edition.edition code=node.code parent=node.parent position "
    "depth height is_indicator label=node.label weight=node.weight.value "
    "weight_source=node.weight.source weight_confirmed=node.weight.confirmed direction "
    "input_kind series=node.input.series numerator=node.input.formula.numerator "
    "denominator=node.input.formula.denominator formula_scale=node.input.formula.scale.value "
    "unavailable=node.input.unavailable input_confirmed=node.input.confirmed "
    "input_note=node.input.note transform=node.transform norm_method=node.normalisation.method "
    f"{_NUMBERS} panel_from=node.normalisation.panel.from_year "
    "panel_to=node.normalisation.panel.to_year impute_method=node.imputation.method "
    "impute_years=node.imputation.years.value impute_group=node.imputation.group "
    "agg_method=node.aggregation.method agg_floor=node.aggregation.floor.value "
    "min_children=node.aggregation.min_children.value children "
    "renormalise=node.aggregation.renormalise provider_code=node.provider.code "
    "provider_code_id=node.provider.code_id fitted",
)


def spec_rows(specs: list[Spec]) -> list[SpecEdition]:
    return [SpecEdition.model_construct(spec=s, edition=e) for s in specs for e in s.editions]


def node_rows(specs: list[Spec]) -> list[NodeAt]:
    rows = []
    for s in specs:
        for e in s.editions:
            by_code = {n.code: n for n in e.nodes}
            kids: dict[str, list[str]] = {}
            for n in e.nodes:
                if n.parent:
                    kids.setdefault(n.parent, []).append(n.code)

            def height(code: str, kids=kids) -> int:
                return 1 + max((height(k) for k in kids[code]), default=-1) if code in kids else 0

            def depth(n: Node, by_code=by_code) -> int:
                return 0 if n.parent is None else 1 + depth(by_code[n.parent])

            rows += [
                NodeAt.model_construct(
                    spec=s,
                    edition=e,
                    node=n,
                    position=i,
                    depth=depth(n),
                    height=height(n.code),
                    children=len(kids.get(n.code, [])),
                )  # fmt: skip
                for i, n in enumerate(e.nodes, 1)
            ]
    return rows


def load_composites_into(
    con, catalog_dir: Path, schema: str = "input", series_ids: set[str] | None = None
) -> list[Spec]:
    """Create {schema}.composite_specs and {schema}.composite_nodes from every spec."""
    specs = load_composites(catalog_dir, series_ids)
    con.execute(f"create schema if not exists {schema}")
    SPECS_TABLE.create(con, schema, spec_rows(specs))
    NODES_TABLE.create(con, schema, node_rows(specs))
    return specs

"""Composite-index specs (indicators/composites/*.yml): checked with pydantic, loaded into DuckDB.

A spec is one table of nodes in the manner of COINr's iMeta (code, parent, weight, direction,
input, transform, normalisation, imputation, minimum data, aggregation) plus the whole index's
name, scale, data-year rule and editions. Every number carries its source and whether it is
confirmed. A spec may `extends:` another (same nodes, its own overrides): that is how a weight
variant or a later edition is one short file. Per edition, `overrides:` change single nodes
(an edition's reference values). The SQL models in sql/composites/ read the two tables this
module creates: {schema}.composite_specs (one row per composite and edition) and
{schema}.composite_nodes (one row per composite, edition and node).

Entry points: `load_composites(catalog_dir)` and `load_composites_into(con, catalog_dir)`.
"""

from __future__ import annotations

import copy
import types
import typing
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from pipeline.errors import IctpError

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
UNCONFIRMED_NOTE = "unconfirmed goalposts: not ITU's figures"
SPEC_DIR = "composites"


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Number(Strict):
    """A number with where it comes from, and whether a retrieved source confirms it."""

    value: float
    source: Text
    confirmed: bool
    fitted: bool = False  # set by `ictp composite calibrate`: fitted to a provider's scores


class Count(Strict):
    value: Annotated[int, Field(ge=0)]
    source: Text
    confirmed: bool


class Formula(Strict):
    """value = scale x product(numerator) / product(denominator), all of the same year."""

    numerator: Annotated[list[Ident], Field(min_length=1)]
    denominator: list[Ident] = []
    scale: Number


class Input(Strict):
    """Exactly one of: a series id of ours, a formula over series, or `unavailable` (why
    no source of ours serves it: the input is then missing for every economy)."""

    series: Ident | None = None
    formula: Formula | None = None
    unavailable: Text | None = None
    confirmed: bool = True  # false: our series is believed, not known, to be the provider's
    note: Text | None = None

    def model_post_init(self, _context) -> None:
        given = [k for k in ("series", "formula", "unavailable") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"input needs exactly one of series, formula, unavailable: {given}")

    def series_ids(self) -> list[str]:
        if self.series:
            return [self.series]
        if self.formula:
            return [*self.formula.numerator, *self.formula.denominator]
        return []


class Panel(Strict):
    """The fixed reference panel of min-max (and optionally z-score / percentile): every
    economy's values in these years."""

    from_year: int
    to_year: int


class Normalisation(Strict):
    method: Literal["reference", "goalposts", "minmax", "zscore", "percentile"]
    reference: Number | None = None  # reference: z = t / reference, capped at 1
    lower: Number | None = None  # goalposts: z = (t - lower) / (upper - lower), clipped
    upper: Number | None = None
    panel: Panel | None = None

    def model_post_init(self, _context) -> None:
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


class Imputation(Strict):
    method: Literal["none", "carry", "group_median", "group_mean"] = "none"
    years: Count | None = None  # carry: the latest value at most this many years older
    group: Literal["income_group", "region"] | None = None  # group_*: the economy's group

    def model_post_init(self, _context) -> None:
        if self.method == "carry" and self.years is None:
            raise ValueError("imputation carry needs years")
        if self.method.startswith("group_") and self.group is None:
            raise ValueError(f"imputation {self.method} needs group: income_group or region")


class Aggregation(Strict):
    method: Literal["arithmetic", "geometric"] = "arithmetic"
    floor: Number | None = (
        None  # geometric: children below it count as it (one zero cannot zero all)
    )
    min_children: Count | None = None  # at least K children with a value, else no score
    # true: the weights of the children that have a value are rescaled to sum to 1; false: the
    # weights are used as printed (ITU's classic 0.33 x 3 = 0.99), rescaled only for missing ones
    renormalise: bool = True

    def model_post_init(self, _context) -> None:
        if self.method == "geometric" and self.floor is None:
            raise ValueError("aggregation geometric needs floor")


class Provider(Strict):
    """The node in a provider's published index (ITU DataHub: code and the tree's codeID)."""

    code: Text
    code_id: int


class Node(Strict):
    code: Ident
    parent: Ident | None = None
    label: Text
    weight: Number | None = None
    direction: Literal["positive", "negative"] = "positive"
    input: Input | None = None
    transform: Literal["none", "log10"] = "none"
    normalisation: Normalisation | None = None
    imputation: Imputation = Imputation()
    aggregation: Aggregation | None = None
    provider: Provider | None = None

    def model_post_init(self, _context) -> None:
        if self.parent is not None and self.weight is None:
            raise ValueError("a node with a parent needs weight")
        if self.input is not None:
            if self.normalisation is None:
                raise ValueError("an indicator (a node with input) needs normalisation")
            if self.aggregation is not None:
                raise ValueError("an indicator (a node with input) has no aggregation")
        elif self.aggregation is None:
            raise ValueError("a node without input needs aggregation (and children)")


class DataYear(Strict):
    """Edition E uses inputs of year E - lag, or the latest within `window` years before."""

    lag: Count
    window: Count


class Screen(Strict):
    """Economies with less than this share of the indicators (before imputation) are out."""

    min_share: Number


class Edition(Strict):
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


class Spec(Strict):
    name: Ident
    label: Text
    description: Text | None = None
    source: Text
    file: str
    extends: Ident | None = None
    scale: Number
    screen: Screen | None = None
    editions: list[Edition]

    def unconfirmed(self) -> bool:
        """Any edition has a normalisation number (reference or goalpost) not confirmed."""
        return any(e.unconfirmed() for e in self.editions)


class SpecFile(Strict):
    """The file as written: the nodes (or `extends:` a spec's), overrides per edition."""

    name: Ident
    label: Text
    description: Text | None = None
    source: Text
    extends: Ident | None = None
    scale: Number | None = None
    data_year: DataYear | None = None
    screen: Screen | None = None
    editions: dict[int, EditionFile] | None = None
    overrides: dict[Ident, dict] = {}
    nodes: list[dict] | None = None


class EditionFile(Strict):
    data_year: DataYear | None = None
    overrides: dict[Ident, dict] = {}


SpecFile.model_rebuild()


# ---------------------------------------------------------------- loading


def load_composites(catalog_dir: Path, series_ids: set[str] | None = None) -> list[Spec]:
    """Every spec under {catalog_dir}/composites/, checked; a mistake names file, node and key.
    `series_ids`: the catalog's series (default: read from {catalog_dir}/series.yml)."""
    spec_dir = Path(catalog_dir) / SPEC_DIR
    if series_ids is None:
        series_ids = _series_ids(Path(catalog_dir) / "series.yml")
    raw = {}
    for path in sorted(spec_dir.glob("*.yml")):
        doc = _read(path)
        name = doc.get("name") if isinstance(doc, dict) else None
        if name in raw:
            raise IctpError(f"{path}: composite name {name!r} is also used by {raw[name][0]}")
        raw[name] = (path, doc)
    return [_resolve(name, raw, series_ids) for name in sorted(raw, key=str)]


def _resolve(name, raw: dict, series_ids: set[str] | None) -> Spec:
    path, doc = raw[name]
    f = _validate(SpecFile, doc, path, "the spec")
    chain = [f]
    while chain[-1].extends:
        base = chain[-1].extends
        if base not in raw:
            raise IctpError(f"{path}: extends {base!r}, but no spec in {path.parent} has that name")
        if any(c.name == base for c in chain):
            raise IctpError(f"{path}: extends forms a cycle ({' -> '.join(c.name for c in chain)})")
        chain.append(_validate(SpecFile, raw[base][1], raw[base][0], "the spec"))
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
        out.append(_validate(Node, merged, path, f"node {n.get('code') or i + 1!r} ({where})"))
    return out


def _check_tree(path: Path, nodes: list[Node], series_ids: set[str] | None) -> None:
    by_code: dict[str, Node] = {}
    for n in nodes:
        if n.code in by_code:
            raise IctpError(f"{path}: node {n.code!r}: the code is used twice")
        by_code[n.code] = n
    roots = [n.code for n in nodes if n.parent is None]
    if len(roots) != 1:
        raise IctpError(f"{path}: exactly one node has no parent (the index); found {roots}")
    children: dict[str, list[str]] = {}
    for n in nodes:
        if n.parent is not None:
            if n.parent not in by_code:
                raise IctpError(f"{path}: node {n.code!r}: key parent: no node {n.parent!r}")
            children.setdefault(n.parent, []).append(n.code)
    for n in nodes:
        seen, p = {n.code}, n.parent
        while p is not None:
            if p in seen:
                raise IctpError(f"{path}: node {n.code!r}: key parent: the parents form a cycle")
            seen.add(p)
            p = by_code[p].parent
        kids = children.get(n.code, [])
        if n.input is not None and kids:
            raise IctpError(f"{path}: node {n.code!r}: an indicator (input) cannot have children")
        if n.input is None and not kids:
            raise IctpError(f"{path}: node {n.code!r}: an aggregate node needs children")
        mc = n.aggregation.min_children if n.aggregation else None
        if mc is not None and mc.value > len(kids):
            raise IctpError(
                f"{path}: node {n.code!r}: key aggregation.min_children: {mc.value} > its "
                f"{len(kids)} children"
            )
        if n.input is not None and series_ids is not None:
            bad = [s for s in n.input.series_ids() if s not in series_ids]
            if bad:
                raise IctpError(
                    f"{path}: node {n.code!r}: key input: {', '.join(bad)} not in series.yml "
                    "(add the series, or write `unavailable: <why>`)"
                )


def _validate(model, data, path: Path, where: str):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(
            f"key {'.'.join(str(x) for x in err['loc']) or '(top)'}: {err['msg']}"
            for err in e.errors()
        )
        raise IctpError(f"{path}: {where}: {problems}") from None


def _read(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise IctpError(f"{path}: not valid YAML: {' '.join(str(e).split())}") from None


def _series_ids(path: Path) -> set[str] | None:
    if not path.exists():
        return None
    doc = _read(path)
    entries = doc.get("series", []) if isinstance(doc, dict) else []
    return {e["id"] for e in entries if isinstance(e, dict) and "id" in e}


# ---------------------------------------------------------------- tables


class SpecRow(Strict):
    composite: str
    edition: int
    label: str
    description: str | None
    source: str
    file: str
    extends: str | None
    scale: float
    scale_source: str
    scale_confirmed: bool
    data_year: int
    data_year_window: int
    data_year_confirmed: bool
    screen_min_share: float | None
    screen_confirmed: bool | None
    goalposts_confirmed: bool
    fitted: bool
    note: str | None


class NodeRow(Strict):
    composite: str
    edition: int
    code: str
    parent: str | None
    position: int
    depth: int
    height: int
    is_indicator: bool
    label: str
    weight: float | None
    weight_source: str | None
    weight_confirmed: bool | None
    direction: int
    input_kind: str | None
    series: str | None
    numerator: list[str] | None
    denominator: list[str] | None
    formula_scale: float | None
    unavailable: str | None
    input_confirmed: bool | None
    input_note: str | None
    transform: str
    norm_method: str | None
    reference: float | None
    reference_source: str | None
    reference_confirmed: bool | None
    lower: float | None
    lower_source: str | None
    lower_confirmed: bool | None
    upper: float | None
    upper_source: str | None
    upper_confirmed: bool | None
    panel_from: int | None
    panel_to: int | None
    impute_method: str
    impute_years: int | None
    impute_group: str | None
    agg_method: str | None
    agg_floor: float | None
    min_children: int | None
    children: int
    renormalise: bool | None
    provider_code: str | None
    provider_code_id: int | None
    fitted: bool


def spec_rows(specs: list[Spec]) -> list[dict]:
    rows = []
    for s in specs:
        for e in s.editions:
            unconfirmed = e.unconfirmed()
            fitted = any(num.fitted for num in e.goalposts())
            row = SpecRow(
                composite=s.name,
                edition=e.edition,
                label=s.label,
                description=s.description,
                source=s.source,
                file=s.file,
                extends=s.extends,
                scale=s.scale.value,
                scale_source=s.scale.source,
                scale_confirmed=s.scale.confirmed,
                data_year=e.edition - e.data_year.lag.value,
                data_year_window=e.data_year.window.value,
                data_year_confirmed=e.data_year.lag.confirmed and e.data_year.window.confirmed,
                screen_min_share=s.screen.min_share.value if s.screen else None,
                screen_confirmed=s.screen.min_share.confirmed if s.screen else None,
                goalposts_confirmed=not unconfirmed,
                fitted=fitted,
                note=UNCONFIRMED_NOTE if unconfirmed else None,
            )
            rows.append(row.model_dump())
    return rows


def node_rows(specs: list[Spec]) -> list[dict]:
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

            for i, n in enumerate(e.nodes):
                rows.append(
                    _node_row(s, e, n, i, depth(n), height(n.code), len(kids.get(n.code, [])))
                )
    return rows


def _num(prefix: str, num: Number | None) -> dict:
    return {
        prefix: num.value if num else None,
        f"{prefix}_source": num.source if num else None,
        f"{prefix}_confirmed": num.confirmed if num else None,
    }


def _node_row(s: Spec, e: Edition, n: Node, i: int, depth: int, height: int, kids: int) -> dict:
    inp, norm, agg = n.input, n.normalisation, n.aggregation
    f = inp.formula if inp else None
    nums = [norm.reference, norm.lower, norm.upper] if norm else []
    row = NodeRow(
        composite=s.name,
        edition=e.edition,
        code=n.code,
        parent=n.parent,
        position=i + 1,
        depth=depth,
        height=height,
        is_indicator=inp is not None,
        label=n.label,
        **_num("weight", n.weight),
        direction=-1 if n.direction == "negative" else 1,
        input_kind=(
            None
            if inp is None
            else "series"
            if inp.series
            else "formula"
            if inp.formula
            else "unavailable"
        ),
        series=inp.series if inp else None,
        numerator=list(f.numerator) if f else None,
        denominator=list(f.denominator) if f else None,
        formula_scale=f.scale.value if f else None,
        unavailable=inp.unavailable if inp else None,
        input_confirmed=inp.confirmed if inp else None,
        input_note=inp.note if inp else None,
        transform=n.transform,
        norm_method=norm.method if norm else None,
        **_num("reference", norm.reference if norm else None),
        **_num("lower", norm.lower if norm else None),
        **_num("upper", norm.upper if norm else None),
        panel_from=norm.panel.from_year if norm and norm.panel else None,
        panel_to=norm.panel.to_year if norm and norm.panel else None,
        impute_method=n.imputation.method,
        impute_years=n.imputation.years.value if n.imputation.years else None,
        impute_group=n.imputation.group,
        agg_method=agg.method if agg else None,
        agg_floor=agg.floor.value if agg and agg.floor else None,
        min_children=agg.min_children.value if agg and agg.min_children else None,
        children=kids,
        renormalise=agg.renormalise if agg else None,
        provider_code=n.provider.code if n.provider else None,
        provider_code_id=n.provider.code_id if n.provider else None,
        fitted=any(x is not None and x.fitted for x in nums),
    )
    return row.model_dump()


_DUCK = {str: "varchar", int: "integer", float: "double", bool: "boolean"}


def columns(model: type[BaseModel]) -> dict[str, str]:
    """DuckDB column types from a row model's annotations (X | None is nullable X)."""
    out = {}
    for name, field in model.model_fields.items():
        t = field.annotation
        args = [a for a in typing.get_args(t) if a is not type(None)]
        if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
            t = args[0]
        if typing.get_origin(t) is list:
            out[name] = _DUCK[typing.get_args(t)[0]] + "[]"
        else:
            out[name] = _DUCK[t]
    return out


def _create(con, name: str, model: type[BaseModel], rows: list[dict]) -> None:
    cols = columns(model)
    con.execute(
        f"create or replace table {name} (" + ", ".join(f'"{c}" {t}' for c, t in cols.items()) + ")"
    )
    if rows:
        con.executemany(
            f"insert into {name} values ({', '.join('?' for _ in cols)})",
            [[r[c] for c in cols] for r in rows],
        )


def load_composites_into(
    con, catalog_dir: Path, schema: str = "input", series_ids: set[str] | None = None
) -> list[Spec]:
    """Create {schema}.composite_specs and {schema}.composite_nodes from every spec."""
    specs = load_composites(catalog_dir, series_ids)
    con.execute(f"create schema if not exists {schema}")
    _create(con, f"{schema}.composite_specs", SpecRow, spec_rows(specs))
    _create(con, f"{schema}.composite_nodes", NodeRow, node_rows(specs))
    return specs

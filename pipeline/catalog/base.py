"""What every catalog entry shares: a strict pydantic model, identifiers, and one-line errors.

An entry model forbids unknown keys and coerces nothing (`commercial_use: "no"` is not True,
a bound of `true` is not 1). A failed validation becomes one IctpError line naming the file,
the entry, the key and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from pipeline.errors import IctpError

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
# Series, file, source and composite ids: lower-case letters, digits and _, starting with a
# letter (they become file names and SQL values, so `../../x` must never pass).
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER)]


class Entry(BaseModel):
    """A catalog entry: strict types, unknown keys refused, immutable once loaded."""

    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, validate_default=False, protected_namespaces=()
    )


def field(description: str, default: Any = ..., **kw) -> Any:
    """A model field with its one-line meaning (the docs and the error messages use it)."""
    return Field(default, description=description, **kw)


def validate(model: type[Entry], data: Any, path: Path, where: str, **context) -> Any:
    """`model` from `data`, or one IctpError line: file, entry, key, what is wrong, expected."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as e:
        raise IctpError(f"{path}: {where}: {describe(model, e)}") from None


def entry_label(kind: str, n: int, entry: Any, key: str = "id") -> str:
    """'series #3 (internet_users_pct)': the entry's place and its id, as far as it has one."""
    name = entry.get(key) if isinstance(entry, dict) else None
    return f"{kind} #{n} ({name})" if isinstance(name, str) else f"{kind} #{n}"


def describe(model: type[Entry], error: ValidationError) -> str:
    """The first problem of a ValidationError as one readable line."""
    e = error.errors(include_url=False)[0]
    loc = ".".join(str(x) for x in e["loc"] if x not in ("function-after", "function-before"))
    kind, got = e["type"], _short(e.get("input"))
    if kind == "extra_forbidden":
        return f"unknown key {e['loc'][-1]!s} ({_known(model, e['loc'])})"
    if kind == "missing":
        return f"lacks the key {loc}"
    if kind == "value_error":
        return f"{loc + ': ' if loc else ''}{str(e['ctx']['error'])}"
    expected = EXPECTED.get(kind, e["msg"][0].lower() + e["msg"][1:])
    if kind == "model_type":
        expected = f"a mapping ({_known(model, e['loc'] + ('',))})"
    if kind == "string_pattern_mismatch":
        expected = "an identifier: lower-case letters, digits and _, starting with a letter"
    return f"{loc}: {got} is not valid: expected {expected}"


EXPECTED = {
    "bool_type": "true or false (unquoted)",
    "float_type": "a number",
    "int_type": "a whole number",
    "string_type": "a text",
    "list_type": "a list [...]",
    "dict_type": "a mapping {...}",
    "literal_error": None,
    "too_short": "more items",
    "too_long": "fewer items",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _known(model: type[BaseModel], loc: tuple) -> str:
    """The keys the mapping at `loc` (minus its last part) accepts."""
    target = model
    for part in loc[:-1]:
        info = _field_by_key(target, part)
        if info is None:
            continue
        sub = _model_in(info.annotation)
        if sub is not None:
            target = sub
    keys = [f.alias or name for name, f in target.model_fields.items()]
    return "known keys: " + ", ".join(keys)


def _field_by_key(model: type[BaseModel], key) -> Any:
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return f
    return None


def _model_in(annotation) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (X, X | None, list[X], dict[str, X]...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

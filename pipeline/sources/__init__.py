"""Sources: one module per source. A source lists what it serves and downloads it; nothing else.

Every source module has the same shape:

    SOURCE = "name"
    FAMILY = "name"                                     optional: pulled with that source too
    tasks(settings, catalog, only) -> list[Task]      what to download (one task a series)
    pull(fetch, task, settings) -> list[Page]          download one task, checking every page

`fetch(url, params) -> Response` comes from the ingest step, which keeps every body in the raw
store and logs the request. `pull` returns the pages it used or raises PullError with the
API's own words. Turning the pages into rows is the tidy step's job (pipeline/tidy.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson
import simdjson


class PullError(Exception):
    """A series could not be downloaded; the message says why and `url` says where."""

    def __init__(self, message: str, url: str):
        super().__init__(message)
        self.url = url


@dataclass(frozen=True)
class Response:
    url: str  # the full URL asked for, query string included
    content_type: str
    body: bytes
    sha256: str


@dataclass(frozen=True)
class Page:
    sha256: str
    page: int
    rows: int
    lastupdated: str | None


@dataclass(frozen=True)
class Task:
    source: str
    series: str  # a catalog series id, or a source's own table such as "economies"
    source_code: str | None
    url: str
    spec: object | None = field(default=None, compare=False, repr=False)  # what pull() needs
    # --if-changed: the pages of the latest good pull, so a paged source can stop after page 1
    # when it is byte-identical to that pull's page 1 (the rest is then taken as unchanged)
    previous: tuple = field(default=(), compare=False, repr=False)


Fetch = Callable[..., Response]  # fetch(url, params, once=False): once, at most one GET a run


def shape(fields: dict) -> str:
    """A list of records with `fields` ({name: DuckDB type, or a nested dict}) as DuckDB's
    from_json reads it: how a staging model in sql/ that reads records as JSON (ITU's, the
    IDI's) gets a source's one declaration of a row. The World Bank's use `list_type`."""
    return json.dumps([fields])


def list_type(fields: dict) -> str:
    """The DuckDB type of a list of records with `fields` (as for `shape`): how a staging model
    reads a page's rows typed in `read_json` itself, the JSON parsed once."""

    def of(t) -> str:
        if isinstance(t, dict):
            return "STRUCT(" + ", ".join(f'"{k}" {of(v)}' for k, v in t.items()) + ")"
        return t

    return of(fields) + "[]"


def registry() -> dict:
    """Every source module by name, in the order ingest runs them."""
    from pipeline.sources import files, itu, itu_idi, worldbank

    return {
        worldbank.SOURCE: worldbank,
        itu.SOURCE: itu,
        itu_idi.SOURCE: itu_idi,
        files.SOURCE: files,
    }


def chosen(sources: list[str] | None) -> dict:
    """The source modules a `--sources` list picks ({name: module}, in registry order): every
    one when there is no list; a module whose FAMILY is listed comes with it (`itu` brings
    `itu_idi`, ITU's published IDI scores)."""
    return {
        name: module
        for name, module in registry().items()
        if not sources or name in sources or getattr(module, "FAMILY", None) in sources
    }


def module_of(source: str):
    """The module serving a source id: `file:<name>` is served by the `file` module."""
    return registry()[source.split(":", 1)[0]]


# A document decode_page returns: its arrays and objects may be simdjson's lazy ones.
LIST = (list, simdjson.Array)
DICT = (dict, simdjson.Object)


def decode_page(body: bytes, url: str, content_type: str = ""):
    """The JSON document in a response body, checked whole by simdjson (in C) without making
    Python objects of it: its arrays and objects stay simdjson's lazy Array and
    Object (index them, take len(), `in`, and `plain()` for the small parts read in full).
    A body simdjson refuses, or one that does not start with `[` or `{` (a byte-order mark,
    say), goes through decode_json: its verdict and its words."""
    if body[:64].lstrip()[:1] in (b"[", b"{"):
        try:
            return simdjson.Parser().parse(body)  # a parser per page: no state shared by threads
        except (ValueError, RuntimeError):
            pass
    return decode_json(body, url, content_type)


def plain(x):
    """A value of decode_page's document as plain Python (lists, dicts)."""
    if isinstance(x, simdjson.Object):
        return x.as_dict()
    if isinstance(x, simdjson.Array):
        return x.as_list()
    return x


def decode_json(body: bytes, url: str, content_type: str = ""):
    """The JSON document in a response body, or PullError saying how the body is broken."""
    try:
        return orjson.loads(body)  # twice as fast as json; its errors are json's
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        start = body[:1].strip()
        if start in (b"[", b"{"):
            raise PullError(
                f"the body is cut short or malformed JSON ({len(body)} bytes; {e.msg} at byte "
                f"{e.pos if isinstance(e, json.JSONDecodeError) else '?'})",
                url,
            ) from None
        snippet = body[:120].decode("utf-8", "replace").replace("\n", " ").strip()
        raise PullError(
            f"the body is not JSON (Content-Type {content_type or 'unknown'}): {snippet!r}", url
        ) from None

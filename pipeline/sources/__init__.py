"""Sources: one module per source. A source lists what it serves and downloads it; nothing else.

A source module gets a `fetch(url, params) -> Response` function from the ingest step (which
keeps every body in the raw store and logs the request) and returns the pages it used, or
raises PullError with the API's own words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class PullError(Exception):
    """A series could not be downloaded; the message says why and `url` says where."""

    def __init__(self, message: str, url: str):
        super().__init__(message)
        self.url = url


@dataclass(frozen=True)
class Response:
    url: str  # the full URL asked for, query string included
    status: int
    content_type: str
    body: bytes
    sha256: str


@dataclass(frozen=True)
class Page:
    sha256: str
    page: int
    rows: int
    lastupdated: str | None


Fetch = Callable[[str, dict], Response]

"""Serve a data set's pre-rendered pages as the World Bank API v2, from 127.0.0.1.

`StaticPages` answers like the demo's `WorldBankAPI.handle` but reads the bytes from files, so
the demo's threaded server (`pipeline.demo.worldbank_api.serve`) is reused unchanged and the
server is not what limits the measured ingest (rendering JSON per request would be).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from pipeline.demo.worldbank_api import INVALID_VALUE, JSON, dumps, serve

NOT_FOUND = (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")


class StaticPages:
    def __init__(self, pages_dir: Path, per_page: int):
        self.dir = pages_dir
        self.per_page = per_page

    def handle(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        parts = [p for p in path.split("/") if p]
        if int(query.get("per_page", 50)) != self.per_page:
            body = f"the benchmark's pages are rendered for per_page={self.per_page}".encode()
            return 400, {"Content-Type": "text/plain"}, body
        page = f"{int(query.get('page', 1))}.json"
        if parts == ["v2", "country"]:
            file = self.dir / "country" / page
        elif len(parts) == 5 and parts[:2] == ["v2", "country"] and parts[3] == "indicator":
            folder = self.dir / "indicator" / parts[4]
            if not folder.is_dir():
                return 200, JSON, dumps(INVALID_VALUE)
            file = folder / page
        else:
            return NOT_FOUND
        try:
            return 200, JSON, file.read_bytes()
        except FileNotFoundError:
            return NOT_FOUND


@contextlib.contextmanager
def serve_pages(pages_dir: Path, per_page: int):
    """Serve `pages_dir` in a background thread; yield the v2 base URL."""
    with serve(StaticPages(pages_dir, per_page), keep_alive=True) as url:
        yield url

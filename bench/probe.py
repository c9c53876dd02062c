"""A prototype of the change check ictp lacks, to measure what a no-op run could cost.

    python -m bench.probe DATA_DIR      (ICTP_WORLDBANK_URL and ICTP_CATALOG_DIR as for ictp)

For every download ingest would make, ask for the first page only and compare its SHA-256
with the first page of the latest good pull. Prints JSON: requests made, series changed. A run
could stop here when nothing changed (and validate, build and export could skip when their
inputs' checksums are unchanged). Reuses the source module's own tasks and paging, so the
requests are exactly the ones ingest makes first.
"""

from __future__ import annotations

import hashlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.catalog import load_catalog
from pipeline.http import make_session
from pipeline.raw_store import RawStore
from pipeline.settings import Settings
from pipeline.sources import registry


class FirstPage(Exception):
    """Raised by the probe's fetch to stop a pull after its first response."""

    def __init__(self, sha256: str):
        super().__init__(sha256)
        self.sha256 = sha256


def changed(settings: Settings) -> tuple[int, list[str]]:
    """(downloads probed, series whose first page differs from the last good pull's)."""
    catalog = load_catalog(settings.catalog_dir)
    good = RawStore(settings.raw_dir).latest_good_pulls()
    session = make_session(settings)
    wanted = settings.source_list or list(registry())
    tasks = [t for name in wanted for t in registry()[name].tasks(settings, catalog)]

    def fetch(url: str, params: dict):
        body = session.get(url, params=params, timeout=settings.http_timeout).content
        raise FirstPage(hashlib.sha256(body).hexdigest())

    def first_page_changed(task) -> bool:
        try:
            registry()[task.source].pull(fetch, task, settings)
        except FirstPage as first:
            pull = good.get((task.source, task.series))
            return not pull or not pull["pages"] or pull["pages"][0]["sha256"] != first.sha256
        return True

    with ThreadPoolExecutor(settings.max_in_flight) as pool:
        flags = list(pool.map(first_page_changed, tasks))
    return len(tasks), [t.series for t, c in zip(tasks, flags, strict=True) if c]


def main(argv: list[str]) -> int:
    settings = Settings.from_env(data_dir=Path(argv[0]))
    probed, series = changed(settings)
    print(json.dumps({"requests": probed, "changed": series}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

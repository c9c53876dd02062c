"""Ingest: download every catalog series into the raw store, at most 4 requests in flight.

A series that fails keeps its last good pull (downstream steps read only good pulls); the
failure is recorded with the URL and the API's own words, and the command exits non-zero.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import requests

from pipeline import crash
from pipeline.catalog import Catalog
from pipeline.errors import IctpError
from pipeline.http import HostUnreachable, make_session, read_whole
from pipeline.progress import progress
from pipeline.raw_store import RawStore
from pipeline.runs import Run, utc_now
from pipeline.settings import Settings
from pipeline.sources import PullError, Response, Task, chosen, module_of, registry

log = logging.getLogger(__name__)

KEPT_HEADERS = ("content-type", "content-length", "last-modified", "etag", "date", "retry-after")


class Fetcher:
    """GET through the run's session (or read a file:// URL); keep every body in the raw store;
    log one manifest line. A local file goes through the same path as a download."""

    def __init__(self, settings: Settings, store: RawStore, run: Run):
        self.settings = settings
        self.store = store
        self.run = run
        self.session = make_session(settings)
        self._once: dict[str, Response] = {}  # once=True answers, by full URL
        self._once_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def for_task(self, task: Task, pull_id: str):
        def fetch(url: str, params: dict, once: bool = False) -> Response:
            if once:
                return self.get_once(url, params, task=task, pull_id=pull_id)
            return self.get(url, params, task=task, pull_id=pull_id)

        return fetch

    def get_once(self, url: str, params: dict, *, task: Task, pull_id: str) -> Response:
        """GET `url` at most once per run (a list several pulls read, such as ITU's regions):
        the first good answer is shared; a failure is not kept, so the next caller tries."""
        key = f"{url}?{urlencode(params)}"
        with self._lock:
            lock = self._once_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._once:
                self._once[key] = self.get(url, params, task=task, pull_id=pull_id)
            return self._once[key]

    def get(self, url: str, params: dict, *, task: Task, pull_id: str) -> Response:
        full_url = f"{url}?{urlencode(params)}" if params else url
        entry = {
            "time": utc_now(),
            "run_id": self.run.id,
            "pull_id": pull_id,
            "source": task.source,
            "series": task.series,
            "url": url,
            "params": params,
        }
        started = time.monotonic()
        if url.startswith("file://"):
            return self._read_file(url, entry, started)
        try:
            with self.session.get(
                url, params=params, timeout=self.settings.http_timeout, stream=True
            ) as r:
                body = read_whole(r)
        except requests.RequestException as e:
            entry.update(status=None, error=_describe(e), elapsed_s=_since(started))
            self.store.log_request(entry)
            raise _no_answer(e, self.settings.http_retries, full_url) from None
        sha, new = self.store.put(body)
        history = _retried(r)
        entry.update(
            status=r.status_code,
            headers={k: r.headers[k] for k in KEPT_HEADERS if k in r.headers},
            sha256=sha,
            bytes=len(body),
            new_file=new,
            retries=history,
            elapsed_s=_since(started),
        )
        self.store.log_request(entry)
        if params.get("page") == 1:
            crash.point("ingest.after_first_page")
        if r.status_code != 200:
            snippet = body[:200].decode("utf-8", "replace").replace("\n", " ").strip()
            tried = f" after {len(history)} retries" if history else ""
            raise PullError(f"HTTP {r.status_code} {r.reason}{tried}: {snippet!r}", full_url)
        return Response(
            url=full_url,
            content_type=r.headers.get("content-type", ""),
            body=body,
            sha256=sha,
        )

    def _read_file(self, url: str, entry: dict, started: float) -> Response:
        path = Path(unquote(urlsplit(url).path))
        try:
            body = path.read_bytes()
            mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        except OSError as e:
            entry.update(status=None, error=f"{type(e).__name__}: {e.strerror}", elapsed_s=0.0)
            self.store.log_request(entry)
            raise PullError(
                f"cannot read the file: {e.strerror}; check its path in the files list", url
            ) from None
        sha, new = self.store.put(body)
        headers = {"content-length": str(len(body)), "last-modified": format_datetime(mtime)}
        entry.update(
            status=200,
            headers=headers,
            sha256=sha,
            bytes=len(body),
            new_file=new,
            retries=[],
            elapsed_s=_since(started),
        )
        self.store.log_request(entry)
        return Response(url=url, content_type="", body=body, sha256=sha)


def plan(
    settings: Settings,
    catalog: Catalog,
    only: list[str] | None = None,
    sources: list[str] | None = None,
) -> list[Task]:
    """Every download of an ingest: each chosen source's tasks, in registry order."""
    if only:
        catalog.check_ids(only)
    unknown = sorted(set(sources or ()) - set(registry()))
    if unknown:
        raise IctpError(
            f"unknown source {', '.join(unknown)}: use {', '.join(registry())} (comma-separated)"
        )
    return [
        task
        for source in chosen(sources).values()
        for task in source.tasks(settings, catalog, only)
    ]


def run(
    settings: Settings,
    catalog: Catalog,
    manifest: Run,
    only: list[str] | None = None,
    sources: list[str] | None = None,
) -> dict:
    """Pull every task of the catalog (`only` these series, from `sources`); return the pull
    records ("pulls", in task order), how many succeeded and which failed, as recorded in the
    run manifest. Never raises for a failed series."""
    pulls = list(_pull_all(settings, catalog, manifest, only, sources).values())
    result = {
        "pulls": pulls,
        "ok": sum(p["status"] == "ok" for p in pulls),
        "failed": [p["series"] for p in pulls if p["status"] != "ok"],
    }
    manifest.record("ingest", result)
    return result


def _pull_all(
    settings: Settings,
    catalog: Catalog,
    manifest: Run,
    only: list[str] | None,
    sources: list[str] | None,
) -> dict:
    """Pull every task; return {(source, series): pull record}."""
    store = RawStore(settings.raw_dir)
    fetcher = Fetcher(settings, store, manifest)
    tasks = plan(settings, catalog, only, sources)
    if settings.if_changed:
        good = store.latest_good_pulls()
        tasks = [
            replace(t, previous=tuple(good[(t.source, t.series)]["pages"]))
            if (t.source, t.series) in good else t
            for t in tasks
        ]  # fmt: skip
    results: dict[tuple[str, str], dict] = {}
    try:
        with ThreadPoolExecutor(max_workers=settings.max_in_flight) as pool:
            futures = [pool.submit(_pull, fetcher, task) for task in tasks]
            try:
                for future in progress(as_completed(futures), total=len(futures), desc="download"):
                    pull = future.result()
                    store.log_pull(pull)
                    results[(pull["source"], pull["series"])] = pull
                    if pull["status"] != "ok":
                        log.error("%s: %s (%s)", pull["series"], pull["error"], pull["url"])
            except BaseException:  # a full disk, Ctrl-C, SIGTERM: start no more downloads
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        store.close()
    return {(t.source, t.series): results[(t.source, t.series)] for t in tasks}


def _pull(fetcher: Fetcher, task: Task) -> dict:
    pull_id = f"{fetcher.run.id}/{task.source}/{task.series}"
    record = {
        "pull_id": pull_id,
        "run_id": fetcher.run.id,
        "source": task.source,
        "series": task.series,
        "source_code": task.source_code,
        "url": task.url,
        "synthetic": fetcher.settings.synthetic,
        "started": utc_now(),
    }
    try:
        pages = module_of(task.source).pull(fetcher.for_task(task, pull_id), task, fetcher.settings)
    except PullError as e:
        what = f"series {task.series}" + (f" ({task.source_code})" if task.source_code else "")
        record.update(
            status="failed", error=f"{what}: {e}", url=e.url, finished=utc_now(), pages=[]
        )
        return record
    record.update(
        status="ok",
        error=None,
        finished=utc_now(),
        pages=[{"sha256": p.sha256, "page": p.page, "rows": p.rows} for p in pages],
        unchanged=bool(task.previous)
        and [p.sha256 for p in pages] == [p["sha256"] for p in task.previous],
        rows_total=sum(p.rows for p in pages),
        lastupdated=pages[0].lastupdated if pages else None,
    )
    return record


def _no_answer(e: requests.RequestException, retries: int, url: str) -> PullError:
    """The error of a request that got no answer (after its retries, or never sent)."""
    if isinstance(e, HostUnreachable):
        return PullError(str(e), url)
    return PullError(f"no usable answer after {retries} retries: {_describe(e)}", url)


def _retried(r: requests.Response) -> list:
    """What urllib3 retried before this answer: statuses, or the errors' names."""
    retries = getattr(r.raw, "retries", None)
    if not retries:
        return []
    return [h.status or (type(h.error).__name__ if h.error else "?") for h in retries.history]


def _describe(e: Exception) -> str:
    text = str(e)
    if isinstance(e, HostUnreachable):
        return text
    if isinstance(e, requests.Timeout):
        return f"timed out ({text})"
    if isinstance(e, requests.exceptions.ChunkedEncodingError):
        return f"the connection closed before the whole body arrived ({text})"
    return f"{type(e).__name__}: {text}"


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)

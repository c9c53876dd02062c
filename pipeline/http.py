"""The one HTTP session of a run: timeouts, retries with backoff, a User-Agent naming us, and a
breaker per host: after HOST_FAILURES requests in a row that could not connect (no route, DNS
failing, connection refused), the rest of that host's requests fail at once."""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError
from urllib3.util.retry import Retry

from pipeline import __version__
from pipeline.errors import one_line
from pipeline.settings import Settings

USER_AGENT = f"ictp/{__version__} (ICT indicators pipeline; +https://github.com/ictp/ictp)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
HOST_FAILURES = 3  # requests in a row (each after its own retries) that could not connect
log = logging.getLogger(__name__)


class HostUnreachable(requests.exceptions.ConnectionError):
    """Not sent: the host's breaker is open (it could not be reached this run)."""


class Breaker:
    """Consecutive connection failures per host; open after HOST_FAILURES, for the session's life."""

    def __init__(self, limit: int = HOST_FAILURES):
        self.limit = limit
        self.failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def check(self, host: str) -> None:
        with self._lock:
            if self.failures.get(host, 0) >= self.limit:
                raise HostUnreachable(f"not sent: {host} is unreachable (see the message above)")

    def succeeded(self, host: str) -> None:
        with self._lock:
            self.failures[host] = 0

    def failed(self, host: str, error: Exception) -> None:
        with self._lock:
            n = self.failures[host] = self.failures.get(host, 0) + 1
        if n == self.limit:  # said once, when the breaker opens
            log.error(
                "cannot reach %s: %d requests in a row could not connect (last: %s); its other "
                "requests are not sent this run. Check the network, DNS and the base URL "
                "(ICTP_WORLDBANK_URL, ICTP_ITU_URL)",
                host,
                n,
                _reason(error),
            )


class BreakerAdapter(HTTPAdapter):
    """An HTTPAdapter whose requests go through a per-host Breaker."""

    def __init__(self, breaker: Breaker, **kwargs):
        self.breaker = breaker
        super().__init__(**kwargs)

    def send(self, request, *args, **kwargs):
        host = urlsplit(request.url).netloc
        self.breaker.check(host)
        try:
            response = super().send(request, *args, **kwargs)
        except requests.exceptions.ConnectionError as e:
            if _could_not_connect(e):
                self.breaker.failed(host, e)
            raise
        self.breaker.succeeded(host)
        return response


class Session(requests.Session):
    """A requests.Session that reads the environment's proxy and CA settings once per host.

    requests reads them for every request, walking all of os.environ twice (more work than
    checking the page). What it reads is the same for every request to a host in one run, so
    the first answer is kept (by scheme, host and the request's own settings)."""

    def __init__(self):
        super().__init__()
        self._merged: dict[tuple, dict] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        scheme, host = urlsplit(url)[:2]
        key = (scheme, host, tuple(sorted((proxies or {}).items())), stream, verify, cert)
        if key not in self._merged:
            self._merged[key] = super().merge_environment_settings(
                url, proxies, stream, verify, cert
            )
        merged = self._merged[key]
        return {**merged, "proxies": dict(merged["proxies"])}


def read_whole(response: requests.Response) -> bytes:
    """The body of a response asked for with `stream=True`, read in one call: `.content` reads
    it 10 KB at a time, which costs more CPU than everything else ingest does with a page."""
    return b"".join(response.iter_content(chunk_size=None))


def _could_not_connect(e: requests.exceptions.ConnectionError) -> bool:
    """No connection was made at all (refused, no route, DNS, connect timeout): not a server
    that closed a connection mid-answer."""
    reason = e.args[0].reason if e.args and isinstance(e.args[0], MaxRetryError) else e.args[0]
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _reason(e: Exception) -> str:
    reason = e.args[0].reason if e.args and isinstance(e.args[0], MaxRetryError) else e
    return one_line(reason, 10_000)


def make_session(settings: Settings) -> requests.Session:
    """A session that retries 429/5xx and connect/read timeouts with exponential backoff.

    urllib3 waits `backoff * 2**(n-1)` seconds before retry n, or what a Retry-After header
    asks for when the server sends one. After the last retry the final response is returned
    (not raised) so the caller can report the status and the server's own words.
    """
    retry = Retry(
        total=settings.http_retries,
        connect=settings.http_retries,
        read=settings.http_retries,
        status=settings.http_retries,
        other=0,
        backoff_factor=settings.http_backoff,
        backoff_max=120,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = BreakerAdapter(
        Breaker(),
        max_retries=retry,
        pool_connections=settings.max_in_flight,
        pool_maxsize=settings.max_in_flight,
    )
    session = Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # Proxies still come from the environment (trust_env), but requests would also read ~/.netrc
    # on every request to look for credentials these open APIs never need: a callable auth
    # that changes nothing stops that.
    session.auth = _no_credentials
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = "application/json"
    return session


def _no_credentials(request):
    return request

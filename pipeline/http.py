"""The one HTTP session of a run: timeouts, retries with backoff, a User-Agent naming us."""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pipeline import __version__
from pipeline.settings import Settings

USER_AGENT = f"ictp/{__version__} (ICT indicators pipeline; +https://github.com/ictp/ictp)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


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
    adapter = HTTPAdapter(
        max_retries=retry,
        pool_connections=settings.max_in_flight,
        pool_maxsize=settings.max_in_flight,
    )
    session = requests.Session()
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

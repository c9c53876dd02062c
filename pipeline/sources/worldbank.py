"""World Bank Indicators API v2: list what it serves, download it page by page, check each page.

    GET {base}/country/all/indicator/{code}?format=json&source=2&per_page=N&page=P
    GET {base}/country?format=json&per_page=N&page=P

Both answer `[header, rows]`. A 200 whose body is `[{"message": [...]}]` is an error, and so is
a body that is not JSON. Rows over all pages must add up to the header's `total`.
"""

from __future__ import annotations

from pipeline.sources import DICT, LIST, Fetch, Page, PullError, Task, decode_page, list_type, plain

SOURCE = "worldbank"
WDI_SOURCE_ID = "2"  # pins World Development Indicators; a code can live in several databases
ECONOMIES = "economies"  # the series id under which the country list is pulled
# The one declaration of a row's shape: the fields tidy reads (with their DuckDB types) from
# an indicator page and from the country list. `value` is text: a number arrives as its digits,
# a stray string as itself, so validation can tell them apart. A page whose rows lack a field
# that is not optional has changed format and fails its pull.
ROW = {
    "country": {"id": "VARCHAR"},
    "countryiso3code": "VARCHAR",
    "date": "VARCHAR",
    "value": "VARCHAR",
    "obs_status": "VARCHAR",
}
ECONOMY = {
    "id": "VARCHAR",
    "iso2Code": "VARCHAR",
    "name": "VARCHAR",
    "region": {"id": "VARCHAR", "value": "VARCHAR"},
    "incomeLevel": {"id": "VARCHAR", "value": "VARCHAR"},
    "lendingType": {"id": "VARCHAR", "value": "VARCHAR"},
    "capitalCity": "VARCHAR",
    "longitude": "VARCHAR",
    "latitude": "VARCHAR",
}
ROW_FIELDS = set(ROW) - {"obs_status"}
ECONOMY_FIELDS = set(ECONOMY) - {"lendingType", "capitalCity", "longitude", "latitude"}
# Its pages are read typed (a list of these records) by read_json itself: sql/validate/1_staging.
SHAPES = {"observations": list_type(ROW), "economies": list_type(ECONOMY)}


def tasks(settings, catalog, only: list[str] | None = None) -> list[Task]:
    """The economy list first, then every catalog series the World Bank serves."""
    base = settings.worldbank_url
    out = [Task(SOURCE, ECONOMIES, None, economies_url(base))]
    for series, code in catalog.codes(SOURCE, only):
        out.append(Task(SOURCE, series.id, code, series_url(base, code)))
    return out


def pull(fetch: Fetch, task: Task, settings) -> list[Page]:
    if task.series == ECONOMIES:
        return pull_economies(fetch, settings.worldbank_url, settings.per_page)
    return pull_series(
        fetch, settings.worldbank_url, task.source_code, settings.per_page, task.previous
    )


def series_url(base: str, code: str) -> str:
    return f"{base}/country/all/indicator/{code}"


def economies_url(base: str) -> str:
    return f"{base}/country"


def pull_series(
    fetch: Fetch, base: str, code: str, per_page: int, previous: tuple = ()
) -> list[Page]:
    params = {"format": "json", "source": WDI_SOURCE_ID, "per_page": per_page}
    return _pull_pages(fetch, series_url(base, code), params, ROW_FIELDS, previous)


def pull_economies(fetch: Fetch, base: str, per_page: int) -> list[Page]:
    params = {"format": "json", "per_page": per_page}
    return _pull_pages(fetch, economies_url(base), params, ECONOMY_FIELDS)


def _pull_pages(
    fetch: Fetch, url: str, params: dict, fields: set[str], previous: tuple = ()
) -> list[Page]:
    pages: list[Page] = []
    first = None
    page_no = 1
    while True:
        response = fetch(url, {**params, "page": page_no})
        header, n_rows = parse_page(response.body, response.url, response.content_type, fields)
        if header.get("page") != page_no:
            raise PullError(
                f"asked for page {page_no} but got page {header.get('page')}", response.url
            )
        if first is None:
            first = header
            if _same_as_before(response.sha256, header, previous):
                return [Page(p["sha256"], p["page"], p["rows"], header.get("lastupdated"))
                        for p in previous]  # fmt: skip
        elif (header["pages"], header["total"]) != (first["pages"], first["total"]):
            raise PullError(
                f"the data changed during the download: page 1 said {first['pages']} pages / "
                f"{first['total']} rows, page {page_no} says {header['pages']} pages / "
                f"{header['total']} rows; run the ingest again",
                response.url,
            )
        pages.append(Page(response.sha256, page_no, n_rows, header.get("lastupdated")))
        if page_no >= header["pages"]:
            break
        page_no += 1
    received = sum(p.rows for p in pages)
    if received != first["total"]:
        raise PullError(
            f"received {received} rows over {len(pages)} pages but the API announced "
            f"{first['total']} (a short or missing page); run the ingest again",
            url,
        )
    return pages


def _same_as_before(sha256: str, header: dict, previous: tuple) -> bool:
    """Page 1 is byte for byte the previous good pull's page 1, page count and total alike."""
    return (
        bool(previous)
        and previous[0]["sha256"] == sha256
        and len(previous) == header["pages"]
        and sum(p["rows"] for p in previous) == header["total"]
    )


def parse_page(
    body: bytes, url: str, content_type: str = "", fields: set[str] = frozenset()
) -> tuple[dict, int]:
    """Check one response body; return its header and number of rows, or raise PullError.

    The whole body is checked as JSON, but only the header and the first row's field names
    become Python objects: tidy reads the rows themselves with DuckDB."""
    doc = decode_page(body, url, content_type)
    if isinstance(doc, LIST) and len(doc) >= 1 and isinstance(doc[0], DICT) and "message" in doc[0]:
        message = _api_message(plain(doc[0]["message"]))
        raise PullError(f"the API answered with an error: {message}", url)
    if not (isinstance(doc, LIST) and len(doc) == 2 and isinstance(doc[0], DICT)):
        raise PullError("the body is JSON but not the API's [header, rows] shape", url)
    header, rows = doc
    return _header(plain(header), url), _count_rows(rows, fields, url)


def _count_rows(rows, fields: set[str], url: str) -> int:
    """How many rows a page holds, or PullError when they are not rows with `fields`."""
    if rows is None:
        return 0
    if not isinstance(rows, LIST):
        raise PullError("the rows part of the page is not a list", url)
    missing = sorted(fields - set(rows[0])) if len(rows) and isinstance(rows[0], DICT) else []
    if missing:
        raise PullError(
            f"the rows lack the field(s) {', '.join(missing)} (has the API's format changed?); "
            f"they have: {', '.join(sorted(rows[0]))}",
            url,
        )
    return len(rows)


def _header(header: dict, url: str) -> dict:
    """A page header with page, pages and total as numbers, or PullError."""
    try:
        return {
            **header,
            "page": int(header["page"]),
            "pages": int(header["pages"]),
            "total": int(header["total"]),
        }
    except (KeyError, TypeError, ValueError):
        raise PullError(f"the page header lacks page/pages/total: {header!r}", url) from None


def _api_message(message) -> str:
    if isinstance(message, list):
        parts = []
        for m in message:
            if isinstance(m, dict):
                parts.append(" ".join(str(m.get(k, "")) for k in ("id", "key", "value")).strip())
            else:
                parts.append(str(m))
        return "; ".join(parts)
    return str(message)

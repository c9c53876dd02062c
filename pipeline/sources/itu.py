"""ITU DataHub API v2 (unofficial, undocumented): list what it serves, download it, check it.

    GET {base}/data/bycode/{codeID}     every country-year of one series, one JSON array
    GET {base}/country/all              ITU's country list: CountryID, IsoCode, names, groupings

Observed behaviour (../shared/data/itu-datahub-examples/): no paging; a record's value is a
string in `answer[0].value`; `dataSource` "ITU estimate." marks an estimate; an unknown codeID
answers HTTP 200 with `[]`, which we treat as an error naming the code.
"""

from __future__ import annotations

from pipeline.errors import IctpError
from pipeline.sources import Fetch, Page, PullError, Task, decode_json

SOURCE = "itu"
ECONOMIES = "economies"  # the series id under which the country list is pulled
RECORD_KEYS = ("isoCode", "dataYear", "answer")
COUNTRY_KEYS = ("CountryID", "IsoCode")


def tasks(settings, catalog, only: list[str] | None = None) -> list[Task]:
    """ITU's country list, then every catalog series ITU serves (nothing when none is asked)."""
    served = catalog.codes(SOURCE, only)
    if only and not served:
        return []
    base = settings.itu_url
    out = [Task(SOURCE, ECONOMIES, None, f"{base}/country/all")]
    for series, code in served:
        code_id = series.source_details.get(SOURCE, {}).get("code_id")
        if not code_id:
            raise IctpError(
                f"{catalog.dir / 'series.yml'}: series {series.id}: the itu source needs "
                f"{{code: {code}, code_id: <the DataHub's numeric codeID>}}"
            )
        out.append(Task(SOURCE, series.id, code, series_url(base, code_id)))
    return out


def series_url(base: str, code_id: str) -> str:
    return f"{base}/data/bycode/{code_id}"


def pull(fetch: Fetch, task: Task, settings) -> list[Page]:
    response = fetch(task.url, {})
    doc = decode_json(response.body, response.url, response.content_type)
    if task.series == ECONOMIES:
        n = check_records(doc, response.url, COUNTRY_KEYS, "the country list")
    else:
        n = check_records(doc, response.url, RECORD_KEYS, f"codeID {task.url.rsplit('/', 1)[1]}")
        codes = sorted({str(r.get("code")) for r in doc})
        if codes != [task.source_code]:
            raise PullError(
                f"the records are ITU code {', '.join(codes)}, but series.yml says "
                f"{task.source_code} for {task.series}: fix its code or code_id",
                response.url,
            )
    return [Page(response.sha256, 1, n, None)]


def check_records(doc, url: str, keys: tuple[str, ...], what: str) -> int:
    """The number of records in a DataHub array, or PullError saying what is wrong with it."""
    if isinstance(doc, dict):
        words = doc.get("message") or doc.get("error") or doc
        raise PullError(f"the API answered with an error, not records: {words}", url)
    if not isinstance(doc, list):
        raise PullError("the body is JSON but not an array of records", url)
    if not doc:
        raise PullError(
            f"the DataHub answered [] (no records) for {what}: it does not know this id; "
            "check the code_id in series.yml against https://datahub.itu.int",
            url,
        )
    for i, record in enumerate(doc):
        if not isinstance(record, dict) or any(k not in record for k in keys):
            raise PullError(
                f"record {i} is not a DataHub record (it lacks {', '.join(keys)}): "
                f"{str(record)[:120]!r}",
                url,
            )
    return len(doc)

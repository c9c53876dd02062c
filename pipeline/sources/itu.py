"""ITU DataHub API v2 (unofficial, undocumented): list what it serves, download it, check it.

    GET {base}/country/all                                    ITU's country list: CountryID,
                                                              IsoCode, names, groupings
    GET {base}/region/all                                     ITU's region list: regionID,
                                                              regionCode, regionName, className
    GET {base}/data/bycode/{codeID}                           every country-year of one series
    GET {base}/aggregation/bycodeid/{codeID}/byregionid/{id}  ITU's own aggregate of one series
                                                              for one region, every year

Observed behaviour (../shared/data/itu-datahub-examples/): no paging; a record's value is in
`answer[0].value` (a string for countries, a number for aggregates); `dataSource` "ITU
estimate." marks an estimate; an unknown codeID answers HTTP 200 with `[]`, which we treat as
an error naming the code. An aggregate's records carry `regionName` but not the regionID asked
for (region 3, Arab States, answers regionID 647, ITU's id for the same region in another
class), so an aggregate is matched to the region asked for by its name.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from pipeline.errors import IctpError
from pipeline.sources import Fetch, Page, PullError, Task, decode_json, shape

SOURCE = "itu"
ECONOMIES = "economies"  # the series id under which the country list is pulled
REGIONS = "regions"  # ... and the region list
AGGREGATES = "aggregates:"  # ITU's aggregates of series <id> are pulled as "aggregates:<id>"
# The one declaration of each record's shape: the fields tidy reads, with their DuckDB types
# (a series record's value is a string in answer[0], an aggregate's a number: read as JSON),
# and the keys a record must have for its pull to pass.
RECORD = {
    "isoCode": "VARCHAR",
    "dataYear": "VARCHAR",
    "answer": [{"value": "JSON"}],
    "dataNote": "VARCHAR",
    "dataSource": "VARCHAR",
}
AGGREGATE = {"regionName": "VARCHAR", "dataYear": "VARCHAR", "answer": [{"value": "JSON"}]}
REGION = {
    "regionID": "BIGINT",
    "regionCode": "VARCHAR",
    "regionName": "VARCHAR",
    "className": "VARCHAR",
}
COUNTRY = {
    "CountryID": "BIGINT",
    "IsoCode": "VARCHAR",
    "ShortName": "VARCHAR",
    "LongName": "VARCHAR",
    "Regions": [
        {
            "id": "BIGINT",
            "regionCode": "VARCHAR",
            "class": "VARCHAR",
            "classID": "BIGINT",
            "region": "VARCHAR",
        }
    ],
}
RECORD_KEYS = ("isoCode", "dataYear", "answer")
COUNTRY_KEYS = ("CountryID", "IsoCode")
REGION_KEYS = tuple(REGION)
AGGREGATE_KEYS = tuple(AGGREGATE)
SHAPES = {
    "observations": shape(RECORD),
    "aggregates": shape(AGGREGATE),
    "regions": shape(REGION),
    "economies": shape(COUNTRY),
}
UNKNOWN_ID = (
    "it does not know this id; check the code_id in series.yml against https://datahub.itu.int"
)
EMPTY_LIST = "a list ITU never leaves empty; run the ingest again later"
# ITU's own lists, by the series id they are pulled under: their keys, name and id key
LISTS = {
    ECONOMIES: (COUNTRY_KEYS, "the country list", "CountryID"),
    REGIONS: (REGION_KEYS, "the region list", "regionID"),
}


@dataclass(frozen=True)
class AggregatesSpec:
    """What the pull of one series' aggregates needs: its codeID and the region classes."""

    code_id: str
    classes: tuple[str, ...]  # ITU classNames whose regions' aggregates are pulled


def tasks(settings, catalog, only: list[str] | None = None) -> list[Task]:
    """ITU's country list, its region list, then every catalog series ITU serves and ITU's
    aggregates of each (nothing when none is asked)."""
    served = catalog.codes(SOURCE, only)
    if only and not served:
        return []
    base = settings.itu_url
    classes = aggregate_classes(catalog)
    out = [Task(SOURCE, ECONOMIES, None, economies_url(base))]
    if classes and served:
        out.append(Task(SOURCE, REGIONS, None, regions_url(base)))
    for series, code in served:
        details = series.source_details.get(SOURCE, {})
        code_id = details.get("code_id")
        if not code_id:
            raise IctpError(
                f"{catalog.dir / 'series.yml'}: series {series.id}: the itu source needs "
                f"{{code: {code}, code_id: <the DataHub's numeric codeID>}}"
            )
        out.append(Task(SOURCE, series.id, code, series_url(base, code_id)))
        if classes and details.get("aggregates", True):
            spec = AggregatesSpec(code_id, classes)
            url = f"{base}/aggregation/bycodeid/{code_id}"
            out.append(Task(SOURCE, AGGREGATES + series.id, code, url, spec))
    return out


def aggregate_classes(catalog) -> tuple[str, ...]:
    """The ITU classNames whose regions' aggregates (and IDI scores) are pulled
    (indicators/sources.yml, `itu.aggregates.classes`)."""
    source = catalog.sources.get(SOURCE)
    return tuple(c.name for c in source.aggregate_classes) if source else ()


def region_list(fetch: Fetch, base: str) -> list[dict]:
    """ITU's region list, checked: one download a run, shared by every pull that reads it."""
    return _list(fetch, regions_url(base), REGIONS)


def _list(fetch: Fetch, url: str, which: str) -> list[dict]:
    listed = fetch(url, {}, once=True)
    doc = decode_json(listed.body, listed.url, listed.content_type)
    check_list(doc, listed.url, which)
    return doc


def check_list(doc, url: str, which: str) -> int:
    """Check ITU's country list (ECONOMIES) or region list (REGIONS): records with its keys,
    never empty, each id a whole number (ids are read as numbers and go into URLs). Returns
    how many records it holds."""
    keys, what, id_key = LISTS[which]
    n = check_records(doc, url, keys, what, EMPTY_LIST)
    _whole_ids(doc, id_key, url)
    return n


def _whole_ids(records: list[dict], key: str, url: str) -> None:
    """PullError unless every record's `key` is a whole number (an id becomes part of a URL:
    text such as "7/../x" must never reach one)."""
    bad = [r[key] for r in records if not whole(r[key])]
    if bad:
        raise PullError(f"{key} {json.dumps(bad[0])[:80]} is not a whole number", url)


def whole(x) -> bool:
    """A whole number, as JSON gives one (true is not 1)."""
    return isinstance(x, int) and not isinstance(x, bool)


def aggregated_series(series: str) -> str | None:
    """The catalog series whose aggregates a pull holds ("aggregates:<id>" -> id), else None."""
    return series.removeprefix(AGGREGATES) if series.startswith(AGGREGATES) else None


def series_url(base: str, code_id: str) -> str:
    return f"{base}/data/bycode/{code_id}"


def regions_url(base: str) -> str:
    return f"{base}/region/all"


def economies_url(base: str) -> str:
    return f"{base}/country/all"


def country_list(fetch: Fetch, base: str) -> list[dict]:
    """ITU's country list, checked: one download a run, shared by every pull that reads it."""
    return _list(fetch, economies_url(base), ECONOMIES)


def aggregate_url(base: str, code_id: str, region_id) -> str:
    return f"{base}/aggregation/bycodeid/{code_id}/byregionid/{region_id}"


def pull(fetch: Fetch, task: Task, settings) -> list[Page]:
    if task.spec is not None:
        return pull_aggregates(fetch, task, settings.itu_url)
    response = fetch(task.url, {}, once=task.series in LISTS)  # IDI's pull reads them too
    doc = decode_json(response.body, response.url, response.content_type)
    if task.series in LISTS:
        n = check_list(doc, response.url, task.series)
    else:
        n = check_records(doc, response.url, RECORD_KEYS, f"codeID {task.url.rsplit('/', 1)[1]}")
        check_code(doc, response.url, task)
    return [Page(response.sha256, 1, n, None)]


def pull_aggregates(fetch: Fetch, task: Task, base: str) -> list[Page]:
    """ITU's aggregate of one series for every region of the catalog's classes: one page per
    region, each checked like a series and matched to the region asked for by its name."""
    spec: AggregatesSpec = task.spec
    regions = region_list(fetch, base)
    chosen = sorted(
        (r for r in regions if r["className"] in spec.classes),
        key=lambda r: r["regionID"],  # whole numbers (check_list)
    )
    if not chosen:
        raise PullError(
            f"ITU's region list has no region of the classes {', '.join(spec.classes)} "
            "(indicators/sources.yml, itu aggregates): check the class names against the list",
            regions_url(base),
        )
    twice = sorted(n for n, k in Counter(r["regionName"] for r in chosen).items() if k > 1)
    if twice:
        raise PullError(
            f"ITU's region list names two regions {', '.join(map(repr, twice))}, so their "
            "aggregates cannot be told apart: list fewer classes in indicators/sources.yml",
            regions_url(base),
        )
    pages = []
    for n, region in enumerate(chosen, 1):
        asked = f"region {region['regionID']} ({region['regionName']})"
        response = fetch(aggregate_url(base, spec.code_id, region["regionID"]), {})
        doc = decode_json(response.body, response.url, response.content_type)
        rows = check_records(
            doc,
            response.url,
            AGGREGATE_KEYS,
            f"codeID {spec.code_id} in {asked}",
            hint=f"{UNKNOWN_ID}; if ITU publishes no aggregates of {task.source_code}, set "
            f"aggregates: false in its itu entry",
        )
        check_code(doc, response.url, task)
        names = sorted({str(r.get("regionName")) for r in doc})
        if names != [region["regionName"]]:
            raise PullError(
                f"asked for the aggregate of {asked}, but the records are for "
                f"{', '.join(map(repr, names))}: ITU's region list and its aggregates disagree; "
                "run the ingest again later, and report it if it stays",
                response.url,
            )
        pages.append(Page(response.sha256, n, rows, None))
    return pages


def check_records(doc, url: str, keys: tuple[str, ...], what: str, hint: str = UNKNOWN_ID) -> int:
    """The number of records in a DataHub array, or PullError saying what is wrong with it."""
    if isinstance(doc, dict):
        words = doc.get("message") or doc.get("error") or doc
        raise PullError(f"the API answered with an error, not records: {words}", url)
    if not isinstance(doc, list):
        raise PullError("the body is JSON but not an array of records", url)
    if not doc:
        raise PullError(f"the DataHub answered [] (no records) for {what}: {hint}", url)
    for i, record in enumerate(doc):
        if not isinstance(record, dict) or any(k not in record for k in keys):
            raise PullError(
                f"record {i} is not a DataHub record (it lacks {', '.join(keys)}): "
                f"{str(record)[:120]!r}",
                url,
            )
    return len(doc)


def check_code(doc: list, url: str, task: Task) -> None:
    """Every record is of the ITU code the catalog gives the series, or PullError naming both."""
    codes = sorted({str(r.get("code")) for r in doc})
    if codes != [task.source_code]:
        series = aggregated_series(task.series) or task.series
        raise PullError(
            f"the records are ITU code {', '.join(codes)}, but series.yml says "
            f"{task.source_code} for {series}: fix its code or code_id",
            url,
        )

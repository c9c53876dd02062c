"""ITU's published ICT Development Index scores, from the DataHub's IDI API (unofficial;
observed shapes in ../shared/data/itu-datahub-examples/ and idi-methodology.md D.5):

  GET {base}/idi/dashboard/version           the editions: a list of years
  GET {base}/idi/dashboard/all               the tree: nodes {codeID, code, label, children}
  GET {base}/country/all                     ITU's countries (their CountryID)
  GET {base}/idi/data/bycountryid/{id}       per country: records {countryID, codeID, score,
                                             dataYear, ...} (not captured: assumed to be the
                                             region records' shape with a country id; any
                                             other shape fails the pull, naming the URL)
  GET {base}/region/all                      ITU's regions (the aggregates' classes)
  GET {base}/idi/region/byregionid/{id}      per region: records {regionID, dataID, codeID,
                                             score, dataYear} (captured)

One pull, series `idi` of source `itu_idi`, made by `ictp ingest` (and `ictp run`, `ictp demo`)
like every other, whenever ITU is pulled (`--sources itu` or `itu_idi`; not with `--series`):
every body is kept in the raw store, and the pull's pages are, in this order, the editions
(page 1), the tree (page 2), then every country's and every region's scores. A
region is asked for when its class is one whose aggregates ictp pulls (indicators/sources.yml,
`itu.aggregates.classes`). Validate reads the pages with DuckDB (sql/validate/1_staging/
stg_itu_idi__*.sql) into provider_composite_scores.parquet; a pull that fails keeps the last
good one, like any series.
"""

from __future__ import annotations

import json

from pipeline.sources import Fetch, Page, PullError, Task, decode_json, itu, shape

SOURCE = "itu_idi"
FAMILY = itu.SOURCE  # `--sources itu` pulls these scores too; `--sources worldbank` does not
SCORES = "idi"  # the pull's series id
TREE_PAGE = 2  # the pull's pages: 1 the editions, 2 the tree, from 3 on the score records
# The one declaration of a score record's shape (a country's has countryID, a region's regionID)
RECORD = {
    "countryID": "BIGINT",
    "regionID": "BIGINT",
    "codeID": "BIGINT",
    "score": "DOUBLE",
    "dataYear": "BIGINT",
}
RECORD_KEYS = ("codeID", "score", "dataYear")
SHAPES = {"scores": shape(RECORD)}


def tasks(settings, catalog, only: list[str] | None = None) -> list[Task]:
    """ITU's published scores: one pull of every edition, country and region. Not pulled for a
    run limited to some series (`--series`): they are whole editions, not a series."""
    if only:
        return []
    url = f"{settings.itu_url}/idi/dashboard/all"
    return [Task(SOURCE, SCORES, None, url, spec=itu.aggregate_classes(catalog))]


def pull(fetch: Fetch, task: Task, settings) -> list[Page]:
    """The editions, the tree, then each country's and each region's scores, every page checked."""
    base = settings.itu_url
    response = fetch(f"{base}/idi/dashboard/version", {})
    editions = decode_json(response.body, response.url, response.content_type)
    if not isinstance(editions, list) or not all(itu.whole(v) for v in editions):
        raise PullError(f"expected a list of edition years, got {_show(editions)}", response.url)
    pages = [Page(response.sha256, 1, len(editions), None)]
    response = fetch(task.url, {})
    nodes = flatten(decode_json(response.body, response.url, response.content_type), task.url)
    pages.append(Page(response.sha256, TREE_PAGE, len(nodes), None))
    for key, asked, url in _entities(fetch, base, task.spec):
        response = fetch(url, {})
        doc = decode_json(response.body, response.url, response.content_type)
        rows = check_records(doc, response.url, nodes, key, asked)
        pages.append(Page(response.sha256, len(pages) + 1, rows, None))
    return pages


def _entities(fetch: Fetch, base: str, classes: tuple[str, ...]):
    """(record key, its id, URL) of every country, then every region of `classes`."""
    countries = itu.country_list(fetch, base)  # one download a run (the country list pull's)
    for cid in sorted({c["CountryID"] for c in countries}):
        yield "countryID", cid, f"{base}/idi/data/bycountryid/{cid}"
    if not classes:
        return
    regions = itu.region_list(fetch, base)  # one download a run (the aggregates' too)
    chosen = [r for r in regions if r["className"] in classes]
    for rid in sorted({r["regionID"] for r in chosen}):
        yield "regionID", rid, f"{base}/idi/region/byregionid/{rid}"


def flatten(tree, url: str) -> dict[int, str]:
    """codeID -> code of every node of /idi/dashboard/all; PullError on another shape."""
    out: dict[int, str] = {}

    def walk(items):
        if not isinstance(items, list):
            raise PullError(f"expected a list of nodes, got {_show(items)}", url)
        for n in items:
            if not isinstance(n, dict) or not itu.whole(n.get("codeID")) or "code" not in n:
                raise PullError(f"a node lacks codeID or code: {_show(n)}", url)
            out[n["codeID"]] = n["code"]
            walk(n.get("children", []))

    walk(tree)
    if not out:
        raise PullError("the IDI tree is empty", url)
    return out


def check_records(doc, url: str, nodes: dict[int, str], key: str, asked: int) -> int:
    """The number of score records of one country's or region's answer ([] = none published),
    or PullError saying how the answer differs from the shape ictp reads."""
    if not isinstance(doc, list):
        raise PullError(f"expected a list of score records, got {_show(doc)}", url)
    for r in doc:
        missing = [k for k in (key, *RECORD_KEYS) if not isinstance(r, dict) or k not in r]
        if missing:
            raise PullError(
                f"a record lacks {', '.join(missing)} (expected the shape of "
                f"/idi/region/byregionid: {{{key}, codeID, score, dataYear, ...}}): {_show(r)}. "
                "ITU's answer differs from what ictp reads; update pipeline/sources/itu_idi.py",
                url,
            )
        if not itu.whole(r[key]) or r[key] != asked:
            raise PullError(f"a record is for {key} {_show(r[key])}, not {asked}", url)
        if not itu.whole(r["codeID"]) or r["codeID"] not in nodes:
            raise PullError(f"codeID {_show(r['codeID'])} is not a node of /idi/dashboard/all", url)
        score = r["score"]
        if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
            raise PullError(f"score {_show(score)} is not a number", url)
        if not itu.whole(r["dataYear"]):
            raise PullError(f"dataYear {_show(r['dataYear'])} is not a year", url)
    return len(doc)


def _show(x) -> str:
    return json.dumps(x)[:200]

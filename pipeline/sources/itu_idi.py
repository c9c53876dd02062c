"""ITU's published ICT Development Index scores, from the DataHub's IDI API (unofficial;
observed shapes in ../shared/data/itu-datahub-examples/ and idi-methodology.md D.5):

  /idi/dashboard/version          the editions: a list of years
  /idi/dashboard/all              the tree: nodes {codeID, code, label, children}
  /idi/data/bycountryid/{id}      per country (ITU's CountryID of /country/all): records
                                  {codeID, score, dataYear, ...} (not captured: assumed the
                                  region records' shape with a country id; anything else fails)
  /idi/region/byregionid/{id}     per region: records {regionID, dataID, codeID, score, dataYear}

`pull(settings, store)` keeps every body in the raw store (a manifest line per request, like
every other pull) and writes data/processed/provider_composite_scores.parquet (edition, ITU
CountryID, codeID, the node's code, score, the raw file's sha256). The build loads that file
beside the composite specs (pipeline/catalog/composites.py) when it exists; the marts map
CountryID to our economy code through economies.itu_country_id.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import requests

from pipeline.errors import IctpError
from pipeline.http import make_session

SOURCE = "itu_idi"
PARQUET = "provider_composite_scores.parquet"
RECORD_KEYS = ("codeID", "score", "dataYear")


def urls(base: str) -> dict[str, str]:
    return {
        "versions": f"{base}/idi/dashboard/version",
        "structure": f"{base}/idi/dashboard/all",
        "countries": f"{base}/country/all",
    }


def pull(settings, store, run_id: str = "") -> dict:
    """Download ITU's IDI editions, tree and every country's scores; store them; write the
    Parquet. Returns a summary {editions, countries, records, nodes, file}."""
    session = make_session(settings)
    u = urls(settings.itu_url.rstrip("/"))
    versions = _get(session, settings, store, u["versions"], run_id)
    if not isinstance(versions[0], list) or not all(isinstance(v, int) for v in versions[0]):
        raise IctpError(
            f"{u['versions']}: expected a list of edition years, got {_show(versions[0])}"
        )
    tree = _get(session, settings, store, u["structure"], run_id)[0]
    nodes = flatten(tree, u["structure"])
    countries, _sha = _get(session, settings, store, u["countries"], run_id)
    if not isinstance(countries, list) or not all(
        isinstance(c, dict) and isinstance(c.get("CountryID"), int) for c in countries
    ):
        raise IctpError(f"{u['countries']}: expected records with a numeric CountryID")
    rows = []
    for c in countries:
        url = f"{settings.itu_url.rstrip('/')}/idi/data/bycountryid/{c['CountryID']}"
        doc, sha = _get(session, settings, store, url, run_id)
        rows += records(doc, url, nodes, c["CountryID"], sha)
    _write(settings.processed_dir / PARQUET, rows)
    return {
        "editions": versions[0],
        "countries": len({r["country_id"] for r in rows}),
        "records": len(rows),
        "nodes": len(nodes),
        "file": str(settings.processed_dir / PARQUET),
    }


def flatten(tree, url: str) -> dict[int, str]:
    """codeID -> code of every node of /idi/dashboard/all; fail clearly on another shape."""
    out: dict[int, str] = {}

    def walk(items):
        if not isinstance(items, list):
            raise IctpError(f"{url}: expected a list of nodes, got {_show(items)}")
        for n in items:
            if not isinstance(n, dict) or not isinstance(n.get("codeID"), int) or "code" not in n:
                raise IctpError(f"{url}: a node lacks codeID or code: {_show(n)}")
            out[n["codeID"]] = n["code"]
            walk(n.get("children", []))

    walk(tree)
    if not out:
        raise IctpError(f"{url}: the IDI tree is empty")
    return out


def records(doc, url: str, nodes: dict[int, str], country_id: int, sha: str) -> list[dict]:
    """The rows of one /idi/data/bycountryid answer ([] = no published scores)."""
    if not isinstance(doc, list):
        raise IctpError(f"{url}: expected a list of score records, got {_show(doc)}")
    out = []
    for r in doc:
        missing = [k for k in RECORD_KEYS if not isinstance(r, dict) or k not in r]
        if missing:
            raise IctpError(
                f"{url}: a record lacks {', '.join(missing)} (expected the shape of "
                f"/idi/region/byregionid: {{codeID, score, dataYear, ...}}): {_show(r)}. ITU's "
                "by-country shape differs from what ictp assumed; update pipeline/sources/itu_idi.py"
            )
        if r.get("countryID", country_id) != country_id:
            raise IctpError(f"{url}: a record is for country {r['countryID']}, not {country_id}")
        if r["codeID"] not in nodes:
            raise IctpError(f"{url}: codeID {r['codeID']} is not a node of /idi/dashboard/all")
        score = r["score"]
        if score is not None and not isinstance(score, int | float):
            raise IctpError(f"{url}: score {score!r} is not a number")
        if not isinstance(r["dataYear"], int):
            raise IctpError(f"{url}: dataYear {r['dataYear']!r} is not a year")
        out.append(
            {
                "edition": r["dataYear"],
                "country_id": country_id,
                "code_id": r["codeID"],
                "code": nodes[r["codeID"]],
                "score": None if score is None else float(score),
                "raw_sha256": sha,
            }
        )
    return out


def _get(session, settings, store, url: str, run_id: str):
    entry = {"time": _now(), "run_id": run_id, "source": SOURCE, "series": "idi", "url": url}
    started = time.monotonic()
    try:
        r = session.get(url, timeout=settings.http_timeout)
    except requests.RequestException as e:
        entry.update(status=None, error=f"{type(e).__name__}: {e}")
        store.log_request(entry)
        raise IctpError(f"{url}: no answer ({type(e).__name__}); try again later") from None
    sha, new = store.put(r.content)
    entry.update(
        status=r.status_code, sha256=sha, bytes=len(r.content), new_file=new,
        elapsed_s=round(time.monotonic() - started, 3),
    )  # fmt: skip
    store.log_request(entry)
    if r.status_code != 200:
        raise IctpError(f"{url}: HTTP {r.status_code}: {r.content[:200]!r}")
    try:
        return json.loads(r.content), sha
    except ValueError:
        raise IctpError(f"{url}: the answer is not JSON: {r.content[:200]!r}") from None


def _write(path, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [("edition", pa.int32()), ("country_id", pa.int32()), ("code_id", pa.int32()),
         ("code", pa.string()), ("score", pa.float64()), ("raw_sha256", pa.string())]
    )  # fmt: skip
    rows = sorted(rows, key=lambda r: (r["edition"], r["country_id"], r["code_id"]))
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _show(x) -> str:
    return json.dumps(x)[:200]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

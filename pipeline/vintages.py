"""Vintages: every pull that brings new bytes is kept as a vintage of its series, never overwritten.

    processed/vintages/<source>/<series>/<vintage_id>.parquet

One file per vintage of a catalog series from one source: the rows validate passed for it
(the columns of observations.parquet and `vintage_id`, sorted by economy and year), described
in the file's key-value metadata: source, series, vintage_id, number (1, 2, ... per source and
series), previous_id, retrieved (when its pull finished), source_updated (the source's own
last-updated date; none for ITU), pages (the SHA-256 of its raw pages) and rows. The files are
the record; `vintages.parquet` lists them (read back from the files on every validate).

A (source, series) gets a new vintage when the raw pages of its latest good pulls (an ITU
series: its data pull and its aggregates pull) differ from those of its latest kept vintage.
Its id is the first 12 hex digits of the SHA-256 of the previous id, the source, the series
and the pages: the same history of bytes gives the same ids, and a series that goes back to
earlier bytes gets a new vintage rather than an old one back. A file is written to a temporary
name in processed/ (a killed run's is removed as debris) and hard-linked into place, which
fails rather than replace a file that is there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import duckdb

from pipeline import paths, sql
from pipeline.store import check_whole, on_cursors

FOLDER = "vintages"
WRITERS = 4  # vintage files written at once


def files(processed: Path) -> list[Path]:
    """Every vintage file kept under `processed`, in path order."""
    return sorted((processed / FOLDER).glob("*/*/*.parquet"))


def vintage_id(previous_id: str | None, source: str, series: str, pages: list[str]) -> str:
    text = "\n".join([previous_id or "", source, series, *pages])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def keep(con: duckdb.DuckDBPyConnection, folder: Path, processed: Path) -> list[dict]:
    """Write a vintage for each (source, series) of `pages` whose pages are new, with the
    queries of `folder` (sql/validate/vintages); leave every kept vintage in the table
    `vintages_kept`. Returns the new vintages (source, series, vintage_id, number)."""
    kept = [str(p) for p in files(processed)]
    if kept:
        sql.query(con, folder / "kept.sql", {"files": kept})
    else:
        sql.query(con, folder / "kept_none.sql")
    new, files_of = [], []
    for c in sql.rows(con, folder / "candidates.sql"):
        vid = vintage_id(c["previous_id"], c["source"], c["series"], c["pages"])
        key = {"source": c["source"], "series": c["series"]}
        meta = {
            **key,
            "vintage_id": vid,
            "number": str(c["number"]),
            "previous_id": c["previous_id"] or "",
            "retrieved": c["retrieved"],
            "source_updated": c["source_updated"].isoformat() if c["source_updated"] else "",
            "pages": ",".join(c["pages"]),
            "rows": str(c["rows"]),
        }
        final = paths.inside(
            processed / FOLDER, processed / FOLDER / c["source"] / c["series"] / f"{vid}.parquet"
        )
        files_of.append((meta, final))
        new.append({**key, "vintage_id": vid, "number": c["number"]})
    query = folder / "write.sql"
    on_cursors(  # a few at once, each on its own cursor: a sort and a write have serial parts
        con,
        lambda cur, item: _write(cur, query, *item, processed),
        files_of,
        workers=WRITERS,
    )
    if new:
        sql.query(con, folder / "kept.sql", {"files": [str(p) for p in files(processed)]})
    return new


def _write(
    con: duckdb.DuckDBPyConnection, query: Path, meta: dict, final: Path, processed: Path
) -> None:
    """The vintage's file at `final`, unless one is there already (then it is left as it is)."""
    if final.exists():
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = processed / f".{final.name}.tmp-{os.getpid()}"  # debris of a killed run is removed
    try:
        sql.query(con, query, {**meta, "path": str(tmp)})
        check_whole(tmp)  # before it is linked into place
        os.link(tmp, final)
    except FileExistsError:
        pass  # another writer kept the same vintage first: the same rows
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)

"""`ictp verify`: every raw object's bytes against its sha256 name, and every good pull's pages.

An object that no longer matches its name (bit rot, an edit by hand, a bad restore) would be
published with false lineage. This lists each one with the pulls that use it; the next ingest
that downloads the same bytes again replaces it (RawStore.put).
"""

from __future__ import annotations

from pipeline import errors
from pipeline.errors import IctpError
from pipeline.raw_store import RawStore
from pipeline.settings import Settings


def verify(settings: Settings) -> dict:
    """{"checked": objects checked, "bad": [sha256...], "missing": [sha256...], "used_by": {sha:
    [pull ids]}}: bad objects fail their hash, missing ones are pages of a good pull with no file."""
    store = RawStore(settings.raw_dir)
    names = list(store.names())
    bad = [sha for sha, ok in store.verify_all(names).items() if not ok]
    present = set(names)
    used_by: dict[str, list[str]] = {}
    for pull in store.latest_good_pulls().values():
        for page in pull["pages"]:
            used_by.setdefault(page["sha256"], []).append(pull["pull_id"])
    missing = sorted(sha for sha in used_by if sha not in present)
    return {"checked": len(names), "bad": bad, "missing": missing, "used_by": used_by}


def report(settings: Settings, result: dict) -> int:
    """Print the result; IctpError (exit 1) when any object is bad or missing."""
    store = RawStore(settings.raw_dir)
    for kind, shas in (("BAD", result["bad"]), ("MISSING", result["missing"])):
        for sha in shas:
            users = result["used_by"].get(sha)
            using = f"; used by {', '.join(users)}" if users else "; used by no current pull"
            print(f"{kind:8} {store.path(sha)}{using}")
    print(f"verify:  {result['checked']:,} raw objects checked in {store.objects}")
    failed = len(result["bad"]) + len(result["missing"])
    if failed:
        raise IctpError(
            f"{len(result['bad'])} raw object(s) do not match their sha256 and "
            f"{len(result['missing'])} are missing (listed above): run `ictp ingest` to download "
            "them again (a fresh download replaces a bad object), or restore them from a backup"
        )
    print("         every object matches its sha256")
    return errors.OK

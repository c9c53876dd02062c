"""The documents stay true to the code: the settings table, the relative links, the README's size.

The settings table in docs/operations.md must list exactly the variables of `Settings.ENV`, each
with the default the `Settings` dataclass declares; a setting added to the code fails this test
until the table has its row.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, fields
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.settings import PROJECT_DIR, Settings

OPERATIONS = ROOT / "docs" / "operations.md"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Link targets that arrive from another branch; a link to one of them may point at nothing yet.
LINKS_ALLOWED_ABSENT = {ROOT / "docs" / "catalog.md"}
README_MAX_LINES = 275  # about 200 for newcomers, plus the promises and five queries


def settings_table() -> dict[str, str]:
    """{variable: its default cell} from the table under '## Settings' in docs/operations.md."""
    text = OPERATIONS.read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"`(ICTP_[A-Z0-9_]+)`", cells[0]) if len(cells) >= 3 else None
        if m:
            assert m[1] not in rows, f"docs/operations.md lists {m[1]} twice"
            rows[m[1]] = cells[1]
    return rows


def declared_default(field) -> str | None:
    """How the table must write a field's default, or None where words say it (no plain value:
    None, an empty string, a value computed at run time)."""
    if field.default is MISSING or field.default is None or field.default == "":
        return None
    value = field.default
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Path):
        if value.is_absolute():
            return f"{value.relative_to(PROJECT_DIR)}/"
        return f"./{value}"
    return str(value)


def test_settings_table_lists_every_declared_setting():
    table = settings_table()
    declared = {var: name for name, (var, _meaning) in Settings.ENV.items()}
    missing = sorted(set(declared) - set(table))
    assert not missing, (
        f"docs/operations.md's settings table lacks {', '.join(missing)} (declared in "
        "Settings.ENV, pipeline/settings.py): add a row `| variable | default | meaning |` for each"
    )
    extra = sorted(set(table) - set(declared))
    assert not extra, (
        f"docs/operations.md's settings table lists {', '.join(extra)}, which Settings.ENV in "
        "pipeline/settings.py does not declare: remove the row or declare the setting"
    )


def test_settings_table_gives_the_declared_defaults():
    by_name = {f.name: f for f in fields(Settings)}
    table = settings_table()
    wrong = []
    for name, (var, _meaning) in Settings.ENV.items():
        expected = declared_default(by_name[name])
        cell = table.get(var, "")
        if expected is None:
            if not cell:
                wrong.append(f"{var}: say in words what the default is")
        elif not cell.startswith(f"`{expected}`"):
            wrong.append(f"{var}: the table says {cell!r}, the code's default is `{expected}`")
    assert not wrong, "docs/operations.md's settings table is out of date: " + "; ".join(wrong)


def test_settings_without_a_plain_default_are_the_expected_ones():
    """The fields whose default the table states in words; a new one joins this list knowingly."""
    worded = {
        f.name for f in fields(Settings) if f.name in Settings.ENV and declared_default(f) is None
    }
    assert worded == {"file_roots", "files", "sources", "year_max"}


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchors(doc: Path) -> set[str]:
    """The anchors GitHub makes of a Markdown file's headings."""
    out = set()
    for line in doc.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"#+ (.+)", line):
            slug = re.sub(r"[^\w\- ]", "", m[1].strip().lower()).replace(" ", "-")
            out.add(slug)
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_at_files(doc):
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # a URL
        file, _, anchor = target.partition("#")
        path = (doc.parent / file).resolve() if file else doc
        if path in LINKS_ALLOWED_ABSENT and not path.exists():
            continue
        if not path.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{doc.relative_to(ROOT)} links to what does not exist: {broken}"


def test_readme_is_short():
    lines = len((ROOT / "README.md").read_text(encoding="utf-8").splitlines())
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines (at most {README_MAX_LINES}): move reference material "
        "to docs/"
    )

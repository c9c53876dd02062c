"""The composite engine on given inputs, through our SQL models (sql/composites/).

Expected values come from ITU's published worked example and published scores
(../shared/spec/idi-methodology.md A.4, D.2), or are computed by code written here, from the
inputs, independently of the SQL.
"""

from __future__ import annotations

import pytest
from composite_engine import engine, rows

# MIS 2011 worked example, Korea 2010 (idi-methodology.md A.4, ITU MIS 2011 page0154).
KOREA_2010 = {
    "fixed_telephone_subs_per_100": 59.2,
    "mobile_cellular_subs_per_100": 105.4,
    "bandwidth_bits_per_user": 11878.4,
    "households_computer_pct": 82,
    "households_internet_pct": 97,
    "internet_users_pct": 84,
    "fixed_broadband_subs_per_100": 36.6,
    "active_mobile_broadband_subs_per_100": 91.0,
    "adult_literacy_pct": 97.9,
    "school_enrolment_secondary_gross": 102.0,
    "school_enrolment_tertiary_gross": 99.0,
}
KOREA_NORMALISED = {
    "fixed_telephone": 0.99,
    "mobile_cellular": 0.62,
    "bandwidth_per_user": 0.75,
    "households_computer": 0.82,
    "households_internet": 0.97,
    "internet_users": 0.84,
    "fixed_broadband": 0.61,
    "mobile_broadband": 0.91,
    "schooling": 0.98,
    "secondary_enrolment": 1.00,
    "tertiary_enrolment": 0.99,
}
# The example's inputs come as the indicators themselves: bandwidth per user as one series,
# and the two series our catalog lacks as test series.
MIS2011_INPUTS = """
    overrides:
      bandwidth_per_user: {input: {series: bandwidth_bits_per_user}}
      households_computer: {input: {series: households_computer_pct}}
      schooling: {input: {series: adult_literacy_pct}}
"""


def _mis2011(tmp_path, base: str):
    spec = f"""
name: mis2011_{base}
label: MIS 2011 worked example on {base}
source: idi-methodology.md A.4
extends: {base}
editions:
  2011:
{MIS2011_INPUTS}
"""
    values = [("KOR", s, 2010, v) for s, v in KOREA_2010.items()]
    return engine(
        tmp_path, {f"mis2011_{base}": spec}, values, shipped=("idi2017.yml", "idi2017_exact.yml")
    )


def test_mis2011_korea_normalised_values_and_idi_with_printed_weights(tmp_path):
    con = _mis2011(tmp_path, "idi2017")
    got = {
        r["indicator"]: r["normalised"]
        for r in rows(
            con,
            "select indicator, normalised from composite_components "
            "where composite = 'mis2011_idi2017' and economy = 'KOR'",
        )
    }
    assert {k: round(v, 2) for k, v in got.items()} == KOREA_NORMALISED
    idi = rows(
        con,
        "select score, rank, status, note, data_year from composite_scores "
        "where composite = 'mis2011_idi2017' and economy = 'KOR' and node = 'idi'",
    )[0]
    assert round(idi["score"], 2) == 8.39
    assert idi["rank"] == 1 and idi["status"] == "scored" and idi["data_year"] == 2010
    assert idi["note"] is None  # the 2011 edition's references are all confirmed
    sub = {
        r["node"]: r["score"]
        for r in rows(
            con,
            "select node, score from composite_scores where composite = 'mis2011_idi2017' "
            "and economy = 'KOR' and level = 1",
        )
    }
    assert round(sub["access"] / 10, 2) == 0.83  # page prints 0.82 (A.4: 0.829 recomputed)
    assert round(sub["use"] / 10, 3) == 0.779 and round(sub["skills"] / 10, 3) == 0.980


def test_mis2011_korea_idi_with_exact_thirds(tmp_path):
    con = _mis2011(tmp_path, "idi2017_exact")
    score = con.execute(
        "select score from composite_scores where composite = 'mis2011_idi2017_exact' "
        "and economy = 'KOR' and node = 'idi'"
    ).fetchone()[0]
    assert round(score, 2) == 8.44


PUBLISHED_TREE = """
name: {name}
label: published scores aggregated
source: idi-methodology.md D.2
scale: {{value: 100, source: test, confirmed: true}}
data_year:
  lag: {{value: 0, source: test, confirmed: true}}
  window: {{value: 0, source: test, confirmed: true}}
editions:
  {edition}: {{}}
nodes:
  - {{code: idi, label: IDI, aggregation: {{method: arithmetic}}}}
{pillars}
"""


def _published(code, parent, series=None, children=None):
    w = "{value: 1, source: test, confirmed: true}"
    if series:
        gp = "{method: goalposts, lower: {value: 0, source: t, confirmed: true}, upper: {value: 100, source: t, confirmed: true}}"
        return f"  - {{code: {code}, parent: {parent}, label: {code}, weight: {w}, input: {{series: {series}}}, normalisation: {gp}}}"
    return f"  - {{code: {code}, parent: {parent}, label: {code}, weight: {w}, aggregation: {{method: arithmetic}}}}"


def _idi_from_indicator_scores(tmp_path, economy, edition, u, m):
    """ITU's 2023-methodology tree with published indicator scores as inputs (0-100 goalposts
    keep them as they are); the coverage component is given as both of its children."""
    lines = [_published("universal", "idi"), _published("meaningful", "idi")]
    values = []
    for i, v in enumerate(u):
        lines.append(_published(f"u{i}", "universal", f"u{i}"))
        values.append((economy, f"u{i}", edition, v))
    lines.append(_published("coverage", "meaningful"))
    for c in ("coverage_3g", "coverage_4g"):
        lines.append(_published(c, "coverage", c))
        values.append((economy, c, edition, m[0]))
    for i, v in enumerate(m[1:]):
        lines.append(_published(f"m{i}", "meaningful", f"m{i}"))
        values.append((economy, f"m{i}", edition, v))
    spec = PUBLISHED_TREE.format(name="published", edition=edition, pillars="\n".join(lines))
    return engine(tmp_path, {"published": spec}, values)


def test_nigeria_2023_from_published_indicator_scores(tmp_path):
    con = _idi_from_indicator_scores(
        tmp_path, "NGA", 2023, (34, 36.4, 24.4), (71, 26.8, 41, 85.6, 36.6, 79.3)
    )
    got = dict(
        con.execute("select node, score from composite_scores where economy = 'NGA'").fetchall()
    )
    assert round(got["universal"], 1) == 31.6
    assert round(got["meaningful"], 1) == 56.7
    assert round(got["idi"], 1) == 44.2


@pytest.mark.parametrize(
    ("economy", "edition", "u", "m", "published"),
    [("BGD", 2023, 39.2, 83, 61.1), ("MAR", 2024, 81.9, 91.7, 86.8)],
)
def test_idi_from_published_pillar_scores(tmp_path, economy, edition, u, m, published):
    spec = PUBLISHED_TREE.format(
        name="pillars",
        edition=edition,
        pillars="\n".join(
            [_published("universal", "idi", "u"), _published("meaningful", "idi", "m")]
        ),
    )
    con = engine(
        tmp_path, {"pillars": spec}, [(economy, "u", edition, u), (economy, "m", edition, m)]
    )
    score = con.execute("select score from composite_scores where node = 'idi'").fetchone()[0]
    assert round(score, 1) == published

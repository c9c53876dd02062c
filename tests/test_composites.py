"""The composite engine on given inputs, through our SQL models (sql/build/4_composites/).

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


# ---------------------------------------------------------------- properties

N = "{{value: {v}, source: test, confirmed: true}}"


def _spec(
    name="prop",
    agg="arithmetic",
    floor=None,
    min_children=None,
    weights=(1, 1, 1),
    imputation="{method: none}",
    renormalise=True,
    lower=0,
    upper=100,
):
    n = N.format
    gp = f"{{method: goalposts, lower: {n(v=lower)}, upper: {n(v=upper)}}}"
    agg_a = f"{{method: {agg}, renormalise: {str(renormalise).lower()}"
    if floor is not None:
        agg_a += f", floor: {n(v=floor)}"
    if min_children is not None:
        agg_a += f", min_children: {n(v=min_children)}"
    agg_a += "}"
    ind = "\n".join(
        f"  - {{code: x{i}, parent: a, label: x{i}, weight: {n(v=w)}, input: {{series: s{i}}}, "
        f"imputation: {imputation}, normalisation: {gp}}}"
        for i, w in enumerate(weights)
    )
    return f"""
name: {name}
label: property test
source: test
scale: {n(v=100)}
data_year: {{lag: {n(v=0)}, window: {n(v=0)}}}
editions: {{2020: {{}}}}
nodes:
  - {{code: top, label: top, aggregation: {{method: arithmetic}}}}
  - {{code: a, parent: top, label: a, weight: {n(v=2)}, aggregation: {agg_a}}}
  - {{code: b, parent: top, label: b, weight: {n(v=1)}, aggregation: {{method: arithmetic}}}}
  - {{code: y, parent: b, label: y, weight: {n(v=1)}, direction: negative, input: {{series: s9}}, normalisation: {gp}}}
{ind}
"""


def _data(seed=7, economies=25):
    import random

    rnd = random.Random(seed)
    out = []
    for k in range(economies):
        e = f"E{k:02d}"
        for s in ("s0", "s1", "s2", "s9"):
            out.append((e, s, 2020, round(rnd.uniform(-20, 130), 3)))
    return out


def _scores(con, node="top", composite="prop"):
    return dict(
        con.execute(
            "select economy, score from composite_scores where composite = ? and node = ?",
            [composite, node],
        ).fetchall()
    )


def _clip(x):
    return min(max(x, 0.0), 1.0)


def test_scores_stay_within_the_scale(tmp_path):
    con = engine(tmp_path, {"prop": _spec()}, _data())
    got = con.execute(
        "select min(score), max(score), count(score) from composite_scores"
    ).fetchone()
    assert got[0] >= 0 and got[1] <= 100 and got[2] == 25 * 7


def test_weighted_mean_within_a_group_as_specified(tmp_path):
    weights = (1, 2, 5)
    data = _data()
    con = engine(tmp_path, {"prop": _spec(weights=weights)}, data)
    got = _scores(con, "a")
    by = {(e, s): v for e, s, _y, v in data}
    for e in got:
        expect = sum(w * _clip(by[e, f"s{i}"] / 100) for i, w in enumerate(weights)) / sum(weights)
        assert got[e] == pytest.approx(100 * expect)
    top = _scores(con)
    for e in top:  # pillars a (weight 2) and b (1, a price: lower is better)
        b = _clip((100 - by[e, "s9"]) / 100)
        assert top[e] == pytest.approx((2 * got[e] / 100 + b) / 3 * 100)


def test_weights_as_printed_are_not_rescaled(tmp_path):
    """renormalise false (ITU's classic 0.33): sum(w x z), so all-ones scores 0.99."""
    data = [("AAA", s, 2020, 100.0) for s in ("s0", "s1", "s2", "s9")]
    con = engine(tmp_path, {"prop": _spec(weights=(0.33, 0.33, 0.33), renormalise=False)}, data)
    assert _scores(con, "a")["AAA"] == pytest.approx(99.0)


def test_raising_one_input_never_lowers_a_score(tmp_path):
    data = _data(seed=11)
    base = engine(tmp_path / "a", {"prop": _spec()}, data)
    before = rows(base, "select economy, node, score from composite_scores")
    for series, delta in (("s1", 15.0), ("s9", -15.0)):  # s9 is lower-is-better: lowering it raises
        raised = [(e, s, y, v + delta if s == series and e == "E03" else v) for e, s, y, v in data]
        after = engine(tmp_path / series, {"prop": _spec()}, raised)
        now = {
            (r["economy"], r["node"]): r["score"]
            for r in rows(after, "select economy, node, score from composite_scores")
        }
        for r in before:
            assert now[r["economy"], r["node"]] >= r["score"] - 1e-12


def test_minimum_data_rule_excludes_economies(tmp_path):
    data = [(e, s, 2020, 50.0) for e in ("AAA", "BBB") for s in ("s0", "s1", "s2", "s9")]
    data = [r for r in data if not (r[0] == "BBB" and r[1] in ("s1", "s2"))]
    con = engine(tmp_path, {"prop": _spec(min_children=2)}, data)
    got = {
        (r["economy"], r["node"]): r
        for r in rows(con, "select economy, node, score, rank, status from composite_scores")
    }
    assert got["AAA", "a"]["score"] == pytest.approx(50.0) and got["AAA", "top"]["rank"] == 1
    assert got["BBB", "a"]["score"] is None
    assert (
        got["BBB", "a"]["status"] == "insufficient data: 1 of 3 components have a value (needs 2)"
    )
    # the index itself needs one child by default: BBB is scored on pillar b alone
    assert got["BBB", "top"]["score"] == pytest.approx(50.0)
    missing = rows(con, "select indicator, reason from composite_missing where economy = 'BBB'")
    assert [(m["indicator"], m["reason"]) for m in missing] == [
        ("x1", "no value for 2020"),
        ("x2", "no value for 2020"),
    ]


def test_ranks_come_from_unrounded_scores(tmp_path):
    # 84.71 and 84.69 both print 84.7; the exact tie of CCC and BBB is broken by code
    vals = {"AAA": 84.69, "BBB": 84.71, "CCC": 84.71, "DDD": 84.7}
    data = [(e, s, 2020, v) for e, v in vals.items() for s in ("s0", "s1", "s2")]
    data += [(e, "s9", 2020, 100 - v) for e, v in vals.items()]
    con = engine(tmp_path, {"prop": _spec()}, data)
    ranks = dict(
        con.execute("select economy, rank from composite_scores where node = 'top'").fetchall()
    )
    assert ranks == {"BBB": 1, "CCC": 2, "DDD": 3, "AAA": 4}


def test_geometric_mean_with_a_zero_input(tmp_path):
    import math

    weights = (1, 1, 2)
    data = [("AAA", "s0", 2020, 0.0), ("AAA", "s1", 2020, 64.0), ("AAA", "s2", 2020, 81.0)]
    data += [("AAA", "s9", 2020, 0.0)]
    con = engine(tmp_path, {"prop": _spec(agg="geometric", floor=0.01, weights=weights)}, data)
    z = [max(0.0, 0.01), 0.64, 0.81]
    expect = math.exp(sum(w * math.log(max(v, 0.01)) for w, v in zip(weights, z, strict=True)) / 4)
    got = _scores(con, "a")["AAA"]
    assert got == pytest.approx(100 * expect) and got > 0
    assert (
        rows(con, "select clipped from composite_components where indicator = 'x0'")[0]["clipped"]
        is False
    )


def test_imputed_cells_are_flagged(tmp_path):
    data = [
        ("AAA", "s0", 2020, 10.0), ("BBB", "s0", 2020, 30.0), ("CCC", "s0", 2020, 80.0),
        ("AAA", "s0", 2018, 5.0), ("DDD", "s0", 2017, 40.0), ("DDD", "s0", 2016, 41.0),
    ]  # fmt: skip
    data += [
        (e, s, 2020, 50.0) for e in ("AAA", "BBB", "CCC", "DDD", "EEE") for s in ("s1", "s2", "s9")
    ]
    economies = [("AAA", "HIC", "EAS"), ("BBB", "HIC", "EAS"), ("CCC", "HIC", "ECS"),
                 ("DDD", "LIC", "SSF"), ("EEE", "HIC", "SSF")]  # fmt: skip
    carry = "{method: carry, years: {value: 3, source: test, confirmed: true}}"
    median = "{method: group_median, group: income_group}"
    con = engine(
        tmp_path,
        {"carry": _spec("carry", imputation=carry), "median": _spec("median", imputation=median)},
        data,
        economies,
    )
    got = {
        (r["composite"], r["economy"]): r
        for r in rows(
            con,
            "select composite, economy, raw_value, value, input_year, imputed, imputation, "
            "imputation_detail from composite_components where indicator = 'x0'",
        )
    }
    assert got["carry", "DDD"]["value"] == 40.0 and got["carry", "DDD"]["input_year"] == 2017
    assert got["carry", "DDD"]["imputed"] and got["carry", "DDD"]["raw_value"] is None
    assert got["carry", "DDD"]["imputation_detail"] == "carried from 2017"
    assert got["carry", "EEE"]["value"] is None and not got["carry", "EEE"]["imputed"]
    assert not got["carry", "AAA"]["imputed"] and got["carry", "AAA"]["value"] == 10.0
    # EEE (HIC): the median of AAA, BBB, CCC's values; DDD is alone in LIC: nothing to borrow
    assert got["median", "EEE"]["value"] == 30.0 and got["median", "EEE"]["imputed"]
    assert got["median", "EEE"]["imputation_detail"] == "median of 3 in income_group HIC"
    assert got["median", "DDD"]["value"] is None
    used = rows(
        con,
        "select indicators_used, indicators_imputed, imputed_indicators from composite_scores "
        "where composite = 'median' and economy = 'EEE' and node = 'top'",
    )[0]
    assert used == {"indicators_used": 4, "indicators_imputed": 1, "imputed_indicators": ["x0"]}


# ---------------------------------------------------------------- uncertainty and audit


def _intervals(con):
    return rows(con, "select * exclude (seed) from composite_rank_intervals order by all")


def test_uncertainty_repeats_under_a_seed_and_differs_under_another(tmp_path):
    from composite_engine import SQL_DIR

    from pipeline import composites

    con = engine(tmp_path, {"prop": _spec(lower=-20, upper=130)}, _data(economies=30))
    assert _intervals(con) == []  # nothing until the command runs
    composites.run_uncertainty(con, SQL_DIR, "prop", 200, seed=42)
    first = _intervals(con)
    composites.run_uncertainty(con, SQL_DIR, "prop", 200, seed=42)
    assert _intervals(con) == first
    composites.run_uncertainty(con, SQL_DIR, "prop", 200, seed=43)
    assert _intervals(con) != first
    top = [r for r in first if r["node"] == "top"]
    assert len(top) == 30 and all(r["runs"] == 200 for r in top)
    nominal = dict(
        con.execute("select economy, rank from composite_scores where node = 'top'").fetchall()
    )
    for r in top:
        assert r["nominal_rank"] == nominal[r["economy"]]
        assert 1 <= r["rank_p05"] <= r["median_rank"] <= r["rank_p95"] <= 30
    # every assumption moves some rank; goalposts are all confirmed here, so they move none
    for k in ("weights", "aggregation", "normalisation"):
        assert sum(r[f"shift_{k}"] for r in top) > 0, k
    assert all(r["shift_goalposts"] == 0 for r in top)
    # the runs' draws: weights stay within +-25%
    runs = rows(
        con,
        "select varies, count(*) as n from intermediate.composite_runs where composite = 'prop' group by all",
    )
    assert {r["varies"]: r["n"] for r in runs} == {
        "none": 1, "all": 200, "weights": 20, "aggregation": 20, "imputation": 20,
        "normalisation": 20, "goalposts": 20,
    }  # fmt: skip


def _audit(con) -> dict:
    """composite_audit's rows of composite `prop`, by node, kind, item and other."""
    return {
        (r["node"], r["kind"], r["item"], r["other"]): r
        for r in rows(con, "select * from composite_audit where composite = 'prop'")
    }


def test_audit_statistics_match_their_definitions(tmp_path):
    import numpy as np

    data = _data(seed=3, economies=40)
    con = engine(tmp_path, {"prop": _spec(lower=-20, upper=130, weights=(1, 1, 1))}, data)
    audit = _audit(con)
    by = {(e, s): v for e, s, _y, v in data}
    econ = sorted({e for e, *_ in data})
    x = np.array(
        [[min(max((by[e, f"s{i}"] + 20) / 150, 0), 1) * 100 for i in range(3)] for e in econ]
    )
    corr = np.corrcoef(x, rowvar=False)
    assert audit["a", "child_child", "x0", "x1"]["value"] == pytest.approx(corr[0, 1])
    k = 3
    alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert audit["a", "cronbach_alpha", None, None]["value"] == pytest.approx(alpha)
    share = np.linalg.eigvalsh(corr).max() / k
    assert audit["a", "pc1_share", None, None]["value"] == pytest.approx(share, rel=1e-6)
    parent = x.mean(axis=1)
    assert audit["a", "child_parent", "x2", "a"]["value"] == pytest.approx(
        np.corrcoef(x[:, 2], parent)[0, 1]
    )
    raw = np.array([by[e, "s0"] for e in econ])
    n = len(raw)
    m2, m3 = ((raw - raw.mean()) ** 2).mean(), ((raw - raw.mean()) ** 3).mean()
    skew = m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    assert audit["x0", "skew", "x0", None]["value"] == pytest.approx(skew)


def test_audit_is_the_same_bits_whatever_the_order_of_its_inputs(tmp_path):
    """The audit's sums, variances and correlations add in a fixed order: the same values
    given in another row order give the same doubles, not ones that differ in the last bits
    (a float sum depends on the order it adds in, and the tables the audit reads are in no
    fixed order, so rebuilds of the same inputs differed)."""
    import random

    def audit(folder, data):
        con = engine(folder, {"prop": _spec(lower=-20, upper=130, weights=(1, 2, 3))}, data)
        return {k: r["value"] for k, r in _audit(con).items()}

    data = _data(seed=5, economies=300)
    shuffled = data[:]
    random.Random(1).shuffle(shuffled)
    first, second = audit(tmp_path / "a", data), audit(tmp_path / "b", shuffled)
    assert len(first) > 10 and set(first) == set(second)
    assert {k: (v, second[k]) for k, v in first.items() if v != second[k]} == {}


def test_audit_flags_collinear_and_skewed_indicators(tmp_path):
    data = []
    for k in range(30):
        e = f"E{k:02d}"
        v = float(k * 3)
        data += [(e, "s0", 2020, v), (e, "s1", 2020, v + 1), (e, "s9", 2020, 50.0)]
        data += [(e, "s2", 2020, 1000.0 if k == 0 else 1.0)]  # one huge outlier
    con = engine(tmp_path, {"prop": _spec(lower=0, upper=1000)}, data)
    flags = {
        (r["kind"], r["item"], r["other"]): r["flag"]
        for r in rows(con, "select * from composite_audit where flag is not null")
    }
    assert flags[("child_child", "x0", "x1")] == "above 0.9"
    assert flags[("skew", "x2", None)] == "|skew| > 2 and kurtosis > 3.5"

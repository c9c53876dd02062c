"""Unit tests of the SQL models that compute: a few given rows in, one model run, the expected
rows out (worked out by hand from the given rows). See tests/sql_harness.py."""

from __future__ import annotations

import duckdb
import pytest
from sql_harness import find_model, run_model, table

# The columns of the given relations, declared once per relation (only those the models read).
OBSERVATIONS = (
    "economy varchar, series varchar, year smallint, value double, source varchar, "
    "source_code varchar, obs_status varchar, vintage date, raw_sha256 varchar, note varchar, "
    "source_note varchar"
)
CORRECTIONS = (
    "series varchar, economy varchar, year_from integer, year_to integer, source varchar, "
    "action varchar, value double, reason varchar, reported_upstream boolean"
)
COUNTRY_VALUES = (
    "economy varchar, series varchar, year smallint, value double, source varchar, choice bigint"
)
CORE_METHODS = (
    "indicator varchar, priority integer, method varchar, series varchar, numerator varchar, "
    "denominator varchar, denominator2 varchar, scale double"
)
CORE_INDICATORS = "indicator varchar, aggregate_method varchar, aggregate_weight varchar"
CORE_SETTINGS = "reference_year integer, latest_window_years integer, coverage_threshold double"


def correction(
    economy, years, action, reason, value=None, source=None, series="internet_users_pct"
):
    """A corrections-register row for `years` (first, last)."""
    return (series, economy, years[0], years[1], source, action, value, reason, False)


def derived(indicator, priority, numerator, denominator, scale, denominator2=None):
    """A core_methods row deriving an indicator (scale x numerator / denominator [x den2])."""
    return (indicator, priority, "derived", None, numerator, denominator, denominator2, scale)


def obs(economy, series, year, value, source="itu"):
    """An observation row with the lineage columns the rules here do not read left empty."""
    return (economy, series, year, value, source, None, None, None, None, None, None)


# ------------------------------------------------------------------------------------ the harness


def test_the_harness_finds_a_model_by_the_name_it_creates():
    """A model is found by what it creates, schema-qualified or not, wherever its file lives."""
    path, relation = find_model("intermediate.int_core_values")
    assert relation == "intermediate.int_core_values"
    assert find_model("int_core_values") == (path, relation)
    assert find_model("yoy_jump")[1] == "yoy_jump"  # a bare query: by its file name
    with pytest.raises(LookupError, match="0 SQL models create no_such_table"):
        find_model("no_such_table")


# ------------------------------------------------------------------------------------ corrections


def test_corrections_drop_override_and_flag_within_their_years_and_source():
    """drop removes the row, override replaces the value, flag keeps it; only the entry's years
    and (if it names one) source are touched; the `correction` column says what was done."""
    out = run_model(
        "int_observations",
        given={
            "staging.stg_ictp__observations": table(
                OBSERVATIONS,
                [
                    obs("KEN", "internet_users_pct", 2019, 20.0),
                    obs("KEN", "internet_users_pct", 2020, 2300.0),
                    obs("KEN", "internet_users_pct", 2021, 2400.0),
                    obs("KEN", "internet_users_pct", 2022, 30.0),
                    obs("UGA", "internet_users_pct", 2020, 10.0, "itu"),
                    obs("UGA", "internet_users_pct", 2020, 11.0, "worldbank"),
                    obs("TZA", "internet_users_pct", 2020, 99.0),
                    obs("TZA", "internet_users_pct", 2021, 25.0),
                ],
            ),
            "staging.stg_ictp__corrections": table(
                CORRECTIONS,
                [
                    correction("KEN", (2020, 2021), "override", "x100 slip", value=23.0),
                    correction("UGA", (2020, 2020), "flag", "census break", source="worldbank"),
                    correction("TZA", (2020, 2020), "drop", "placeholder"),
                ],
            ),
        },
    )
    assert out.rows('economy, "year", source, value, correction') == [
        ("KEN", 2019, "itu", 20.0, None),
        ("KEN", 2020, "itu", 23.0, "override: x100 slip"),
        ("KEN", 2021, "itu", 23.0, "override: x100 slip"),
        ("KEN", 2022, "itu", 30.0, None),
        ("TZA", 2021, "itu", 25.0, None),
        ("UGA", 2020, "itu", 10.0, None),
        ("UGA", 2020, "worldbank", 11.0, "flag: census break"),
    ]


def test_of_several_corrections_matching_one_row_the_first_by_action_then_reason_applies():
    """When entries overlap, one applies per row: the first by action (drop < flag < override)."""
    out = run_model(
        "int_observations",
        given={
            "staging.stg_ictp__observations": table(
                OBSERVATIONS, [obs("KEN", "population", 2020, 5.0e7)]
            ),
            "staging.stg_ictp__corrections": table(
                CORRECTIONS,
                [
                    correction(
                        "KEN", (2015, 2025), "override", "b: census", 5.1e7, series="population"
                    ),
                    correction("KEN", (2020, 2020), "flag", "a: revised", series="population"),
                ],
            ),
        },
    )
    assert out.rows("value, correction") == [(5.0e7, "flag: a: revised")]


# ------------------------------------------------------------------------------ source precedence


def test_choice_follows_the_catalog_precedence_and_open_choice_only_commercial_sources():
    """choice = 1 is the best-ranked source with a value; open_choice = 1 the best-ranked source
    whose licence allows commercial use (NULL for the others), whatever the sources' names;
    aggregates and sources the catalog does not map to the series are left out."""
    out = run_model(
        "int_country_values",
        given={
            "intermediate.int_observations": table(
                OBSERVATIONS + ", correction varchar",
                [
                    (*obs("KEN", "internet_users_pct", 2020, 30.0, "itu"), None),
                    (*obs("KEN", "internet_users_pct", 2020, 29.0, "worldbank"), None),
                    (*obs("UGA", "internet_users_pct", 2020, 10.0, "worldbank"), None),
                    (*obs("TZA", "internet_users_pct", 2020, 25.0, "itu"), None),
                    (*obs("WLD", "internet_users_pct", 2020, 60.0, "worldbank"), None),
                    (*obs("KEN", "internet_users_pct", 2020, 31.0, "file:ken"), None),
                    (*obs("KEN", "population", 2020, 5.0e7, "worldbank"), None),
                    (*obs("KEN", "population", 2020, 4.9e7, "itu"), None),
                ],
            ),
            "staging.stg_ictp__economies": table(
                "iso3 varchar, is_aggregate boolean",
                [("KEN", False), ("UGA", False), ("TZA", False), ("WLD", True)],
            ),
            "input.catalog_series": table(
                "series varchar, source varchar, precedence integer, commercial_use boolean",
                [
                    ("internet_users_pct", "itu", 1, False),
                    ("internet_users_pct", "worldbank", 2, True),
                    ("population", "worldbank", 1, True),  # the series' own precedence
                    ("population", "itu", 2, False),
                ],
            ),
        },
    )
    assert out.rows("economy, series, source, value, choice, open_choice") == [
        ("KEN", "internet_users_pct", "itu", 30.0, 1, None),
        ("KEN", "internet_users_pct", "worldbank", 29.0, 2, 1),
        ("KEN", "population", "itu", 4.9e7, 2, None),
        ("KEN", "population", "worldbank", 5.0e7, 1, 1),
        ("TZA", "internet_users_pct", "itu", 25.0, 1, None),
        ("UGA", "internet_users_pct", "worldbank", 10.0, 1, 1),
    ]


# --------------------------------------------------------------------------- derived per-100 rates


def test_core_values_are_reported_or_derived_as_scale_x_count_over_population():
    """A derived rate is scale x numerator / denominator (x denominator2), from the chosen
    (choice = 1) source of each input; no rate where a denominator is zero or missing."""
    out = run_model(
        "int_core_values",
        given={
            "input.core_methods": table(
                CORE_METHODS,
                [
                    ("A1", 1, "reported", "fixed_telephone_subs_per_100", None, None, None, None),
                    derived("A1", 2, "fixed_telephone_subs", "population", 100.0),
                    derived("A5", 1, "bandwidth_mbps", "internet_users_pct", 1e8, "population"),
                ],
            ),
            "intermediate.int_country_values": table(
                COUNTRY_VALUES,
                [
                    ("KEN", "fixed_telephone_subs_per_100", 2020, 3.1, "itu", 1),
                    ("KEN", "fixed_telephone_subs", 2020, 1500.0, "itu", 1),
                    ("KEN", "population", 2020, 50000.0, "worldbank", 1),
                    ("KEN", "population", 2020, 40000.0, "itu", 2),  # not chosen: not used
                    ("KEN", "internet_users_pct", 2020, 25.0, "itu", 1),
                    ("KEN", "bandwidth_mbps", 2020, 10.0, "itu", 1),
                    ("UGA", "fixed_telephone_subs", 2020, 800.0, "itu", 1),
                    ("UGA", "population", 2020, 0.0, "worldbank", 1),  # zero: no rate
                    ("TZA", "fixed_telephone_subs", 2020, 800.0, "itu", 1),  # no population
                ],
            ),
        },
    )
    assert out.rows('indicator, priority, method, economy, "year", value, inputs, sources') == [
        (
            "A1", 1, "reported", "KEN", 2020, 3.1, "fixed_telephone_subs_per_100@itu", "itu",
        ),
        (
            "A1", 2, "derived", "KEN", 2020, 3.0,  # 100 x 1500 / 50000
            "100.0 x fixed_telephone_subs@itu / (population@worldbank)", "itu, worldbank",
        ),
        (
            "A5", 1, "derived", "KEN", 2020, 800.0,  # 1e8 x 10 / (25 x 50000) = 1e9 / 1.25e6
            "100000000.0 x bandwidth_mbps@itu / (internet_users_pct@itu x population@worldbank)",
            "itu, worldbank",
        ),
    ]  # fmt: skip


# ------------------------------------------------------------------------------------ aggregates

MEMBERS = [
    ("WLD", "World", "world", "KEN"),
    ("WLD", "World", "world", "UGA"),
    ("WLD", "World", "world", "TZA"),
    ("EAC", "East Africa", "test", "TZA"),
    ("EAC", "East Africa", "test", "RWA"),
    ("NOPOP", "No population", "test", "BDI"),
]


def aggregates(values, population):
    """The aggregates model over core-indicator values and population figures (2020)."""
    return run_model(
        "aggregates",
        given={
            "core_indicators": table(
                "indicator varchar, economy varchar, year smallint, value double, "
                "is_preferred boolean",
                values,
            ),
            "intermediate.int_country_values": table(
                COUNTRY_VALUES,
                [(e, "population", 2020, p, "worldbank", 1) for e, p in population.items()],
            ),
            "intermediate.int_group_members": table(
                "group_code varchar, group_name varchar, group_type varchar, economy varchar",
                MEMBERS,
            ),
            "input.core_indicators": table(
                CORE_INDICATORS,
                [("A1", "weighted_mean", "population"), ("B9", "sum", None), ("X1", None, None)],
            ),
            "input.core_settings": table(CORE_SETTINGS, [(2024, 5, 0.66)]),
            "input.catalog_group_settings": table("coverage_series varchar", [("population",)]),
        },
    )


def test_aggregates_are_population_weighted_with_coverage_and_withheld_below_the_threshold():
    """A weighted mean over members with a value and a weight; coverage is their share of the
    group's population; below the threshold (0.66) the value is withheld, with the reason."""
    out = aggregates(
        values=[
            ("A1", "KEN", 2020, 10.0, True),
            ("A1", "KEN", 2020, 99.0, False),  # not preferred: not used
            ("A1", "UGA", 2020, 40.0, True),
            ("A1", "RWA", 2020, 5.0, True),
            ("X1", "KEN", 2020, 1.0, True),  # not aggregated
        ],
        population={"KEN": 60.0, "UGA": 30.0, "TZA": 10.0, "RWA": 15.0},
    )
    assert out.rows(
        'group_code, indicator, "year", value, aggregate_method, population_coverage, '
        "economies_with_data, economies_in_group, withheld_reason"
    ) == [
        (
            "EAC", "A1", 2020, None, "weighted_mean", 0.6, 1, 2,  # RWA: 15 of 25
            "economies with data hold 60.0% of the group's population, below the 66% threshold",
        ),
        # (10 x 60 + 40 x 30) / (60 + 30); KEN and UGA hold 90 of 100
        ("WLD", "A1", 2020, 20.0, "weighted_mean", 0.9, 2, 3, None),
    ]  # fmt: skip


def test_sums_and_groups_without_population_figures():
    """A sum adds the members' values; with no population figure for the group the value is
    withheld and the reason says so."""
    out = aggregates(
        values=[
            ("B9", "KEN", 2020, 7.0, True),
            ("B9", "UGA", 2020, 5.0, True),
            ("B9", "BDI", 2020, 3.0, True),
        ],
        population={"KEN": 60.0, "UGA": 30.0, "TZA": 10.0},
    )
    assert out.rows(
        "group_code, value, population_coverage, economies_with_data, withheld_reason"
    ) == [
        ("NOPOP", None, None, 1, "no population figures for the group in this year"),
        ("WLD", 12.0, 0.9, 2, None),
    ]


# -------------------------------------------------------------------------- latest with its age


def test_latest_is_the_newest_preferred_value_in_the_window_with_its_age():
    """Per country and indicator the newest preferred value no later than the reference year and
    at most window years before it, with age = reference year - year; none outside the window."""
    out = run_model(
        "core_indicators_latest",
        given={
            "core_indicators": table(
                "economy varchar, economy_name varchar, indicator varchar, indicator_name varchar, "
                "year smallint, value double, unit varchar, method varchar, is_preferred boolean",
                [
                    ("KEN", "Kenya", "A1", "Fixed", 2019, 1.0, "per 100", "reported", True),
                    ("KEN", "Kenya", "A1", "Fixed", 2022, 2.0, "per 100", "derived", True),
                    ("KEN", "Kenya", "A1", "Fixed", 2023, 9.0, "per 100", "derived", False),
                    ("UGA", "Uganda", "A1", "Fixed", 2018, 3.0, "per 100", "reported", True),
                    ("TZA", "Tanzania", "A1", "Fixed", 2019, 4.0, "per 100", "reported", True),
                    ("TZA", "Tanzania", "A1", "Fixed", 2025, 5.0, "per 100", "reported", True),
                ],
            ),
            "input.core_settings": table(CORE_SETTINGS, [(2024, 5, 0.66)]),
        },
    )
    assert out.rows(
        'economy, indicator, "year", value, method, age_years, reference_year, window_years'
    ) == [
        ("KEN", "A1", 2022, 2.0, "derived", 2, 2024, 5),
        ("TZA", "A1", 2019, 4.0, "reported", 5, 2024, 5),
    ]


# ------------------------------------------------------------------------- year-on-year warning

CHANGES = [1, 2, 3, 1, 2, 3, 30, 2, 3, 1, 2, 3]  # 2001..2012; the change into 2007 is the jump


def series_from(changes, start=100.0, first_year=2000):
    """(year, value) of a series starting at `start` and moving by `changes` year by year."""
    points = [(first_year, start)]
    for c in changes:
        points.append((points[-1][0] + 1, points[-1][1] + c))
    return points


def yoy_jump(series_no=1, **by_economy):
    """The yoy_jump warning over one series per economy (rid: the economy and the row number)."""
    rows = [  # the numbers of source, series and economy, as int_checked gives them
        (f"{economy}{i}", "itu", "internet_users_pct", economy, year, value, 1, series_no, number)
        for number, (economy, points) in enumerate(by_economy.items(), start=1)
        for i, (year, value) in enumerate(points)
    ]
    return run_model(
        "yoy_jump",
        given={
            "valid_rows": table(
                "rid varchar, source varchar, series varchar, economy varchar, year smallint, "
                "value double, source_no bigint, series_no bigint, economy_no bigint",
                rows,
            ),
            "pages": table(
                "source varchar, series varchar, source_no bigint, series_no bigint",
                [("itu", "internet_users_pct", 1, series_no)],
            ),
            "int_economy_numbers": table(
                "iso3 varchar, economy_no bigint",
                [(economy, n) for n, economy in enumerate(by_economy, start=1)],
            ),
            "input.catalog_series": table(
                "source varchar, series varchar, yoy_robust_z double",
                [("itu", "internet_users_pct", 8.0)],
            ),
        },
    )


def test_yoy_jump_flags_the_one_change_far_from_the_changes_around_it():
    """A Hampel filter on changes: in the 11 changes around 2007, median 2 and MAD 1, so the
    change of 30 is |30 - 2| / 1.4826 = 18.9 robust SDs out (threshold 8); steady changes of
    1 to 3, and the same series without the jump, give no warning."""
    steady = [2 if c == 30 else c for c in CHANGES]
    out = yoy_jump(KEN=series_from(CHANGES), UGA=series_from(steady))
    assert out.rows() == [
        (
            "KEN7",
            "change 30.0 from 112.0 in 2006 is 18.9 robust SDs from the median change 2.0 of the "
            "years around it (threshold 8.0)",
        )
    ]


def test_yoy_jump_stops_rather_than_merge_series_whose_numbers_outgrow_its_key():
    """The windows partition by one number made of 21 bits per source, series and economy: a
    series numbered 2**21 would share its key with another, so the rule stops, saying why."""
    with pytest.raises(
        duckdb.InvalidInputException, match="more than 2,097,151 of one: split the catalog"
    ):
        yoy_jump(series_no=2**21, KEN=series_from(CHANGES))
    assert yoy_jump(series_no=2**21 - 1, KEN=series_from(CHANGES)).rows()[0][0] == "KEN7"


def test_yoy_jump_has_no_judgement_where_the_changes_around_do_not_vary():
    """Changes of 2 every year but one: the MAD is 0, so no robust z-score (not infinity)."""
    out = yoy_jump(KEN=series_from([2, 2, 2, 2, 2, 30, 2, 2, 2, 2, 2]))
    assert out.rows() == []


def test_yoy_jump_needs_six_changes_in_the_window():
    """Fewer than 6 year-on-year changes around a year: no judgement, even of a large jump."""
    out = yoy_jump(KEN=series_from([1, 2, 30, 1, 2]))
    assert out.rows() == []

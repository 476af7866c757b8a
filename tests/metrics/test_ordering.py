"""Orders of organisations for charts: hand-worked orders, ties, missing values, purity."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from qio_analysis.metrics.ordering import (
    organisations_by_levels_gained,
    organisations_by_mean_level,
    organisations_by_name,
    organisations_by_net_change,
)

ROWS = pd.DataFrame(
    {
        "org_code": ["Z1", "Z1", "Z2", "Z2", "Z3", "Z3", "Z4", "Z4"],
        "org_name": ["Crewe", "Crewe", "Ashby", "Ashby", "Bury", "Bury", "Dover", "Dover"],
        "outcome": [1, 2, 1, 2, 1, 2, 1, 2],
        "validated_level": [2, 4, 3, 3, 1, 2, None, None],
    }
)


def test_by_name_lists_each_organisation_once_in_name_order():
    assert organisations_by_name(ROWS)["org_name"].tolist() == ["Ashby", "Bury", "Crewe", "Dover"]


def test_by_mean_level_highest_first_ties_by_name_no_level_last():
    # Means: Crewe (2 + 4) / 2 = 3, Ashby 3, Bury 1.5, Dover none.
    ordered = organisations_by_mean_level(ROWS, "validated_level")
    assert ordered["org_name"].tolist() == ["Ashby", "Crewe", "Bury", "Dover"]
    assert ordered["mean_level"].tolist()[:3] == [3.0, 3.0, 1.5]
    assert pd.isna(ordered["mean_level"].iloc[3])


def test_by_levels_gained_counts_only_the_outcomes_drawn():
    drawn = ROWS[ROWS["outcome"] == 1]
    change = pd.DataFrame(
        {
            "org_code": ["Z1", "Z1", "Z2", "Z3", "Z4"],
            "outcome": [1, 2, 1, 1, 1],
            # Crewe gains 1 on outcome 1 (its 5 on outcome 2 is not drawn), Ashby 2, Bury -1.
            "level_change": [1, 5, 2, -1, None],
        }
    )
    ordered = organisations_by_levels_gained(drawn, change)
    assert ordered["org_name"].tolist() == ["Ashby", "Crewe", "Bury", "Dover"]
    assert ordered["levels_gained"].tolist()[:3] == [2.0, 1.0, -1.0]


def test_by_net_change_most_gained_first_nothing_comparable_counts_as_zero():
    rows = ROWS.assign(level_change=[1, 1, 0, None, -1, 0, None, None])
    ordered = organisations_by_net_change(rows)
    # Crewe +2; Ashby 0 and Dover nothing comparable (0) tie in name order; Bury -1.
    assert ordered.values.tolist() == [
        ["Z1", "Crewe", 2.0],
        ["Z2", "Ashby", 0.0],
        ["Z4", "Dover", 0.0],
        ["Z3", "Bury", -1.0],
    ]


levels = st.one_of(st.none(), st.integers(0, 4))


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDE"), st.integers(1, 3), levels), min_size=1))
def test_every_order_is_a_permutation_of_the_organisations_and_leaves_its_input(cells):
    seen = {(code, outcome): level for code, outcome, level in cells}
    df = pd.DataFrame(
        [(c, f"Org {c}", o, lv, lv) for (c, o), lv in seen.items()],
        columns=["org_code", "org_name", "outcome", "validated_level", "level_change"],
    )
    df["validated_level"] = df["validated_level"].astype("Int64")
    df["level_change"] = df["level_change"].astype("Int64")
    before = df.copy(deep=True)
    change = df[["org_code", "outcome", "level_change"]]
    orders = [
        organisations_by_name(df),
        organisations_by_mean_level(df, "validated_level"),
        organisations_by_levels_gained(df, change),
        organisations_by_net_change(df),
    ]
    for ordered in orders:
        assert sorted(ordered["org_code"]) == sorted(set(df["org_code"]))
    pd.testing.assert_frame_equal(df, before)
    means = orders[1]["mean_level"].dropna().tolist()
    assert means == sorted(means, reverse=True)

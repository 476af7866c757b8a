"""Small-number suppression: hand-worked groups and the secondary rule."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qio_analysis.metrics.disclosure import (
    PRIMARY,
    SECONDARY,
    suppress_small_groups,
    suppression_reason,
)


def groups(sizes: dict[str, int | list[int]], *, total: bool = True) -> pd.DataFrame:
    """A two-outcome table: one row per group and outcome with its size and a median.

    An int size is used for both outcomes; a list gives one size per outcome.
    England (the sum, unless given) is added when ``total`` is set.
    """
    per = {g: s if isinstance(s, list) else [s, s] for g, s in sizes.items()}
    if total and "England" not in per:
        per["England"] = [sum(s[i] for s in per.values()) for i in range(2)]
    rows = [
        {"cycle": 2025, "region": g, "outcome": o + 1, "n_scored": s[o], "median_level": 2}
        for g, s in per.items()
        for o in range(2)
    ]
    return pd.DataFrame(rows).astype({"median_level": "Int64"})


def kinds(frame: pd.DataFrame) -> dict[str, str]:
    out = suppress_small_groups(frame, within=("cycle",), values=("n_scored", "median_level"))
    return out.groupby("region", sort=False)["suppression"].first().to_dict()


@pytest.mark.parametrize(
    ("size", "expected"), [(1, PRIMARY), (2, PRIMARY), (4, PRIMARY), (5, ""), (6, "")]
)
def test_primary_rule_on_groups_of_1_2_4_5_6(size, expected):
    # Big enough neighbours that the secondary rule has nothing to add for 5 and 6.
    result = kinds(groups({"Small": size, "A": 20, "B": 30}))
    assert result["Small"] == expected
    assert result["England"] == ""


def test_one_small_region_takes_the_smallest_other_region_with_it():
    # England 15 - A 6 - C 7 would give B (2) back; withholding A too leaves 8 combined.
    assert kinds(groups({"A": 6, "B": 2, "C": 7})) == {
        "A": SECONDARY,
        "B": PRIMARY,
        "C": "",
        "England": "",
    }


def test_two_small_regions_that_together_reach_the_threshold_need_no_more():
    # 1 + 4 = 5 organisations combined: England minus C gives only that combined group.
    assert kinds(groups({"A": 1, "B": 4, "C": 9})) == {
        "A": PRIMARY,
        "B": PRIMARY,
        "C": "",
        "England": "",
    }


def test_secondary_suppression_continues_until_the_remainder_is_large_enough():
    # 1 + 2 = 3 is too few, so C goes too: only England (12) is left to show.
    assert kinds(groups({"A": 1, "B": 2, "C": 9})) == {
        "A": PRIMARY,
        "B": PRIMARY,
        "C": SECONDARY,
        "England": "",
    }


def test_a_small_england_is_withheld_with_its_regions():
    assert kinds(groups({"A": 3})) == {"A": PRIMARY, "England": PRIMARY}


def test_organisations_in_no_region_count_in_the_remainder():
    # England has 15, the regions 6 + 7: the 2 left over would be exposed, so A is withheld.
    frame = groups({"A": 6, "C": 7, "England": 15})
    assert kinds(frame) == {"A": SECONDARY, "C": "", "England": ""}


def test_the_total_counts_as_published_even_when_absent():
    assert kinds(groups({"A": 6, "B": 2, "C": 7}, total=False)) == {
        "A": SECONDARY,
        "B": PRIMARY,
        "C": "",
    }


def test_one_small_outcome_suppresses_the_group_and_empty_ones_do_not():
    result = kinds(groups({"A": [6, 3], "B": [0, 0], "C": [10, 10], "D": [9, 9]}))
    assert result == {"A": PRIMARY, "B": "", "C": "", "D": SECONDARY, "England": ""}


def test_figures_are_withheld_and_the_input_is_untouched():
    frame = groups({"A": 6, "B": 2, "C": 7})
    before = frame.copy()
    out = suppress_small_groups(frame, within=("cycle",), values=("n_scored", "median_level"))
    pd.testing.assert_frame_equal(frame, before)
    b = out[out.region == "B"]
    assert b["n_scored"].isna().all() and b["median_level"].isna().all()
    assert b["suppressed"].all() and (b["group_size"] == 2).all()
    c = out[out.region == "C"]
    assert c["n_scored"].tolist() == [7, 7] and not c["suppressed"].any()


def test_min_group_is_a_parameter():
    frame = groups({"A": 6, "B": 9, "C": 12})
    out = suppress_small_groups(frame, min_group=7, within=("cycle",), values=())
    # A (6) is small; A + B = 15 >= 7 combined, so B is the secondary.
    assert out.groupby("region", sort=False)["suppression"].first().to_dict() == {
        "A": PRIMARY,
        "B": SECONDARY,
        "C": "",
        "England": "",
    }
    with pytest.raises(ValueError, match="min_group"):
        suppress_small_groups(frame, min_group=0)


def test_reasons_are_sentences():
    assert suppression_reason(PRIMARY, min_group=5).startswith("Fewer than 5 organisations")
    assert "England total" in suppression_reason(SECONDARY)
    assert suppression_reason("") == ""


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=7),
    st.integers(0, 6),
    st.integers(1, 8),
)
def test_nothing_published_lets_a_reader_recover_a_small_group(sizes, outside, min_group):
    regions = {f"R{i}": list(s) for i, s in enumerate(sizes)}
    regions["England"] = [sum(s[o] for s in sizes) + outside for o in range(2)]
    out = suppress_small_groups(groups(regions), min_group=min_group, within=("cycle",), values=())
    for outcome, block in out.groupby("outcome"):
        shown = block[~block["suppressed"]]
        # No published figure stands on fewer than min_group organisations.
        assert not ((shown["n_scored"] > 0) & (shown["n_scored"] < min_group)).any()
        england = block[block.region == "England"].iloc[0]
        if not england["suppressed"]:
            parts = shown[shown.region != "England"]["n_scored"].sum()
            remainder = england["n_scored"] - parts  # what subtraction gives back
            assert remainder == 0 or remainder >= min_group, (outcome, remainder)

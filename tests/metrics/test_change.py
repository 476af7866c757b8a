"""Transitions between cycles, hand-worked."""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis import metrics as m


def test_national_summary_counts_everyone(two_cycles):
    s = m.transitions(two_cycles, 2021, 2023).summary.set_index("outcome").loc[1]
    assert s.n_orgs == 6
    assert (s.n_compared, s.n_new, s.n_left, s.n_unscored) == (3, 1, 1, 1)
    assert (s.improved, s.unchanged, s.declined) == (1, 1, 1)
    # B went from 2 High to 2 Low: same whole level, sub-level down (both carry one).
    assert (s.sublevel_up, s.sublevel_down, s.sublevel_not_comparable) == (0, 1, 0)
    assert s.pct_improved == pytest.approx(100 / 3)
    assert s.pct_sublevel_down == pytest.approx(100 / 3)


def test_a_sub_level_on_one_side_only_is_not_a_rise():
    from tests.metrics.helpers import subs

    rows = [
        ("A", "London", 2021, 1, "validated", 3, None),
        ("A", "London", 2023, 1, "validated", 3, "Medium"),  # not comparable, not a rise
        ("B", "London", 2021, 1, "validated", 3, "High"),
        ("B", "London", 2023, 1, "validated", 4, None),  # up one level
        ("C", "London", 2021, 1, "validated", 2, "Low"),
        ("C", "London", 2023, 1, "validated", 2, "High"),  # sub-level up
    ]
    s = m.transitions(subs(rows), 2021, 2023).summary.iloc[0]
    assert (s.improved, s.unchanged, s.declined) == (1, 2, 0)
    assert (s.sublevel_up, s.sublevel_down, s.sublevel_not_comparable) == (1, 0, 1)
    moves = m.movements(subs(rows), 2021, 2023).set_index("org_code")
    moves = moves[moves.outcome == 1]
    assert moves.comparison.to_dict() == {
        "ZZA": "same level; sub-level not comparable",
        "ZZB": "up",
        "ZZC": "same level; sub-level up",
    }
    assert moves.level_change.tolist() == [0, 1, 0]


def test_matrix_keeps_new_left_and_unscored(two_cycles):
    mx = m.transitions(two_cycles, 2021, 2023).matrix
    one = mx[mx.outcome == 1]
    assert one.n.sum() == 6
    compared = one[one.status == "compared"].set_index(["from_level", "to_level"]).n.to_dict()
    assert compared == {(1, 2): 1, (2, 2): 1, (3, 2): 1}
    new = one[one.status == "new"].iloc[0]
    assert pd.isna(new.from_level) and new.to_level == 1
    left = one[one.status == "left"].iloc[0]
    assert left.from_level == 2 and pd.isna(left.to_level)


def test_by_region_adds_england(two_cycles):
    s = m.transitions(two_cycles, 2021, 2023, by="region").summary
    s = s[s.outcome == 1].set_index("region")
    assert list(s.index) == ["London", "South West", "England"]
    assert s.loc["London", ["n_orgs", "n_compared", "n_unscored"]].tolist() == [3, 2, 1]
    assert s.loc["South West", ["n_orgs", "n_compared", "n_new", "n_left"]].tolist() == [3, 1, 1, 1]
    assert s.loc["England", "n_orgs"] == 6


def test_cycles_must_be_in_order(two_cycles):
    with pytest.raises(qa.QioConfigError, match="must be earlier"):
        m.transitions(two_cycles, 2023, 2021)

"""The agreement tables as the validation charts show them: hand-worked grids and regional rows."""

from __future__ import annotations

import pandas as pd

from qio_analysis.metrics.agreement_views import agreement_grid, grid_counts, regional_adjustments
from qio_analysis.reference import NATIONAL, REGION_NAMES

CONFUSION = pd.DataFrame(
    {
        "region": ["London", "London", "London", NATIONAL, NATIONAL],
        "outcome": [1, 1, 2, 1, 2],
        "self_level": [2, 3, 4, 2, 4],
        "validated_level": [2, 1, 4, 3, 4],
        "n": [3, 1, 2, 5, 1],
    }
)


def test_the_grid_counts_one_region_and_outcome_and_leaves_its_input_alone():
    before = CONFUSION.copy(deep=True)
    grid = agreement_grid(CONFUSION, outcome=1, region="London")
    assert grid.shape == (5, 5)
    assert grid.loc[2, 2] == 3 and grid.loc[3, 1] == 1
    assert grid_counts(grid) == (4, 3, 1, 0)
    pd.testing.assert_frame_equal(CONFUSION, before)


def test_without_a_region_the_grid_is_england_with_every_outcome_pooled():
    counts = grid_counts(agreement_grid(CONFUSION))
    assert (counts.total, counts.exact, counts.lowered, counts.raised) == (6, 1, 0, 5)


def test_every_region_has_a_row_and_one_without_pairs_has_none_compared():
    summary = pd.DataFrame(
        {
            "region": ["Midlands", "London", NATIONAL, "London"],
            "outcome": [None, None, None, 2.0],
            "n_pairs": [2, 0, 2, 4],
            "pct_lowered": [50.0, 0.0, 50.0, 25.0],
            "pct_raised": [0.0, 0.0, 0.0, 0.0],
            "n_level_lowered": [1, 0, 1, 1],
            "n_level_raised": [0, 0, 0, 0],
        }
    )
    rows = regional_adjustments(summary)
    assert sorted(rows["region"]) == sorted([*REGION_NAMES, NATIONAL])
    assert rows.set_index("region").loc["London", "n_pairs"] == 0
    assert rows.set_index("region").loc["Midlands", "pct_lowered"] == 50.0
    assert regional_adjustments(summary, outcome=3).empty

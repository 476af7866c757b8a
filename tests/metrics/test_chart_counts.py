"""Counts behind chart headlines, hand-worked."""

from __future__ import annotations

import pandas as pd

from qio_analysis.metrics.chart_counts import movement_by_outcome, outcomes_rising


def test_movement_by_outcome_counts_sub_level_moves_as_the_same_level():
    rows = pd.DataFrame(
        {
            "outcome": [3, 3, 3, 1, 1],
            "comparison": [
                "up",
                "same level; sub-level up",
                "down",
                "same level",
                "same level; sub-level not comparable",
            ],
        }
    )
    before = rows.copy()
    counts = movement_by_outcome(rows)
    assert counts.to_dict("records") == [
        {"outcome": 1, "rose": 0, "fell": 0, "same_level": 2},
        {"outcome": 3, "rose": 1, "fell": 1, "same_level": 1},
    ]
    pd.testing.assert_frame_equal(rows, before)


def test_outcomes_rising_needs_both_cycles_and_a_strict_rise():
    summary = pd.DataFrame(
        {
            "outcome": [1, 1, 2, 2, 3, 4, 4],
            "cycle": [2021, 2025, 2021, 2025, 2021, 2021, 2025],
            "pct_at_or_above": [10.0, 10.5, 50.0, 49.0, 5.0, 0.0, 100.0],
        }
    )
    assert outcomes_rising(summary, 2021, 2025) == 2  # outcomes 1 and 4
    assert outcomes_rising(summary, 2025, 2021) == 1  # outcome 2 fell from 2021

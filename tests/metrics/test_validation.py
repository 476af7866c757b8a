"""Validator changes (every adjustment, "N of M") and the worklist with dates, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from qio_analysis.metrics.validation import (
    ADJUSTMENTS,
    adjustment_counts,
    validation_worklist,
    validator_changes,
)
from tests.metrics.helpers import both, subs

NONE = (None, None)


@pytest.fixture
def cycle_2025():
    """A: unchanged, lowered a level, raised a sub-level (Low to High), outcome 4 unvalidated,
    outcome 5 given a sub-level by the validator only (same level: not comparable).
    B: lowered a sub-level. C: validated without a self-evaluation. D: only in 2023.
    E: all six validated, unchanged. A 2023 row that must not count."""
    rows = []
    rows += both("A", "London", 2025, 1, (2, None), (2, None))
    rows += both("A", "London", 2025, 2, (3, None), (2, None))
    rows += both("A", "London", 2025, 3, (2, "Low"), (2, "High"))
    rows += both("A", "London", 2025, 4, (2, None), NONE)
    rows += both("A", "London", 2025, 5, (3, None), (3, "Medium"))
    rows += both("A", "London", 2023, 1, (1, None), (2, None))
    rows += both("B", "London", 2025, 1, (1, "Medium"), (1, "Low"))
    rows += both("C", "South West", 2025, 1, NONE, (2, None))
    rows += both("D", "London", 2023, 1, (1, None), (1, None))
    for outcome in range(1, 7):
        rows += both("E", "South West", 2025, outcome, (3, None), (3, None))
    frame = subs(rows)
    dates = {
        ("ZZA", 2025): "2025-05-01 14:30",
        ("ZZB", 2025): "2025-04-10",
        ("ZZE", 2025): "2025-03-01",
        ("ZZA", 2023): "2023-05-01",
    }
    submitted = [
        pd.Timestamp(dates[(c, y)]) if (c, y) in dates else pd.NaT
        for c, y in zip(frame.org_code, frame.cycle, strict=True)
    ]
    return frame.assign(submitted=pd.Series(submitted, dtype="datetime64[ns]"))


def test_validator_changes_lists_every_compared_outcome_with_its_direction(cycle_2025):
    changes = validator_changes(cycle_2025, 2025)
    got = changes[["org_code", "outcome", "level_change", "sublevel_change", "direction"]]
    assert got.astype(object).where(got.notna(), None).values.tolist()[:5] == [
        ["ZZA", 1, 0, None, "unchanged"],
        ["ZZA", 2, -1, None, "lowered"],
        ["ZZA", 3, 0, 2, "raised"],  # Low to High within Level 2: both carry a sub-level
        ["ZZA", 5, 0, None, "sub-level not comparable"],  # Level 3, then Level 3 (Medium)
        ["ZZB", 1, 0, -1, "lowered"],
    ]
    assert len(changes) == 5 + 6  # A's outcome 4 and C have no pair; E's six are unchanged
    assert changes.direction.isin(["raised", "lowered"]).sum() == 3  # "3 of 11"
    # A level lowered and a sub-level lowered are different kinds, counted apart.
    assert changes.adjustment.tolist()[:5] == [
        "unchanged",
        "level lowered",
        "sub-level raised",
        "sub-level not comparable",
        "sub-level lowered",
    ]
    counts = adjustment_counts(changes)
    assert (counts["compared"], counts["changed"], counts["sub-level not comparable"]) == (11, 3, 1)
    assert [counts[k] for k in ADJUSTMENTS] == [1, 0, 1, 1]


def test_worklist_is_awaiting_first_oldest_first_with_days_to_the_run_date(cycle_2025):
    worklist = validation_worklist(cycle_2025, None, 2025, run_date="2025-06-01")
    got = [
        (r.org_code, r.status, None if pd.isna(r.days_waiting) else int(r.days_waiting))
        for r in worklist.itertuples()
    ]
    assert got == [
        ("ZZB", "awaiting validation", 52),  # 10 April to 1 June
        ("ZZA", "awaiting validation", 31),  # 1 May (14:30) to 1 June: whole days
        ("ZZD", "not submitted", None),  # London before South West
        ("ZZC", "not submitted", None),
        ("ZZE", "validated", None),
    ]
    assert worklist.set_index("org_code").at["ZZE", "submitted_on"] == pd.Timestamp("2025-03-01")
    later = validation_worklist(cycle_2025, None, 2025, run_date=pd.Timestamp("2025-06-11"))
    assert later.days_waiting.dropna().tolist() == [62, 41]


def test_worklist_without_submitted_dates_keeps_every_organisation(cycle_2025):
    undated = cycle_2025.assign(submitted=pd.NaT).astype({"submitted": "datetime64[ns]"})
    worklist = validation_worklist(undated, None, 2025, run_date="2025-06-01")
    assert worklist.org_code.tolist() == ["ZZA", "ZZB", "ZZD", "ZZC", "ZZE"]
    assert worklist.days_waiting.isna().all()

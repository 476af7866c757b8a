"""Metrics never modify their input, and distribution/transition invariants hold."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis import metrics as m
from tests.metrics.helpers import subs

LEVEL_CHOICES = [
    (None, None),
    (0, None),
    (1, "Low"),
    (2, None),
    (2, "High"),
    (3, "Medium"),
    (4, None),
]

row = st.tuples(
    st.sampled_from("ABCDEF"),
    st.sampled_from([2021, 2023]),
    st.integers(1, 6),
    st.sampled_from(["self", "validated"]),
    st.sampled_from(LEVEL_CHOICES),
)
REGION = {
    "A": "London",
    "B": "London",
    "C": "Midlands",
    "D": "Midlands",
    "E": "South West",
    "F": "London",
}


def frame_from(rows):
    seen = {}
    for org, cycle, outcome, assessment, level in rows:
        seen[(org, cycle, outcome, assessment)] = (
            org,
            REGION[org],
            cycle,
            outcome,
            assessment,
            *level,
        )
    return subs(list(seen.values()))


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=60))
def test_invariants_and_no_mutation(rows):
    df = frame_from(rows)
    before = df.copy(deep=True)
    d = m.level_distribution(df, [2021, 2023], by="region")
    s = m.level_summary(d)
    keys = ["cycle", "assessment", "region", "outcome"]
    sums = d.groupby(keys).n.sum()
    scored = s.set_index(keys).n_scored
    assert (sums.sort_index() == scored.reindex(sums.index).sort_index()).all()
    regional = d[d.region != "England"].groupby(["cycle", "assessment", "outcome", "level"]).n.sum()
    national = d[d.region == "England"].set_index(["cycle", "assessment", "outcome", "level"]).n
    assert (regional.reindex(national.index, fill_value=0) == national).all()
    pct = d[d.n_scored > 0].groupby(["cycle", "assessment", "region", "outcome"]).pct.sum()
    assert ((pct - 100).abs() < 1e-9).all()
    t = m.transitions(df, 2021, 2023, by="region").summary
    assert (t.n_orgs == t.n_compared + t.n_new + t.n_left + t.n_unscored).all()
    assert (t.improved + t.unchanged + t.declined == t.n_compared).all()
    within = t.sublevel_up + t.sublevel_down + t.sublevel_not_comparable
    assert (within <= t.unchanged).all()
    m.validation_agreement(df, 2023, by="region")
    orgs = pd.DataFrame(
        {
            "org_code": ["ZZA", "ZZC"],
            "org_name": ["Org A", "Org C"],
            "org_type": ["Acute"] * 2,
            "region": ["London", "Midlands"],
            "service_code": [None, None],
        }
    )
    c = m.completeness(df, orgs, 2023)
    assert c.set_index("region").loc["England", "expected"] == 2
    # Every adjustment: one row per outcome with both levels; its direction follows the one
    # rule, worked row by row here: whole levels first, then sub-levels when both sides have one.
    changes = m.validator_changes(df, 2023)
    pairs = m.paired_levels(df, 2023)
    assert len(changes) == (pairs.self_level.notna() & pairs.validated_level.notna()).sum()
    steps = {"Low": 1, "Medium": 2, "High": 3}
    for r in changes.itertuples():
        a, b = int(r.self_level), int(r.validated_level)
        sa = steps.get(r.self_sublevel) if isinstance(r.self_sublevel, str) else None
        sb = steps.get(r.validated_sublevel) if isinstance(r.validated_sublevel, str) else None
        if a != b:
            expected = "raised" if b > a else "lowered"
        elif (sa is None) != (sb is None):
            expected = "sub-level not comparable"
        elif sa == sb:
            expected = "unchanged"
        else:
            expected = "raised" if sb > sa else "lowered"
        assert r.direction == expected
    # The worklist has every organisation of the status table, awaiting validation first.
    worklist = m.validation_worklist(df, orgs, 2023, run_date="2024-01-01")
    status = m.submission_status(df, orgs, 2023)
    assert sorted(worklist.org_code) == sorted(status.org_code)
    awaiting = (worklist.status == "awaiting validation").tolist()
    assert awaiting == sorted(awaiting, reverse=True)
    assert worklist.days_waiting.isna().all()  # the fixture records no submission dates
    for org in df.org_code.unique():
        for cycle in df[df.org_code == org].cycle.unique():
            m.level_profile(df, org, int(cycle))
            history = m.level_history(df, org, int(cycle))
            assert not history["label"].str.contains("nan|None").any()
    s = m.validation_agreement(df, 2023, by="region", n_boot=50).summary
    assert (
        (s.pct_exact_score <= s.pct_exact) | s.pct_exact.isna()
    ).all()  # sub-levels only add disagreement
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_demo_metrics_do_not_modify_inputs():
    subs_demo = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    stats_demo = qa.load_statistics(qa.config.DEMO_STATISTICS)
    s0, t0 = subs_demo.copy(deep=True), stats_demo.copy(deep=True)
    m.staff_ratio(stats_demo, by="region")
    m.activity_rates(stats_demo, by="region")
    m.headline_figures(stats_demo)
    m.validation_agreement(subs_demo, 2025, by="region")
    pd.testing.assert_frame_equal(subs_demo, s0)
    pd.testing.assert_frame_equal(stats_demo, t0)

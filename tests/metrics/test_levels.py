"""Level profile, distribution and completeness on hand-worked fixtures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis import metrics as m
from qio_analysis import words
from tests.metrics.helpers import both, subs

N = (None, None)


@pytest.fixture
def history():
    # ZZA in London: 2021 then 2023. Validated scores worked by hand in the comments.
    rows = []
    rows += both("A", "London", 2021, 1, (2, None), (1, "High"))  # 1.75
    rows += both("A", "London", 2021, 2, (2, None), (2, None))  # 2.0
    rows += both("A", "London", 2021, 3, (1, None), N)  # no validated level
    rows += both("A", "London", 2021, 4, (1, "Low"), (1, "Low"))  # 1.25
    rows += both("A", "London", 2021, 5, (2, "Medium"), (2, "Medium"))  # 2.5
    rows += both("A", "London", 2021, 6, (1, None), (1, None))  # 1.0
    rows += both("A", "London", 2023, 1, (2, None), (2, None))  # 2.0: +0.25
    rows += both("A", "London", 2023, 2, (3, None), N)  # missing now
    rows += both("A", "London", 2023, 3, (2, "Low"), (2, "Low"))  # 2.25, none before
    rows += both("A", "London", 2023, 4, (4, None), (3, "High"))  # 3.75: +2.5
    rows += both("A", "London", 2023, 5, (2, "Medium"), (2, "Medium"))  # 2.5: same
    rows += both("A", "London", 2023, 6, (3, "High"), (3, "High"))  # 3.75: +2.75
    return subs(rows)


def test_profile_columns_change_and_tied_strengths(history):
    p = m.level_profile(history, "ZZA", 2023).set_index("outcome")
    assert list(p.index) == [1, 2, 3, 4, 5, 6]
    assert (
        p.loc[4, "self_level"],
        p.loc[4, "validated_level"],
        p.loc[4, "validated_sublevel"],
    ) == (4, 3, "High")
    assert (p["previous_cycle"] == 2021).all()
    # Whole levels: 1 High -> 2 is up one level (not "up 0.25"); 1 Low -> 3 High up two.
    assert p.loc[1, "change"] == 1 and p.loc[1, "comparison"] == "up"
    assert p.loc[4, "change"] == 2 and p.loc[6, "change"] == 2
    assert p.loc[5, "change"] == 0 and p.loc[5, "comparison"] == "same level"
    assert pd.isna(p.loc[5, "sublevel_change"]) or p.loc[5, "sublevel_change"] == 0
    assert pd.isna(p.loc[2, "change"]) and pd.isna(p.loc[3, "change"])
    assert p.loc[2, "comparison"] == p.loc[3, "comparison"] == "not comparable"
    assert list(p.index[p["is_strength"]]) == [4, 6]  # both Level 3 (High)
    # Level 2, Level 2 (Low) and Level 2 (Medium) are all on the lowest level: no sub-level
    # ranks "Level 2" below "Level 2 (Low)".
    assert list(p.index[p["is_area_for_improvement"]]) == [1, 3, 5]


def test_profile_sentences_read_as_written_by_hand(history):
    text = words.profile_sentences(m.level_profile(history, "ZZA", 2023))
    assert text.changes == [
        "Outcome 1 (Access), since the 2021 baseline: up one level, from Level 1 (High) to Level 2.",
        "Outcome 2 (Evidence in decisions) is not validated yet for 2023 "
        "(self-evaluated Level 3; validated Level 2 in 2021).",
        "Outcome 3 (Knowing needs) is at Level 2 (Low); it had no validated level in 2021.",
        "Outcome 4 (Skill mix), since the 2021 baseline: up two levels, "
        "from Level 1 (Low) to Level 3 (High).",
        "Outcome 5 (Quality improvement), since the 2021 baseline: stayed at Level 2 (Medium).",
        "Outcome 6 (Impact), since the 2021 baseline: up two levels, from Level 1 to Level 3 (High).",
    ]
    # The validator lowered outcome 4 from 4 to 3 High; outcome 2 has no validated level.
    assert text.adjustments == [
        "Outcome 4 (Skill mix): self-evaluated Level 4, validated Level 3 (High): lowered 1 level."
    ]
    assert text.strengths == (
        "Strengths: Outcome 4 (Skill mix) and Outcome 6 (Impact), both at Level 3 (High), "
        "the joint highest validated level."
    )
    assert text.improvements == (
        "Areas for improvement: Outcome 1 (Access) at Level 2, Outcome 3 (Knowing needs) at "
        "Level 2 (Low) and Outcome 5 (Quality improvement) at Level 2 (Medium), all on Level 2, "
        "the joint lowest validated level."
    )


def test_sub_levels_alone_never_make_a_strength_or_a_rise():
    # Every outcome on Level 3: sub-levels (or none) do not make one stand out.
    subs_ = [
        ("A", "London", 2023, n, "validated", 3, s)
        for n, s in zip(range(1, 7), [None, "Low", "Medium", "High", None, None], strict=True)
    ]
    subs_ += [("A", "London", 2025, n, "validated", 3, "Medium") for n in range(1, 7)]
    p = m.level_profile(subs(subs_), "ZZA", 2025).set_index("outcome")
    assert not p["is_strength"].any() and not p["is_area_for_improvement"].any()
    assert p["comparison"].tolist() == [
        "same level; sub-level not comparable",  # Level 3 -> Level 3 (Medium): not a rise
        "same level; sub-level up",
        "same level",
        "same level; sub-level down",
        "same level; sub-level not comparable",
        "same level; sub-level not comparable",
    ]
    assert p["change"].tolist() == [0] * 6
    assert p["sublevel_change"].tolist() == [pd.NA, 1, 0, -1, pd.NA, pd.NA]
    fig = qa.fig_radar(p.reset_index())
    assert "rose a level on 0 of 6 outcomes since 2023" in fig.layout.title.text
    text = words.profile_sentences(p.reset_index())
    assert text.changes[0] == (
        "Outcome 1 (Access), since 2023: same level, from Level 3 to Level 3 (Medium); "
        "sub-level not comparable."
    )
    assert text.strengths == "Strengths: none stand out, as every validated outcome is at Level 3."


def test_first_cycle_profile_has_no_previous(history):
    p = m.level_profile(history, "ZZA", 2021)
    assert p["previous_cycle"].isna().all() and p["change"].isna().all()
    text = words.profile_sentences(p)
    assert text.changes == [
        "This is the first cycle in the data; change will show from the next cycle."
    ]
    assert text.adjustments == [
        "Outcome 1 (Access): self-evaluated Level 2, validated Level 1 (High): lowered 1 level."
    ]


def test_nothing_stands_out_when_all_equal_or_too_few():
    rows = [r for n in range(1, 7) for r in both("A", "London", 2025, n, (2, None), (2, None))]
    p = m.level_profile(subs(rows), "ZZA", 2025)
    assert not p["is_strength"].any() and not p["is_area_for_improvement"].any()
    assert words.profile_sentences(p).strengths == (
        "Strengths: none stand out, as every validated outcome is at Level 2."
    )
    one = m.level_profile(subs(both("A", "London", 2025, 1, (2, None), (2, None))), "ZZA", 2025)
    assert not one["is_strength"].any()
    assert "too few validated outcomes" in words.profile_sentences(one).strengths


def test_profile_errors_name_the_problem(history):
    with pytest.raises(qa.QioConfigError, match="no submissions for organisation 'ZZQ'"):
        m.level_profile(history, "ZZQ", 2023)
    with pytest.raises(qa.QioConfigError, match="took part in 2021, 2023"):
        m.level_profile(history, "ZZA", 2025)


@pytest.fixture
def cycle_2023():
    rows = []
    rows += both("A", "London", 2023, 1, (2, None), (2, None))
    rows += both("B", "London", 2023, 1, (3, "High"), (3, "High"))
    rows += both("C", "South West", 2023, 1, (3, None), (3, None))
    rows += both("A", "London", 2023, 2, (2, None), N)
    rows += both("B", "London", 2023, 2, (1, None), (1, None))
    rows += both("C", "South West", 2023, 2, (4, None), (4, None))
    rows += both("A", "London", 2023, 3, N, N)  # outcome 3: nobody scored
    rows += both("C", "South West", 2023, 3, N, N)
    return subs(rows)


def _summary(dist, region, outcome):
    s = m.level_summary(dist)
    return s[(s.region == region) & (s.outcome == outcome)].iloc[0]


def test_distribution_by_region_with_national(cycle_2023):
    d = m.level_distribution(cycle_2023, 2023, by="region")
    london1 = d[(d.region == "London") & (d.outcome == 1)]
    assert list(london1.level) == [0, 1, 2, 3, 4]
    assert list(london1.n) == [0, 0, 1, 1, 0]
    assert list(london1.pct) == [0, 0, 50, 50, 0]
    assert _summary(d, "London", 1).median_level == 2  # lower middle of (2, 3)
    assert _summary(d, "London", 1).pct_at_or_above == 50
    eng1 = _summary(d, "England", 1)
    assert (eng1.n_scored, eng1.median_level) == (3, 3)  # (2, 3, 3)
    assert eng1.pct_at_or_above == pytest.approx(200 / 3)
    lon2 = _summary(d, "London", 2)
    assert (lon2.n_orgs, lon2.n_scored, lon2.n_missing, lon2.median_level) == (2, 1, 1, 1)
    assert _summary(d, "England", 2).median_level == 1  # lower middle of (1, 4)
    nobody = _summary(d, "England", 3)
    assert (nobody.n_orgs, nobody.n_scored) == (2, 0)
    assert pd.isna(nobody.median_level) and math.isnan(nobody.pct_at_or_above)
    assert d[(d.region == "England") & (d.outcome == 3)].pct.isna().all()
    assert (_summary(d, "England", 5).n_orgs, _summary(d, "England", 5).n_scored) == (0, 0)
    assert list(m.level_summary(d).region.unique()) == ["London", "South West", "England"]


def test_distribution_threshold_assessment_and_national_only(cycle_2023):
    d = m.level_distribution(cycle_2023, 2023, by=None, assessment="self", threshold=2)
    s = m.level_summary(d).set_index("outcome")
    assert "region" not in d.columns
    assert s.loc[2, "n_scored"] == 3  # self-evaluations: 2, 1, 4
    assert s.loc[2, "pct_at_or_above"] == pytest.approx(200 / 3)
    with pytest.raises(qa.QioConfigError, match="assessment must be"):
        m.level_distribution(cycle_2023, 2023, assessment="both")


def test_completeness_expected_submitted_validated_missing():
    rows = [r for n in range(1, 7) for r in both("A", "London", 2023, n, (2, None), (2, None))]
    rows += [("B", "London", 2023, n, "self", 2, None) for n in range(1, 7)]
    rows += [("B", "London", 2023, n, "validated", None, None) for n in range(1, 7)]
    rows += [("D", "South West", 2023, n, "self", None, None) for n in range(1, 7)]
    rows += [("X", "London", 2023, 1, "self", 1, None)]
    orgs = pd.DataFrame(
        {
            "org_code": ["ZZA", "ZZB", "ZZC", "ZZD"],
            "org_name": ["Org A", "Org B", "Org C", "Org D"],
            "org_type": ["Acute"] * 4,
            "region": ["London", "London", "South West", "South West"],
            "service_code": [None] * 4,
        }
    )
    c = m.completeness(subs(rows), orgs, 2023).set_index("region")
    cols = ["expected", "submitted", "validated", "awaiting_validation", "missing", "unexpected"]
    assert c.loc["London", cols].tolist() == [2, 2, 1, 1, 0, 1]
    assert c.loc["South West", cols].tolist() == [2, 0, 0, 0, 2, 0]
    assert c.loc["England", cols].tolist() == [4, 2, 1, 1, 2, 1]
    assert c.loc["South West", "missing_orgs"] == "ZZC, ZZD"
    assert c.loc["London", "awaiting_orgs"] == "ZZB"
    assert c.loc["London", "unexpected_orgs"] == "ZZX"
    assert c.loc["England", "pct_submitted"] == 50.0
    status = m.submission_status(subs(rows), orgs, 2023).set_index("org_code")["status"]
    assert status.to_dict() == {
        "ZZA": "validated",
        "ZZB": "awaiting validation",
        "ZZX": "not in organisations table",
        "ZZC": "not submitted",
        "ZZD": "not submitted",
    }


def test_three_cycles_baseline_change_and_adjustment_flags():
    # ZZA: 2021 1, 2023 2 (Low), 2025 self 3 High validated 3 Medium (outcome 1).
    rows = both("A", "London", 2021, 1, (1, None), (1, None))
    rows += both("A", "London", 2023, 1, (2, "Low"), (2, "Low"))
    rows += both("A", "London", 2025, 1, (3, "High"), (3, "Medium"))
    p = m.level_profile(subs(rows), "ZZA", 2025).set_index("outcome")
    one = p.loc[1]
    assert (one.previous_cycle, one.baseline_cycle) == (2023, 2021)
    assert one.change == 1 and one.comparison == "up"  # Level 2 (Low) -> Level 3 (Medium)
    assert one.change_since_baseline == 2  # Level 1 -> Level 3 (Medium)
    # The validator moved the sub-level only: a change to the record, not a whole level.
    assert bool(one.adjusted) and one.adjustment == 0
    assert not p.loc[2, "adjusted"]  # nothing submitted for outcome 2
    assert m.awaiting_validation(p.reset_index())
    text = words.profile_sentences(p.reset_index())
    assert text.changes[0] == (
        "Outcome 1 (Access), since 2023: up one level, from Level 2 (Low) to Level 3 (Medium); "
        "since the 2021 baseline: up two levels, from Level 1 to Level 3 (Medium)."
    )
    assert text.adjustments == [
        "Outcome 1 (Access): self-evaluated Level 3 (High), validated Level 3 (Medium): sub-level lowered within Level 3 (High to Medium)."
    ]


def test_level_history_every_cycle_and_compare_with():
    rows = both("A", "London", 2021, 1, (1, None), (1, None))
    rows += both("A", "London", 2023, 1, (2, "Low"), N)
    rows += both("A", "London", 2025, 1, (3, "High"), (3, "Medium"))
    h = m.level_history(subs(rows), "ZZA", 2025)
    assert list(dict.fromkeys(h.series)) == [
        "Validated 2021",
        "Validated 2023",
        "Self-evaluated 2025",
        "Validated 2025",
    ]
    one = h[h.outcome == 1].set_index("series")
    assert one.label.to_dict() == {
        "Validated 2021": "Level 1",
        "Validated 2023": "not validated",
        "Self-evaluated 2025": "Level 3 (High)",
        "Validated 2025": "Level 3 (Medium)",
    }
    assert h[h.outcome == 2].label.tolist() == [
        "not validated",
        "not validated",
        "no return",
        "not validated",
    ]
    assert one.age.to_dict() == {
        "Validated 2021": 2,
        "Validated 2023": 1,
        "Self-evaluated 2025": 0,
        "Validated 2025": 0,
    }
    only = m.level_history(subs(rows), "ZZA", 2025, cycles=[2021])
    assert sorted(only.cycle.unique()) == [2021, 2025]
    first = m.level_history(subs(rows), "ZZA", 2021)
    assert list(dict.fromkeys(first.series)) == ["Self-evaluated 2021", "Validated 2021"]
    with pytest.raises(qa.QioConfigError, match="took part in 2021, 2023, 2025"):
        m.level_history(subs(rows), "ZZA", 2019)


def test_completeness_lists_every_region_and_works_without_a_table():
    rows = [r for n in range(1, 7) for r in both("A", "London", 2025, n, (2, None), (2, None))]
    rows += [r for n in range(1, 7) for r in both("B", "Midlands", 2023, n, (2, None), (2, None))]
    c = m.completeness(subs(rows), None, 2025).set_index("region")
    assert list(c.index) == [*qa.reference.REGION_NAMES, "England"]
    assert c.loc["North West", "note"] == "no submissions"
    assert c.loc["North West", "expected"] == 0
    # Without an organisations table, ZZB (seen in 2023) is expected in 2025 and missing.
    assert c.loc["Midlands", ["expected", "submitted", "missing"]].tolist() == [1, 0, 1]
    assert c.loc["Midlands", "note"] == "no submissions"
    assert c.loc["London", "note"] == "" and c.loc["London", "validated"] == 1
    assert c.loc["England", ["expected", "submitted", "missing"]].tolist() == [2, 1, 1]


def test_gap_to_england_is_the_difference_of_the_shares_as_published():
    summary = pd.DataFrame(
        {
            "cycle": 2025,
            "assessment": "validated",
            "region": ["London", "London", "England", "England"],
            "outcome": [1, 2, 1, 2],
            "pct_at_or_above": [21.6, 50.0, 39.4, float("nan")],
            "median_level": pd.array([2, 3, 3, None], dtype="Int64"),
            "n_scored": [37, 40, 200, 0],
        }
    )
    gaps = m.gap_to_england(summary).set_index("outcome")
    assert list(gaps.region.unique()) == ["London"]  # England's own rows are not gaps
    # 22% against 39% as printed: 17 points below (the unrounded 17.8 would print as 18).
    assert gaps.loc[1, "gap_pct_at_or_above"] == -17
    assert gaps.loc[1, "gap_median_level"] == -1
    assert pd.isna(gaps.loc[2, "gap_pct_at_or_above"]) and pd.isna(gaps.loc[2, "gap_median_level"])
    table = qa.report.gap_table(gaps.reset_index(), "London")
    assert table.iloc[0].tolist() == ["1: Access", "22%", "39%", "-17", 37]
    assert list(table.columns)[2] == "England (London included): Level 3+"
    assert not [c for c in table.columns if "median" in c.lower()]  # moves on a tie: not shown
    assert table.iloc[1].tolist()[1:4] == ["50%", "\u2013", "no comparison"]
    assert words.gap_sentence(gaps.reset_index(), "London") == (
        "Against England (London included), London's weakest outcome is Outcome 1 (Access): 22% at Level 3 or above "
        "against England's 39%, 17 percentage points lower."
    )

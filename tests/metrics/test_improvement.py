"""Who moved since the baseline: hand-worked rows, summaries, movers and the sentences about them."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis import metrics as m
from qio_analysis import words
from tests.metrics.helpers import subs


def _validated(org, region, cycle, levels):
    """Validated rows for one organisation and cycle: {outcome: (level, sub-level)}."""
    return [(org, region, cycle, o, "validated", *lv) for o, lv in levels.items()]


@pytest.fixture
def three_cycles():
    rows = []
    # A (London) in every cycle: outcome 1 rises 1 -> 2 -> 3 High; outcome 2 is 3, 3 Low, 3;
    # outcomes 3-6 stay at 2.
    steady = dict.fromkeys(range(3, 7), (2, None))
    rows += _validated("A", "London", 2021, {1: (1, None), 2: (3, None), **steady})
    rows += _validated("A", "London", 2023, {1: (2, None), 2: (3, "Low"), **steady})
    rows += _validated("A", "London", 2025, {1: (3, "High"), 2: (3, None), **steady})
    # B (London) took part in 2021 only: it left.
    rows += _validated("B", "London", 2021, {1: (2, None)})
    # C (London) is new in 2023 and falls from 1 to 0 by 2025.
    rows += _validated("C", "London", 2023, {1: (1, None)})
    rows += _validated("C", "London", 2025, {1: (0, None)})
    # D (Midlands) skipped 2023: 4 in 2021, 4 High in 2025 (no sub-level in 2021).
    rows += _validated("D", "Midlands", 2021, {1: (4, None)})
    rows += _validated("D", "Midlands", 2025, {1: (4, "High")})
    return subs(rows)


def test_rows_by_hand(three_cycles):
    rows = m.improvement(three_cycles)
    assert len(rows) == 4 * 6  # A, B, C, D took part in 2021 or 2025; six outcomes each
    assert rows[["from_cycle", "previous_cycle", "to_cycle"]].drop_duplicates().values.tolist() == [
        [2021, 2023, 2025]
    ]
    assert list(dict.fromkeys(rows.org_code)) == ["ZZA", "ZZB", "ZZC", "ZZD"]  # London first
    one = rows[rows.outcome == 1].set_index("org_code")
    assert one.loc["ZZA", ["from_level", "previous_level", "to_level"]].tolist() == [1, 2, 3]
    assert one.loc["ZZA", "to_sublevel"] == "High"
    assert one.comparison.to_dict() == {
        "ZZA": "up",
        "ZZB": "not comparable",
        "ZZC": "not comparable",
        "ZZD": "same level; sub-level not comparable",  # 4 -> 4 High is not a rise
    }
    assert one.level_change.tolist()[0] == 2 and pd.isna(one.level_change["ZZB"])
    assert one.status.to_dict() == {
        "ZZA": "compared",
        "ZZB": "left",
        "ZZC": "new",
        "ZZD": "compared",
    }
    assert one.comparison_since_previous.to_dict() == {
        "ZZA": "up",
        "ZZB": "not comparable",
        "ZZC": "down",
        "ZZD": "not comparable",
    }
    assert one.status_since_previous.to_dict() == {
        "ZZA": "compared",
        "ZZB": "left",
        "ZZC": "compared",
        "ZZD": "new",
    }
    two = rows[(rows.org_code == "ZZA") & (rows.outcome == 2)].iloc[0]
    assert two.comparison == "same level"  # 3 -> 3
    assert two.comparison_since_previous == "same level; sub-level not comparable"  # 3 Low -> 3


def test_summary_by_hand(three_cycles):
    summary = m.improvement_summary(m.improvement(three_cycles)).set_index("org_code")
    a, b, c, d = (summary.loc[k] for k in ("ZZA", "ZZB", "ZZC", "ZZD"))
    assert (a.n_compared, a.up, a.down, a.unchanged, a.not_comparable) == (6, 1, 0, 5, 0)
    assert (a.levels_up, a.moved, a.not_moved) == (2, "up on 1 of 6 outcomes", False)
    assert (a.up_since_previous, a.unchanged_since_previous) == (1, 5)
    assert (b.n_compared, b.not_comparable, b.moved) == (0, 6, "no outcome to compare")
    assert not b.not_moved  # nothing to compare is not "did not move"
    assert (c.n_compared, c.down_since_previous, c.levels_down_since_previous) == (0, 1, 1)
    assert c.moved_since_previous == "down on 1 of 1 comparable outcome"
    assert (d.n_compared, d.unchanged, d.not_moved) == (1, 1, True)
    assert d.moved == "same level on the 1 comparable outcome"
    assert summary.region.to_dict() == {
        "ZZA": "London",
        "ZZB": "London",
        "ZZC": "London",
        "ZZD": "Midlands",
    }


def test_sentences_count_what_the_tables_count(three_cycles):
    rows = m.improvement(three_cycles)
    london = m.improvement_summary(rows[rows.region == "London"])
    assert words.improvement_sentence(london, "London", 2021, 2025) == (
        "Of the 3 organisations in London taking part in 2021 or 2025, 1 rose at least one level "
        "on at least one outcome since the 2021 baseline and none fell on at least one; none "
        "stayed on the same level on every outcome compared; 2 have no outcome with a validated "
        "level in both 2021 and 2025."
    )
    assert words.improvement_sentence(london, "London", 2023, 2025, suffix="_since_previous") == (
        "Since 2023, in London, 1 rose at least one level on at least one outcome and 1 fell on "
        "at least one (an organisation can do both); none stayed on the same level on every "
        "outcome compared; 1 has no outcome with a validated level in both 2023 and 2025."
    )
    fig = qa.fig_improvement(rows[rows.region == "London"], where="London")
    title = fig.layout.title.text.replace("<br>", " ")
    assert title.startswith("In London, 1 of 3 organisations rose at least one level")


def test_largest_movers_and_not_moved(three_cycles):
    summary = m.improvement_summary(m.improvement(three_cycles))
    assert m.largest_movers(summary, "up").org_code.tolist() == ["ZZA"]
    assert m.largest_movers(summary, "down").empty  # C fell since 2023, not since 2021
    assert summary.loc[summary.not_moved, "org_code"].tolist() == ["ZZD"]
    down = m.largest_movers(summary, "down", suffix="_since_previous")
    assert down.org_code.tolist() == ["ZZC"]
    assert (down.net_levels < 0).all()
    with pytest.raises(qa.QioConfigError, match="way must be"):
        m.largest_movers(summary, "sideways")


def test_ties_at_the_cut_are_kept():
    summary = pd.DataFrame(
        {"org_name": list("ABCD"), "levels_up": [5, 3, 3, 1], "up": [3, 2, 2, 1]}
    ).assign(levels_down=0, down=0)
    assert m.largest_movers(summary, n=2).org_name.tolist() == ["A", "B", "C"]


def test_movers_rank_by_net_change_and_say_net():
    # Worked by hand: A gained 5 and lost 1 (net +4); B gained 2 and lost 4 (net -2);
    # C lost 1 (net -1); D gained 2 and lost 2 (net 0, in neither list); E gained 3 (net +3).
    summary = pd.DataFrame(
        {
            "org_name": list("ABCDE"),
            "org_code": ["ZA01", "ZA02", "ZA03", "ZA04", "ZA05"],
            "levels_up": [5, 2, 0, 2, 3],
            "levels_down": [1, 4, 1, 2, 0],
            "up": [3, 2, 0, 1, 2],
            "down": [1, 2, 1, 1, 0],
            "moved": ["m"] * 5,
        }
    )
    up = m.largest_movers(summary, "up")
    down = m.largest_movers(summary, "down")
    assert up[["org_name", "net_levels"]].values.tolist() == [["A", 4], ["E", 3]]
    assert down[["org_name", "net_levels"]].values.tolist() == [["B", -2], ["C", -1]]
    said = [words.mover_sentence(row, "down") for _, row in down.iterrows()]
    assert said == [
        "B (ZA02): m; net 2 whole levels lost (gross: 2 gained, 4 lost).",
        "C (ZA03): m; net 1 whole level lost.",
    ]


def test_cycles_by_hand_and_errors(three_cycles):
    earlier = m.improvement(three_cycles, to=2023)
    assert earlier[["from_cycle", "previous_cycle", "to_cycle"]].iloc[0].tolist() == [
        2021,
        2021,
        2023,
    ]
    one = earlier[earlier.outcome == 1].set_index("org_code")
    assert one.comparison.equals(one.comparison_since_previous)
    assert set(one.index) == {"ZZA", "ZZB", "ZZC", "ZZD"}  # D took part in 2021: it left by 2023
    recent = m.improvement(three_cycles, since=2023)
    assert set(recent.org_code) == {"ZZA", "ZZC", "ZZD"}  # B took part in neither 2023 nor 2025
    ungrouped = m.improvement(three_cycles, by=None)
    assert "region" not in ungrouped.columns and len(ungrouped) == 24
    with pytest.raises(qa.QioConfigError, match="not a cycle in the data"):
        m.improvement(three_cycles, since=2019)
    with pytest.raises(qa.QioConfigError, match="must be earlier"):
        m.improvement(three_cycles, since=2025, to=2021)
    with pytest.raises(qa.QioConfigError, match="needs two cycles"):
        m.improvement(three_cycles[three_cycles.cycle == 2025])
    with pytest.raises(qa.QioConfigError, match="Cannot group"):
        m.improvement(three_cycles, by="org_type")


def test_input_is_not_modified(three_cycles):
    before = three_cycles.copy(deep=True)
    m.improvement_summary(m.improvement(three_cycles))
    pd.testing.assert_frame_equal(three_cycles, before)


LEVELS = st.sampled_from(
    [(None, None), (0, None), (1, "Low"), (2, None), (2, "High"), (3, "Medium"), (4, None)]
)
ROW = st.tuples(
    st.sampled_from("ABCD"), st.sampled_from([2021, 2023, 2025]), st.integers(1, 6), LEVELS
)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=2, max_size=40))
def test_every_outcome_is_counted_once(raw):
    seen = {(org, cycle, outcome): level for org, cycle, outcome, level in raw}
    regions = {"A": "London", "B": "London", "C": "Midlands", "D": "South West"}
    data = subs([(o, regions[o], c, n, "validated", *lv) for (o, c, n), lv in seen.items()])
    if data.cycle.nunique() < 2:
        return
    rows = m.improvement(data)
    summary = m.improvement_summary(rows)
    for suffix in ("", "_since_previous"):
        parts = summary[
            [f"up{suffix}", f"down{suffix}", f"unchanged{suffix}", f"not_comparable{suffix}"]
        ]
        assert (parts.sum(axis=1) == 6).all()
        # "Rose on at least one outcome" counts the same organisations in rows and summary.
        risers = rows.loc[rows[f"comparison{suffix}"] == "up", "org_code"].nunique()
        assert risers == int((summary[f"up{suffix}"] > 0).sum())
    # Whole-level change is the difference of the whole levels, never of scores.
    compared = rows[rows.comparison != "not comparable"]
    assert (compared.level_change == compared.to_level - compared.from_level).all()

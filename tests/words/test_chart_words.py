"""Charts' titles and alt text, from hand-worked counts."""

from __future__ import annotations

import pandas as pd

from qio_analysis.words.chart_change import movement_chart_words, sankey_words
from qio_analysis.words.chart_levels import (
    distribution_words,
    heatmap_words,
    improvement_words,
    share_trend_words,
)

MARKS = {"level lowered": "\u25bc", "level raised": "\u25b2"}


def _heatmap(**changed: object) -> tuple[str, str]:
    given: dict[str, object] = {
        "assessment": "validated",
        "cycle": 2025,
        "n_orgs": 1,
        "outcomes": [1, 2, 3, 4, 5, 6],
        "missing": 0,
        "since": None,
        "changes": {"level lowered": 0, "level raised": 0},
        "marks": MARKS,
        "compared": 0,
        "one_side": 0,
    }
    given.update(changed)
    return heatmap_words(**given)  # type: ignore[arg-type]


def test_heatmap_words_count_organisations_missing_cells_and_changes():
    title, alt = _heatmap(
        n_orgs=3,
        missing=2,
        since=2021,
        changes={"level lowered": 2, "level raised": 1},
        compared=12,
    )
    assert (
        title
        == "Validated levels and change since 2021 for 3 organisations, 2025 (2 outcomes without a level)"
    )
    assert "3 organisations in rows and the six outcomes in columns" in alt
    assert ", then its change in whole levels since 2021. 2 cells have no level." in alt
    assert (
        "The validator changed 3 of 12 self-evaluated levels: 2 levels lowered (\u25bc) and 1 raised (\u25b2)."
        in alt
    )


def test_heatmap_words_on_both_name_the_one_sided_sub_levels():
    title, alt = _heatmap(assessment="both", compared=4, one_side=1, outcomes=[2])
    assert title == "Self-evaluated and validated levels for 1 organisation, 2025"
    assert "outcome 2 in columns" in alt
    assert alt.endswith(
        "The validator changed 0 of 4 self-evaluated levels, labelled self-evaluated then "
        "validated. 1 more kept the level with a sub-level on one side only, which is not "
        "compared, also labelled with both."
    )


def test_heatmap_words_on_self_evaluations_say_nothing_of_the_validator():
    _, alt = _heatmap(assessment="self", compared=6)
    assert "validator" not in alt


def test_improvement_words_count_risers_and_say_what_is_not_drawn():
    title, alt = improvement_words(
        place="Midlands & East",
        since=2021,
        to=2025,
        n_orgs=4,
        risers=2,
        per_outcome=[(1, 2, 1, 1), (6, 0, 0, 3)],
        left_out=1,
    )
    assert title.startswith("In Midlands &amp; East, 2 of 4 organisations rose at least one level")
    assert "Access: 2 rose, 1 fell, 1 same level; Impact: 0 rose, 0 fell, 3 same level." in alt
    assert "1 organisation-outcome without a level in both cycles are not drawn" in alt


def test_distribution_words_name_a_tie_at_the_top_as_joint():
    summary = pd.DataFrame(
        {
            "cycle": 2025,
            "assessment": "validated",
            "region": "London",
            "outcome": [1, 2, 3],
            "pct_at_or_above": [60.2, 59.8, 20.0],
        }
    )
    title, alt = distribution_words(summary, "region", 3, shown=["London", "England"])
    assert title == (
        "60% of organisations in London are at Level 3 or above on Access, the joint highest, "
        "and 20% on Knowing needs, the lowest (2025)"
    )
    assert alt.endswith("England's figures include London.")


def test_share_trend_words_for_one_cycle_and_a_highlighted_region():
    title, alt = share_trend_words(
        threshold=2,
        cycles=(2025, 2025),
        rises=0,
        outcomes=6,
        groups=["London", "England"],
        highlight="London",
    )
    assert title == "Share at Level 2 or above, 2025"
    assert alt.endswith("is the thick black line and London the dashed blue one.")


def test_sankey_and_movement_words():
    title, alt = sankey_words(outcome=4, where="England", cycles=(2023, 2025), up=3, total=9)
    assert title.startswith("Outcome 4 (")
    assert "3 of 9 organisations with a level in both cycles moved up" in alt
    nobody = pd.DataFrame(
        {
            "outcome": [1],
            "from_cycle": 2023,
            "to_cycle": 2025,
            "improved": [0],
            "pct_improved": [0.0],
        }
    )
    title, _ = movement_chart_words(nobody, "London")
    assert title == "In London, no organisation moved up a whole level between 2023 and 2025"

"""The validation, workforce, completeness and graphics charts' words, from hand-worked numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from qio_analysis.reference import NATIONAL
from qio_analysis.words.chart_completeness import completeness_words
from qio_analysis.words.chart_graphics import ALT_LIMIT, short_alt
from qio_analysis.words.chart_groups import group_label
from qio_analysis.words.chart_validation import adjustments_headline, adjustments_words
from qio_analysis.words.chart_workforce import region_rows, staff_ratio_words


def test_one_region_is_not_called_the_most_of_any_region():
    rows = pd.DataFrame({"region": ["London", NATIONAL], "pct_lowered": [33.4, 33.4]})
    assert adjustments_headline(rows) == (
        "Validators lowered a whole level on 33% of self-evaluated levels in London"
    )


def test_the_headline_is_judged_only_on_groups_that_compared_levels_and_is_escaped():
    rows = pd.DataFrame(
        {
            "region": ["Guy's & St Thomas'", "Midlands", NATIONAL],
            "n_pairs": [4, 0, 4],
            "pct_lowered": [25.0, 0.0, 25.0],
            "pct_raised": [0.0, 0.0, 0.0],
            "n_level_lowered": [1, 0, 1],
            "n_level_raised": [0, 0, 0],
        }
    )
    words = adjustments_words(rows, rows["region"].tolist())
    assert words.title == (
        "Validators lowered a whole level on 25% of self-evaluated levels in Guy&#39;s &amp; "
        "St Thomas&#39;"
    )
    assert "Midlands: no submissions" in words.alt_text
    assert "Guy's & St Thomas': 25% of levels lowered (1 of 4)" in words.alt_text


def test_every_drawn_row_and_every_absent_region_is_in_the_staff_ratio_alt_text():
    in_year = pd.DataFrame(
        {
            "region": ["London", NATIONAL],
            "year": "2024/25",
            "nhs_wte_per_qualified": [1200.0, 1300.0],
            "suppressed": [False, False],
        }
    )
    bars = [("London", "1:1,200"), (NATIONAL, "1:1,300")]
    words = staff_ratio_words(in_year, "2024/25", 1250.0, bars, ["Midlands"])
    assert "London: 1:1,200; England: 1:1,300." in words.alt_text
    assert words.alt_text.endswith(
        "No staff ratio for Midlands in 2024/25: no return with both figures."
    )


def test_two_services_with_one_name_are_both_said():
    in_year = pd.DataFrame(
        {
            "service_name": ["Library", "Library"],
            "year": "2024/25",
            "nhs_wte_per_qualified": [1.0, 2.0],
        }
    )
    bars = [("Library", "1:1"), ("Library", "1:2")]
    words = staff_ratio_words(in_year, "2024/25", 1250.0, bars, [], title="Two libraries")
    assert words.title == "Two libraries"
    assert "Library: 1:1; Library: 1:2." in words.alt_text


def test_a_withheld_region_says_why_and_has_no_ratio():
    regions = pd.DataFrame(
        {
            "region": ["London", "Midlands", NATIONAL],
            "target": 1250.0,
            "nhs_wte_per_qualified": [1300.0, None, None],
            "suppressed": [False, True, False],
            "suppression": [None, "secondary", None],
        }
    )
    assert region_rows(regions, 5) == [
        ("London", 1300.0, "1:1,300"),
        ("Midlands", None, "not shown: it would reveal a smaller region"),
        (NATIONAL, None, "no ratio: no return with both figures"),
    ]


def test_completeness_counts_england_in_the_title_and_names_regions_without_submissions():
    counts = pd.DataFrame(
        {
            "region": ["London", "Midlands", NATIONAL],
            "cycle": 2025,
            "expected": [3, 2, 5],
            "validated": [2, 0, 2],
            "awaiting_validation": [1, 0, 1],
            "missing": [0, 2, 2],
            "note": ["", "no submissions", ""],
        }
    )
    words = completeness_words(counts)
    assert words.title.startswith("2 of 5 expected organisations")
    assert words.alt_text.endswith("No submissions from Midlands.")


def test_group_labels_are_escaped_and_england_is_bold():
    assert group_label(NATIONAL, "ignored") == "<b>England</b>"
    assert group_label("<i>", "a & b") == "&lt;i&gt; (a &amp; b)"


def test_short_alt_drops_optional_sentences_that_do_not_fit_but_keeps_the_marks():
    text = short_alt(["Chart."], ["x" * ALT_LIMIT, "Short."], demo=True, long=True)
    assert "x" * 10 not in text
    assert text.startswith("Chart. Short.") and text.endswith("fictional.")
    with pytest.raises(ValueError, match="over 1,000"):
        short_alt(["y" * ALT_LIMIT], [], demo=True, long=False)

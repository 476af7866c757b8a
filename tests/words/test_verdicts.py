"""Verdicts judged on the figure as printed: the staff ratio against its target, and changes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qio_analysis.words import (
    format_ratio,
    judge_change,
    meets_target,
    policy_verdict,
    printed_ratio,
    target_words,
)


@pytest.mark.parametrize(
    ("value", "printed", "meets"),
    [
        (1250.4, "1:1,250.4", False),  # the whole number would read 1:1,250 and seem to meet it
        (1250.04, "1:1,250", True),  # one decimal place reads 1,250.0: it meets the target
        (1250.0, "1:1,250", True),
        (1249.6, "1:1,250", True),  # rounds up to the target itself: at or below meets
        (1250.5, "1:1,250.5", False),
        (1250.06, "1:1,250.1", False),
        (1621.47, "1:1,621", False),
        (980.2, "1:980", True),
    ],
)
def test_the_ratio_is_printed_precisely_enough_for_its_verdict(value, printed, meets):
    assert format_ratio(value, target=1250) == printed
    assert meets_target(value, 1250) is meets
    assert target_words(value, 1250) == ("meets" if meets else "does not yet meet")


def test_a_missing_ratio_has_no_verdict():
    assert format_ratio(None, target=1250) == "not reported"
    assert meets_target(float("nan"), 1250) is None
    assert target_words(None, 1250) == "cannot be judged against"
    assert math.isnan(printed_ratio(None))


@given(
    value=st.floats(min_value=1, max_value=100_000, allow_nan=False),
    target=st.integers(min_value=100, max_value=5_000),
)
def test_the_verdict_always_agrees_with_the_printed_ratio(value, target):
    text = format_ratio(value, target=target)
    shown = float(text.removeprefix("1:").replace(",", ""))
    assert meets_target(value, target) == (shown <= target)


@pytest.mark.parametrize(
    ("change", "unit", "words", "signed", "arrow"),
    [
        (2.105, "%", "up 2.1%", "+2.1%", "\u25b2"),
        (-1.993, "%", "down 2.0%", "-2.0%", "\u25bc"),
        (0.04, "%", "about the same", "0.0%", "\u25ba"),  # prints as 0.0%: never "up"
        (-0.05001, "%", "down 0.1%", "-0.1%", "\u25bc"),
        (1.51, "percentage points", "up 1.5 percentage points", "+1.5 percentage points", "\u25b2"),
        (-5, "returns", "down 5 returns", "-5 returns", "\u25bc"),
        (1, "returns", "up 1 return", "+1 return", "\u25b2"),
        (float("nan"), "%", "no comparison", "no comparison", ""),
    ],
)
def test_changes_are_judged_as_printed(change, unit, words, signed, arrow):
    judged = judge_change(change, unit)
    assert (judged.words, judged.signed, judged.arrow) == (words, signed, arrow)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_the_arrow_and_the_word_follow_the_printed_change(change):
    judged = judge_change(change, "%")
    printed = float(judged.signed.rstrip("%").replace(",", ""))
    assert judged.direction == ("up" if printed > 0 else "down" if printed < 0 else "same")
    assert judged.words.startswith({"up": "up", "down": "down", "same": "about"}[judged.direction])


def test_better_and_worse_only_where_policy_sets_a_direction():
    assert policy_verdict("down", "lower") == "better"
    assert policy_verdict("up", "lower") == "worse"
    assert policy_verdict("same", "lower") == ""
    assert policy_verdict("up", "") == policy_verdict("down", "") == ""

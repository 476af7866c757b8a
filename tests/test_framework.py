"""QIOF domain: outcomes, level parsing, the score encoding and its ordering."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis.framework import OUTCOMES, SUBLEVEL_OFFSET, from_score, outcome, parse_sublevel

ACCEPTED = [
    (2.0, (2, None)),  # a float cell from Excel (2 and 2.0 are one dict key, so it is listed here)
]
ACCEPTED_TEXT = {
    "2": (2, None),
    "2.0": (2, None),
    2: (2, None),
    "0": (0, None),
    "Level 2": (2, None),
    "L2": (2, None),
    "  level   4 ": (4, None),
    "2 - High": (2, "High"),
    "Level 2 \u2013 High": (2, "High"),
    "Level 2 \u2014 high": (2, "High"),
    "2 High": (2, "High"),
    "2H": (2, "High"),
    "1M": (1, "Medium"),
    "3L": (3, "Low"),
    "2 (medium)": (2, "Medium"),
    "level 3 low": (3, "Low"),
    "L1 med": (1, "Medium"),
}


@pytest.mark.parametrize(("value", "expected"), ACCEPTED + list(ACCEPTED_TEXT.items()))
def test_parse_level_accepts_export_notations(value, expected):
    assert qa.parse_level(value) == expected


@pytest.mark.parametrize(
    "value", [None, "", "   ", "N/A", "n/a", "NA", "Not submitted", float("nan")]
)
def test_missing_means_none_never_zero(value):
    assert qa.parse_level(value) == (None, None)


@pytest.mark.parametrize(
    "value", ["5", "-1", "2 Very high", "three", "2.5", 5, -1, 2.5, True, "L", "2HH"]
)
def test_parse_level_rejects_and_quotes_the_value(value):
    with pytest.raises(qa.QioLevelError) as info:
        qa.parse_level(value)
    assert repr(value) in str(info.value)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, qa.QioError)


def test_bare_sublevel_only_in_a_sublevel_column():
    assert qa.parse_level("High", sublevel_column=True) == (None, "High")
    assert qa.parse_level(" m ", sublevel_column=True) == (None, "Medium")
    assert qa.parse_level("", sublevel_column=True) == (None, None)
    with pytest.raises(qa.QioLevelError):
        qa.parse_level("High")
    with pytest.raises(qa.QioLevelError):
        parse_sublevel("Very high")


def test_score_encoding_by_hand():
    assert qa.score(0) == 0.0
    assert qa.score(2) == 2.0
    assert qa.score(2, "Low") == 2.25
    assert qa.score(2, "Medium") == 2.5
    assert qa.score(2, "High") == 2.75
    assert qa.score(4, "High") == 4.75
    assert math.isnan(qa.score(None))
    with pytest.raises(qa.QioLevelError):
        qa.score(None, "High")
    with pytest.raises(qa.QioLevelError):
        qa.score(5)


def test_outcomes_are_the_six_of_the_2019_edition():
    assert [o.number for o in OUTCOMES] == [1, 2, 3, 4, 5, 6]
    assert outcome(6).text == (
        "Library and knowledge specialists demonstrate that their services make a positive "
        "impact on healthcare."
    )
    assert all(o.short and len(o.short) <= 22 for o in OUTCOMES)
    with pytest.raises(qa.QioLevelError):
        outcome(7)


levels = st.sampled_from(qa.LEVELS)
sublevels = st.sampled_from([None, *qa.SUBLEVELS])
PLAIN = ["{l}", "Level {l}", "L{l}", "{l}.0"]
WITH_SUB = [
    "{l} - {s}",
    "Level {l} \u2013 {s}",
    "Level {l} \u2014 {s}",
    "{l} {s}",
    "{l}{s1}",
    "{l} ({sl})",
    "level {l} {sl}",
]


@given(levels, sublevels, st.integers(0, 99), st.sampled_from([str.lower, str.upper, str.title]))
def test_any_notation_round_trips(level, sub, pick, case):
    choices = PLAIN if sub is None else WITH_SUB
    notation = choices[pick % len(choices)]
    text = notation.format(l=level, s=sub, s1=(sub or "")[:1], sl=(sub or "").lower())
    assert qa.parse_level("  " + case(text) + " ") == (level, sub)


@given(levels, sublevels)
def test_score_round_trips_through_from_score(level, sub):
    assert from_score(qa.score(level, sub)) == (level, sub)
    assert qa.parse_level(qa.format_level(level, sub).replace("(", "").replace(")", "")) == (
        level,
        sub,
    )


@given(st.lists(st.tuples(levels, sublevels), min_size=2, max_size=20))
def test_score_order_is_total_and_monotonic(pairs):
    rank = {None: 0, "Low": 1, "Medium": 2, "High": 3}
    by_meaning = sorted(pairs, key=lambda p: (p[0], rank[p[1]]))
    by_score = sorted(pairs, key=lambda p: qa.score(*p))
    assert [qa.score(*p) for p in by_meaning] == [qa.score(*p) for p in by_score]
    for a in pairs:
        for b in pairs:
            if (a[0], rank[a[1]]) < (b[0], rank[b[1]]):
                assert qa.score(*a) < qa.score(*b)
            if a == b:
                assert qa.score(*a) == qa.score(*b)


def test_sublevel_offsets_stay_inside_the_level():
    assert all(0 <= off < 1 for off in SUBLEVEL_OFFSET.values())

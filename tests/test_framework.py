"""QIOF domain: outcomes, level parsing, the score encoding and its ordering, comparing two levels."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis.framework import (
    OUTCOMES,
    SUBLEVEL_OFFSET,
    LevelComparison,
    compare_levels,
    compare_levels_frame,
    from_score,
    outcome,
    parse_sublevel,
)

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


# --------------------------------------------------------------------- comparing two levels

NC = "same level; sub-level not comparable"
#: Every pair of sub-levels (none, Low, Medium, High) on the same level, worked by hand:
#: (from sub-level, to sub-level, status, sub-level change in steps).
SAME_LEVEL_PAIRS = [
    (None, None, "same level", None),
    (None, "Low", NC, None),
    (None, "Medium", NC, None),
    (None, "High", NC, None),
    ("Low", None, NC, None),
    ("Low", "Low", "same level", 0),
    ("Low", "Medium", "same level; sub-level up", 1),
    ("Low", "High", "same level; sub-level up", 2),
    ("Medium", None, NC, None),
    ("Medium", "Low", "same level; sub-level down", -1),
    ("Medium", "Medium", "same level", 0),
    ("Medium", "High", "same level; sub-level up", 1),
    ("High", None, NC, None),
    ("High", "Low", "same level; sub-level down", -2),
    ("High", "Medium", "same level; sub-level down", -1),
    ("High", "High", "same level", 0),
]
SUBS = [None, "Low", "Medium", "High"]


@pytest.mark.parametrize("level", [0, 3, 4])
@pytest.mark.parametrize(("first", "second", "status", "steps"), SAME_LEVEL_PAIRS)
def test_every_sub_level_pair_on_the_same_level(level, first, second, status, steps):
    assert compare_levels(level, first, level, second) == LevelComparison(0, steps, status)


@pytest.mark.parametrize("first", SUBS)
@pytest.mark.parametrize("second", SUBS)
def test_different_levels_are_whole_level_moves_whatever_the_sub_levels(first, second):
    # Level 3 to Level 4 is up one level, even from 3 High to 4 Low; sub-levels are not counted.
    assert compare_levels(3, first, 4, second) == LevelComparison(1, None, "up")
    assert compare_levels(3, first, 1, second) == LevelComparison(-2, None, "down")
    assert compare_levels(0, first, 4, second).level_change == 4


def test_no_level_on_either_side_is_not_comparable():
    for pair in [(None, None, 2, "Low"), (2, "High", None, None), (None, None, None, None)]:
        result = compare_levels(*pair)
        assert (result.level_change, result.sublevel_change) == (None, None)
        assert result.status == "not comparable" and result.direction is None
    assert compare_levels(float("nan"), None, 2, None).status == "not comparable"


def test_bad_values_are_refused():
    with pytest.raises(qa.QioLevelError, match="needs a level"):
        compare_levels(None, "Low", 2, None)
    with pytest.raises(qa.QioLevelError, match="not a QIOF level"):
        compare_levels(5, None, 2, None)
    with pytest.raises(qa.QioLevelError, match="not a sub-level"):
        compare_levels(2, "Top", 2, None)
    with pytest.raises(qa.QioLevelError, match="needs a level"):
        compare_levels_frame([None], ["Low"], [2], [None])
    with pytest.raises(qa.QioLevelError, match="not a sub-level"):
        compare_levels_frame([2], ["Top"], [2], [None])


maybe_levels = st.one_of(st.none(), st.tuples(levels, sublevels))


def _parts(value):
    return (None, None) if value is None else value


@given(maybe_levels, maybe_levels)
def test_comparison_is_antisymmetric_and_follows_the_whole_level(a, b):
    forward, backward = (
        compare_levels(*_parts(a), *_parts(b)),
        compare_levels(*_parts(b), *_parts(a)),
    )
    mirror = {
        "up": "down",
        "down": "up",
        "same level; sub-level up": "same level; sub-level down",
        "same level; sub-level down": "same level; sub-level up",
    }
    assert backward.status == mirror.get(forward.status, forward.status)
    if forward.level_change is None:
        assert backward.level_change is None and (a is None or b is None)
    else:
        assert backward.level_change == -forward.level_change
        # The whole-level direction is the sign of the level difference, whatever the sub-levels.
        assert forward.direction == (b[0] > a[0]) - (b[0] < a[0])
        assert (forward.status == "up") == (b[0] > a[0])
        assert (forward.status == "down") == (b[0] < a[0])
    if forward.sublevel_change is not None:
        assert backward.sublevel_change == -forward.sublevel_change
        assert a[0] == b[0] and a[1] is not None and b[1] is not None


@settings(deadline=None)  # the first example pays for importing pandas
@given(st.lists(st.tuples(maybe_levels, maybe_levels), max_size=30))
def test_the_frame_form_agrees_with_one_pair_at_a_time(pairs):
    import pandas as pd

    parts = [(*_parts(a), *_parts(b)) for a, b in pairs]
    columns = list(zip(*parts, strict=True)) if parts else [[], [], [], []]
    frame = compare_levels_frame(*(pd.Series(c, dtype=object) for c in columns))
    assert len(frame) == len(pairs)
    for row, values in zip(frame.itertuples(index=False), parts, strict=True):
        one = compare_levels(*values)
        assert row.comparison == one.status
        assert (None if pd.isna(row.level_change) else row.level_change) == one.level_change
        assert (
            None if pd.isna(row.sublevel_change) else row.sublevel_change
        ) == one.sublevel_change

"""Changes in a reader's words: whole levels first, both levels named, never a fractional level."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis import words


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ((3, None, 4, "High"), "up one level, from Level 3 to Level 4 (High)"),
        ((3, "High", 4, "Low"), "up one level, from Level 3 (High) to Level 4 (Low)"),
        ((0, None, 4, None), "up four levels, from Level 0 to Level 4"),
        ((4, "Low", 1, "High"), "down three levels, from Level 4 (Low) to Level 1 (High)"),
        ((3, None, 3, None), "stayed at Level 3"),
        ((3, "Medium", 3, "Medium"), "stayed at Level 3 (Medium)"),
        ((3, "Low", 3, "High"), "same level, sub-level up from Level 3 (Low) to Level 3 (High)"),
        (
            (2, "High", 2, "Medium"),
            "same level, sub-level down from Level 2 (High) to Level 2 (Medium)",
        ),
        (
            (3, None, 3, "Medium"),
            "same level, from Level 3 to Level 3 (Medium); sub-level not comparable",
        ),
        (
            (3, "Low", 3, None),
            "same level, from Level 3 (Low) to Level 3; sub-level not comparable",
        ),
        ((None, None, 2, None), "not comparable, from no level to Level 2"),
    ],
)
def test_level_change_words_by_hand(parts, text):
    assert words.level_change_words(*parts) == text


def test_missing_level_word_can_be_chosen():
    assert words.level_change_words(2, None, None, None, missing="not validated") == (
        "not comparable, from Level 2 to not validated"
    )


level = st.one_of(
    st.none(), st.tuples(st.sampled_from(qa.LEVELS), st.sampled_from([None, *qa.SUBLEVELS]))
)


@given(level, level)
def test_words_follow_the_whole_level_and_never_print_a_fraction(a, b):
    a_, b_ = a or (None, None), b or (None, None)
    text = words.level_change_words(*a_, *b_)
    assert not re.search(r"\d\.\d", text)
    if a is None or b is None:
        assert text.startswith("not comparable")
    elif b[0] > a[0]:
        assert text.startswith("up ")
    elif b[0] < a[0]:
        assert text.startswith("down ")
    else:
        assert text.startswith(("stayed at", "same level"))


def test_moved_words_and_gaps():
    assert words.moved_words(3, 0, 6) == "up on 3 of 6 outcomes"
    assert words.moved_words(1, 2, 5) == "up on 1 and down on 2 of 5 comparable outcomes"
    assert words.moved_words(0, 0, 6) == "same level on all 6 outcomes"
    assert words.level_gap_words(-2) == "two levels below"

"""Words for the regional, validation and improvement pages: kinds of change, ties, headers."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from qio_analysis import words
from qio_analysis.report.display import table_html

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def test_levels_and_sub_levels_are_said_apart():
    counts = {
        "compared": 192,
        "changed": 31,
        "level lowered": 19,
        "level raised": 0,
        "sub-level lowered": 12,
        "sub-level raised": 0,
        "sub-level not comparable": 10,
    }
    said = words.adjustments_sentence(counts, "North West")
    assert "31 of the 192" in said and "(16%)" in said  # 31 / 192 = 16.1%
    assert "19 levels lowered and 0 raised; 12 sub-levels lowered and 0 raised" in said
    assert "On 10 more" in said


def test_ties_are_named_as_ties():
    assert words.tie_words(["3", "4", "5", "6"], "44%", "outcome") == (
        "outcomes 3, 4, 5 and 6, each 44%"
    )
    assert words.tie_words(["4 (Skill mix)"], "44%", "outcome") == "outcome 4 (Skill mix), 44%"


def test_report_tables_are_headed_in_words():
    frame = pd.DataFrame({"n_compared": [3], "pct_improved": [50.0], "region": ["London"]})
    page = table_html(frame)
    heads = re.findall(r"<th[^>]*>(.*?)</th>", page)
    assert heads == ["Organisations compared", "Improved (%)", "Region"]


@given(st.from_regex(r"[a-z]{1,8}(_[a-z]{1,8}){1,3}", fullmatch=True))
def test_no_header_is_left_a_column_name(name):
    said = words.header_words(name)
    assert not SNAKE.match(said) and "_" not in said


def test_long_names_are_shortened_at_a_word():
    name = "Long Name " * 19  # 190 characters
    short = words.short_name(name.strip(), 48)
    assert len(short) <= 48 and short.endswith("\u2026") and short.startswith("Long Name")

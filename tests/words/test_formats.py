"""One formatter per kind of number: the forms a reader sees, worked out by hand."""

from __future__ import annotations

import math

import pandas as pd

from qio_analysis import words


def test_each_kind_of_number_has_its_form():
    assert words.format_ratio(1249.6) == "1:1,250"
    assert words.format_money(67_267_023) == "£67.3m"
    assert words.format_wte(1703.25) == "1,703.2"  # round half to even at one decimal
    assert words.format_count(64_449.0) == "64,449"
    assert words.format_percent(65.94) == "65.9%"
    assert words.format_signed(-0.25) == "-0.25"
    assert words.format_change(1.51, "percentage points") == "+1.5 percentage points"


def test_missing_numbers_are_words_never_nan():
    for missing in (None, math.nan, pd.NA):
        assert words.format_value(missing, "ratio") == "not reported"
        assert words.format_change(missing, "%") == "no comparison"
    assert words.format_ratio(None, missing="cannot be calculated") == "cannot be calculated"


def test_a_ratio_is_printed_precisely_enough_for_its_target():
    assert words.format_ratio(1250.4) == "1:1,250"  # no target: whole numbers
    assert words.format_ratio(1250.4, target=1250) == "1:1,250.4"
    assert words.format_value(1250.4, "ratio", target=1250) == "1:1,250.4"
    assert words.format_change(0.04, "%") == "0.0%"  # judged as printed: about the same

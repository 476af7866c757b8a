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


def test_plotly_formats_print_what_format_value_prints():
    # The tiles draw numbers with plotly's d3 formats; the tables and alt text with format_value.
    for unit, value, shown in [("ratio", 1621.47, "1:1,621"), ("gbp", 67_267_023.0, "£67.3m")]:
        fmt, affixes, scale = words.PLOTLY_FORMATS[unit]
        body = format(value * scale, fmt)
        assert affixes.get("prefix", "") + body + affixes.get("suffix", "") == shown
        assert words.format_value(value, unit) == shown

"""Colours, contrast, template and figure metadata."""

from __future__ import annotations

import itertools

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from qio_analysis import figures as f
from qio_analysis.figures.template import contrast_ratio, finish, relative_luminance, text_colour_on


def _lightness(colour: str) -> float:
    y = relative_luminance(colour)
    return 116 * y ** (1 / 3) - 16


def test_data_colours_have_at_least_3_to_1_contrast_on_white():
    for colour in (*f.LEVEL_COLOURS, *f.SERIES_COLOURS):
        assert f.contrast_ratio(colour) >= 3.0, colour


def test_level_palette_is_ordinal_by_lightness_for_colour_blind_readers():
    lightness = [_lightness(c) for c in f.LEVEL_COLOURS]
    assert len(lightness) == 5
    steps = [a - b for a, b in itertools.pairwise(lightness)]
    assert all(step >= 9 for step in steps), steps  # monotonic, clearly separated in greyscale


def test_labels_on_every_level_colour_meet_wcag_aa_for_small_text():
    # Hand-checked: level 1 (#2E78C4) gives white 4.57:1; the earlier #2F7AC8 gave 4.43:1.
    for colour in f.LEVEL_COLOURS:
        assert contrast_ratio(text_colour_on(colour), colour) >= 4.5, colour
    assert round(f.contrast_ratio("#FFFFFF", f.LEVEL_COLOURS[1]), 2) == 4.57


def test_contrast_ratio_known_values():
    assert round(f.contrast_ratio("#000000"), 1) == 21.0
    assert round(f.contrast_ratio("#005EB8"), 2) == 6.38  # NHS Blue


def test_template_uses_nhs_colours_and_is_not_the_global_default():
    assert list(f.NHS_TEMPLATE.layout.colorway) == list(f.SERIES_COLOURS)
    assert f.NHS_TEMPLATE.layout.colorway[0] == "#005EB8"
    assert "Arial" in f.NHS_TEMPLATE.layout.font.family
    assert pio.templates.default != f.NHS_TEMPLATE


def test_finish_stores_alt_text_and_table_and_wraps_long_titles():
    fig = finish(
        go.Figure(go.Bar(x=[1], y=["a"])),
        title="A headline that is long enough to need wrapping onto a second line of the title area",
        alt_text="Bar chart of one thing.",
        table=pd.DataFrame({"thing": ["a"], "value": [1.5], "missing": [None]}),
    )
    assert "<br>" in fig.layout.title.text
    assert f.figure_alt_text(fig) == "Bar chart of one thing."
    table = f.figure_table(fig)
    assert table.to_dict("records") == [{"thing": "a", "value": 1.5, "missing": None}]


def test_empty_figure_explains_itself():
    fig = f.empty_figure("Nothing to show for Atlantis.")
    assert fig.layout.annotations[0].text == "Nothing to show for Atlantis."
    assert f.figure_alt_text(fig) == "Nothing to show for Atlantis."
    assert len(fig.data) == 0

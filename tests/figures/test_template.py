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


def test_make_figure_finishes_with_the_words_and_the_shared_steps():
    from plotly.subplots import make_subplots

    from qio_analysis.figures.template import make_figure, per_row_height
    from qio_analysis.words.chart_words import ChartWords

    fig = make_subplots(rows=1, cols=2, shared_yaxes=True)
    for col in (1, 2):
        fig.add_trace(go.Scatter(x=[1, 2], y=["Ashby", "Bury"]), row=1, col=col)
    made = make_figure(
        fig,
        ChartWords("Two organisations", "Dot plot of two organisations."),
        pd.DataFrame({"name": ["Ashby", "Bury"]}),
        xaxes={"range": [0, 4]},
        yaxes={"autorange": "reversed"},
        row_labels=["Ashby", "Bury"],
        legend="bottom",
        fitted_height=per_row_height(2, row_px=24, room=190),
        rows=2,
    )
    assert made.layout.title.text == "Two organisations"
    assert f.figure_alt_text(made) == "Dot plot of two organisations."
    assert f.figure_table(made)["name"].tolist() == ["Ashby", "Bury"]
    # Every panel's axes, not just the first.
    assert list(made.layout.xaxis2.range) == [0, 4]
    assert made.layout.yaxis2.autorange == "reversed"
    assert list(made.layout.yaxis.tickvals) == ["Ashby", "Bury"]
    assert made.layout.legend.orientation == "h" and made.layout.margin.b == 80
    assert made.layout.height == 190 + 2 * 24 and made.layout.meta["rows"] == 2


def test_make_figure_gives_the_callers_title_and_size_precedence():
    from qio_analysis.figures.template import make_figure
    from qio_analysis.words.chart_words import ChartWords

    made = make_figure(
        go.Figure(go.Bar(x=[1], y=["a"])),
        ChartWords("Default headline", "Bar chart."),
        pd.DataFrame({"a": [1]}),
        title="My headline",
        fitted_height=400,
        height=250,
    )
    assert made.layout.title.text == "My headline"
    assert made.layout.height == 250
    assert made.layout.legend.orientation is None  # no legend placed unless asked


def test_shared_figure_pieces():
    from qio_analysis.figures.template import HOVER_TEXT, org_names, per_row_height, percent_axis

    assert per_row_height(0, row_px=30, room=190, least=320) == 320
    assert per_row_height(10, row_px=30, room=190, least=320) == 490
    assert org_names(["A & B <Trust>"], ["ZA01"]) == ["A & B <Trust> (ZA01)"]  # escaped later
    assert percent_axis(range=[0, 50])["range"] == [0, 50]
    assert HOVER_TEXT == "%{text}<extra></extra>"

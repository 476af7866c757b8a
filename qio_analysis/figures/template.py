"""One shared plotly template in NHS identity colours, and accessibility helpers.

The layout defaults come from ``afcharts``, the Analysis Function's plotly
template (large type, light gridlines, left-aligned titles, no zoom); we swap
in NHS identity colours. Every data colour has at least 3:1 contrast with the
white background, and the ordinal level palette is one hue getting darker
(lightness steps of 9 L* or more), so it reads in greyscale and for
colour-blind readers. Colour is never the only carrier of meaning: figures
also use labels, line dashes and marker symbols.

Each figure carries its alt text and the data behind it in ``layout.meta``
(``figure_alt_text`` and ``figure_table`` read them back).

Every ``fig_*`` has one skeleton, as plotly express sends every ``px.*``
through ``make_figure``: it returns :func:`empty_figure` when there is nothing
to draw, prepares its data (analysis lives in ``metrics/``), adds its traces,
asks ``words/`` for its headline title and alt text (a :class:`ChartWords`),
builds its data table, and hands the rest to :func:`make_figure`::

    def fig_thing(df, *, title=None, **layout):
        if df.empty:
            return empty_figure("Nothing to show.", **layout)
        fig = go.Figure([go.Bar(x=df["n"], y=df["name"], orientation="h")])
        return make_figure(
            fig,
            thing_words(df),                    # ChartWords(title, alt_text), from words/
            table=df[["name", "n"]],
            title=title,                        # the caller's title wins over the words'
            yaxes={"autorange": "reversed"},
            row_labels=df["name"].tolist(),     # every category labelled
            legend="bottom",
            fitted_height=per_row_height(len(df), row_px=24, room=190),
            rows=len(df),                       # height per row, kept on paper
            **layout,
        )

:func:`make_figure` applies the template, the wrapped title, the alt text, the
data table, the legend at the foot, the category ticks and the print sizing
(through :func:`finish`, which older callers still use directly).
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict, Unpack

import afcharts.pio_template  # noqa: F401  (registers the "afcharts" template)
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from qio_analysis.framework import LEVELS
from qio_analysis.text import escape_html
from qio_analysis.words import short_name
from qio_analysis.words.chart_words import ChartWords

NHS_COLOURS: dict[str, str] = {
    "blue": "#005EB8",
    "dark_blue": "#003087",
    "bright_blue": "#0072CE",
    "dark_grey": "#425563",
    "mid_grey": "#768692",
    "pale_grey": "#E8EDEE",
    "purple": "#330072",
    "dark_pink": "#7C2855",
    "pink": "#AE2573",
    "dark_red": "#8A1538",
    "red": "#DA291C",
    "dark_green": "#006747",
    "black": "#231F20",
    "white": "#FFFFFF",
}

#: Ordinal level colours, level 0 to 4: a blue ramp from grey-blue to navy, each at least
#: 3:1 on white and at least 9 L* darker than the one before. Labels drawn on a level take
#: black or white (:func:`text_colour_on`), at least 4.5:1 on every level: level 1's blue
#: is the lightest that still gives white 12 px text 4.5:1.
LEVEL_COLOURS: tuple[str, ...] = ("#8494A4", "#2E78C4", "#005EB8", "#003087", "#0B1F4F")

#: Axis and colour-bar labels of the five levels.
LEVEL_TICKS: list[str] = [f"Level {lv}" for lv in LEVELS]

#: Categorical series colours, each at least 3:1 on white.
SERIES_COLOURS: tuple[str, ...] = (
    NHS_COLOURS["blue"],
    NHS_COLOURS["pink"],
    NHS_COLOURS["dark_green"],
    NHS_COLOURS["purple"],
    NHS_COLOURS["red"],
    NHS_COLOURS["dark_grey"],
    NHS_COLOURS["dark_red"],
    NHS_COLOURS["bright_blue"],
)

FONT_FAMILY = "Arial, 'Helvetica Neue', Helvetica, sans-serif"
BASE_SIZE = 16


def _template() -> go.layout.Template:
    base = pio.templates["afcharts"].to_plotly_json()
    template = go.layout.Template(base)
    template.layout.update(
        font={"family": FONT_FAMILY, "size": BASE_SIZE, "color": NHS_COLOURS["black"]},
        title={
            "font": {"size": 21, "color": NHS_COLOURS["black"]},
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 0.98,
            "yref": "container",
            "yanchor": "top",
        },
        colorway=list(SERIES_COLOURS),
        hovermode="closest",
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"font": {"size": 14}, "itemclick": "toggle"},
        hoverlabel={"font_size": 14},
    )
    template.layout.xaxis.tickfont.size = 14
    template.layout.yaxis.tickfont.size = 14
    return template


#: The template object. It is passed to figures explicitly and never set as
#: plotly's global default, so importing this package changes no global state.
NHS_TEMPLATE: go.layout.Template = _template()


#: Modebar buttons no chart shows: the cloud upload ("Share chart...", under
#: its plotly.js 3+ name and its old one) and the selection tools, which do
#: nothing useful on these charts.
_REMOVED_BUTTONS: tuple[str, ...] = (
    "sendChartToCloud",
    "sendDataToCloud",
    "editInChartStudio",
    "select2d",
    "lasso2d",
)


def plotly_config() -> dict[str, Any]:
    """The one plotly.js config every drawing path uses (a fresh copy on each call).

    Reports (``render.js``), notebooks in JupyterLab (the plotly mime bundle's
    ``config``), the explorer and image export all take it from here, so no
    chart can offer to upload its data: the "Share chart" button is switched
    off, removed by name, and has no server to send to.

    >>> config = plotly_config()
    >>> config["showSendToCloud"], config["plotlyServerURL"], config["displaylogo"]
    (False, '', False)
    """
    return {
        "showSendToCloud": False,
        "plotlyServerURL": "",
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": list(_REMOVED_BUTTONS),
    }


def patterned_marker(colour: str, shape: str) -> dict[str, Any]:
    """A bar marker filled with ``colour`` and a white ``shape`` pattern, so colour is never the only cue."""
    return {
        "color": colour,
        "pattern": {"shape": shape, "fgcolor": "white", "size": 6, "fillmode": "overlay"},
        "line": {"color": "white", "width": 1},
    }


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(first: str, second: str = "#FFFFFF") -> float:
    """WCAG contrast ratio between two colours (1 to 21).

    >>> round(contrast_ratio("#005EB8"), 2)
    6.38
    """
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    dark = NHS_COLOURS["black"]
    return (
        dark
        if contrast_ratio(dark, background) >= contrast_ratio("#FFFFFF", background)
        else "#FFFFFF"
    )


def with_alpha(colour: str, alpha: float) -> str:
    """``rgba()`` form of a hex colour (for fills and Sankey links)."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def cell_labels(
    x: Sequence[object], y: Sequence[object], text: list[str], colours: list[str], size: int = 12
) -> go.Scatter:
    """A text-only trace labelling heatmap cells, each in its own readable colour.

    Heatmaps take one text colour per trace; this overlay gives every cell the
    colour that contrasts with its fill, so the value is readable, not just coloured.
    """
    return go.Scatter(
        x=x,
        y=y,
        mode="text",
        text=text,
        textfont={"color": colours, "size": size},
        hoverinfo="skip",
        showlegend=False,
    )


class FigureLayout(TypedDict, total=False):
    """The keywords every ``fig_*`` function shares, as in plotly express.

    ``height`` and ``width`` in pixels (by default the height fits the
    figure's content and the width the page); ``template`` a plotly template
    or a registered template's name (by default :data:`NHS_TEMPLATE`).
    """

    height: int
    width: int
    template: go.layout.Template | str


def finish(
    fig: go.Figure,
    *,
    title: str,
    alt_text: str,
    table: pd.DataFrame,
    fitted_height: int | None = None,
    rows: int | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Apply the template, headline title, alt text, data table and size to a figure.

    Long titles are wrapped onto extra lines and the top margin grows to fit.
    ``fitted_height`` is the height that fits the figure's content; a
    ``height`` among the caller's ``layout`` keywords wins over it. ``rows``
    marks a chart with one labelled row per organisation: its height is per
    row, so printing keeps it (``meta.rows``, read by the reports'
    ``render.js``) rather than shortening it until row labels are dropped.
    """
    unknown = sorted(set(layout) - set(FigureLayout.__annotations__))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {', '.join(unknown)}")
    lines = textwrap.wrap(title, TITLE_WIDTH, break_long_words=False) or [""]
    height, width = layout.get("height") or fitted_height, layout.get("width")
    sizes = {key: value for key, value in (("height", height), ("width", width)) if value}
    fig.update_layout(
        template=layout.get("template") or NHS_TEMPLATE,
        title={"text": "<br>".join(lines)},
        margin={"t": 40 + 28 * len(lines) + _legend_room(fig)},
        meta={
            "alt_text": alt_text,
            "table": json.loads(table.to_json(orient="split", index=False)),
            **({"rows": rows} if rows else {}),
        },
        # One update: each update_layout call costs about a millisecond.
        **sizes,
    )
    return fig


TITLE_WIDTH = 78

#: A hover template's tail: no trace name in the hover box.
NO_TRACE_NAME = "<extra></extra>"

#: The hover template of a trace whose ``text`` is its whole hover text.
HOVER_TEXT = "%{text}" + NO_TRACE_NAME


def make_figure(
    fig: go.Figure,
    words: ChartWords,
    table: pd.DataFrame,
    *,
    title: str | None = None,
    xaxes: Mapping[str, object] | None = None,
    yaxes: Mapping[str, object] | None = None,
    row_labels: Sequence[str] | None = None,
    legend: Literal["bottom"] | None = None,
    fitted_height: int | None = None,
    rows: int | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """The one finish of every ``fig_*`` (see the module's docstring for the whole skeleton).

    ``words`` is the chart's :class:`ChartWords` (its default headline title and
    its alt text, from ``words/``); a ``title`` given by the caller wins. The
    steps several figures share are keywords: ``xaxes`` and ``yaxes`` update
    every x or y axis (all panels of a subplot figure), ``row_labels`` labels
    every category of the y axis in that order (:func:`every_category_tick`),
    ``legend="bottom"`` puts the legend along the foot (:func:`bottom_legend`).
    The rest is :func:`finish`: template, wrapped title, alt text, data table,
    fitted height, ``rows`` for per-row print sizing, and the caller's layout.

    >>> fig = make_figure(
    ...     go.Figure(go.Bar(x=[2], y=["Ashby"], orientation="h")),
    ...     ChartWords("Ashby has two", "Bar chart: Ashby 2."),
    ...     pd.DataFrame({"name": ["Ashby"], "n": [2]}),
    ...     yaxes={"autorange": "reversed"},
    ...     legend="bottom",
    ...     fitted_height=per_row_height(1, row_px=30, room=190),
    ... )
    >>> fig.layout.title.text, figure_alt_text(fig), fig.layout.height, fig.layout.legend.orientation
    ('Ashby has two', 'Bar chart: Ashby 2.', 220, 'h')
    """
    if xaxes:
        fig.update_xaxes(**xaxes)
    if yaxes:
        fig.update_yaxes(**yaxes)
    if row_labels is not None:
        every_category_tick(fig, list(row_labels))
    if legend == "bottom":
        bottom_legend(fig)
    heading, alt_text = words
    return finish(
        fig,
        title=heading if title is None else title,
        alt_text=alt_text,
        table=table,
        fitted_height=fitted_height,
        rows=rows,
        **layout,
    )


def per_row_height(n_rows: int, *, row_px: int, room: int, least: int = 0) -> int:
    """The height that fits ``n_rows`` rows of ``row_px`` pixels and ``room`` for the rest
    (title, axes, legend), at least ``least``.

    >>> per_row_height(3, row_px=24, room=190), per_row_height(1, row_px=30, room=190, least=320)
    (262, 320)
    """
    return max(room + row_px * n_rows, least)


def org_names(names: Sequence[object], codes: Sequence[object]) -> list[str]:
    """Organisations as a data table names them: the full name, then the code in brackets.

    Unlike :func:`org_label` nothing is shortened or escaped (the table does both).

    >>> org_names(["Ashby NHS Trust"], ["ZA01"])
    ['Ashby NHS Trust (ZA01)']
    """
    return [f"{name} ({code})" for name, code in zip(names, codes, strict=True)]


def percent_axis(**more: object) -> dict[str, object]:
    """A 0-100% share axis, updated by ``more`` (its title, gridlines, ...).

    >>> percent_axis(title_text="Share")
    {'range': [0, 100], 'ticksuffix': '%', 'title_text': 'Share'}
    """
    return {"range": [0, 100], "ticksuffix": "%", **more}


def _legend_room(fig: go.Figure) -> int:
    legend = fig.layout.legend
    on_top = legend.orientation == "h" and legend.yanchor == "bottom" and (legend.y or 0) >= 1
    return 30 if on_top and fig.layout.showlegend is not False else 0


def bottom_legend(fig: go.Figure) -> go.Figure:
    """Horizontal legend along the foot of the figure (clear of titles and panels)."""
    fig.update_layout(**bottom_legend_layout())
    return fig


def note_above(fig: go.Figure, lines: list[str], *, yshift: int, size: int = 12) -> go.Figure:
    """Lines of plain text, escaped, left-aligned just above the plot area (keys and notes)."""
    fig.add_annotation(
        text="<br>".join(escape_html(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=yshift,
        align="left",
        showarrow=False,
        font={"size": size, "color": NHS_COLOURS["dark_grey"]},
    )
    return fig


def bottom_legend_layout() -> dict[str, object]:
    """The layout settings of :func:`bottom_legend`, for a figure built from a layout dict."""
    return {
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 0.005,
            "yanchor": "bottom",
            "x": 0,
        },
        "margin": {"b": 80},
    }


def plain(text: str) -> str:
    """Title text without markup, for alt text and tables."""
    return html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("  ", " ").strip()


#: Characters of an organisation's name a chart label shows; the data table has the full name.
ORG_LABEL_WIDTH = 56


def org_label(name: object, code: object, width: int = ORG_LABEL_WIDTH) -> str:
    """An organisation's chart label, escaped: its name, shortened at a word when long, and code.

    Real trust names run to nearly 200 characters; a label that long would be
    pushed outside the chart, so it is cut (the full name is in the table).

    >>> org_label("Ashby NHS Trust", "ZA01")
    'Ashby NHS Trust (ZA01)'
    >>> len(org_label("Long " * 40, "ZA02")) <= ORG_LABEL_WIDTH + len(" (ZA02)")
    True
    """
    return f"{escape_html(short_name(str(name), width))} ({escape_html(str(code))})"


def every_category_tick(fig: go.Figure, labels: list[str], axis: str = "yaxis") -> go.Figure:
    """Label every category on ``axis`` (all of them, in order), so that no label is dropped
    however short the chart is drawn: plotly otherwise skips alternate labels when they crowd."""
    fig.update_layout({axis: {"tickmode": "array", "tickvals": labels, "ticktext": labels}})
    return fig


def figure_alt_text(fig: go.Figure) -> str:
    """The alt text stored on a figure made by this package."""
    return str((fig.layout.meta or {}).get("alt_text", ""))


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """The data behind a figure made by this package, as a tidy table (the text alternative)."""
    meta: dict[str, Any] = fig.layout.meta or {}
    table = meta.get("table")
    if not table:
        return pd.DataFrame()
    return pd.DataFrame(table["data"], columns=table["columns"])


def empty_figure(
    message: str, *, title: str = "No data to show", **layout: Unpack[FigureLayout]
) -> go.Figure:
    """A figure that says clearly why there is nothing to draw (never a blank chart).

    >>> figure_alt_text(empty_figure("There are no statistics returns to show."))
    'There are no statistics returns to show.'
    """
    fig = go.Figure()
    fig.add_annotation(
        text=escape_html(message),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 18, "color": NHS_COLOURS["dark_grey"]},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(
        fig,
        title=title,
        alt_text=message,
        table=pd.DataFrame({"message": [message]}),
        fitted_height=300,
        **layout,
    )

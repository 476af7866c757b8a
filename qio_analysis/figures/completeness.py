"""Completeness chart: who has submitted and been validated, per region."""

from __future__ import annotations

from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import (
    NHS_COLOURS,
    NO_TRACE_NAME,
    FigureLayout,
    empty_figure,
    make_figure,
    patterned_marker,
    per_row_height,
    percent_axis,
    text_colour_on,
)
from qio_analysis.words.chart_completeness import (
    NO_ORGANISATIONS,
    completeness_words,
)
from qio_analysis.words.chart_groups import group_label

#: Each status's column, legend label, colour and pattern, in stacking order.
_STATUSES = (
    ("validated", "Validated", NHS_COLOURS["blue"], ""),
    ("awaiting_validation", "Awaiting validation", NHS_COLOURS["pink"], "/"),
    ("missing", "Not submitted", NHS_COLOURS["dark_grey"], "x"),
)


def _status_bars(df: pd.DataFrame, y: list[str]) -> list[go.Bar]:
    """One stacked bar segment per status: its share of the expected organisations, labelled with the count."""
    base = df["expected"].where(df["expected"] > 0)
    bars = []
    for column, label, colour, pattern in _STATUSES:
        counts = df[column].astype(int)
        share = (counts / base * 100).fillna(0)
        bars.append(
            go.Bar(
                x=share,
                y=y,
                orientation="h",
                name=label,
                marker=patterned_marker(colour, pattern),
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_colour_on(colour), "size": 12},
                customdata=list(zip(counts, df["expected"].astype(int), strict=True)),
                hovertemplate=f"%{{y}}: {label.lower()} %{{customdata[0]}} of %{{customdata[1]}}"
                + NO_TRACE_NAME,
            )
        )
    return bars


def fig_completeness(
    df: pd.DataFrame,
    *,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Organisations validated, awaiting validation and not submitted, per region (stacked bars).

    Takes :func:`~qio_analysis.metrics.completeness`. Every region has a bar
    label; a region with no submissions says so in words beside its bar.
    Segments differ by pattern as well as colour and are labelled with counts.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import completeness
    >>> from qio_analysis import examples
    >>> subs = examples.submission_statuses()
    >>> fig = fig_completeness(completeness(subs, None, 2025))
    >>> fig.layout.title.text
    '1 of 3 expected organisations have validated levels for 2025; 1 await<br>validation'
    >>> figure_table(fig).set_index("region").loc["Midlands", ["expected", "missing"]].tolist()
    [1, 1]
    """
    if df.empty:
        return empty_figure(NO_ORGANISATIONS, **layout)
    y = [group_label(r, n) for r, n in zip(df["region"], df["note"], strict=True)]
    fig = go.Figure(_status_bars(df, y))
    fig.update_layout(barmode="stack")
    table = df[
        ["region", "expected", "submitted", "validated", "awaiting_validation", "missing", "note"]
    ]
    return make_figure(
        fig,
        completeness_words(df),
        table.assign(note=table["note"].replace("", "submissions received")),
        title=title,
        xaxes=percent_axis(title_text="Share of expected organisations"),
        yaxes={"autorange": "reversed"},
        legend="bottom",
        fitted_height=per_row_height(len(df), row_px=44, room=200),
        **layout,
    )

"""The validators' heatmap: organisations against outcomes, coloured and labelled by level."""

from __future__ import annotations

import html
import textwrap
from typing import Any, Unpack

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from qio_analysis.errors import QioConfigError
from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    LEVEL_TICKS,
    NHS_COLOURS,
    FigureLayout,
    empty_figure,
    finish,
    text_colour_on,
)
from qio_analysis.framework import ASSESSMENT_LABELS, LEVELS, OUTCOME_SHORT, OUTCOMES
from qio_analysis.text import escape_html
from qio_analysis.words import NO_RETURN, NOT_VALIDATED, missing_as

#: The text colour readable on each level's fill.
TEXT_ON_LEVEL = [text_colour_on(c) for c in LEVEL_COLOURS]

#: Pixels per organisation row of the heatmap, and room for the title and the outcome labels.
HEATMAP_ROW_PX = 26
_HEATMAP_TOP_PX = 48  # two lines of outcome labels above the grid
_HEATMAP_BOTTOM_PX = 20


def _cell_borders(rows: int, columns: int) -> go.Scatter:
    """White lines between heatmap cells, as one path on hidden axes matching the grid."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for i in range(1, rows):
        xs += [-0.5, columns - 0.5, None]
        ys += [i - 0.5, i - 0.5, None]
    for j in range(1, columns):
        xs += [j - 0.5, j - 0.5, None]
        ys += [-0.5, rows - 0.5, None]
    return go.Scatter(
        x=xs,
        y=ys,
        xaxis="x2",
        yaxis="y2",
        mode="lines",
        line={"color": NHS_COLOURS["white"], "width": 2},
        hoverinfo="skip",
        showlegend=False,
    )


def _label_room(labels: list[str], size: int = 12) -> int:
    """Pixels for axis labels at ``size`` px Arial (a generous 0.55 em a character), 60-480."""
    longest = max((len(html.unescape(label)) for label in labels), default=0)
    return int(min(480, max(60, longest * size * 0.55 + 16)))


def fig_heatmap(
    df: pd.DataFrame,
    *,
    assessment: str = "validated",
    sort: str = "name",
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Organisations against outcomes, coloured and labelled by level (validators' view).

    Takes :func:`~qio_analysis.metrics.paired_levels` rows for one cycle
    (usually one region); only the outcomes present in ``pairs`` are drawn.
    Rows are sorted by organisation name (``sort="name"``) or by mean whole
    level, highest first (``sort="level"``; sub-levels do not count, as
    everywhere levels are compared). Each cell shows its level as text, so
    colour is not the only carrier.

    The labels are the heatmap traces' own cell text (``texttemplate``), not
    one text mark per cell, which plotly.js draws several times faster for a
    few hundred organisations: the first trace draws every cell and labels the
    cells whose text is white, a second one (same colours) overlays the
    cells that need dark text, and a pale trace labels cells without a level.
    The layout is in pixels (title, outcome labels, colour bar), so the grid
    starts just under the outcome labels however many rows there are.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import paired_levels
    >>> from qio_analysis import examples
    >>> subs = examples.four_organisations()
    >>> fig = fig_heatmap(paired_levels(subs, 2025))
    >>> print(figure_alt_text(fig))
    Heatmap of validated levels, 2025: 4 organisations in rows and outcome 1 in columns; each cell is labelled with its level and sub-level initial. 0 cells have no level.
    """
    if df.empty:
        return empty_figure("No organisation submitted levels for this selection.", **layout)
    if sort not in {"name", "level"}:
        raise QioConfigError(f"sort must be 'name' or 'level', not {sort!r}.")
    cycle = int(df["cycle"].iloc[0])
    orgs = (
        df[["org_code", "org_name"]]
        .drop_duplicates("org_code")
        .sort_values("org_name", kind="stable")
    )
    if sort == "level":
        mean = df.groupby("org_code")[f"{assessment}_level"].mean()
        orgs = orgs.assign(_mean=orgs["org_code"].map(mean).astype("float64")).sort_values(
            "_mean", ascending=False, kind="stable", na_position="last"
        )
    ylabels = [
        f"{escape_html(n)} ({c})" for c, n in zip(orgs["org_code"], orgs["org_name"], strict=True)
    ]
    outcomes = [o.number for o in OUTCOMES if o.number in set(df["outcome"].astype(int))]
    xlabels = [
        f"{n}: " + "<br>".join(textwrap.wrap(escape_html(OUTCOME_SHORT[n]), 12)) for n in outcomes
    ]
    codes = orgs["org_code"].tolist()
    level = df.pivot(index="org_code", columns="outcome", values=f"{assessment}_level").reindex(
        index=codes, columns=outcomes
    )
    sub = df.pivot(index="org_code", columns="outcome", values=f"{assessment}_sublevel").reindex(
        index=codes, columns=outcomes
    )
    values = level.to_numpy(dtype="float64", na_value=np.nan)
    initials = sub.astype(object).to_numpy()
    z = [[None if v != v else int(v) for v in row] for row in values]
    text = [
        [
            "no level" if v != v else f"{int(v)}" + ("" if s is None or s != s else f" {str(s)[0]}")
            for v, s in zip(row_values, row_subs, strict=True)
        ]
        for row_values, row_subs in zip(values, initials, strict=True)
    ]
    scale = []
    for lv, colour in zip(LEVELS, LEVEL_COLOURS, strict=True):
        scale += [[lv / 5, colour], [(lv + 1) / 5, colour]]
    # No xgap/ygap: plotly.js then paints one pixel per cell and scales it up, several times
    # faster than painting gapped bricks on a full-size canvas; white lines separate the cells.
    cells = {"x": xlabels, "y": ylabels, "texttemplate": "%{text}"}
    colours = sorted(set(TEXT_ON_LEVEL), key=TEXT_ON_LEVEL.index)

    def only(keep: Any, grid: list[list[Any]], empty: Any = None) -> list[list[Any]]:
        return [
            [g if keep(v) else empty for v, g in zip(zr, gr, strict=True)]
            for zr, gr in zip(z, grid, strict=True)
        ]

    def coloured(colour: str) -> Any:
        return lambda v: v is not None and TEXT_ON_LEVEL[v] == colour

    traces = [
        go.Heatmap(
            z=z,
            text=only(coloured(colours[0]), text, ""),
            textfont={"color": colours[0], "size": 12, "shadow": "none"},
            zmin=-0.5,
            zmax=4.5,
            colorscale=scale,
            colorbar={
                "tickvals": list(LEVELS),
                "ticktext": LEVEL_TICKS,
                "title": {"text": "Level"},
                "lenmode": "pixels",
                "len": min(300, HEATMAP_ROW_PX * len(codes) + 40),
                "y": 1,
                "yanchor": "top",
            },
            hovertemplate="%{y}<br>%{x}: Level %{z}<extra></extra>",
            **cells,
        )
    ]
    for colour in colours[1:]:
        keep = coloured(colour)
        if any(keep(v) for row in z for v in row):
            traces.append(
                go.Heatmap(
                    z=only(keep, z),
                    text=only(keep, text, ""),
                    textfont={"color": colour, "size": 12, "shadow": "none"},
                    zmin=-0.5,
                    zmax=4.5,
                    colorscale=scale,
                    showscale=False,
                    hoverinfo="skip",
                    **cells,
                )
            )
    if any(v is None for row in z for v in row):
        gaps = [[0 if v is None else None for v in row] for row in z]
        traces.append(
            go.Heatmap(
                z=gaps,
                text=only(lambda v: v is None, text, ""),
                textfont={"color": NHS_COLOURS["black"], "size": 12, "shadow": "none"},
                colorscale=[[0, NHS_COLOURS["white"]], [1, NHS_COLOURS["white"]]],
                showscale=False,
                hovertemplate="%{y}<br>%{x}: no level<extra></extra>",
                **cells,
            )
        )
    rows, columns = len(codes), len(outcomes)
    traces.append(_cell_borders(rows, columns))
    fig = go.Figure(traces)
    # Fixed ranges: nothing pads the grid, so the first row sits right under the outcome labels.
    fig.update_yaxes(
        range=[rows - 0.5, -0.5], autorange=False, tickfont={"size": 12}, showgrid=False
    )
    fig.update_xaxes(
        range=[-0.5, len(outcomes) - 0.5],
        autorange=False,
        side="top",
        tickangle=0,
        tickfont={"size": 12},
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(zeroline=False)
    hidden = {"visible": False, "fixedrange": True, "autorange": False}
    fig.update_layout(
        xaxis2={"overlaying": "x", "range": [-0.5, columns - 0.5], **hidden},
        yaxis2={"overlaying": "y", "range": [rows - 0.5, -0.5], **hidden},
    )
    word = ASSESSMENT_LABELS[assessment].lower()
    scored = df[f"{assessment}_level"].notna().sum()
    missing = len(orgs) * len(outcomes) - scored
    if title is None:
        title = f"{word.capitalize()} levels for {len(orgs)} organisations, {cycle}" + (
            f" ({missing} outcome{'s' if missing != 1 else ''} without a level)" if missing else ""
        )
    table = df[
        ["org_code", "org_name", "outcome", f"{assessment}_level", f"{assessment}_sublevel"]
    ].rename(columns={f"{assessment}_level": "level", f"{assessment}_sublevel": "sub-level"})
    no_level = NOT_VALIDATED if assessment == "validated" else NO_RETURN
    table = missing_as(table, {"level": no_level, "sub-level": "none"})
    which = (
        "the six outcomes"
        if len(outcomes) == 6
        else f"outcome{'s' if len(outcomes) > 1 else ''} " + ", ".join(map(str, outcomes))
    )
    alt = (
        f"Heatmap of {word} levels, {cycle}: {len(orgs)} organisations in rows and {which} in "
        f"columns; each cell is labelled with its level and sub-level initial. {missing} cells have no level."
    )
    fig = finish(fig, title=title, alt_text=alt, table=table, **layout)
    # Pixel layout: title lines, then the outcome labels, then one fixed-height row per organisation.
    title_px = fig.layout.margin.t
    top = title_px + _HEATMAP_TOP_PX
    height = layout.get("height") or max(
        top + HEATMAP_ROW_PX * len(codes) + _HEATMAP_BOTTOM_PX, 300
    )
    return fig.update_layout(
        height=height,
        # Room for the organisation names up front: plotly's automargin would otherwise
        # measure them and draw the whole chart a second time.
        margin={"t": top, "b": _HEATMAP_BOTTOM_PX, "l": _label_room(ylabels)},
        # The template puts the title at 98% of the height: in pixels instead, at the very top.
        title={"y": 1 - 10 / height},
    )

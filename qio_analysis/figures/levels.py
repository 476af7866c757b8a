"""Level charts for groups of organisations: level distributions and share trends.

An organisation's radar is :mod:`~qio_analysis.figures.radar`; the
organisations-by-outcomes heatmap is :mod:`~qio_analysis.figures.heatmap`.
"""

from __future__ import annotations

from typing import Any, Unpack

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    NHS_COLOURS,
    NO_TRACE_NAME,
    SERIES_COLOURS,
    FigureLayout,
    empty_figure,
    make_figure,
    per_row_height,
    percent_axis,
    text_colour_on,
)
from qio_analysis.framework import ASSESSMENT_LABELS, LEVELS, OUTCOME_SHORT
from qio_analysis.metrics.chart_counts import outcomes_rising
from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html
from qio_analysis.words import missing_as
from qio_analysis.words.chart_levels import distribution_words, share_trend_words


def _outcome_title(n: int) -> str:
    return f"Outcome {n}: {OUTCOME_SHORT[n]}"


# --------------------------------------------------------------------- distribution


def _split_values(dist: pd.DataFrame, split: str) -> list:
    values = list(dict.fromkeys(dist[split].tolist()))
    return sorted(values) if split == "cycle" else values


def fig_level_distribution(
    df: pd.DataFrame,
    *,
    split: str = "region",
    threshold: int = 3,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Horizontal stacked bars of the share at each level, grouped by outcome.

    Takes a :func:`~qio_analysis.metrics.level_distribution` and splits each
    outcome's bar by ``split`` (``region``, ``cycle`` or ``assessment``); the
    other grouping columns should hold one value. One trace per level on a
    two-level (outcome, group) axis keeps it fast enough to redraw on every
    click. Segments are labelled with their percentage when wide enough and
    the hover gives counts.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import level_distribution
    >>> from qio_analysis import examples
    >>> subs = examples.four_organisations()
    >>> dist = level_distribution(subs, 2025)
    >>> fig = fig_level_distribution(dist[dist["outcome"] == 1], split="cycle")
    >>> print(figure_alt_text(fig))
    Stacked horizontal bar charts, one per outcome, showing the share of organisations at each validated level from 0 to 4, split by cycle, 2025. Share at Level 3 or above in England, 2025: Access 50%.
    """
    if df.empty or df["n"].sum() == 0:
        return empty_figure("No organisation has a level for this selection.", **layout)
    outcomes = sorted(df["outcome"].unique())
    cats = _split_values(df, split)
    fig = go.Figure(_level_bars(df, split, outcomes, cats))
    fig.update_layout(barmode="stack")
    summary = df.drop_duplicates([c for c in df.columns if c not in {"level", "n", "pct"}])
    return make_figure(
        fig,
        distribution_words(summary, split, threshold, shown=list(dict.fromkeys(df[split]))),
        _distribution_table(df, split),
        title=title,
        xaxes=percent_axis(gridcolor="#D6D6D6", title_text="Share of organisations with a level"),
        yaxes={
            "autorange": "reversed",
            "tickfont": {"size": 13},
            "dividercolor": "#768692",
            "dividerwidth": 1,
        },
        legend="bottom",
        fitted_height=per_row_height(len(outcomes) * len(cats), row_px=30, room=190, least=320),
        **layout,
    )


def _level_bars(df: pd.DataFrame, split: str, outcomes: list[int], cats: list[str]) -> list[go.Bar]:
    """One trace per level on a two-level (outcome, group) axis, each segment labelled with its
    percentage when wide enough; the hover gives counts."""
    labels = {
        c: escape_html(ASSESSMENT_LABELS.get(c, c)) if split == "assessment" else escape_html(c)
        for c in cats
    }
    outer = [f"{n}. {escape_html(OUTCOME_SHORT[n])}" for n in outcomes for _ in cats]
    inner = [labels[c] for _ in outcomes for c in cats]
    keys = [(n, c) for n in outcomes for c in cats]
    indexed = df.set_index(["level", "outcome", split]).sort_index()
    bars = []
    for level in LEVELS:
        colour = LEVEL_COLOURS[level]
        part = indexed.loc[level].reindex(keys)
        pct = part["pct"].tolist()
        bars.append(
            go.Bar(
                x=pct,
                y=[outer, inner],
                orientation="h",
                name=f"Level {level}",
                marker={"color": colour, "line": {"color": "white", "width": 1}},
                text=[f"{p:.0f}%" if p == p and p >= 9 else "" for p in pct],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_colour_on(colour), "size": 12},
                customdata=list(zip(part["n"].tolist(), part["n_scored"].tolist(), strict=True)),
                hovertemplate=f"%{{y}}<br>Level {level}: %{{customdata[0]}} of %{{customdata[1]}} "
                "organisations (%{x:.0f}%)" + NO_TRACE_NAME,
            )
        )
    return bars


def _distribution_table(df: pd.DataFrame, split: str) -> pd.DataFrame:
    table = df.assign(level=df["level"].map(lambda lv: f"Level {lv}"))
    table = table[[split, "outcome", "level", "n", "pct", "n_scored"]].rename(
        columns={"n": "organisations", "pct": "percent", "n_scored": "organisations with a level"}
    )
    return missing_as(table.round({"percent": 1}), {"percent": "no levels"})


# --------------------------------------------------------------------- share trend


#: Marker symbols of the regions on the national share trend, in region order.
_REGION_SYMBOLS = (
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "cross",
    "x",
    "star",
    "hexagon",
)
#: Least distance between two end-of-line labels, in percentage points of a panel's axis.
_LABEL_GAP = 9.0


def _spread(
    values: list[float], gap: float = _LABEL_GAP, low: float = 0.0, high: float = 100.0
) -> list[float]:
    """Label heights near ``values``, at least ``gap`` apart, in the same order, kept in ``low``-``high``.

    Labels that would overlap are gathered into a block centred on their mean.

    >>> _spread([50.0, 52.0, 90.0]), _spread([99.0, 100.0]), _spread([10.0, 40.0])
    ([46.5, 55.5, 90.0], [91.0, 100.0], [10.0, 40.0])
    """
    order = sorted(range(len(values)), key=values.__getitem__)
    blocks: list[list[float]] = []
    for i in order:
        blocks.append([values[i]])
        while len(blocks) > 1:
            below, above = blocks[-2], blocks[-1]
            top = sum(below) / len(below) + (len(below) - 1) * gap / 2
            bottom = sum(above) / len(above) - (len(above) - 1) * gap / 2
            if bottom - top >= gap:
                break
            blocks[-2:] = [below + above]
    placed = []
    for block in blocks:
        start = sum(block) / len(block) - (len(block) - 1) * gap / 2
        placed += [start + k * gap for k in range(len(block))]
    for j in range(len(placed)):  # within the axis: up from the floor, then down from the top
        placed[j] = max(placed[j], low if j == 0 else placed[j - 1] + gap)
    for j in reversed(range(len(placed))):
        placed[j] = min(placed[j], high if j == len(placed) - 1 else placed[j + 1] - gap)
    out = [0.0] * len(values)
    for rank, i in enumerate(order):
        out[i] = round(placed[rank], 6)
    return out


def _trend_style(group: str, index: int, highlight: str | None) -> dict[str, Any]:
    """Line, marker and label colour of one group: England black; the rest by region or grey."""
    if group == NATIONAL:
        style = (NHS_COLOURS["black"], 3.5, "solid", "circle", 8)
    elif highlight is not None and group == highlight:
        style = (NHS_COLOURS["blue"], 3, "dash", "diamond", 8)
    elif highlight is not None:
        style = (NHS_COLOURS["dark_grey"], 1.2, "dot", "circle-open", 5)
    else:
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        style = (colour, 2, "solid", _REGION_SYMBOLS[index % len(_REGION_SYMBOLS)], 7)
    return dict(zip(("color", "width", "dash", "symbol", "size"), style, strict=True))


def fig_share_trend(
    df: pd.DataFrame,
    *,
    threshold: int = 3,
    highlight: str | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Share of organisations at ``threshold`` or above across cycles, one panel per outcome.

    Takes :func:`~qio_analysis.metrics.level_summary` over several cycles,
    with regions and England. Every line is named at its end (labels pushed
    apart where lines end close together, with a thin leader line), so
    regions are told apart without colour: England is thick and black; with
    no ``highlight`` each region has its own colour and marker symbol; with
    one, that region is dashed NHS Blue and the others thin, dotted and grey.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import level_distribution, level_summary
    >>> from qio_analysis import examples
    >>> subs = examples.four_organisations()
    >>> fig = fig_share_trend(level_summary(level_distribution(subs, 2025, by="region")))
    >>> fig.layout.title.text
    'Share at Level 3 or above, 2025'
    >>> figure_table(fig)[["region", "outcome", "pct_at_or_above"]].head(1).to_dict("records")
    [{'region': 'London', 'outcome': 1, 'pct_at_or_above': 50.0}]
    >>> [a.text for a in fig.layout.annotations if a.xanchor == "left" and a.showarrow]
    ['London', 'England']
    """
    data = df.dropna(subset=["pct_at_or_above"])
    if data.empty or data["cycle"].nunique() < 1:
        return empty_figure("There are no levels to compare across cycles.", **layout)
    outcomes = sorted(data["outcome"].unique())
    groups = list(dict.fromkeys(data["region"])) if "region" in data.columns else [NATIONAL]
    cycles = sorted(data["cycle"].unique())
    fig = _trend_panels(outcomes)
    labels = _draw_lines(fig, data, outcomes, groups, threshold, highlight)
    _trend_axes(fig, cycles, len(outcomes), labels)
    national = data[data["region"] == NATIONAL] if "region" in data.columns else data
    words = share_trend_words(
        threshold=threshold,
        cycles=(cycles[0], cycles[-1]),
        rises=outcomes_rising(national, cycles[0], cycles[-1]),
        outcomes=len(outcomes),
        groups=[str(g) for g in groups],
        highlight=highlight,
    )
    columns = ("region", "cycle", "assessment", "outcome", "n_scored", "pct_at_or_above")
    return make_figure(
        fig,
        words,
        data[[c for c in columns if c in data]].round({"pct_at_or_above": 1}),
        title=title,
        legend="bottom",
        fitted_height=220 + 230 * ((len(outcomes) + 1) // 2),
        **layout,
    )


def _draw_lines(
    fig: go.Figure,
    data: pd.DataFrame,
    outcomes: list[int],
    groups: list[str],
    threshold: int,
    highlight: str | None,
) -> list[dict[str, object]]:
    """Each group's line in each outcome's panel; returns the end-of-line labels to place."""
    cycles = sorted(data["cycle"].unique())
    styles = {
        g: _trend_style(g, i, highlight) for i, g in enumerate(g for g in groups if g != NATIONAL)
    }
    styles[NATIONAL] = _trend_style(NATIONAL, 0, highlight)
    labels = []
    for i, outcome in enumerate(outcomes):
        ends: list[tuple[str, int, float]] = []
        for group in groups:
            part = data[
                (data["outcome"] == outcome)
                & ((data["region"] == group) if "region" in data.columns else True)
            ].sort_values("cycle")
            if part.empty:
                continue
            trace = _trend_line(part, group, styles[group], threshold, first=i == 0)
            fig.add_trace(trace, row=i // 2 + 1, col=i % 2 + 1)
            last = part.iloc[-1]
            ends.append((group, cycles.index(last["cycle"]), float(last["pct_at_or_above"])))
        labels += _end_labels(ends, "" if i == 0 else str(i + 1), styles, highlight)
    return labels


def _trend_panels(outcomes: list[int]) -> go.Figure:
    """One panel per outcome, two to a row, sharing the share axis."""
    return make_subplots(
        rows=(len(outcomes) + 1) // 2,
        cols=2 if len(outcomes) > 1 else 1,
        subplot_titles=[_outcome_title(n) for n in outcomes],
        shared_yaxes=True,
        vertical_spacing=0.12,
        horizontal_spacing=0.08,
    )


def _trend_line(
    part: pd.DataFrame, group: str, style: dict[str, object], threshold: int, *, first: bool
) -> go.Scatter:
    """One group's share across cycles in one panel (in the legend from the ``first`` panel)."""
    return go.Scatter(
        x=part["cycle"].astype(str),
        y=part["pct_at_or_above"],
        name=escape_html(group),
        legendgroup=str(group),
        showlegend=first,
        mode="lines+markers",
        line={k: style[k] for k in ("color", "width", "dash")},
        marker={"size": style["size"], "symbol": style["symbol"], "color": style["color"]},
        hovertemplate=f"{escape_html(group)}, %{{x}}: %{{y:.0f}}% at Level {threshold} or above"
        + NO_TRACE_NAME,
    )


def _end_labels(
    ends: list[tuple[str, int, float]],
    axis: str,
    styles: dict[str, dict[str, object]],
    highlight: str | None,
) -> list[dict[str, object]]:
    """Each line's name at its end, on the panel of axes ``x{axis}``/``y{axis}``: lines ending
    in the same cycle share a column, their labels pushed apart with a thin leader line."""
    placed_at: dict[tuple[str, int], float] = {}
    for end in sorted({e[1] for e in ends}):
        mine = [(g, y) for g, at, y in ends if at == end]
        for (group, _), placed in zip(mine, _spread([y for _, y in mine]), strict=True):
            placed_at[(group, end)] = placed
    return [
        {
            "x": end,  # the category's index: "2025" would read as index 2025
            "y": y,
            "xref": f"x{axis}",
            "yref": f"y{axis}",
            "ax": end + 0.22,
            "ay": placed_at[(group, end)],
            "axref": f"x{axis}",
            "ayref": f"y{axis}",
            "text": escape_html(group),
            "xanchor": "left",
            "showarrow": True,
            "arrowhead": 0,
            "arrowwidth": 0.8,
            "arrowcolor": NHS_COLOURS["mid_grey"],
            "standoff": 4,
            "font": {
                "size": 12 if group in (NATIONAL, highlight) else 11,
                "color": styles[group]["color"],
            },
        }
        for group, end, y in ends
    ]


def _trend_axes(
    fig: go.Figure, cycles: list[int], n_outcomes: int, labels: list[dict[str, object]]
) -> None:
    """Cycles as categories with room for the end labels; panel titles at the left; labels."""
    fig.update_yaxes(**percent_axis(gridcolor="#D6D6D6"))
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[str(c) for c in cycles],
        range=[-0.25, len(cycles) - 1 + 2.1],  # room for the end-of-line labels
    )
    for annotation in fig.layout.annotations:
        annotation.update(
            x=annotation.x - 0.2 if n_outcomes > 1 else 0, xanchor="left", font={"size": 15}
        )
    for label in labels:
        fig.add_annotation(**label)

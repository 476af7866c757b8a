"""Change charts: the Sankey of level transitions and the improved/unchanged/declined bars."""

from __future__ import annotations

from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    NHS_COLOURS,
    NO_TRACE_NAME,
    FigureLayout,
    empty_figure,
    make_figure,
    patterned_marker,
    per_row_height,
    percent_axis,
    text_colour_on,
    with_alpha,
)
from qio_analysis.framework import LEVELS, OUTCOME_SHORT
from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html
from qio_analysis.words.chart_change import movement_chart_words, sankey_words

_OTHER = NHS_COLOURS["mid_grey"]


def _state(level: object, status: str, side: str, cycle: int) -> str:
    if (side == "from" and status == "new") or (side == "to" and status == "left"):
        return f"Not taking part in {cycle}"
    if pd.isna(level):
        return f"No level in {cycle}"
    return f"Level {int(level)}"


def fig_sankey(
    df: pd.DataFrame,
    *,
    outcome: int,
    region: str | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Sankey of level transitions between two cycles for one outcome.

    Takes the ``matrix`` of :func:`~qio_analysis.metrics.transitions`.
    Organisations new in, or absent from, either cycle and those without a
    level are shown as their own nodes, never dropped.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import transitions
    >>> from qio_analysis import examples
    >>> subs = examples.movers()
    >>> fig = fig_sankey(transitions(subs, 2023, 2025).matrix, outcome=1)
    >>> figure_table(fig).values.tolist()
    [['Level 1', 'Level 2', 1], ['Level 2', 'Not taking part in 2025', 1], ['Not taking part in 2023', 'Level 3', 1]]
    """
    part = df[df["outcome"] == outcome]
    if "region" in part.columns:
        part = part[part["region"] == (region or NATIONAL)]
    if part.empty or part["n"].sum() == 0:
        return empty_figure(
            "No organisation took part in either cycle for this selection.", **layout
        )
    start, end = int(part["from_cycle"].iloc[0]), int(part["to_cycle"].iloc[0])
    part = part.assign(
        source=[
            _state(lv, st, "from", start)
            for lv, st in zip(part["from_level"], part["status"], strict=True)
        ],
        target=[
            _state(lv, st, "to", end)
            for lv, st in zip(part["to_level"], part["status"], strict=True)
        ],
    )
    links = part.groupby(["source", "target"], sort=False)["n"].sum().reset_index()
    fig = go.Figure(_sankey_trace(part, links, start, end))
    compared = part[part["status"] == "compared"]
    words = sankey_words(
        outcome=outcome,
        where=region or NATIONAL,
        cycles=(start, end),
        up=int(compared.loc[compared["to_level"] > compared["from_level"], "n"].sum()),
        total=int(compared["n"].sum()),
    )
    table = links.rename(columns={"source": f"{start}", "target": f"{end}", "n": "organisations"})
    return make_figure(fig, words, table, title=title, fitted_height=480, **layout)


#: The order of a Sankey column's nodes, top to bottom, by how their labels start.
_STATE_ORDER = (*(f"Level {lv}" for lv in LEVELS), "No level in", "Not taking part in")


def _state_rank(label: str) -> int:
    return next(i for i, prefix in enumerate(_STATE_ORDER) if label.startswith(prefix))


def _state_colour(state: str) -> str:
    return LEVEL_COLOURS[int(state.split()[1])] if state.startswith("Level") else _OTHER


def _node_centres(states: list[str], totals: pd.Series) -> list[float]:
    """Node centres top to bottom in level order, sized by their counts."""
    gap = 0.03
    scale = 1 - gap * (len(states) - 1)
    grand = float(totals.sum())
    centres, top = [], 0.0
    for state in states:
        size = float(totals[state]) / grand * scale
        centres.append(min(max(top + size / 2, 0.001), 0.999))
        top += size + gap
    return centres


def _sankey_trace(part: pd.DataFrame, links: pd.DataFrame, start: int, end: int) -> go.Sankey:
    """Earlier states on the left, later on the right, each node labelled with its count."""
    left = sorted(part["source"].unique(), key=_state_rank)
    right = sorted(part["target"].unique(), key=_state_rank)
    totals_left = part.groupby("source")["n"].sum()
    totals_right = part.groupby("target")["n"].sum()
    index_left = {s: i for i, s in enumerate(left)}
    index_right = {t: len(left) + i for i, t in enumerate(right)}
    return go.Sankey(
        arrangement="fixed",
        node={
            "x": [0.001] * len(left) + [0.999] * len(right),
            "y": _node_centres(left, totals_left) + _node_centres(right, totals_right),
            "label": [f"{start}: {s} ({totals_left[s]})" for s in left]
            + [f"{end}: {t} ({totals_right[t]})" for t in right],
            "color": [_state_colour(s) for s in left] + [_state_colour(t) for t in right],
            "pad": 14,
            "thickness": 18,
            "line": {"color": "white", "width": 1},
            "hovertemplate": "%{label}" + NO_TRACE_NAME,
        },
        link={
            "source": [index_left[s] for s in links["source"]],
            "target": [index_right[t] for t in links["target"]],
            "value": links["n"].tolist(),
            "color": [with_alpha(_state_colour(s), 0.35) for s in links["source"]],
            "hovertemplate": "%{source.label} \u2192 %{target.label}: %{value} organisations"
            + NO_TRACE_NAME,
        },
    )


def fig_movement(
    df: pd.DataFrame,
    *,
    region: str | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Improved, unchanged and declined shares per outcome (stacked horizontal bars).

    Takes the ``summary`` of :func:`~qio_analysis.metrics.transitions`.
    Movement is in whole levels, the headline by the one rule
    (:func:`~qio_analysis.framework.compare_levels`); sub-level movements
    within an unchanged level are in the data table. Bars are labelled with
    their percentages, and the categories differ in pattern as well as colour.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import transitions
    >>> from qio_analysis import examples
    >>> subs = examples.movers()
    >>> fig = fig_movement(transitions(subs, 2023, 2025).summary)
    >>> fig.layout.title.text.replace("<br>", " ")
    'In England, most improvement between 2023 and 2025 was on outcome 1 (Access), 100% up at least one level'
    >>> figure_table(fig)[["outcome", "n_compared", "pct_improved", "n_new", "n_left"]].to_dict("records")
    [{'outcome': 1, 'n_compared': 1, 'pct_improved': 100.0, 'n_new': 1, 'n_left': 1}]
    """
    part = df
    if "region" in part.columns:
        part = part[part["region"] == (region or NATIONAL)]
    part = part[part["n_compared"] > 0].sort_values("outcome")
    if part.empty:
        return empty_figure(
            "No organisation has a level in both cycles for this selection.", **layout
        )
    fig = go.Figure(_movement_bars(part))
    fig.update_layout(barmode="stack")
    return make_figure(
        fig,
        movement_chart_words(part, region or NATIONAL),
        part[list(_MOVEMENT_COLUMNS)].round(1),
        title=title,
        xaxes=percent_axis(title_text="Share of organisations with a level in both cycles"),
        yaxes={"autorange": "reversed"},
        legend="bottom",
        fitted_height=per_row_height(len(part), row_px=52, room=160),
        **layout,
    )


#: Each kind of movement's bar: (column, legend name, colour, pattern).
_MOVEMENT_STYLES = (
    ("improved", "Improved", NHS_COLOURS["dark_green"], ""),
    ("unchanged", "Unchanged", LEVEL_COLOURS[0], ""),
    ("declined", "Declined", NHS_COLOURS["dark_pink"], "/"),
)

#: The movement chart's data table.
_MOVEMENT_COLUMNS = (
    "outcome",
    "n_compared",
    "improved",
    "unchanged",
    "declined",
    "pct_improved",
    "pct_unchanged",
    "pct_declined",
    "sublevel_up",
    "sublevel_down",
    "sublevel_not_comparable",
    "n_new",
    "n_left",
    "n_unscored",
)


def _movement_bars(part: pd.DataFrame) -> list[go.Bar]:
    """One stacked bar per outcome, a trace per kind of movement, labelled with percentages."""
    y = [f"{n}: {escape_html(OUTCOME_SHORT[n])}" for n in part["outcome"]]
    bars = []
    for key, label, colour, pattern in _MOVEMENT_STYLES:
        pct = part[f"pct_{key}"]
        bars.append(
            go.Bar(
                x=pct,
                y=y,
                orientation="h",
                name=label,
                marker=patterned_marker(colour, pattern),
                text=[f"{p:.0f}%" if p >= 7 else "" for p in pct],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_colour_on(colour), "size": 12},
                customdata=list(zip(part[key], part["n_compared"], strict=True)),
                hovertemplate=f"%{{y}}: {label.lower()} %{{customdata[0]}} of "
                "%{customdata[1]} (%{x:.0f}%)" + NO_TRACE_NAME,
            )
        )
    return bars

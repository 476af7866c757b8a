"""Change charts: the Sankey of level transitions and the improved/unchanged/declined bars."""

from __future__ import annotations

from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    NHS_COLOURS,
    FigureLayout,
    bottom_legend,
    empty_figure,
    finish,
    patterned_marker,
    text_colour_on,
    with_alpha,
)
from qio_analysis.framework import LEVELS, OUTCOME_SHORT
from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html
from qio_analysis.words import format_percent, tie_words

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
    order = [f"Level {lv}" for lv in LEVELS] + ["No level in", "Not taking part in"]

    def rank(label: str) -> int:
        return next(i for i, prefix in enumerate(order) if label.startswith(prefix))

    left = sorted(part["source"].unique(), key=rank)
    right = sorted(part["target"].unique(), key=rank)
    totals_left = part.groupby("source")["n"].sum()
    totals_right = part.groupby("target")["n"].sum()
    labels = [f"{start}: {s} ({totals_left[s]})" for s in left] + [
        f"{end}: {t} ({totals_right[t]})" for t in right
    ]

    def colour(state: str) -> str:
        return LEVEL_COLOURS[int(state.split()[1])] if state.startswith("Level") else _OTHER

    def column(states: list[str], totals: pd.Series) -> list[float]:
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

    index_left = {s: i for i, s in enumerate(left)}
    index_right = {t: len(left) + i for i, t in enumerate(right)}
    links = part.groupby(["source", "target"], sort=False)["n"].sum().reset_index()
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node={
                "x": [0.001] * len(left) + [0.999] * len(right),
                "y": column(left, totals_left) + column(right, totals_right),
                "label": labels,
                "color": [colour(s) for s in left] + [colour(t) for t in right],
                "pad": 14,
                "thickness": 18,
                "line": {"color": "white", "width": 1},
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "source": [index_left[s] for s in links["source"]],
                "target": [index_right[t] for t in links["target"]],
                "value": links["n"].tolist(),
                "color": [with_alpha(colour(s), 0.35) for s in links["source"]],
                "hovertemplate": "%{source.label} \u2192 %{target.label}: %{value} organisations<extra></extra>",
            },
        )
    )
    compared = part[part["status"] == "compared"]
    up = int(compared.loc[compared["to_level"] > compared["from_level"], "n"].sum())
    total = int(compared["n"].sum())
    where = region or NATIONAL
    if title is None:
        title = (
            f"Outcome {outcome} ({escape_html(OUTCOME_SHORT[outcome])}): {up} of {total} organisations in {escape_html(where)} "
            f"moved up at least one level between {start} and {end}"
        )
    table = links.rename(columns={"source": f"{start}", "target": f"{end}", "n": "organisations"})
    alt = (
        f"Sankey diagram of validated level transitions for outcome {outcome} ({OUTCOME_SHORT[outcome]}) in {where} "
        f"from {start} (left) to {end} (right). {up} of {total} organisations with a level in both cycles "
        "moved up at least one level. Organisations new or absent in a cycle, or without a level, have "
        "their own nodes."
    )
    return finish(fig, title=title, alt_text=alt, table=table, fitted_height=480, **layout)


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
    start, end = int(part["from_cycle"].iloc[0]), int(part["to_cycle"].iloc[0])
    y = [f"{n}: {escape_html(OUTCOME_SHORT[n])}" for n in part["outcome"]]
    fig = go.Figure()
    styles = [
        ("improved", "Improved", NHS_COLOURS["dark_green"], ""),
        ("unchanged", "Unchanged", LEVEL_COLOURS[0], ""),
        ("declined", "Declined", NHS_COLOURS["dark_pink"], "/"),
    ]
    for key, label, colour, pattern in styles:
        pct = part[f"pct_{key}"]
        fig.add_trace(
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
                hovertemplate=f"%{{y}}: {label.lower()} %{{customdata[0]}} of %{{customdata[1]}} (%{{x:.0f}}%)<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    bottom_legend(fig)
    fig.update_xaxes(
        range=[0, 100],
        ticksuffix="%",
        title_text="Share of organisations with a level in both cycles",
    )
    fig.update_yaxes(autorange="reversed")
    where = region or NATIONAL
    # Compared as printed, whole percentages: outcomes that print the same are a tie, named as one.
    shown = part["pct_improved"].round(0)
    best = part[shown == shown.max()]
    if title is None and best["improved"].max() == 0:
        title = f"In {escape_html(where)}, no organisation moved up a whole level between {start} and {end}"
    elif title is None:
        names = (
            [str(int(o)) for o in best["outcome"]]
            if len(best) > 1
            else [f"{int(o)} ({OUTCOME_SHORT[int(o)]})" for o in best["outcome"]]
        )
        top = format_percent(best["pct_improved"].iloc[0], digits=0)
        title = escape_html(
            f"In {where}, most improvement between {start} and {end} was on "
            f"{tie_words(names, top, 'outcome')} up at least one level"
        )
    cols = [
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
    ]
    alt = (
        f"Stacked bars per outcome of the share of organisations in {where} whose validated "
        f"level rose, stayed the same or fell by at least one whole level between {start} and {end}. "
        "Within an unchanged level, a sub-level movement counts only when both cycles carry a "
        "sub-level; the data table gives those counts."
    )
    return finish(
        fig,
        title=title,
        alt_text=alt,
        table=part[cols].round(1),
        fitted_height=160 + 52 * len(part),
        **layout,
    )

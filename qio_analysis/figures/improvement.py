"""Who moved: each organisation's level then and now, one dumbbell per outcome."""

from __future__ import annotations

import textwrap
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import (
    HOVER_TEXT,
    NHS_COLOURS,
    FigureLayout,
    empty_figure,
    every_category_tick,
    make_figure,
    org_label,
    org_names,
    per_row_height,
)
from qio_analysis.framework import DOWN, LEVELS, NOT_COMPARABLE, OUTCOME_SHORT, UP
from qio_analysis.metrics.change import LEFT, NEW, SAME_LEVELS
from qio_analysis.metrics.chart_counts import movement_by_outcome
from qio_analysis.metrics.ordering import organisations_by_net_change
from qio_analysis.text import escape_html
from qio_analysis.words import (
    level_words,
    movement_words,
    not_compared_words,
    not_taking_part_words,
)
from qio_analysis.words.chart_levels import improvement_words
from qio_analysis.words.chart_words import ChartWords

#: Pixels per organisation row.
ROW_PX = 24

#: The later level's mark for each kind of movement: (legend word, colour, marker symbol).
#: The symbol points the way the level moved, so colour is never the only signal.
_MARKS = (
    ("rose", UP, NHS_COLOURS["dark_green"], "triangle-right"),
    ("fell", DOWN, NHS_COLOURS["dark_pink"], "triangle-left"),
    ("same level", "same", NHS_COLOURS["dark_grey"], "diamond"),
)


def _kind(comparison: str) -> str:
    return "same" if comparison in SAME_LEVELS else comparison


def fig_improvement(
    df: pd.DataFrame,
    *,
    where: str | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Each organisation's validated level then and now, one dumbbell panel per outcome.

    Takes :func:`~qio_analysis.metrics.improvement` rows (usually one
    region, named by ``where``). Organisations are rows, ordered by whole
    levels moved across outcomes (most gained first); each panel is one
    outcome with levels 0-4 across. The earlier level is a hollow circle and
    the later one points the way the level moved (right for a rise, left for
    a fall, a diamond for the same level), in green, pink or grey, so colour
    is never the only signal. Whole levels are drawn, as they are the
    headline; the data table gives every level and sub-level in words. An
    outcome without a level in both cycles is not drawn: its place in the
    panel says "no level", a row with nothing to draw says why across the
    row ("not taking part in 2021"), and the alt text says how many. Every
    row is labelled (long names shortened, in full in the table), and the
    chart keeps its height per row on paper.

    >>> from qio_analysis.metrics import improvement
    >>> from qio_analysis import examples
    >>> fig = fig_improvement(improvement(examples.movers(), since=2023), where="London")
    >>> fig.layout.title.text.replace("<br>", " ")
    'In London, 1 of 3 organisations rose at least one level on at least one outcome since 2023'
    """
    compared = df[df["comparison"] != NOT_COMPARABLE]
    if df.empty or compared.empty:
        return empty_figure("No organisation has a level in both cycles to compare.", **layout)
    since, to = int(df["from_cycle"].iloc[0]), int(df["to_cycle"].iloc[0])
    outcomes = sorted(int(o) for o in compared["outcome"].unique())
    order = organisations_by_net_change(df)
    labels = {c: org_label(n, c) for c, n in zip(order["org_code"], order["org_name"], strict=True)}
    rows = [labels[c] for c in order["org_code"]]
    fig = _panels(outcomes)
    in_legend: set[str] = set()
    for col, outcome in enumerate(outcomes, start=1):
        panel = _outcome_traces(df, compared, outcome, labels, (since, to), in_legend, col == 1)
        for trace in panel:
            fig.add_trace(trace, row=1, col=col)
    _level_axes(fig, rows)
    _row_notes(fig, df, order["org_code"], set(compared["org_code"]), labels, (since, to))
    return make_figure(
        fig,
        _improvement_words(df, compared, where),
        _improvement_table(df, since, to),
        title=title,
        legend="bottom",
        fitted_height=per_row_height(len(rows), row_px=ROW_PX, room=190),
        rows=len(rows),
        **layout,
    )


def _panels(outcomes: list[int]) -> go.Figure:
    """One panel per outcome side by side, sharing the organisations' axis."""
    return make_subplots(
        rows=1,
        cols=len(outcomes),
        shared_yaxes=True,
        horizontal_spacing=0.012,
        subplot_titles=[
            "<br>".join(textwrap.wrap(f"{n}: {escape_html(OUTCOME_SHORT[n])}", 14))
            for n in outcomes
        ],
    )


def _outcome_traces(
    df: pd.DataFrame,
    compared: pd.DataFrame,
    outcome: int,
    labels: dict[str, str],
    cycles: tuple[int, int],
    in_legend: set[str],
    first: bool,
) -> list[go.Scatter]:
    """One outcome's panel: "no level" where not comparable, the bars, then each end's marks.

    ``in_legend`` holds the kinds of later mark already in the legend (those drawn here are
    added); the earlier level's mark is in the legend from the ``first`` panel.
    """
    part = compared[compared["outcome"] == outcome]
    gaps = df[
        (df["outcome"] == outcome)
        & (df["comparison"] == NOT_COMPARABLE)
        & df["org_code"].isin(set(compared["org_code"]))
    ]
    traces = [] if gaps.empty else [_no_level(gaps, labels, cycles)]
    xs: list[float | None] = []
    ys: list[str | None] = []
    for code, a, b in zip(part["org_code"], part["from_level"], part["to_level"], strict=True):
        xs += [int(a), int(b), None]
        ys += [labels[code], labels[code], None]
    traces.append(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": NHS_COLOURS["mid_grey"], "width": 2},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    hover = _hover(part, labels, cycles)
    traces.append(_earlier_marks(part, labels, hover, cycles[0], first=first))
    kinds = part["comparison"].map(_kind)
    for word, kind, colour, symbol in _MARKS:
        mine = part[kinds == kind]
        if mine.empty:
            continue
        traces.append(
            go.Scatter(
                x=mine["to_level"].astype(int).tolist(),
                y=[labels[c] for c in mine["org_code"]],
                mode="markers",
                marker={"symbol": symbol, "size": 11, "color": colour},
                name=f"Level in {cycles[1]}: {word}",
                legendgroup=kind,
                showlegend=kind not in in_legend,
                text=[h for h, k in zip(hover, kinds, strict=True) if k == kind],
                hovertemplate=HOVER_TEXT,
            )
        )
        in_legend.add(kind)
    return traces


def _no_level(gaps: pd.DataFrame, labels: dict[str, str], cycles: tuple[int, int]) -> go.Scatter:
    """ "no level" in the middle of the panel, the hover saying why it is not compared."""
    return go.Scatter(
        x=[2] * len(gaps),
        y=[labels[c] for c in gaps["org_code"]],
        mode="text",
        text=["no level"] * len(gaps),
        textfont={"size": 10, "color": NHS_COLOURS["dark_grey"]},
        hovertext=[not_compared_words(st, *cycles) for st in gaps["status"]],
        hoverinfo="text",
        showlegend=False,
    )


def _hover(part: pd.DataFrame, labels: dict[str, str], cycles: tuple[int, int]) -> list[str]:
    since, to = cycles
    return [
        f"{labels[code]}<br>{escape_html(level_words(a, sa))} in {since}, "
        f"{escape_html(level_words(b, sb))} in {to}: "
        f"{escape_html(movement_words(c, change))}"
        for code, a, sa, b, sb, c, change in zip(
            part["org_code"],
            part["from_level"],
            part["from_sublevel"],
            part["to_level"],
            part["to_sublevel"],
            part["comparison"],
            part["level_change"],
            strict=True,
        )
    ]


def _earlier_marks(
    part: pd.DataFrame, labels: dict[str, str], hover: list[str], since: int, *, first: bool
) -> go.Scatter:
    """The earlier level: a hollow circle (in the legend once, from the first panel)."""
    return go.Scatter(
        x=part["from_level"].astype(int).tolist(),
        y=[labels[c] for c in part["org_code"]],
        mode="markers",
        marker={
            "symbol": "circle-open",
            "size": 9,
            "color": NHS_COLOURS["dark_grey"],
            "line": {"width": 2},
        },
        name=f"Level in {since}",
        legendgroup="from",
        showlegend=first,
        text=hover,
        hovertemplate=HOVER_TEXT,
    )


def _level_axes(fig: go.Figure, rows: list[str]) -> None:
    """Levels 0-4 across every panel, organisations down in ``rows`` order, all labelled."""
    fig.update_xaxes(
        range=[-0.5, 4.5],
        tickvals=list(LEVELS),
        ticktext=[str(lv) for lv in LEVELS],
        title_text="Level",
        gridcolor="#D6D6D6",
        fixedrange=True,
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=rows,
        autorange="reversed",
        tickfont={"size": 12},
        gridcolor="#EEF1F2",
        fixedrange=True,
    )
    for annotation in fig.layout.annotations:
        annotation.update(font={"size": 13}, yanchor="bottom")
    every_category_tick(fig, rows)


def _row_notes(
    fig: go.Figure,
    df: pd.DataFrame,
    order: pd.Series,
    drawn: set[str],
    labels: dict[str, str],
    cycles: tuple[int, int],
) -> None:
    """A row with nothing to draw says why, across its empty panels."""
    since, to = cycles
    for code in order:
        if code in drawn:
            continue
        statuses = set(df.loc[df["org_code"] == code, "status"])
        why = (
            not_taking_part_words(since)
            if statuses == {NEW}
            else not_taking_part_words(to)
            if statuses == {LEFT}
            else f"no validated level in both {since} and {to}"
        )
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=labels[code],
            yref="y",
            text=escape_html(why),
            showarrow=False,
            font={"size": 11, "color": NHS_COLOURS["dark_grey"]},
        )


def _improvement_words(df: pd.DataFrame, compared: pd.DataFrame, where: str | None) -> ChartWords:
    return improvement_words(
        place=where or "the selection",
        since=int(df["from_cycle"].iloc[0]),
        to=int(df["to_cycle"].iloc[0]),
        n_orgs=df["org_code"].nunique(),
        risers=df.loc[df["comparison"] == UP, "org_code"].nunique(),
        per_outcome=[
            (int(n), int(up), int(down), int(same))
            for n, up, down, same in movement_by_outcome(compared).itertuples(index=False)
        ],
        left_out=len(df) - len(compared),
    )


def _improvement_table(df: pd.DataFrame, since: int, to: int) -> pd.DataFrame:
    """Every organisation and outcome, levels and sub-levels in words, and the movement."""
    return pd.DataFrame(
        {
            "Organisation": org_names(df["org_name"].tolist(), df["org_code"].tolist()),
            "Outcome": [f"{o}: {OUTCOME_SHORT[int(o)]}" for o in df["outcome"]],
            f"Level {since}": [
                not_taking_part_words(since) if st == NEW else level_words(a, b)
                for a, b, st in zip(
                    df["from_level"], df["from_sublevel"], df["status"], strict=True
                )
            ],
            f"Level {to}": [
                not_taking_part_words(to) if st == LEFT else level_words(a, b)
                for a, b, st in zip(df["to_level"], df["to_sublevel"], df["status"], strict=True)
            ],
            "Movement": [
                not_compared_words(st, since, to) if c == NOT_COMPARABLE else movement_words(c, v)
                for c, v, st in zip(df["comparison"], df["level_change"], df["status"], strict=True)
            ],
        }
    )

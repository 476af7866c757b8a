"""Who moved: each organisation's level then and now, one dumbbell per outcome."""

from __future__ import annotations

import textwrap
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import (
    NHS_COLOURS,
    FigureLayout,
    bottom_legend,
    empty_figure,
    every_category_tick,
    finish,
    org_label,
)
from qio_analysis.framework import DOWN, LEVELS, NOT_COMPARABLE, OUTCOME_SHORT, UP
from qio_analysis.metrics.change import LEFT, NEW, SAME_LEVELS
from qio_analysis.text import escape_html
from qio_analysis.words import (
    count_words,
    level_words,
    movement_words,
    not_compared_words,
    not_taking_part_words,
    since_words,
)

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
    net = df.groupby("org_code")["level_change"].sum(min_count=1).astype("Float64").fillna(0)
    names = df.drop_duplicates("org_code").set_index("org_code")["org_name"]
    order = (
        pd.DataFrame({"net": net, "name": names.reindex(net.index)})
        .sort_values(["net", "name"], ascending=[False, True], kind="stable")
        .index.tolist()
    )
    labels = {code: org_label(names[code], code) for code in order}
    fig = make_subplots(
        rows=1,
        cols=len(outcomes),
        shared_yaxes=True,
        horizontal_spacing=0.012,
        subplot_titles=[
            "<br>".join(textwrap.wrap(f"{n}: {escape_html(OUTCOME_SHORT[n])}", 14))
            for n in outcomes
        ],
    )
    in_legend: set[str] = set()
    drawn = set(compared["org_code"])
    for col, outcome in enumerate(outcomes, start=1):
        part = compared[compared["outcome"] == outcome]
        gaps = df[
            (df["outcome"] == outcome)
            & (df["comparison"] == NOT_COMPARABLE)
            & df["org_code"].isin(drawn)
        ]
        if not gaps.empty:
            fig.add_trace(
                go.Scatter(
                    x=[2] * len(gaps),
                    y=[labels[c] for c in gaps["org_code"]],
                    mode="text",
                    text=["no level"] * len(gaps),
                    textfont={"size": 10, "color": NHS_COLOURS["dark_grey"]},
                    hovertext=[not_compared_words(st, since, to) for st in gaps["status"]],
                    hoverinfo="text",
                    showlegend=False,
                ),
                row=1,
                col=col,
            )
        xs: list[float | None] = []
        ys: list[str | None] = []
        for code, a, b in zip(part["org_code"], part["from_level"], part["to_level"], strict=True):
            xs += [int(a), int(b), None]
            ys += [labels[code], labels[code], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": NHS_COLOURS["mid_grey"], "width": 2},
                hoverinfo="skip",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        hover = [
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
        fig.add_trace(
            go.Scatter(
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
                showlegend=col == 1,
                text=hover,
                hovertemplate="%{text}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        kinds = part["comparison"].map(_kind)
        for word, kind, colour, symbol in _MARKS:
            mine = part[kinds == kind]
            if mine.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=mine["to_level"].astype(int).tolist(),
                    y=[labels[c] for c in mine["org_code"]],
                    mode="markers",
                    marker={"symbol": symbol, "size": 11, "color": colour},
                    name=f"Level in {to}: {word}",
                    legendgroup=kind,
                    showlegend=kind not in in_legend,
                    text=[h for h, k in zip(hover, kinds, strict=True) if k == kind],
                    hovertemplate="%{text}<extra></extra>",
                ),
                row=1,
                col=col,
            )
            in_legend.add(kind)
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
        categoryarray=[labels[c] for c in order],
        autorange="reversed",
        tickfont={"size": 12},
        gridcolor="#EEF1F2",
        fixedrange=True,
    )
    for annotation in fig.layout.annotations:
        annotation.update(font={"size": 13}, yanchor="bottom")
    every_category_tick(fig, [labels[c] for c in order])
    # A row with nothing to draw says why, across its empty panels.
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
    bottom_legend(fig)
    place = where or "the selection"
    risers = df.loc[df["comparison"] == UP, "org_code"].nunique()
    n_orgs = df["org_code"].nunique()
    since_text = since_words(since)
    if title is None:
        title = (
            f"In {escape_html(place)}, {risers} of {count_words(n_orgs, 'organisation')} rose at "
            f"least one level on at least one outcome {since_text}"
        )
    per_outcome = []
    for outcome in outcomes:
        status = compared.loc[compared["outcome"] == outcome, "comparison"]
        per_outcome.append(
            f"{OUTCOME_SHORT[outcome]}: {int((status == UP).sum())} rose, "
            f"{int((status == DOWN).sum())} fell, {int(status.isin(SAME_LEVELS).sum())} same level"
        )
    left_out = len(df) - len(compared)
    alt = (
        f"Dumbbell charts, one per outcome, of each organisation's validated whole level in {since} "
        f"(hollow circle) and {to} (a triangle pointing right for a rise, left for a fall, a "
        f"diamond for the same level), {n_orgs} organisations in {place} in rows, most levels "
        f"gained first. {'; '.join(per_outcome)}."
        + (
            f" {count_words(left_out, 'organisation-outcome')} without a level in both cycles "
            "are not drawn (their place says why); the table lists them."
            if left_out
            else ""
        )
    )
    table = pd.DataFrame(
        {
            "Organisation": [
                f"{n} ({c})" for n, c in zip(df["org_name"], df["org_code"], strict=True)
            ],
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
    return finish(
        fig,
        title=title,
        alt_text=alt,
        table=table,
        fitted_height=190 + ROW_PX * len(order),
        rows=len(order),
        **layout,
    )

"""Level charts: an organisation's radar, level distributions, the heatmap and share trends."""

from __future__ import annotations

import html
import textwrap
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.errors import QioConfigError
from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    NHS_COLOURS,
    bottom_legend,
    empty_figure,
    finish,
    text_colour_on,
)
from qio_analysis.framework import ASSESSMENT_LABELS, LEVELS, OUTCOME_SHORT, OUTCOMES
from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html
from qio_analysis.words import NO_RETURN, NOT_VALIDATED, missing_as

TEXT_ON_LEVEL = [text_colour_on(c) for c in LEVEL_COLOURS]
LEVEL_TICKS = [f"Level {lv}" for lv in LEVELS]


def _outcome_title(n: int) -> str:
    return f"Outcome {n}: {OUTCOME_SHORT[n]}"


# --------------------------------------------------------------------- distribution


def _split_values(dist: pd.DataFrame, split: str) -> list:
    values = list(dict.fromkeys(dist[split].tolist()))
    return sorted(values) if split == "cycle" else values


def fig_level_distribution(
    dist: pd.DataFrame, *, split: str = "region", threshold: int = 3, title: str | None = None
) -> go.Figure:
    """Horizontal stacked bars of the share at each level, grouped by outcome.

    Takes a :func:`~qio_analysis.metrics.level_distribution` and splits each
    outcome's bar by ``split`` (``region``, ``cycle`` or ``assessment``); the
    other grouping columns should hold one value. One trace per level on a
    two-level (outcome, group) axis keeps it fast enough to redraw on every
    click. Segments are labelled with their percentage when wide enough and
    the hover gives counts.
    """
    if dist.empty or dist["n"].sum() == 0:
        return empty_figure("No organisation has a level for this selection.")
    outcomes = sorted(dist["outcome"].unique())
    cats = _split_values(dist, split)
    labels = {
        c: escape_html(ASSESSMENT_LABELS.get(c, c)) if split == "assessment" else escape_html(c)
        for c in cats
    }
    outer = [f"{n}. {escape_html(OUTCOME_SHORT[n])}" for n in outcomes for _ in cats]
    inner = [labels[c] for _ in outcomes for c in cats]
    keys = [(n, c) for n in outcomes for c in cats]
    indexed = dist.set_index(["level", "outcome", split]).sort_index()
    fig = go.Figure()
    for level in LEVELS:
        colour = LEVEL_COLOURS[level]
        part = indexed.loc[level].reindex(keys)
        pct = part["pct"].tolist()
        fig.add_trace(
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
                "organisations (%{x:.0f}%)<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    bottom_legend(fig)
    fig.update_xaxes(
        range=[0, 100],
        ticksuffix="%",
        gridcolor="#D6D6D6",
        title_text="Share of organisations with a level",
    )
    fig.update_yaxes(
        autorange="reversed", tickfont={"size": 13}, dividercolor="#768692", dividerwidth=1
    )
    summary = dist.drop_duplicates([c for c in dist.columns if c not in {"level", "n", "pct"}])
    title, alt = _distribution_words(summary, split, threshold, title)
    table = dist.assign(level=dist["level"].map(lambda lv: f"Level {lv}"))
    table = table[[split, "outcome", "level", "n", "pct", "n_scored"]].rename(
        columns={"n": "organisations", "pct": "percent", "n_scored": "organisations with a level"}
    )
    table = missing_as(table.round({"percent": 1}), {"percent": "no levels"})
    height = 190 + len(outcomes) * len(cats) * 30
    return finish(fig, title=title, alt_text=alt, table=table, height=max(height, 320))


def _distribution_words(
    summary: pd.DataFrame, split: str, threshold: int, title: str | None
) -> tuple[str, str]:
    cycles = sorted(summary["cycle"].unique())
    assessment = ", ".join(ASSESSMENT_LABELS[a].lower() for a in summary["assessment"].unique())
    when = f"{cycles[0]}" if len(cycles) == 1 else f"{cycles[0]} to {cycles[-1]}"
    focus = summary
    where = NATIONAL
    if "region" in summary.columns:
        regions = list(dict.fromkeys(summary["region"]))
        own = [r for r in regions if r != NATIONAL]
        # One region beside England: the headline is about that region.
        where = own[0] if len(own) == 1 or NATIONAL not in regions else NATIONAL
        focus = summary[summary["region"] == where]
    latest = focus[focus["cycle"] == cycles[-1]].dropna(subset=["pct_at_or_above"])
    if title is None and split == "cycle" and len(cycles) > 1:
        share = focus.pivot_table(index="outcome", columns="cycle", values="pct_at_or_above")
        rose = int((share[cycles[-1]] > share[cycles[0]]).sum())
        title = (
            f"The share at Level {threshold} or above rose on {rose} of {len(share)} outcomes in "
            f"{escape_html(where)} between {cycles[0]} and {cycles[-1]}"
        )
    elif title is None and latest.empty:
        title = f"Organisations at each {assessment} level by outcome, {when}"
    elif title is None:
        best = latest.sort_values("pct_at_or_above", ascending=False, kind="stable").iloc[0]
        title = (
            f"{best['pct_at_or_above']:.0f}% of organisations in {escape_html(where)} are at Level {threshold} "
            f"or above on {escape_html(OUTCOME_SHORT[int(best['outcome'])])}, the highest of the outcomes ({cycles[-1]})"
        )
    shares = "; ".join(
        f"{OUTCOME_SHORT[int(r['outcome'])]} {r['pct_at_or_above']:.0f}%"
        for _, r in latest.iterrows()
    )
    alt = (
        f"Stacked horizontal bar charts, one per outcome, showing the share of organisations at each "
        f"{assessment} level from 0 to 4, split by {split}, {when}."
        + (
            f" Share at Level {threshold} or above in {where}, {cycles[-1]}: {shares}."
            if shares
            else ""
        )
    )
    return title, alt


# --------------------------------------------------------------------- heatmap


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
    pairs: pd.DataFrame,
    *,
    assessment: str = "validated",
    sort: str = "name",
    title: str | None = None,
) -> go.Figure:
    """Organisations against outcomes, coloured and labelled by level (validators' view).

    Takes :func:`~qio_analysis.metrics.paired_levels` rows for one cycle
    (usually one region); only the outcomes present in ``pairs`` are drawn.
    Rows are sorted by organisation name (``sort="name"``) or by mean score,
    highest first (``sort="level"``). Each cell shows its level as text, so
    colour is not the only carrier.

    The labels are the heatmap traces' own cell text (``texttemplate``), not
    one text mark per cell, which plotly.js draws several times faster for a
    few hundred organisations: the first trace draws every cell and labels the
    cells whose text is white, a second one (same colours) overlays the
    cells that need dark text, and a pale trace labels cells without a level.
    The layout is in pixels (title, outcome labels, colour bar), so the grid
    starts just under the outcome labels however many rows there are.
    """
    if pairs.empty:
        return empty_figure("No organisation submitted levels for this selection.")
    if sort not in {"name", "level"}:
        raise QioConfigError(f"sort must be 'name' or 'level', not {sort!r}.")
    cycle = int(pairs["cycle"].iloc[0])
    orgs = (
        pairs[["org_code", "org_name"]]
        .drop_duplicates("org_code")
        .sort_values("org_name", kind="stable")
    )
    if sort == "level":
        mean = pairs.groupby("org_code")[f"{assessment}_score"].mean()
        orgs = orgs.assign(_mean=orgs["org_code"].map(mean).astype("float64")).sort_values(
            "_mean", ascending=False, kind="stable", na_position="last"
        )
    ylabels = [
        f"{escape_html(n)} ({c})" for c, n in zip(orgs["org_code"], orgs["org_name"], strict=True)
    ]
    outcomes = [o.number for o in OUTCOMES if o.number in set(pairs["outcome"].astype(int))]
    xlabels = [
        f"{n}: " + "<br>".join(textwrap.wrap(escape_html(OUTCOME_SHORT[n]), 12)) for n in outcomes
    ]
    codes = orgs["org_code"].tolist()
    level = pairs.pivot(index="org_code", columns="outcome", values=f"{assessment}_level").reindex(
        index=codes, columns=outcomes
    )
    sub = pairs.pivot(index="org_code", columns="outcome", values=f"{assessment}_sublevel").reindex(
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
    scored = pairs[f"{assessment}_level"].notna().sum()
    missing = len(orgs) * len(outcomes) - scored
    if title is None:
        title = f"{word.capitalize()} levels for {len(orgs)} organisations, {cycle}" + (
            f" ({missing} outcome{'s' if missing != 1 else ''} without a level)" if missing else ""
        )
    table = pairs[
        ["org_code", "org_name", "outcome", f"{assessment}_level", f"{assessment}_sublevel"]
    ].rename(columns={f"{assessment}_level": "level", f"{assessment}_sublevel": "sub-level"})
    missing = NOT_VALIDATED if assessment == "validated" else NO_RETURN
    table = missing_as(table, {"level": missing, "sub-level": "none"})
    which = (
        "the six outcomes"
        if len(outcomes) == 6
        else f"outcome{'s' if len(outcomes) > 1 else ''} " + ", ".join(map(str, outcomes))
    )
    alt = (
        f"Heatmap of {word} levels, {cycle}: {len(orgs)} organisations in rows and {which} in "
        f"columns; each cell is labelled with its level and sub-level initial. {missing} cells have no level."
    )
    fig = finish(fig, title=title, alt_text=alt, table=table)
    # Pixel layout: title lines, then the outcome labels, then one fixed-height row per organisation.
    title_px = fig.layout.margin.t
    top = title_px + _HEATMAP_TOP_PX
    height = top + HEATMAP_ROW_PX * len(codes) + _HEATMAP_BOTTOM_PX
    return fig.update_layout(
        height=max(height, 300),
        # Room for the organisation names up front: plotly's automargin would otherwise
        # measure them and draw the whole chart a second time.
        margin={"t": top, "b": _HEATMAP_BOTTOM_PX, "l": _label_room(ylabels)},
        # The template puts the title at 98% of the height: in pixels instead, at the very top.
        title={"y": 1 - 10 / max(height, 300)},
    )


# --------------------------------------------------------------------- share trend


def fig_share_trend(
    summary: pd.DataFrame,
    *,
    threshold: int = 3,
    highlight: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """Share of organisations at ``threshold`` or above across cycles, one panel per outcome.

    Takes :func:`~qio_analysis.metrics.level_summary` over several cycles,
    with regions and England. England is drawn thick and black, the
    ``highlight`` region in NHS Blue with a dashed line, other regions thin and
    grey; England and the highlighted region are labelled at their last point.
    """
    data = summary.dropna(subset=["pct_at_or_above"])
    if data.empty or data["cycle"].nunique() < 1:
        return empty_figure("There are no levels to compare across cycles.")
    outcomes = sorted(data["outcome"].unique())
    groups = list(dict.fromkeys(data["region"])) if "region" in data.columns else [NATIONAL]
    fig = make_subplots(
        rows=(len(outcomes) + 1) // 2,
        cols=2 if len(outcomes) > 1 else 1,
        subplot_titles=[_outcome_title(n) for n in outcomes],
        shared_yaxes=True,
        vertical_spacing=0.12,
        horizontal_spacing=0.08,
    )
    cycles = sorted(data["cycle"].unique())
    for i, outcome in enumerate(outcomes):
        row, col = i // 2 + 1, i % 2 + 1
        for group in groups:
            part = data[
                (data["outcome"] == outcome)
                & ((data["region"] == group) if "region" in data.columns else True)
            ]
            part = part.sort_values("cycle")
            if part.empty:
                continue
            national, chosen = group == NATIONAL, group == highlight
            style = (
                {"color": NHS_COLOURS["black"], "width": 3.5, "dash": "solid"}
                if national
                else {"color": NHS_COLOURS["blue"], "width": 3, "dash": "dash"}
                if chosen
                else {"color": NHS_COLOURS["mid_grey"], "width": 1.2, "dash": "solid"}
            )
            labelled = national or chosen
            fig.add_trace(
                go.Scatter(
                    x=part["cycle"].astype(str),
                    y=part["pct_at_or_above"],
                    name=escape_html(group),
                    legendgroup=str(group),
                    showlegend=i == 0,
                    mode="lines+markers+text" if labelled else "lines+markers",
                    line=style,
                    marker={
                        "size": 8 if labelled else 5,
                        "symbol": "circle" if national else "diamond" if chosen else "circle-open",
                    },
                    text=[""] * (len(part) - 1) + [escape_html(group)] if labelled else None,
                    textposition="middle right",
                    textfont={"size": 12, "color": style["color"]},
                    hovertemplate=f"{escape_html(group)}, %{{x}}: %{{y:.0f}}% at Level {threshold} or above<extra></extra>",
                ),
                row=row,
                col=col,
            )
    fig.update_yaxes(range=[0, 100], ticksuffix="%", gridcolor="#D6D6D6")
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[str(c) for c in cycles],
        range=[-0.25, len(cycles) - 1 + 0.9],  # room for the end-of-line labels
    )
    for annotation in fig.layout.annotations:
        annotation.update(
            x=annotation.x - 0.2 if len(outcomes) > 1 else 0, xanchor="left", font={"size": 15}
        )
    national = data[data["region"] == NATIONAL] if "region" in data.columns else data
    first, last = cycles[0], cycles[-1]
    ups = 0
    for outcome in outcomes:
        series = national[national["outcome"] == outcome].set_index("cycle")["pct_at_or_above"]
        if first in series and last in series and series[last] > series[first]:
            ups += 1
    if title is None:
        title = (
            f"The share at Level {threshold} or above rose on {ups} of {len(outcomes)} outcomes "
            f"between {first} and {last} ({escape_html(groups[-1] if NATIONAL not in groups else NATIONAL)})"
            if len(cycles) > 1
            else f"Share at Level {threshold} or above, {first}"
        )
    table = data[
        [
            c
            for c in ("region", "cycle", "assessment", "outcome", "n_scored", "pct_at_or_above")
            if c in data
        ]
    ]
    alt = (
        f"Line charts, one per outcome, of the share of organisations at Level {threshold} or above in each "
        f"cycle from {first} to {last}, for {', '.join(map(str, groups))}."
    )
    return finish(
        fig,
        title=title,
        alt_text=alt,
        table=table.round({"pct_at_or_above": 1}),
        height=220 + 230 * ((len(outcomes) + 1) // 2),
    )

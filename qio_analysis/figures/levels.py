"""Level charts: an organisation's radar, level distributions, the heatmap and share trends."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    NHS_COLOURS,
    bottom_legend,
    cell_labels,
    empty_figure,
    esc,
    finish,
    text_colour_on,
    with_alpha,
)
from qio_analysis.framework import ASSESSMENT_LABELS, LEVELS, OUTCOME_SHORT, OUTCOMES, format_level
from qio_analysis.reference import NATIONAL

TEXT_ON_LEVEL = [text_colour_on(c) for c in LEVEL_COLOURS]
LEVEL_TICKS = [f"Level {lv}" for lv in LEVELS]


def _label(level: object, sub: object) -> str:
    return format_level(None if pd.isna(level) else int(level), None if pd.isna(sub) else str(sub))


def _outcome_title(n: int) -> str:
    return f"Outcome {n}: {OUTCOME_SHORT[n]}"


# --------------------------------------------------------------------- radar


def fig_radar(profile: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Radar of one organisation's six outcomes: validated, self-evaluated and previous validated.

    Takes a :func:`~qio_analysis.metrics.level_profile`. The radial axis is
    fixed at levels 0-4 (sub-levels are in the hover text and the table);
    traces differ by colour, line dash and marker symbol.
    """
    if profile.empty:
        return empty_figure("There is no profile to draw.")
    name, cycle = profile["org_name"].iloc[0], int(profile["cycle"].iloc[0])
    previous = profile["previous_cycle"].iloc[0]
    theta = [esc(s) for s in profile["outcome_short"]]
    wrapped = ["<br>".join(textwrap.wrap(esc(t), 48)) for t in profile["outcome_text"]]
    specs = [
        ("validated", f"Validated {cycle}", NHS_COLOURS["blue"], "solid", "circle"),
        ("self", f"Self-evaluated {cycle}", NHS_COLOURS["pink"], "dash", "diamond"),
    ]
    if not pd.isna(previous):
        specs.append(
            (
                "previous",
                f"Validated {int(previous)}",
                NHS_COLOURS["dark_grey"],
                "dot",
                "square-open",
            )
        )
    fig = go.Figure()
    for prefix, label, colour, dash, symbol in reversed(specs):
        levels = [None if pd.isna(v) else int(v) for v in profile[f"{prefix}_level"]]
        labels = [
            _label(lv, s)
            for lv, s in zip(profile[f"{prefix}_level"], profile[f"{prefix}_sublevel"], strict=True)
        ]
        fig.add_trace(
            go.Scatterpolar(
                r=[*levels, levels[0]],
                theta=[*theta, theta[0]],
                customdata=[
                    [lab, txt]
                    for lab, txt in zip([*labels, labels[0]], [*wrapped, wrapped[0]], strict=True)
                ],
                name=label,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 3 if prefix == "validated" else 2},
                marker={"symbol": symbol, "size": 10, "color": colour},
                fill="toself" if prefix == "validated" else "none",
                fillcolor=with_alpha(colour, 0.12),
                connectgaps=False,
                hovertemplate="<b>%{theta}</b>: %{customdata[0]}<br>%{customdata[1]}<extra>"
                + label
                + "</extra>",
            )
        )
    fig.update_layout(
        polar={
            "radialaxis": {
                "range": [0, 4],
                "tickvals": list(LEVELS),
                "ticktext": LEVEL_TICKS,
                "angle": 90,
                "tickangle": 90,
                "gridcolor": "#D6D6D6",
                "tickfont": {"size": 12},
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90, "gridcolor": "#D6D6D6"},
            "bgcolor": "white",
        },
        showlegend=True,
    )
    bottom_legend(fig)
    table = pd.DataFrame(
        {
            "Outcome": [
                f"{n}: {s}"
                for n, s in zip(profile["outcome"], profile["outcome_short"], strict=True)
            ],
            **{
                label: [
                    _label(lv, s)
                    for lv, s in zip(profile[f"{p}_level"], profile[f"{p}_sublevel"], strict=True)
                ]
                for p, label, *_ in specs
            },
        }
    )
    rose = int((profile["change"] > 0).sum())
    compared = int(profile["change"].notna().sum())
    if title is None:
        if compared:
            title = f"{esc(name)}: validated levels rose on {rose} of {compared} outcomes since {int(previous)}"
        else:
            title = f"{esc(name)}: validated levels on the six outcomes, {cycle}"
    parts = [
        f"{row['outcome_short']} {_label(row['validated_level'], row['validated_sublevel'])}"
        for _, row in profile.iterrows()
    ]
    alt = (
        f"Radar chart of QIOF levels for {name} on the six outcomes, with validated and self-evaluated "
        f"levels for {cycle}"
        + (f" and validated levels for {int(previous)}" if compared else "")
        + f". Validated {cycle}: "
        + "; ".join(parts)
        + "."
    )
    return finish(fig, title=title, alt_text=alt, table=table, height=560)


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
        c: esc(ASSESSMENT_LABELS.get(c, c)) if split == "assessment" else esc(c) for c in cats
    }
    outer = [f"{n}. {esc(OUTCOME_SHORT[n])}" for n in outcomes for _ in cats]
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
    height = 190 + len(outcomes) * len(cats) * 30
    return finish(
        fig, title=title, alt_text=alt, table=table.round({"percent": 1}), height=max(height, 320)
    )


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
            f"{esc(where)} between {cycles[0]} and {cycles[-1]}"
        )
    elif title is None and latest.empty:
        title = f"Organisations at each {assessment} level by outcome, {when}"
    elif title is None:
        best = latest.sort_values("pct_at_or_above", ascending=False, kind="stable").iloc[0]
        title = (
            f"{best['pct_at_or_above']:.0f}% of organisations in {esc(where)} are at Level {threshold} "
            f"or above on {esc(OUTCOME_SHORT[int(best['outcome'])])}, the highest of the outcomes ({cycles[-1]})"
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


def fig_heatmap(
    pairs: pd.DataFrame, *, assessment: str = "validated", title: str | None = None
) -> go.Figure:
    """Organisations against outcomes, coloured and labelled by level (validators' view).

    Takes :func:`~qio_analysis.metrics.paired_levels` rows for one cycle
    (usually one region). Each cell shows its level as text, so colour is not
    the only carrier.
    """
    if pairs.empty:
        return empty_figure("No organisation submitted levels for this selection.")
    cycle = int(pairs["cycle"].iloc[0])
    orgs = (
        pairs[["org_code", "org_name"]]
        .drop_duplicates("org_code")
        .sort_values("org_name", kind="stable")
    )
    ylabels = [f"{esc(n)} ({c})" for c, n in zip(orgs["org_code"], orgs["org_name"], strict=True)]
    outcomes = [o.number for o in OUTCOMES]
    xlabels = [f"{n}: " + "<br>".join(textwrap.wrap(esc(OUTCOME_SHORT[n]), 12)) for n in outcomes]
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
    text, colours = [], []
    for row_values, row_subs in zip(values, initials, strict=True):
        for v, s in zip(row_values, row_subs, strict=True):
            if v != v:
                text.append("no level")
                colours.append(NHS_COLOURS["black"])
            else:
                text.append(f"{int(v)}" + ("" if s is None or s != s else f" {str(s)[0]}"))
                colours.append(TEXT_ON_LEVEL[int(v)])
    xs = xlabels * len(codes)
    ys = [label for label in ylabels for _ in outcomes]
    scale = []
    for level, colour in zip(LEVELS, LEVEL_COLOURS, strict=True):
        scale += [[level / 5, colour], [(level + 1) / 5, colour]]
    fig = go.Figure(
        [
            go.Heatmap(
                z=z,
                x=xlabels,
                y=ylabels,
                zmin=-0.5,
                zmax=4.5,
                colorscale=scale,
                xgap=2,
                ygap=2,
                colorbar={
                    "tickvals": list(LEVELS),
                    "ticktext": LEVEL_TICKS,
                    "title": {"text": "Level"},
                },
                hovertemplate="%{y}<br>%{x}: Level %{z}<extra></extra>",
            ),
            cell_labels(xs, ys, text, colours, size=12),
        ]
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 12}, showgrid=False)
    fig.update_xaxes(side="top", tickangle=0, tickfont={"size": 12}, showgrid=False)
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
    alt = (
        f"Heatmap of {word} levels, {cycle}: {len(orgs)} organisations in rows and the six outcomes in "
        f"columns; each cell is labelled with its level and sub-level initial. {missing} cells have no level."
    )
    return finish(fig, title=title, alt_text=alt, table=table, height=160 + 26 * len(orgs))


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
                    name=esc(group),
                    legendgroup=str(group),
                    showlegend=i == 0,
                    mode="lines+markers+text" if labelled else "lines+markers",
                    line=style,
                    marker={
                        "size": 8 if labelled else 5,
                        "symbol": "circle" if national else "diamond" if chosen else "circle-open",
                    },
                    text=[""] * (len(part) - 1) + [esc(group)] if labelled else None,
                    textposition="middle right",
                    textfont={"size": 12, "color": style["color"]},
                    hovertemplate=f"{esc(group)}, %{{x}}: %{{y:.0f}}% at Level {threshold} or above<extra></extra>",
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
            f"between {first} and {last} ({esc(groups[-1] if NATIONAL not in groups else NATIONAL)})"
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

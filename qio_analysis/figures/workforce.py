"""Workforce and activity charts: staff ratio against the target, activity trends."""

from __future__ import annotations

from typing import Unpack

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import NHS_COLOURS, FigureLayout, empty_figure, finish
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.text import escape_html
from qio_analysis.words import (
    format_rate,
    format_ratio,
    missing_as,
)


def fig_staff_ratio(
    df: pd.DataFrame,
    *,
    year: str | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """NHS WTE per qualified LKS WTE by region against the target (a dashed line).

    Takes :func:`~qio_analysis.metrics.staff_ratio` with ``by="region"`` (or
    per service). Lower is better; each bar is labelled ``1:N`` and the hover
    says whether the target is met, so meaning does not rest on colour.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import staff_ratio
    >>> from qio_analysis import examples
    >>> stats = examples.two_services()
    >>> fig = fig_staff_ratio(staff_ratio(stats, by="region"))
    >>> fig.layout.title.text
    '1 of 2 regions with a ratio meet the 1:1,250 staffing target in 2024/25;<br>England is at 1:1,364'
    >>> figure_table(fig)["nhs_wte_per_qualified"].tolist()[:3]
    [1250.0, 1666.7, 1363.6]
    """
    if df.empty:
        return empty_figure("There are no statistics returns to show.", **layout)
    year = year or df.sort_values("year_start")["year"].iloc[-1]
    part = df[(df["year"] == year) & df["nhs_wte_per_qualified"].notna()]
    if part.empty:
        return empty_figure(f"No staff ratio can be calculated for {year}.", **layout)
    label_col = "region" if "region" in part.columns else "service_name"
    target = float(part["target"].iloc[0])
    names = part[label_col].tolist()
    y = [f"<b>{escape_html(n)}</b>" if n == NATIONAL else escape_html(n) for n in names]
    colours = [NHS_COLOURS["dark_blue"] if n == NATIONAL else NHS_COLOURS["blue"] for n in names]
    meets = [
        "meets the target" if bool(m) else "does not meet the target" for m in part["meets_target"]
    ]
    fig = go.Figure(
        go.Bar(
            x=part["nhs_wte_per_qualified"],
            y=y,
            orientation="h",
            marker={"color": colours},
            text=[format_ratio(v) for v in part["nhs_wte_per_qualified"]],
            textposition="outside",
            customdata=list(
                zip(
                    meets,
                    part["qualified_wte"],
                    part["nhs_wte"],
                    part["qualified_wte_gap"],
                    strict=True,
                )
            ),
            hovertemplate="%{y}: 1:%{x:,.0f} (%{customdata[0]})<br>Qualified WTE %{customdata[1]:,.1f}, "
            "NHS WTE %{customdata[2]:,.0f}<br>Extra qualified WTE needed: %{customdata[3]:,.1f}<extra></extra>",
            showlegend=False,
        )
    )
    top = max(float(part["nhs_wte_per_qualified"].max()), target) * 1.18
    fig.add_vline(x=target, line={"color": NHS_COLOURS["black"], "dash": "dash", "width": 2})
    fig.add_annotation(
        x=target,
        y=1.0,
        yref="paper",
        yanchor="bottom",
        text=f"Target {format_ratio(target)}",
        showarrow=False,
        font={"size": 13, "color": NHS_COLOURS["black"]},
    )
    fig.update_xaxes(
        range=[0, top],
        title_text="NHS staff WTE per qualified LKS WTE (lower is better)",
        tickformat=",",
    )
    fig.update_yaxes(autorange="reversed")
    groups = part[part[label_col] != NATIONAL]
    met = int(groups["meets_target"].fillna(False).sum())
    absent = [r for r in REGION_NAMES if r not in set(names)] if label_col == "region" else []
    kind = "regions with a ratio" if absent else "regions"
    national = part[part[label_col] == NATIONAL]
    if title is None:
        where = (
            f"; England is at {format_ratio(national['nhs_wte_per_qualified'].iloc[0])}"
            if len(national)
            else ""
        )
        title = f"{met} of {len(groups)} {kind} meet the {format_ratio(target)} staffing target in {year}{where}"
    table = part[
        [
            label_col,
            "year",
            "qualified_wte",
            "nhs_wte",
            "nhs_wte_per_qualified",
            "meets_target",
            "qualified_wte_gap",
            "note",
        ]
    ]
    alt = (
        f"Horizontal bars of NHS staff WTE per qualified LKS WTE in {year}, with a dashed line at the target of "
        f"{format_ratio(target)}. "
        + "; ".join(
            f"{n}: {format_ratio(v)}"
            for n, v in zip(names, part["nhs_wte_per_qualified"], strict=True)
        )
        + "."
    )
    table = table.round(1)
    if absent:  # every NHS England region is accounted for, in words, when it has no ratio
        alt += f" No staff ratio for {', '.join(absent)} in {year}: no return with both figures."
        filler = pd.DataFrame(
            {label_col: absent, "year": year, "note": f"no return with both figures in {year}"}
        )
        table = pd.concat([table, filler], ignore_index=True)
    table = missing_as(table, "not reported")
    return finish(
        fig, title=title, alt_text=alt, table=table, fitted_height=150 + 46 * len(part), **layout
    )


def fig_activity_trend(
    df: pd.DataFrame,
    *,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Activity per 1,000 NHS WTE across years, one small panel per activity (own scales).

    Takes national :func:`~qio_analysis.metrics.activity_rates` (``by=[]``).

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import activity_rates
    >>> from qio_analysis import examples
    >>> stats = examples.two_services()
    >>> fig = fig_activity_trend(activity_rates(stats))  # enquiries: 1,000 per 5,000 NHS WTE
    >>> figure_table(fig).iloc[:, :3].to_dict("records")
    [{'year': '2024/25', 'enquiries_per_1000_wte': 200.0, 'expert_searches_per_1000_wte': 'not reported'}]
    """
    if df.empty:
        return empty_figure("There are no statistics returns to show.", **layout)
    data = df.sort_values("year_start")
    names = list(ACTIVITIES)
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[f"{ACTIVITIES[m]} per 1,000 NHS WTE" for m in names],
        vertical_spacing=0.2,
        horizontal_spacing=0.07,
    )
    for i, measure in enumerate(names):
        col = f"{measure}_per_1000_wte"
        fig.add_trace(
            go.Scatter(
                x=data["year"],
                y=data[col],
                mode="lines+markers+text",
                showlegend=False,
                line={"color": NHS_COLOURS["blue"], "width": 3},
                marker={"size": 7},
                text=[""] * (len(data) - 1) + [format_rate(data[col].iloc[-1], missing="")],
                textposition="bottom left",
                hovertemplate=f"{ACTIVITIES[measure]} per 1,000 NHS WTE, %{{x}}: %{{y:.1f}}<extra></extra>",
            ),
            row=i // 3 + 1,
            col=i % 3 + 1,
        )
    fig.update_yaxes(gridcolor="#D6D6D6")
    for i, measure in enumerate(names):
        top = data[f"{measure}_per_1000_wte"].max()
        fig.update_yaxes(
            range=[0, (1.0 if pd.isna(top) else float(top)) * 1.15], row=i // 3 + 1, col=i % 3 + 1
        )
    fig.update_xaxes(tickangle=-45, tickfont={"size": 11})
    for annotation in fig.layout.annotations:
        annotation.update(font={"size": 13})
    first, last = data.iloc[0], data.iloc[-1]
    reported = [
        m
        for m in names
        if pd.notna(first[f"{m}_per_1000_wte"]) and pd.notna(last[f"{m}_per_1000_wte"])
    ]
    ups = [
        ACTIVITIES[m].lower()
        for m in reported
        if last[f"{m}_per_1000_wte"] > first[f"{m}_per_1000_wte"]
    ]
    if title is None:
        title = (
            f"Per 1,000 NHS staff, {len(ups)} of {len(reported)} reported activities grew between "
            f"{first['year']} and {last['year']}"
            if len(data) > 1
            else f"Activity per 1,000 NHS staff, {last['year']}"
        )
    table = missing_as(
        data[["year", *[f"{m}_per_1000_wte" for m in names]]].round(2), "not reported"
    )
    alt = (
        f"Six line charts of activity per 1,000 NHS WTE from {first['year']} to {last['year']}. "
        + "; ".join(
            f"{ACTIVITIES[m]}: {format_rate(first[f'{m}_per_1000_wte'])} to {format_rate(last[f'{m}_per_1000_wte'])}"
            for m in names
        )
        + "."
    )
    return finish(fig, title=title, alt_text=alt, table=table, fitted_height=620, **layout)

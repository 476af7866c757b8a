"""Workforce and activity charts: staff ratio against target, headline tiles, activity trends."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import NHS_COLOURS, empty_figure, finish
from qio_analysis.metrics.headlines import headline_table
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.text import escape_html
from qio_analysis.words import (
    PLOTLY_FORMATS,
    count_words,
    format_change,
    format_rate,
    format_ratio,
    format_value,
    headline_change_words,
    missing_as,
)


def fig_staff_ratio(
    ratio: pd.DataFrame, *, year: str | None = None, title: str | None = None
) -> go.Figure:
    """NHS WTE per qualified LKS WTE by region against the target (a dashed line).

    Takes :func:`~qio_analysis.metrics.staff_ratio` with ``by="region"`` (or
    per service). Lower is better; each bar is labelled ``1:N`` and the hover
    says whether the target is met, so meaning does not rest on colour.
    """
    if ratio.empty:
        return empty_figure("There are no statistics returns to show.")
    year = year or ratio.sort_values("year_start")["year"].iloc[-1]
    part = ratio[(ratio["year"] == year) & ratio["nhs_wte_per_qualified"].notna()]
    if part.empty:
        return empty_figure(f"No staff ratio can be calculated for {year}.")
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
    return finish(fig, title=title, alt_text=alt, table=table, height=150 + 46 * len(part))


DEFAULT_TILES = (
    "qualified_wte",
    "nhs_wte_per_qualified",
    "registered_users_pct",
    "expert_searches",
    "people_trained",
    "expenditure_gbp",
)


def fig_headline_tiles(
    headlines: pd.DataFrame,
    *,
    measures: tuple[str, ...] = DEFAULT_TILES,
    columns: int = 3,
    title: str | None = None,
) -> go.Figure:
    """Big-number tiles with like-for-like change on the previous year, for the annual infographic.

    Takes :func:`~qio_analysis.metrics.headline_figures`. Each tile shows
    the total for the year with its number of returns, and beneath it the
    like-for-like change (services that returned in both years), in
    percentage points for percentages. The arrow shape shows the direction
    (▲/▼); its colour and the word "better"/"worse" follow whether the
    change is an improvement, so for the staff ratio ("lower is better") a
    fall is green. Alt text and the data table use the tiles' formatting.
    """
    rows = headlines.set_index("measure").reindex(list(measures)).dropna(subset=["label"])
    if rows.empty:
        return empty_figure("There are no headline figures for this year.")
    n_rows = math.ceil(len(rows) / columns)
    fig = go.Figure()
    good, bad = NHS_COLOURS["dark_green"], NHS_COLOURS["dark_pink"]
    for i, (measure, row) in enumerate(rows.iterrows()):
        r, c = divmod(i, columns)
        full = row.copy()
        full["measure"] = measure
        note = "lower is better; " if not row["higher_is_better"] else ""
        if row["direction"] == "n/a":
            delta = f"<span style='color:{NHS_COLOURS['dark_grey']}'>no comparison with the previous year</span>"
        else:
            arrow = {"up": "\u25b2", "down": "\u25bc"}.get(row["direction"], "\u25b6")
            colour = (
                NHS_COLOURS["dark_grey"]
                if pd.isna(row["better"]) or row["better"] is None
                else (good if row["better"] else bad)
            )
            change = format_change(row["change"], row["change_unit"])
            verdict = (
                ""
                if colour == NHS_COLOURS["dark_grey"]
                else (" better" if row["better"] else " worse")
            )
            basis = (
                f"on {row['previous_year']}"
                if measure == "n_services"
                else f"like for like: {count_words(row['n_both'], 'service')} in both years"
            )
            delta = (
                f"<span style='color:{colour};font-size:14px'><b>{arrow} {escape_html(change)}{verdict}</b></span>"
                f"<br><span style='font-size:12px'>{escape_html(basis)}</span>"
            )
        missing = pd.isna(row["value"])
        valueformat, affixes, scale = PLOTLY_FORMATS[row["unit"]]
        fig.add_trace(
            go.Indicator(
                mode="number",
                value=None if missing else float(row["value"]) * scale,
                number={
                    "valueformat": valueformat,
                    "font": {"size": 40, "color": NHS_COLOURS["dark_blue"]},
                    **affixes,
                },
                title={
                    "text": "<br>".join(textwrap.wrap(escape_html(row["label"]), 30))
                    + f"<br><span style='font-size:12px'>{row['year']}, "
                    + ("not reported" if missing else count_words(row["n_returns"], "return"))
                    + f"{'; ' + note.rstrip('; ') if note else ''}</span><br>"
                    f"<span style='font-size:12px'>{delta}</span>",
                    "font": {"size": 15},
                },
                domain={"row": r, "column": c},
            )
        )
    fig.update_layout(
        grid={"rows": n_rows, "columns": columns, "pattern": "independent", "ygap": 0.5}
    )
    year = rows["year"].iloc[0]
    if title is None:
        title = f"LKS in England, {year}: the year in numbers"

    def words(measure: str, row: pd.Series) -> str:
        full = row.copy()
        full["measure"] = measure
        lower = " (lower is better)" if not row["higher_is_better"] else ""
        return (
            f"{row['label']}{lower}: {format_value(row['value'], row['unit'])} from "
            f"{count_words(row['n_returns'], 'return')}, {headline_change_words(full)}"
        )

    alt = (
        f"Headline tiles for {year}; change is like for like, on services that returned in both years. "
        + "; ".join(words(m, r) for m, r in rows.iterrows())
        + "."
    )
    table = headline_table(rows.reset_index())
    fig = finish(fig, title=title, alt_text=alt, table=table, height=170 + 215 * n_rows)
    # Room above the first row for its tile titles (label, year, change, basis).
    return fig.update_layout(margin={"t": fig.layout.margin.t + 90, "b": 10})


def fig_activity_trend(rates: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Activity per 1,000 NHS WTE across years, one small panel per activity (own scales).

    Takes national :func:`~qio_analysis.metrics.activity_rates` (``by=[]``).
    """
    if rates.empty:
        return empty_figure("There are no statistics returns to show.")
    data = rates.sort_values("year_start")
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
    return finish(fig, title=title, alt_text=alt, table=table, height=620)

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
    NOT_REPORTED,
    activity_headline,
    format_count,
    format_rate,
    format_ratio,
    format_wte,
    meets_target,
    ratio_headline,
)

NOT_PUBLISHED = "not published"


def withheld_words(kind: object, min_group: object) -> str:
    """A withheld region's short reason, in a chart label, its table and its alt text."""
    if kind == "secondary":
        return "not shown: it would reveal a smaller region"
    if kind == "differencing":
        return "not shown: with the published totals it would reveal a few services"
    return f"not shown: fewer than {min_group} services" if min_group else "not shown"


def _withheld_words(row: pd.Series, min_group: object) -> str:
    return withheld_words(row.get("suppression"), min_group)


def fig_staff_ratio(
    df: pd.DataFrame,
    *,
    year: str | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """NHS WTE per qualified LKS WTE by region against the target (a dashed line).

    Takes :func:`~qio_analysis.metrics.staff_ratio` with ``by="region"`` (or
    per service), or a headline pack's ``regions``, whose withheld regions
    (``suppressed``) show the reason instead of a bar. Lower is better; each
    bar is labelled ``1:N``, precise enough for the verdict beside it, and the
    hover says whether the target is met, so meaning does not rest on colour.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import staff_ratio
    >>> from qio_analysis import examples
    >>> stats = examples.two_services()
    >>> fig = fig_staff_ratio(staff_ratio(stats, by="region"))
    >>> fig.layout.title.text
    '1 of the 2 regions shown meets the 1:1,250 staffing target in 2024/25; England<br>is at 1:1,364'
    >>> figure_table(fig)["Staff ratio (1:N)"].tolist()[:3]
    ['1:1,250', '1:1,667', '1:1,364']
    """
    if df.empty:
        return empty_figure("There are no statistics returns to show.", **layout)
    year = year or df.sort_values("year_start" if "year_start" in df else "year")["year"].iloc[-1]
    label_col = "region" if "region" in df.columns else "service_name"
    in_year = df[df["year"] == year]
    withheld = (
        in_year["suppressed"].fillna(False).astype(bool)
        if "suppressed" in in_year
        else pd.Series(False, index=in_year.index)
    )
    part = in_year[in_year["nhs_wte_per_qualified"].notna() | withheld]
    if part.empty:
        return empty_figure(f"No staff ratio can be calculated for {year}.", **layout)
    target = float(in_year["target"].dropna().iloc[0])
    min_group = int(part["min_group"].iloc[0]) if "min_group" in part else None
    names = part[label_col].tolist()
    hidden = withheld.reindex(part.index).tolist()
    ratios = part["nhs_wte_per_qualified"]
    labels = [
        _withheld_words(row, min_group) if h else format_ratio(v, target=target)
        for (_, row), h, v in zip(part.iterrows(), hidden, ratios, strict=True)
    ]
    verdicts = [
        "" if h else ("meets the target" if meets_target(v, target) else "does not meet the target")
        for h, v in zip(hidden, ratios, strict=True)
    ]
    y = [f"<b>{escape_html(n)}</b>" if n == NATIONAL else escape_html(n) for n in names]
    colours = [NHS_COLOURS["dark_blue"] if n == NATIONAL else NHS_COLOURS["blue"] for n in names]
    fig = go.Figure(
        go.Bar(
            x=ratios.fillna(0.0),
            y=y,
            orientation="h",
            marker={"color": colours},
            text=[escape_html(t) for t in labels],
            textposition="outside",
            cliponaxis=False,
            customdata=list(zip(labels, verdicts, strict=True)),
            hovertemplate="%{y}: %{customdata[0]} %{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    top = max(float(ratios.max()) if ratios.notna().any() else 0.0, target) * 1.22
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
    if title is None:
        title = ratio_headline(in_year, target=target)
    absent = (
        [r for r in REGION_NAMES if r not in set(in_year[label_col])]
        if label_col == "region"
        else []
    )
    table = pd.DataFrame(
        {
            label_col.replace("_", " ").capitalize(): names,
            "Year": year,
            **(
                {"Services": [format_count(n) for n in part["n_services"]]}
                if "n_services" in part
                else {}
            ),
            "Staff ratio (1:N)": [
                NOT_PUBLISHED if h else t for h, t in zip(hidden, labels, strict=True)
            ],
            f"Meets {format_ratio(target)}": [
                "" if h else ("Yes" if meets_target(v, target) else "No")
                for h, v in zip(hidden, ratios, strict=True)
            ],
            **(
                {
                    "Qualified LKS WTE": [format_wte(v, missing="") for v in part["qualified_wte"]],
                    "NHS WTE served": [format_count(v, missing="") for v in part["nhs_wte"]],
                }
                if "qualified_wte" in part
                else {}
            ),
            "Note": [
                row.get("reason", "") if h else (row.get("note", "") or "")
                for (_, row), h in zip(part.iterrows(), hidden, strict=True)
            ],
        }
    )
    alt = (
        f"Horizontal bars of NHS staff WTE per qualified LKS WTE in {year}, with a dashed line at "
        f"the target of {format_ratio(target)} (lower is better). "
        + "; ".join(f"{n}: {t}" for n, t in zip(names, labels, strict=True))
        + "."
    )
    if absent:  # every NHS England region is accounted for, in words, when it has no ratio
        alt += f" No staff ratio for {', '.join(absent)} in {year}: no return with both figures."
        filler = pd.DataFrame(
            {
                "Region": absent,
                "Year": year,
                "Staff ratio (1:N)": "no return with both figures",
            }
        )
        table = pd.concat([table, filler], ignore_index=True).fillna("")
    return finish(
        fig, title=title, alt_text=alt, table=table, fitted_height=150 + 46 * len(part), **layout
    )


def fig_activity_trend(
    df: pd.DataFrame,
    *,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Activity per 1,000 NHS WTE across years, one small panel per activity, each from zero.

    Takes national :func:`~qio_analysis.metrics.activity_rates` (``by=[]``) or
    a headline pack's ``trend`` (a withheld year is a gap). Each panel's title
    gives the first and last year's rate, so no label sits on a line; the
    axis names only the first and last years, level, so nothing overlaps at
    any width.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import activity_rates
    >>> from qio_analysis import examples
    >>> stats = examples.two_services()
    >>> fig = fig_activity_trend(activity_rates(stats))  # enquiries: 1,000 per 5,000 NHS WTE
    >>> figure_table(fig).iloc[:, :3].to_dict("records")
    [{'Year': '2024/25', 'Enquiries per 1,000 NHS WTE': '200.0', 'Expert searches per 1,000 NHS WTE': 'not reported'}]
    """
    if df.empty:
        return empty_figure("There are no statistics returns to show.", **layout)
    data = df.sort_values("year_start")
    names = list(ACTIVITIES)
    first, last = data.iloc[0], data.iloc[-1]

    def rate(row: pd.Series, col: str) -> str:
        # A headline pack's trend marks the rates disclosure control withheld.
        withheld = bool(row.get(f"{col}_withheld", False))
        return format_rate(row[col], missing=NOT_PUBLISHED if withheld else NOT_REPORTED)

    def span(measure: str) -> str:
        col = f"{measure}_per_1000_wte"
        if len(data) == 1:
            return rate(last, col)
        return f"{rate(first, col)} in {first['year']}, {rate(last, col)} in {last['year']}"

    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[
            f"<b>{ACTIVITIES[m]}</b><br><span style='font-size:12px'>{span(m)}</span>"
            for m in names
        ],
        vertical_spacing=0.24,
        horizontal_spacing=0.07,
    )
    for i, measure in enumerate(names):
        col = f"{measure}_per_1000_wte"
        fig.add_trace(
            go.Scatter(
                x=data["year"],
                y=data[col],
                mode="lines+markers",
                showlegend=False,
                line={"color": NHS_COLOURS["blue"], "width": 3},
                marker={"size": 7},
                hovertemplate=f"{ACTIVITIES[measure]} per 1,000 NHS WTE, %{{x}}: %{{y:.1f}}<extra></extra>",
            ),
            row=i // 3 + 1,
            col=i % 3 + 1,
        )
    fig.update_yaxes(gridcolor="#D6D6D6", rangemode="tozero")
    for i, measure in enumerate(names):
        top = data[f"{measure}_per_1000_wte"].max()
        fig.update_yaxes(
            range=[0, (1.0 if pd.isna(top) else float(top)) * 1.15], row=i // 3 + 1, col=i % 3 + 1
        )
    ends = [first["year"], last["year"]] if len(data) > 1 else [last["year"]]
    fig.update_xaxes(
        tickangle=0, tickfont={"size": 11}, tickmode="array", tickvals=ends, ticktext=ends
    )
    for annotation in fig.layout.annotations:
        annotation.update(font={"size": 13})
    if title is None:
        title = activity_headline(data)
    table = pd.DataFrame(
        {
            "Year": data["year"].tolist(),
            **{
                f"{ACTIVITIES[m]} per 1,000 NHS WTE": [
                    rate(row, f"{m}_per_1000_wte") for _, row in data.iterrows()
                ]
                for m in names
            },
        }
    )
    alt = (
        f"Six line charts of activity per 1,000 NHS WTE from {first['year']} to {last['year']}, "
        "each from zero. " + "; ".join(f"{ACTIVITIES[m]}: {span(m)}" for m in names) + "."
    )
    fig = finish(fig, title=title, alt_text=alt, table=table, fitted_height=660, **layout)
    # Room between the headline and the first row's two-line panel titles.
    return fig.update_layout(margin={"t": fig.layout.margin.t + 36})

"""Workforce and activity charts: staff ratio against the target, activity trends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import (
    NHS_COLOURS,
    NO_TRACE_NAME,
    FigureLayout,
    empty_figure,
    make_figure,
    per_row_height,
)
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.text import escape_html
from qio_analysis.words import format_count, format_ratio, format_wte, meets_target
from qio_analysis.words.chart_groups import group_label
from qio_analysis.words.chart_workforce import (
    NO_RETURNS,
    NOT_PUBLISHED,
    activity_trend_words,
    no_staff_ratio,
    ratio_labels,
    ratio_verdicts,
    staff_ratio_words,
    trend_rate,
    trend_span,
)


@dataclass(frozen=True)
class _RatioRows:
    """The rows of one year a staff-ratio chart draws: those with a ratio, and those withheld."""

    year: str
    label_col: str
    in_year: pd.DataFrame
    part: pd.DataFrame
    hidden: list[bool]
    target: float
    min_group: int | None


def _ratio_rows(df: pd.DataFrame, year: str | None) -> _RatioRows:
    year = year or df.sort_values("year_start" if "year_start" in df else "year")["year"].iloc[-1]
    in_year = df[df["year"] == year]
    withheld = (
        in_year["suppressed"].fillna(False).astype(bool)
        if "suppressed" in in_year
        else pd.Series(False, index=in_year.index)
    )
    part = in_year[in_year["nhs_wte_per_qualified"].notna() | withheld]
    return _RatioRows(
        year=str(year),
        label_col="region" if "region" in df.columns else "service_name",
        in_year=in_year,
        part=part,
        hidden=withheld.reindex(part.index).tolist(),
        target=float(in_year["target"].dropna().iloc[0]) if not part.empty else 0.0,
        min_group=int(part["min_group"].iloc[0]) if "min_group" in part else None,
    )


def _ratio_bars(rows: _RatioRows, labels: list[str]) -> go.Figure:
    """Bars of the ratios (England dark and bold), labelled, with the dashed target line."""
    names, ratios, target = (
        rows.part[rows.label_col].tolist(),
        rows.part["nhs_wte_per_qualified"],
        rows.target,
    )
    verdicts = ratio_verdicts(ratios, rows.hidden, target)
    fig = go.Figure(
        go.Bar(
            x=ratios.fillna(0.0),
            y=[group_label(n) for n in names],
            orientation="h",
            marker={
                "color": [
                    NHS_COLOURS["dark_blue"] if n == NATIONAL else NHS_COLOURS["blue"]
                    for n in names
                ]
            },
            text=[escape_html(t) for t in labels],
            textposition="outside",
            cliponaxis=False,
            customdata=list(zip(labels, verdicts, strict=True)),
            hovertemplate="%{y}: %{customdata[0]} %{customdata[1]}" + NO_TRACE_NAME,
            showlegend=False,
        )
    )
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
    return fig


def _ratio_table(rows: _RatioRows, labels: list[str], absent: list[str]) -> pd.DataFrame:
    """The data table: each row's ratio as printed, whether it meets the target, its WTE and note;
    then each region with no row, saying so."""
    part, hidden, target = rows.part, rows.hidden, rows.target
    table = pd.DataFrame(
        {
            rows.label_col.replace("_", " ").capitalize(): part[rows.label_col].tolist(),
            "Year": rows.year,
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
                for h, v in zip(hidden, part["nhs_wte_per_qualified"], strict=True)
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
    if not absent:
        return table
    filler = pd.DataFrame(
        {"Region": absent, "Year": rows.year, "Staff ratio (1:N)": "no return with both figures"}
    )
    return pd.concat([table, filler], ignore_index=True).fillna("")


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
        return empty_figure(NO_RETURNS, **layout)
    rows = _ratio_rows(df, year)
    if rows.part.empty:
        return empty_figure(no_staff_ratio(rows.year), **layout)
    labels = ratio_labels(rows.part, rows.hidden, rows.target, rows.min_group)
    names = rows.part[rows.label_col].tolist()
    seen = set(rows.in_year[rows.label_col])
    # Every NHS England region is accounted for, in words, when it has no ratio.
    absent = [r for r in REGION_NAMES if r not in seen] if rows.label_col == "region" else []
    ratios = rows.part["nhs_wte_per_qualified"]
    top = max(float(ratios.max()) if ratios.notna().any() else 0.0, rows.target) * 1.22
    return make_figure(
        _ratio_bars(rows, labels),
        staff_ratio_words(
            rows.in_year,
            rows.year,
            rows.target,
            list(zip(names, labels, strict=True)),
            absent,
            title=title,
        ),
        _ratio_table(rows, labels, absent),
        title=title,
        xaxes={
            "range": [0, top],
            "title_text": "NHS staff WTE per qualified LKS WTE (lower is better)",
            "tickformat": ",",
        },
        yaxes={"autorange": "reversed"},
        fitted_height=per_row_height(len(rows.part), row_px=46, room=150),
        **layout,
    )


def _activity_panels(data: pd.DataFrame) -> go.Figure:
    """One small panel per activity, two rows of three, each from zero, the first and last years named."""
    names = list(ACTIVITIES)
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[
            f"<b>{ACTIVITIES[m]}</b><br><span style='font-size:12px'>{trend_span(data, m)}</span>"
            for m in names
        ],
        vertical_spacing=0.24,
        horizontal_spacing=0.07,
    )
    for i, measure in enumerate(names):
        fig.add_trace(
            go.Scatter(
                x=data["year"],
                y=data[f"{measure}_per_1000_wte"],
                mode="lines+markers",
                showlegend=False,
                line={"color": NHS_COLOURS["blue"], "width": 3},
                marker={"size": 7},
                hovertemplate=f"{ACTIVITIES[measure]} per 1,000 NHS WTE, %{{x}}: %{{y:.1f}}"
                + NO_TRACE_NAME,
            ),
            row=i // 3 + 1,
            col=i % 3 + 1,
        )
    for i, measure in enumerate(names):
        top = data[f"{measure}_per_1000_wte"].max()
        fig.update_yaxes(
            range=[0, (1.0 if pd.isna(top) else float(top)) * 1.15], row=i // 3 + 1, col=i % 3 + 1
        )
    first, last = data.iloc[0], data.iloc[-1]
    ends = [first["year"], last["year"]] if len(data) > 1 else [last["year"]]
    fig.update_xaxes(
        tickangle=0, tickfont={"size": 11}, tickmode="array", tickvals=ends, ticktext=ends
    )
    for annotation in fig.layout.annotations:
        annotation.update(font={"size": 13})
    return fig


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
        return empty_figure(NO_RETURNS, **layout)
    data = df.sort_values("year_start")
    table = pd.DataFrame(
        {
            "Year": data["year"].tolist(),
            **{
                f"{label} per 1,000 NHS WTE": [
                    trend_rate(row, f"{m}_per_1000_wte") for _, row in data.iterrows()
                ]
                for m, label in ACTIVITIES.items()
            },
        }
    )
    fig = make_figure(
        _activity_panels(data),
        activity_trend_words(data, ACTIVITIES, title=title),
        table,
        title=title,
        yaxes={"gridcolor": "#D6D6D6", "rangemode": "tozero"},
        fitted_height=660,
        **layout,
    )
    # Room between the headline and the first row's two-line panel titles.
    return fig.update_layout(margin={"t": fig.layout.margin.t + 36})

"""Benchmarking figures: one named service as a dot on the distribution of all services.

Only the selected service is named; every other service is an anonymous grey
dot and nothing is ranked. Comparators (region, similar services, England,
the 1:1,250 target) are marked with their own symbol and label, so colour is
never the only carrier of meaning. Suppressed comparators are left out of the
chart and their reason is given in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Unpack

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qio_analysis.figures.template import (
    NHS_COLOURS,
    NO_TRACE_NAME,
    FigureLayout,
    make_figure,
    per_row_height,
)
from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html
from qio_analysis.words import format_ratio
from qio_analysis.words.chart_benchmarking import staffing_trend_alt, strip_alt
from qio_analysis.words.chart_words import ChartWords

_MARKS = {
    "region": ("diamond", NHS_COLOURS["dark_green"]),
    "Similar services": ("triangle-up", NHS_COLOURS["purple"]),
    NATIONAL: ("square", NHS_COLOURS["dark_pink"]),
}
#: Each comparator's own height above the strip, so no mark can hide another at one value.
_LANES = {"region": 0.32, "Similar services": 0.56, NATIONAL: 0.8}


def _jitter(n: int) -> np.ndarray:
    """Deterministic vertical spread for n dots (the same chart every time)."""
    return (np.random.default_rng(2021).random(n) - 0.5) * 0.5


@dataclass(frozen=True)
class _Strip:
    """What every panel of a strip chart shares."""

    value: str
    selected: str
    x_title: str
    number_format: str
    target: float | None
    panels: int


def _mark_style(label: str, selected: str) -> tuple[str, str, int, str]:
    """A comparator's symbol, colour, size and legend key; the selected service is the big blue dot."""
    if label == selected:
        return "circle", NHS_COLOURS["blue"], 16, "selected"
    kind = label if label in _MARKS else "region"
    symbol, colour = _MARKS[kind]
    return symbol, colour, 13, kind


def _mark_trace(strip: _Strip, mark: pd.Series, shown: set[str]) -> go.Scatter:
    """One comparator (or the selected service) as a mark in its own lane, in the legend once."""
    label = str(mark["comparison"])
    symbol, colour, size, key = _mark_style(label, strip.selected)
    trace = go.Scatter(
        x=[mark[strip.value]],
        y=[0 if label == strip.selected else _LANES[key]],
        mode="markers",
        marker={
            "symbol": symbol,
            "color": colour,
            "size": size,
            "line": {"color": NHS_COLOURS["white"], "width": 1.5},
        },
        name=escape_html(label if key != "region" else f"Region: {label}"),
        legendgroup=key,
        showlegend=key not in shown,
        hovertemplate=f"{escape_html(label)}: %{{x:{strip.number_format}}}" + NO_TRACE_NAME,
    )
    shown.add(key)
    return trace


def _strip_panel(
    fig: go.Figure,
    strip: _Strip,
    row: int,
    dots: pd.DataFrame,
    marks: pd.DataFrame,
    shown: set[str],
) -> None:
    """Panel ``row``: the other services as grey dots, then the comparators, then the target."""
    fig.add_trace(
        go.Scatter(
            x=dots["value"],
            y=_jitter(len(dots)),
            mode="markers",
            marker={"color": NHS_COLOURS["mid_grey"], "size": 7, "opacity": 0.55},
            name="Other services (not named)",
            legendgroup="others",
            showlegend="others" not in shown,
            hovertemplate=f"Another service: %{{x:{strip.number_format}}}" + NO_TRACE_NAME,
        ),
        row=row,
        col=1,
    )
    shown.add("others")
    for _, mark in marks[~marks["suppressed"] & marks[strip.value].notna()].iterrows():
        fig.add_trace(_mark_trace(strip, mark, shown), row=row, col=1)
    if strip.target is not None:
        fig.add_vline(
            x=strip.target,
            line={"color": NHS_COLOURS["black"], "dash": "dash", "width": 2},
            annotation_text=f"Target {format_ratio(strip.target)}",
            annotation_position="top",
            row=row,
            col=1,
        )
    fig.update_yaxes(visible=False, range=[-0.7, 0.95], row=row, col=1)
    last = row == strip.panels
    fig.update_xaxes(title_text=strip.x_title if last else None, row=row, col=1)


def _strip_subplots(panels: list[str | None], *, titled: bool) -> go.Figure:
    """One row per panel, each titled with its name when ``titled``."""
    return make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=[escape_html(p) for p in panels] if titled else None,
        vertical_spacing=min(0.12, 0.5 / max(len(panels), 1)),
    )


def fig_benchmark_strip(
    df: pd.DataFrame,
    *,
    benchmark: pd.DataFrame,
    selected: str,
    value: str,
    title: str,
    x_title: str,
    panel: str | None = None,
    target: float | None = None,
    number_format: str = ",.0f",
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Strip plot: every service's ``value`` as a grey dot, the selected service highlighted.

    ``distribution`` has ``value`` (and ``panel`` for one row per measure);
    ``benchmark`` has ``comparison``, ``value``, ``suppressed`` (and ``panel``):
    the row whose ``comparison`` is ``selected`` is the named service, the
    others are drawn as comparator marks.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis import examples
    >>> stats = examples.three_returns()
    >>> from qio_analysis.metrics.benchmarking import service_distribution, staffing_benchmark
    >>> comparators = staffing_benchmark(stats, None, "ZL01", min_group=1)
    >>> fig = fig_benchmark_strip(
    ...     service_distribution(stats, 2024, "nhs_wte_per_qualified"),
    ...     benchmark=comparators[comparators["year"] == "2024/25"].rename(
    ...         columns={"nhs_wte_per_qualified": "value"}
    ...     ),
    ...     selected="ZL01 LKS", value="value", title="ZL01", x_title="NHS WTE per qualified WTE",
    ... )
    >>> print(figure_alt_text(fig))  # 5,000 NHS WTE for 4.4 qualified WTE
    Strip chart of every service's nhs wte per qualified wte; ZL01 LKS is the highlighted dot at 1,136. Other services are not named.
    """
    panels = list(dict.fromkeys(benchmark[panel])) if panel else [None]
    fig = _strip_subplots(panels, titled=bool(panel))
    strip = _Strip(value, selected, x_title, number_format, target, len(panels))
    shown: set[str] = set()
    for row, name in enumerate(panels, start=1):
        dots = df if panel is None else df[df[panel] == name]
        marks = benchmark if panel is None else benchmark[benchmark[panel] == name]
        _strip_panel(fig, strip, row, dots, marks, shown)
    chosen = benchmark.loc[benchmark["comparison"] == selected, value]
    at = (
        f"{chosen.iloc[0]:{number_format}}"
        if len(chosen) == 1 and pd.notna(chosen.iloc[0])
        else None
    )
    return make_figure(
        fig,
        ChartWords(title, strip_alt(x_title, selected, at)),
        benchmark.drop(columns=["suppressed"], errors="ignore"),
        legend="bottom",
        fitted_height=per_row_height(len(panels), row_px=150, room=170),
        **layout,
    )


def _trend_line(part: pd.DataFrame, label: str, selected: str) -> go.Scatter:
    """One comparator's ratio over the years: the selected service solid and thick, the others dotted."""
    if label == selected:
        symbol, colour, line_width = "circle", NHS_COLOURS["blue"], 4
    else:
        symbol, colour = _MARKS.get(label, _MARKS["region"])
        line_width = 2
    return go.Scatter(
        x=part["year"],
        y=part["nhs_wte_per_qualified"],
        mode="lines+markers",
        name=escape_html(label),
        line={
            "color": colour,
            "width": line_width,
            "dash": "solid" if label == selected else "dot",
        },
        marker={"symbol": symbol, "size": 9, "color": colour},
        hovertemplate=f"{escape_html(label)} %{{x}}: 1:%{{y:,.0f}}" + NO_TRACE_NAME,
    )


def fig_staffing_trend(
    df: pd.DataFrame,
    *,
    selected: str,
    title: str,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """The 1:N staff ratio each year for the service and its comparators, with the target.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis import examples
    >>> stats = examples.three_returns()
    >>> from qio_analysis.metrics.benchmarking import staffing_benchmark
    >>> benchmark = staffing_benchmark(stats, None, "ZL01", min_group=1)
    >>> print(figure_alt_text(fig_staffing_trend(benchmark, selected="ZL01 LKS", title="ZL01")))
    Line chart of the staff ratio of ZL01 LKS and its comparators each year, against the 1:1,250 target.
    """
    fig = go.Figure()
    order = [selected, *[c for c in dict.fromkeys(df["comparison"]) if c != selected]]
    for label in order:
        part = df[(df["comparison"] == label) & ~df["suppressed"]]
        if not part.empty:
            fig.add_trace(_trend_line(part, label, selected))
    target = float(df["target"].dropna().iloc[0]) if "target" in df else 1250.0
    fig.add_hline(
        y=target,
        line={"color": NHS_COLOURS["black"], "dash": "dash", "width": 2},
        annotation_text=f"Target {format_ratio(target)} (at or below meets it)",
        annotation_position="top left",
    )
    return make_figure(
        fig,
        ChartWords(title, staffing_trend_alt(selected, target)),
        df,
        xaxes={"title_text": "Year", "type": "category"},
        yaxes={"title_text": "N in 1:N", "rangemode": "tozero"},
        legend="bottom",
        fitted_height=460,
        **layout,
    )

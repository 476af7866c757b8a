"""Validation charts: self-evaluated against validated levels, and adjustments by region."""

from __future__ import annotations

from typing import Unpack

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import (
    NHS_COLOURS,
    NO_TRACE_NAME,
    FigureLayout,
    cell_labels,
    empty_figure,
    make_figure,
    per_row_height,
    text_colour_on,
)
from qio_analysis.framework import LEVELS
from qio_analysis.metrics.agreement import SUMMARY_COLUMNS
from qio_analysis.metrics.agreement_views import agreement_grid, grid_counts, regional_adjustments
from qio_analysis.reference import NATIONAL
from qio_analysis.words import missing_as
from qio_analysis.words.chart_groups import group_label
from qio_analysis.words.chart_validation import (
    NO_PAIRS,
    SUMMARY_WORDS,
    adjustments_words,
    agreement_words,
)

#: Columns of the agreement summary left out of the adjustments chart's table.
_SCORE_DETAIL = (
    "n_exact_score",
    "pct_lowered_score",
    "pct_raised_score",
    "kappa_score_low",
    "kappa_score_high",
)
_RAMP = ("#FFFFFF", "#C8D9EE", "#7FA8DA", "#2E78C4", "#005EB8", "#003087")


def _ramp_colour(share: float) -> str:
    return _RAMP[min(len(_RAMP) - 1, round(share * (len(_RAMP) - 1)))]


def _grid_traces(grid: pd.DataFrame) -> list[go.BaseTraceType]:
    """The grid as a heatmap on the blue ramp, every cell labelled with its count in a readable colour."""
    top = grid.to_numpy().max()
    labels = [f"Level {lv}" for lv in LEVELS]
    xs, ys, texts, colours = [], [], [], []
    for i in LEVELS:
        for j in LEVELS:
            value = int(grid.loc[i, j])
            xs.append(labels[j])
            ys.append(labels[i])
            texts.append(str(value))
            colours.append(text_colour_on(_ramp_colour(value / top)))
    scale = [[k / (len(_RAMP) - 1), c] for k, c in enumerate(_RAMP)]
    heatmap = go.Heatmap(
        z=grid.to_numpy(),
        x=labels,
        y=labels,
        colorscale=scale,
        zmin=0,
        zmax=top,
        xgap=2,
        ygap=2,
        showscale=False,
        hovertemplate="Self-evaluated %{y}, validated %{x}: %{z} outcomes" + NO_TRACE_NAME,
    )
    return [heatmap, cell_labels(xs, ys, texts, colours, size=14)]


def fig_agreement_matrix(
    df: pd.DataFrame,
    *,
    outcome: int | None = None,
    region: str | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Counts of self-evaluated (rows) against validated (columns) levels.

    Takes the ``confusion`` of :func:`~qio_analysis.metrics.validation_agreement`;
    all outcomes are pooled when ``outcome`` is None. Every cell is labelled
    with its count; the diagonal is agreement.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import validation_agreement
    >>> from qio_analysis import examples
    >>> subs = examples.validator_changes()
    >>> agreement = validation_agreement(subs, 2025, by="region", n_boot=0)
    >>> print(figure_alt_text(fig_agreement_matrix(agreement.confusion)))
    Grid of self-evaluated against validated levels for all outcomes in England: 4 outcomes; 3 on the same level, 1 level lowered and 0 raised by validators (sub-levels are not shown here).
    """
    grid = agreement_grid(df, outcome=outcome, region=region)
    counts = grid_counts(grid)
    if counts.total == 0:
        return empty_figure(NO_PAIRS, **layout)
    table = (
        grid.astype(int)
        .rename(index=lambda lv: f"Self-evaluated {lv}", columns=lambda lv: f"Validated {lv}")
        .reset_index(names="")
    )
    return make_figure(
        go.Figure(_grid_traces(grid)),
        agreement_words(*counts, outcome=outcome, where=region or NATIONAL),
        table,
        title=title,
        xaxes={"title_text": "Validated level", "side": "bottom", "showgrid": False},
        yaxes={"title_text": "Self-evaluated level", "autorange": "reversed", "showgrid": False},
        fitted_height=470,
        **layout,
    )


def _adjustment_bars(
    y: list[str], lowered: np.ndarray, raised: np.ndarray, empty: np.ndarray
) -> list[go.Bar]:
    """Lowered shares as patterned bars pointing left, raised as plain bars pointing right, each labelled."""
    lowered_bars = go.Bar(
        x=-lowered,
        y=y,
        orientation="h",
        name="Levels lowered by validators",
        marker={
            "color": NHS_COLOURS["dark_pink"],
            "pattern": {"shape": "/", "fgcolor": "white", "size": 6, "fillmode": "overlay"},
        },
        text=[
            "no submissions" if e else f"{v:.0f}% of levels lowered"
            for v, e in zip(lowered, empty, strict=True)
        ],
        textposition="outside",
        customdata=lowered,
        hovertemplate="%{y}: %{customdata:.1f}% of levels lowered" + NO_TRACE_NAME,
    )
    raised_bars = go.Bar(
        x=raised,
        y=y,
        orientation="h",
        name="Levels raised by validators",
        marker={"color": NHS_COLOURS["dark_green"]},
        text=[
            "" if e else f"{v:.0f}% of levels raised" for v, e in zip(raised, empty, strict=True)
        ],
        textposition="outside",
        hovertemplate="%{y}: %{x:.1f}% of levels raised" + NO_TRACE_NAME,
    )
    return [lowered_bars, raised_bars]


def _adjustments_table(part: pd.DataFrame, empty: np.ndarray) -> pd.DataFrame:
    """The summary rows as the data table shows them: sub-levels by their counts, exact share and kappa."""
    shown = [c for c in SUMMARY_COLUMNS if c not in _SCORE_DETAIL]
    cols = [c for c in ("region", "outcome", *shown, "weighting") if c in part]
    table = part[cols].round(
        {
            c: 1 if c.startswith("pct_") else 2
            for c in cols
            if c not in {"region", "outcome", "weighting"} and not c.startswith("n_")
        }
    )
    if "outcome" in table:
        table = table.assign(
            outcome=[
                ("All outcomes" if pd.isna(o) else f"Outcome {int(o)}") for o in table["outcome"]
            ]
        )
    table = missing_as(table, "not defined")
    if "region" in table:
        table = table.assign(
            n_pairs=[
                ("no submissions" if e else n) for n, e in zip(table["n_pairs"], empty, strict=True)
            ]
        )
    return table.rename(columns=SUMMARY_WORDS)


def fig_adjustments(
    df: pd.DataFrame,
    *,
    outcome: int | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Share of self-evaluated levels lowered and raised a whole level by validators, per region.

    Takes the ``summary`` of :func:`~qio_analysis.metrics.validation_agreement`
    with ``by="region"``; ``outcome=None`` uses the pooled rows. Lowered bars
    point left and raised bars right, each labelled, so direction is not
    carried by colour alone. Whole levels only: sub-levels moved on the same
    level are counted in the data table, apart.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import validation_agreement
    >>> from qio_analysis import examples
    >>> subs = examples.validator_changes()
    >>> agreement = validation_agreement(subs, 2025, by="region", n_boot=0)
    >>> alt = figure_alt_text(fig_adjustments(agreement.summary))
    >>> alt.split(". ")[1].split("; ")[:2]
    ['London: 25% of levels lowered (1 of 4), 0% raised (0 of 4)', 'South West: no submissions']
    """
    part = regional_adjustments(df, outcome=outcome)
    if part.empty:
        return empty_figure(NO_PAIRS, **layout)
    groups = part["region"].tolist() if "region" in part.columns else [NATIONAL]
    empty = (part["n_pairs"] == 0).to_numpy()
    lowered, raised = part["pct_lowered"].to_numpy(), part["pct_raised"].to_numpy()
    fig = go.Figure(_adjustment_bars([group_label(g) for g in groups], lowered, raised, empty))
    fig.update_layout(barmode="relative")
    reach = max(float(lowered.max()), float(raised.max()), 5.0) * 1.6
    return make_figure(
        fig,
        adjustments_words(part, groups),
        _adjustments_table(part, empty),
        title=title,
        xaxes={
            "range": [-reach, reach],
            "tickvals": [-reach / 1.6, 0, reach / 1.6],
            "ticktext": [f"{reach / 1.6:.0f}% lowered", "0", f"{reach / 1.6:.0f}% raised"],
            "zeroline": True,
            "zerolinecolor": NHS_COLOURS["black"],
        },
        yaxes={"autorange": "reversed"},
        legend="bottom",
        fitted_height=per_row_height(len(part), row_px=44, room=160),
        **layout,
    )

"""Validation charts: self-evaluated against validated levels, and adjustments by region."""

from __future__ import annotations

from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import (
    NHS_COLOURS,
    FigureLayout,
    bottom_legend,
    cell_labels,
    empty_figure,
    finish,
    text_colour_on,
)
from qio_analysis.framework import LEVELS, OUTCOME_SHORT
from qio_analysis.metrics._groups import order_regions
from qio_analysis.metrics.agreement import SUMMARY_COLUMNS
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.text import escape_html
from qio_analysis.words import adjustment_kind_words, join_words, missing_as

#: Columns of the agreement summary left out of the adjustments chart's table.
#: The agreement summary's columns as a data table heads them.
SUMMARY_WORDS = {
    "region": "Region",
    "outcome": "Outcome",
    "n_pairs": "Outcomes compared",
    "pct_exact": "Same level (%)",
    "pct_lowered": "Levels lowered (%)",
    "pct_raised": "Levels raised (%)",
    "n_level_lowered": "Levels lowered",
    "n_level_raised": "Levels raised",
    "kappa": "Kappa, levels",
    "kappa_low": "Kappa, levels, 95% low",
    "kappa_high": "Kappa, levels, 95% high",
    "n_sublevel_lowered": "Sub-levels lowered (same level)",
    "n_sublevel_raised": "Sub-levels raised (same level)",
    "n_sublevel_not_comparable": "Sub-level on one side only (not compared)",
    "n_pairs_score": "Compared at sub-levels",
    "pct_exact_score": "Same level and sub-level (% of compared)",
    "kappa_score": "Kappa, sub-levels",
    "weighting": "Kappa weights",
}
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
    part = df
    if "region" in part.columns:
        part = part[part["region"] == (region or NATIONAL)]
    if outcome is not None:
        part = part[part["outcome"] == outcome]
    grid = (
        part.groupby(["self_level", "validated_level"])["n"]
        .sum()
        .unstack()
        .reindex(index=list(LEVELS), columns=list(LEVELS))
        .fillna(0)
    )
    total = int(grid.to_numpy().sum())
    if total == 0:
        return empty_figure(
            "No outcome has both a self-evaluated and a validated level for this selection.",
            **layout,
        )
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
    fig = go.Figure(
        [
            go.Heatmap(
                z=grid.to_numpy(),
                x=labels,
                y=labels,
                colorscale=scale,
                zmin=0,
                zmax=top,
                xgap=2,
                ygap=2,
                showscale=False,
                hovertemplate="Self-evaluated %{y}, validated %{x}: %{z} outcomes<extra></extra>",
            ),
            cell_labels(xs, ys, texts, colours, size=14),
        ]
    )
    fig.update_xaxes(title_text="Validated level", side="bottom", showgrid=False)
    fig.update_yaxes(title_text="Self-evaluated level", autorange="reversed", showgrid=False)
    exact = int(sum(grid.loc[lv, lv] for lv in LEVELS))
    lowered = int(sum(grid.loc[i, j] for i in LEVELS for j in LEVELS if j < i))
    raised = total - exact - lowered
    scope = "all outcomes" if outcome is None else f"outcome {outcome} ({OUTCOME_SHORT[outcome]})"
    where = region or NATIONAL
    if title is None:
        title = f"Validators agreed with {exact / total:.0%} of self-evaluated levels in {escape_html(where)} ({escape_html(scope)})"
    table = (
        grid.astype(int)
        .rename(index=lambda lv: f"Self-evaluated {lv}", columns=lambda lv: f"Validated {lv}")
        .reset_index(names="")
    )
    alt = (
        f"Grid of self-evaluated against validated levels for {scope} in {where}: {total} outcomes; "
        f"{exact} on the same level, {adjustment_kind_words({'level lowered': lowered, 'level raised': raised})} "
        "by validators (sub-levels are not shown here)."
    )
    return finish(fig, title=title, alt_text=alt, table=table, fitted_height=470, **layout)


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
    part = df[df["outcome"].isna()] if outcome is None else df[df["outcome"] == outcome]
    part = part[part["n_pairs"] > 0]
    if part.empty:
        return empty_figure(
            "No outcome has both a self-evaluated and a validated level for this selection.",
            **layout,
        )
    if "region" in part.columns:
        # Every NHS England region has a row: one without pairs reads "no submissions".
        absent = [r for r in REGION_NAMES if r not in set(part["region"])]
        filler = pd.DataFrame(
            {
                "region": absent,
                "n_pairs": 0,
                "pct_lowered": 0.0,
                "pct_raised": 0.0,
                "n_level_lowered": 0,
                "n_level_raised": 0,
            }
        )
        part = order_regions(pd.concat([part, filler], ignore_index=True))
    groups = part["region"].tolist() if "region" in part.columns else [NATIONAL]
    empty = (part["n_pairs"] == 0).to_numpy()
    y = [f"<b>{escape_html(g)}</b>" if g == NATIONAL else escape_html(g) for g in groups]
    lowered, raised = part["pct_lowered"].to_numpy(), part["pct_raised"].to_numpy()
    fig = go.Figure(
        [
            go.Bar(
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
                hovertemplate="%{y}: %{customdata:.1f}% of levels lowered<extra></extra>",
            ),
            go.Bar(
                x=raised,
                y=y,
                orientation="h",
                name="Levels raised by validators",
                marker={"color": NHS_COLOURS["dark_green"]},
                text=[
                    "" if e else f"{v:.0f}% of levels raised"
                    for v, e in zip(raised, empty, strict=True)
                ],
                textposition="outside",
                hovertemplate="%{y}: %{x:.1f}% of levels raised<extra></extra>",
            ),
        ]
    )
    reach = max(float(lowered.max()), float(raised.max()), 5.0) * 1.6
    fig.update_layout(barmode="relative")
    bottom_legend(fig)
    fig.update_xaxes(
        range=[-reach, reach],
        tickvals=[-reach / 1.6, 0, reach / 1.6],
        ticktext=[f"{reach / 1.6:.0f}% lowered", "0", f"{reach / 1.6:.0f}% raised"],
        zeroline=True,
        zerolinecolor=NHS_COLOURS["black"],
    )
    fig.update_yaxes(autorange="reversed")
    if title is None:
        # Compared as printed (whole percentages): regions that print the same are a tie, named.
        regions = part[~empty]
        if "region" in regions and (regions["region"] != NATIONAL).any():
            regions = regions[regions["region"] != NATIONAL]
        shown_pct = regions["pct_lowered"].round(0)
        top = regions[shown_pct == shown_pct.max()]
        names = top["region"].tolist() if "region" in top else [NATIONAL]
        most = "the most of any region" + (" (a tie)" if len(names) > 1 else "")
        title = escape_html(
            f"Validators lowered a whole level on {shown_pct.max():.0f}% of self-evaluated "
            f"levels in {join_words(names)}, {most}"
            if len(regions) > 1
            else f"Validators lowered a whole level on {shown_pct.max():.0f}% of self-evaluated "
            f"levels in {join_words(names)}"
        )
    # Sub-levels are summarised by their counts, exact share and kappa; the rest stay in the metric.
    shown = [c for c in SUMMARY_COLUMNS if c not in _SCORE_DETAIL]
    cols = [c for c in ("region", "outcome", *shown, "weighting") if c in part]
    alt = (
        "Horizontal bars per region of the share of self-evaluated levels that validators lowered "
        "(left) and raised (right) by a whole level. "
        + "; ".join(
            f"{g}: no submissions"
            if e
            else f"{g}: {lo:.0f}% of levels lowered ({nl} of {n}), {ra:.0f}% raised ({nr} of {n})"
            for g, lo, ra, nl, nr, n, e in zip(
                groups,
                lowered,
                raised,
                part["n_level_lowered"].fillna(0).astype(int),
                part["n_level_raised"].fillna(0).astype(int),
                part["n_pairs"].astype(int),
                empty,
                strict=True,
            )
        )
        + "."
    )
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
    table = table.rename(columns=SUMMARY_WORDS)
    return finish(
        fig, title=title, alt_text=alt, table=table, fitted_height=160 + 44 * len(part), **layout
    )

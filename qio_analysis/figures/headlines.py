"""The year in numbers as big-number tiles: each headline figure with its like-for-like change."""

from __future__ import annotations

import math
import textwrap
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.template import NHS_COLOURS, FigureLayout, empty_figure, finish
from qio_analysis.metrics.headlines import headline_table
from qio_analysis.text import escape_html
from qio_analysis.words import (
    PLOTLY_FORMATS,
    count_words,
    format_change,
    format_value,
    headline_change_words,
)

#: The headline measures shown as tiles, in order.
DEFAULT_TILES = (
    "qualified_wte",
    "nhs_wte_per_qualified",
    "registered_users_pct",
    "expert_searches",
    "people_trained",
    "expenditure_gbp",
)


def fig_headline_tiles(
    df: pd.DataFrame,
    *,
    measures: tuple[str, ...] = DEFAULT_TILES,
    columns: int = 3,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Big-number tiles with like-for-like change on the previous year, for the annual infographic.

    Takes :func:`~qio_analysis.metrics.headline_figures`. Each tile shows
    the total for the year with its number of returns, and beneath it the
    like-for-like change (services that returned in both years), in
    percentage points for percentages. The arrow shape shows the direction
    (▲/▼); its colour and the word "better"/"worse" follow whether the
    change is an improvement, so for the staff ratio ("lower is better") a
    fall is green. Alt text and the data table use the tiles' formatting.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis import examples
    >>> stats = examples.three_returns()
    >>> from qio_analysis.metrics import headline_figures
    >>> fig = fig_headline_tiles(headline_figures(stats), measures=("qualified_wte",), columns=1)
    >>> figure_table(fig).loc[0, "Change (like for like)"]
    '+10.0% among the 1 service that returned in both years (better)'
    """
    rows = df.set_index("measure").reindex(list(measures)).dropna(subset=["label"])
    if rows.empty:
        return empty_figure("There are no headline figures for this year.", **layout)
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
    fig = finish(
        fig, title=title, alt_text=alt, table=table, fitted_height=170 + 215 * n_rows, **layout
    )
    # Room above the first row for its tile titles (label, year, change, basis).
    return fig.update_layout(margin={"t": fig.layout.margin.t + 90, "b": 10})

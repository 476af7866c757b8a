"""The regional and national context chart: published groups drawn, withheld groups explained.

Takes the output of :func:`~qio_analysis.metrics.disclosure.suppressed_context`:
disclosure is decided there, and this figure only shows the result, saying
in the chart, its alt text and its data table which groups are withheld and why.
"""

from __future__ import annotations

import textwrap
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.figures.levels import fig_level_distribution
from qio_analysis.figures.template import FigureLayout, empty_figure, note_above
from qio_analysis.memo import memoise_frames
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP, withheld_groups


@memoise_frames
def fig_context(
    df: pd.DataFrame,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """The level distribution chart of the published groups, saying which are withheld and why.

    >>> import pandas as pd
    >>> from qio_analysis.figures import figure_alt_text
    >>> from qio_analysis.metrics.disclosure import suppressed_context
    >>> from qio_analysis.schemas import submissions_table
    >>> subs = submissions_table(pd.DataFrame({  # three organisations: too few to break down
    ...     "org_code": ["ZA01", "ZA02", "ZA03"],
    ...     "org_name": ["Ashby NHS Trust", "Brook NHS Trust", "Cran NHS Trust"],
    ...     "region": "London", "cycle": 2025, "outcome": 1, "assessment": "validated",
    ...     "level": [1, 2, 3],
    ... }))
    >>> fig = fig_context(suppressed_context(subs, "London", 2025))
    >>> fig.layout.title.text
    'Regional and national figures withheld'
    >>> print(figure_alt_text(fig).split(". ")[0])
    London is not shown
    """
    withheld = withheld_groups(df, min_group=min_group)
    published = df[~df["suppressed"]]
    notes = [f"{w['group']} is not shown. {w['reason']}" for w in withheld]
    if published.empty:
        return empty_figure(
            " ".join(notes), title="Regional and national figures withheld", **layout
        )
    fig = fig_level_distribution(published.drop(columns=["suppressed", "suppression"]), **layout)
    if not withheld:
        return fig
    lines = [line for n in notes for line in textwrap.wrap(n, 95)]
    note_above(fig, lines, yshift=8, size=13)
    extra = 18 * len(lines) + 12
    fig.update_layout(
        margin={"t": fig.layout.margin.t + extra},
        height=layout.get("height") or (fig.layout.height or 450) + extra,
    )
    meta = dict(fig.layout.meta or {})
    meta["alt_text"] = " ".join([meta.get("alt_text", ""), *notes]).strip()
    data = meta.get("table") or {"columns": [], "data": []}
    columns = [*data["columns"], "note"]
    rows = [[*row, ""] for row in data["data"]]
    # An en dash, not None: a missing value would turn whole-number columns (outcome,
    # organisations) into floats, shown as "1.0" in the data table.
    rows += [
        [w["group"] if c == "region" else w["reason"] if c == "note" else "\u2013" for c in columns]
        for w in withheld
    ]
    meta["table"] = {"columns": columns, "data": rows}
    fig.update_layout(meta=meta)
    return fig

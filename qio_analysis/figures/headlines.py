"""The year in numbers as big-number tiles, for notebooks and the explorer.

Each tile is :func:`~qio_analysis.words.headline_tiles` drawn as a card: the
figure, its label, then the total, the change in the total and the
like-for-like change, each in words with its arrow. The headlines report
shows the same tiles as HTML and the infographic as SVG; all three print the
same words.
"""

from __future__ import annotations

import math
import textwrap
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.figures.template import NHS_COLOURS, FigureLayout, empty_figure, make_figure
from qio_analysis.text import escape_html
from qio_analysis.words import DEFAULT_TILES, headline_tiles
from qio_analysis.words.chart_graphics import NO_HEADLINES, headline_tiles_words
from qio_analysis.words.tiles import Tile, TileLine, tiles_table

_TONES = {
    "better": NHS_COLOURS["dark_green"],
    "worse": NHS_COLOURS["dark_pink"],
    "neutral": NHS_COLOURS["blue"],
    "note": NHS_COLOURS["dark_grey"],
}
#: Characters per line of a tile's small text (a tile is about 290 px wide at 13 px).
_LINE_CHARS = 44
_LINE_PX = 17


def _line_html(line: TileLine) -> list[str]:
    """A tile line wrapped to :data:`_LINE_CHARS`, the arrow in its tone, the lead in bold."""
    out = []
    for i, text in enumerate(textwrap.wrap(line.words, _LINE_CHARS)):
        body = escape_html(text)
        if i == 0 and line.arrow:
            body = body.replace(
                line.arrow, f"<span style='color:{_TONES[line.tone]}'>{line.arrow}</span>", 1
            )
        if i == 0 and line.lead and line.lead in body:
            body = body.replace(line.lead, f"<b>{escape_html(line.lead)}</b>", 1)
        out.append(body)
    return out


def _tile_html(tile: Tile) -> str:
    """A tile's text: the big figure, its label, then its lines in small type."""
    label = "<br>".join(escape_html(t) for t in textwrap.wrap(tile.label, 34))
    lines = [html for line in tile.lines for html in _line_html(line)]
    return (
        f"<span style='font-size:34px;color:{NHS_COLOURS['dark_blue']}'><b>"
        f"{escape_html(tile.figure)}</b></span><br><b>{label}</b><br>"
        f"<span style='font-size:13px'>{'<br>'.join(lines)}</span>"
    )


def _tile_card(fig: go.Figure, text: str, i: int, columns: int, n_rows: int) -> None:
    """Tile ``i`` as a pale card in its cell of the grid, its text anchored top left."""
    gap = 0.02
    r, c = divmod(i, columns)
    x0 = c / columns + (gap / 2 if c else 0)
    x1 = (c + 1) / columns - (gap / 2 if c < columns - 1 else 0)
    y1 = 1 - r / n_rows
    y0 = 1 - (r + 1) / n_rows + gap
    fig.add_shape(
        type="rect",
        xref="paper",
        yref="paper",
        x0=x0,
        x1=x1,
        y0=y0,
        y1=y1,
        fillcolor=NHS_COLOURS["pale_grey"],
        line={"width": 0},
        layer="below",
    )
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=x0,
        y=y1,
        xanchor="left",
        yanchor="top",
        xshift=12,
        yshift=-10,
        align="left",
        showarrow=False,
        font={"size": 15},
    )


def fig_headline_tiles(
    df: pd.DataFrame,
    *,
    measures: tuple[str, ...] = DEFAULT_TILES,
    target: float = STAFF_RATIO_TARGET,
    columns: int = 3,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Big-number tiles: the total, the change in the total and the like-for-like change, in words.

    Takes :func:`~qio_analysis.metrics.headline_figures` (for anything
    published, a headline pack's ``headlines``). Each arrow points the way
    the change beside it went; "better"/"worse" appear only for the staff
    ratio (lower is better against 1:``target``).

    >>> from qio_analysis.figures import figure_table
    >>> from qio_analysis import examples
    >>> from qio_analysis.metrics import headline_figures
    >>> fig = fig_headline_tiles(headline_figures(examples.three_returns()), measures=("qualified_wte",))
    >>> figure_table(fig).loc[0, ["Figure", "Change in the total", "Like-for-like change"]].tolist()
    ['6.4', 'Total up 16.4% since 2023/24 (was 5.5 from 2 returns)', 'Like for like up 10.0% among the 1 service that returned in both years']
    """
    tiles = headline_tiles(df, measures, target=target)
    if not tiles:
        return empty_figure(NO_HEADLINES, **layout)
    columns = max(1, min(columns, len(tiles)))
    n_rows = math.ceil(len(tiles) / columns)
    texts = [_tile_html(tile) for tile in tiles]
    tile_px = 60 + _LINE_PX * (max(t.count("<br>") for t in texts) + 1)
    fig = go.Figure()
    for i, text in enumerate(texts):
        _tile_card(fig, text, i, columns, n_rows)
    year = str(df["year"].iloc[0])
    fig = make_figure(
        fig,
        headline_tiles_words(tiles, year),
        tiles_table(tiles),
        title=title,
        xaxes={"visible": False, "range": [0, 1]},
        yaxes={"visible": False, "range": [0, 1]},
        fitted_height=90 + n_rows * tile_px,
        **layout,
    )
    return fig.update_layout(margin={"l": 4, "r": 4, "b": 4})


__all__ = ["DEFAULT_TILES", "fig_headline_tiles"]

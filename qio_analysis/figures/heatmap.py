"""The validators' heatmap: organisations against outcomes, coloured and labelled by level."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Unpack

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from qio_analysis.errors import QioConfigError
from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    LEVEL_TICKS,
    NHS_COLOURS,
    NO_TRACE_NAME,
    FigureLayout,
    empty_figure,
    make_figure,
    note_above,
    org_label,
    org_names,
    text_colour_on,
)
from qio_analysis.framework import (
    LEVELS,
    OUTCOME_SHORT,
    OUTCOMES,
    compare_levels,
    is_blank,
)
from qio_analysis.metrics.ordering import (
    organisations_by_levels_gained,
    organisations_by_mean_level,
    organisations_by_name,
)
from qio_analysis.metrics.validation import (
    ADJUSTMENTS,
    LEVEL_LOWERED,
    LEVEL_RAISED,
    SUBLEVEL_LOWERED,
    SUBLEVEL_RAISED,
)
from qio_analysis.text import escape_html
from qio_analysis.words import NO_RETURN, NOT_VALIDATED
from qio_analysis.words.chart_levels import heatmap_words
from qio_analysis.words.chart_words import ChartWords

#: The text colour readable on each level's fill.
TEXT_ON_LEVEL = [text_colour_on(c) for c in LEVEL_COLOURS]

#: Pixels per organisation row of the heatmap, and room for the title and the outcome labels.
HEATMAP_ROW_PX = 26
_KEY_LINE_PX = 17  # one line of the key above the grid
_TICKS_PX = 24  # the outcome numbers above the grid
_HEATMAP_BOTTOM_PX = 20
_KEY_WIDTH = 44  # characters per key line: fits over six columns on an A4 page
#: The marks on a cell the validator changed: shapes in the text, never colour alone.
#: A whole level changed is a filled triangle; a sub-level moved on the same level an open one.
LOWERED_MARK, RAISED_MARK = "\u25bc", "\u25b2"
SUBLEVEL_LOWERED_MARK, SUBLEVEL_RAISED_MARK = "\u25bd", "\u25b3"
CHANGE_MARKS = {
    LEVEL_LOWERED: LOWERED_MARK,
    LEVEL_RAISED: RAISED_MARK,
    SUBLEVEL_LOWERED: SUBLEVEL_LOWERED_MARK,
    SUBLEVEL_RAISED: SUBLEVEL_RAISED_MARK,
}
ASSESSMENT_CHOICES = ("self", "validated", "both")


def _cell_borders(rows: int, columns: int) -> go.Scatter:
    """White lines between heatmap cells, as one path on hidden axes matching the grid."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for i in range(1, rows):
        xs += [-0.5, columns - 0.5, None]
        ys += [i - 0.5, i - 0.5, None]
    for j in range(1, columns):
        xs += [j - 0.5, j - 0.5, None]
        ys += [-0.5, rows - 0.5, None]
    return go.Scatter(
        x=xs,
        y=ys,
        xaxis="x2",
        yaxis="y2",
        mode="lines",
        line={"color": NHS_COLOURS["white"], "width": 2},
        hoverinfo="skip",
        showlegend=False,
    )


def _label_room(labels: list[str], size: int = 12) -> int:
    """Pixels for axis labels at ``size`` px Arial (a generous 0.55 em a character), 60-480."""
    longest = max((len(html.unescape(label)) for label in labels), default=0)
    return int(min(480, max(60, longest * size * 0.55 + 16)))


def _key_lines(items: list[str]) -> list[str]:
    """``Outcomes: 1 Access, 2 ...`` in lines of at most :data:`_KEY_WIDTH` characters,
    never breaking an outcome's name."""
    lines = ["Outcomes:"]
    for i, item in enumerate(items):
        item += "," if i < len(items) - 1 else ""
        if len(lines[-1]) + 1 + len(item) > _KEY_WIDTH:
            lines.append(item)
        else:
            lines[-1] += " " + item
    return lines


def _cell(level: object, sub: object) -> str:
    """A cell's short label: ``2``, ``2 M`` or ``no level``."""
    if level is None or pd.isna(level):
        return "no level"
    return f"{int(level)}" + ("" if sub is None or pd.isna(sub) else f" {str(sub)[0]}")


def _way(self_level: object, self_sub: object, level: object, sub: object) -> str:
    """What the validator changed by the one rule (``level lowered``, ``sub-level raised``, ...),
    or "" when nothing was."""
    if is_blank(self_level) or is_blank(level):
        return ""
    compared = compare_levels(self_level, self_sub, level, sub)
    if compared.direction:
        return LEVEL_RAISED if compared.direction > 0 else LEVEL_LOWERED
    if compared.sublevel_change:
        return SUBLEVEL_RAISED if compared.sublevel_change > 0 else SUBLEVEL_LOWERED
    return ""


def change_key(ways: list[str]) -> list[str]:
    """The key's words for each kind of validator's change among ``ways``, with its mark.

    >>> change_key(["level lowered", "", "sub-level lowered"])
    ['\u25bc level lowered', '\u25bd sub-level lowered']
    """
    return [f"{CHANGE_MARKS[k]} {k}" for k in ADJUSTMENTS if k in ways]


def _change_marks(
    df: pd.DataFrame, change: pd.DataFrame | None, codes: list[str], outcomes: list[int]
) -> list[str]:
    """Each cell's change in whole levels since an earlier cycle, row by row: ``+1``, ``-1``, ``=``.

    Empty where ``change`` is not given or either cycle has no level. Signs,
    not the triangles that mark a validator's change, so the two never mix.
    """
    if change is None:
        return [""] * (len(codes) * len(outcomes))
    moved = change.merge(df[["org_code", "outcome"]], on=["org_code", "outcome"])
    step = moved.set_index(["org_code", "outcome"])["level_change"].astype("Float64")
    step = step.reindex(pd.MultiIndex.from_product([codes, outcomes]))
    return [
        "" if pd.isna(v) else ("=" if v == 0 else f"{int(v):+d}".replace("-", "\u2212"))
        for v in step
    ]


def _differs(cell: tuple[Any, ...]) -> bool:
    """The validated level or sub-level is not the self-evaluated one (also a sub-level on one
    side only, which is not a change by the one rule), or is missing beside a self-evaluation."""
    self_level, self_sub, level, sub = cell
    return not is_blank(self_level) and _cell(self_level, self_sub) != _cell(level, sub)


def _label(cell: tuple[Any, ...], way: str, assessment: str) -> str:
    """A cell's label: the level shown, marked or paired with the other when the validator changed it."""
    self_level, self_sub, level, sub = cell
    mine, theirs = _cell(self_level, self_sub), _cell(level, sub)
    if assessment == "self":
        return mine
    if assessment == "validated":
        return theirs + (f" {CHANGE_MARKS[way]}" if way else "")
    if pd.isna(level):
        return "no level" if pd.isna(self_level) else f"self {mine}"
    return f"{mine}\u2192{theirs}" if _differs(cell) else theirs


def _words(cell: tuple[Any, ...], way: str, assessment: str) -> str:
    """A cell for the data table, short enough for seven columns on a page: ``2 (Medium), level lowered``."""
    self_level, self_sub, level, sub = cell

    def said(lv: object, sb: object, missing: str) -> str:
        if lv is None or pd.isna(lv):
            return missing
        return f"{int(lv)}" + ("" if sb is None or pd.isna(sb) else f" ({sb})")  # type: ignore[call-overload]

    mine, theirs = said(self_level, self_sub, NO_RETURN), said(level, sub, NOT_VALIDATED)
    if assessment == "self":
        return mine
    if assessment == "both":
        return f"{mine} then {theirs}" if _differs(cell) else theirs
    return theirs + (f", {way}" if way else "")


def fig_heatmap(
    df: pd.DataFrame,
    *,
    assessment: str = "validated",
    sort: str = "name",
    change: pd.DataFrame | None = None,
    title: str | None = None,
    **layout: Unpack[FigureLayout],
) -> go.Figure:
    """Organisations against outcomes, coloured and labelled by level (validators' view).

    Takes :func:`~qio_analysis.metrics.paired_levels` rows for one cycle
    (usually one region); only the outcomes present in ``df`` are drawn.
    ``assessment`` is ``"validated"``, ``"self"`` or ``"both"``. Rows are
    sorted by organisation name (``sort="name"``) or by mean whole level,
    highest first (``sort="level"``; sub-levels do not count, as everywhere
    levels are compared). Each cell shows its level as text, so colour is
    not the only carrier. On validated levels a cell the validator changed
    carries a shape: \u25bc a level lowered, \u25b2 a level raised, and the open
    \u25bd or \u25b3 a sub-level lowered or raised on the same level; ``"both"`` colours by the
    validated level and labels a changed cell with both (``3 H\u21922 M``). The
    columns are numbered and a key above the grid names the outcomes, so no
    label can run into the next however narrow the page.

    ``change`` (one row per ``org_code`` and ``outcome`` with ``from_cycle``
    and ``level_change`` in whole levels, NA where not comparable, as in
    :func:`~qio_analysis.metrics.improvement`) adds each cell's movement since
    that cycle to its label (``3 M +1``, ``2 =``, ``2 \u22121``) and its data
    table, and allows ``sort="change"``: the whole levels gained across the
    outcomes shown, most first.

    >>> from qio_analysis.figures import figure_alt_text, figure_table
    >>> from qio_analysis.metrics import paired_levels
    >>> from qio_analysis import examples
    >>> fig = fig_heatmap(paired_levels(examples.validator_changes(), 2025))
    >>> print(figure_alt_text(fig))
    Heatmap of validated levels, 2025: 1 organisation in rows and outcomes 1, 2, 3, 4 in columns; each cell is labelled with its level and sub-level initial. 0 cells have no level. The validator changed 1 of 4 self-evaluated levels: 1 level lowered (\u25bc).
    >>> figure_table(fig).iloc[0].tolist()
    ['Ashby NHS Trust (ZA01)', '2', '2, level lowered', '2', '1']
    """
    if df.empty:
        return empty_figure("No organisation submitted levels for this selection.", **layout)
    _check_choices(assessment, sort, change)
    shown = "validated" if assessment == "both" else assessment
    grid = _grid(df, _ordered(df, sort, f"{shown}_level", change), change, assessment)
    fig = go.Figure([*_heatmap_traces(grid), _cell_borders(grid.rows, grid.columns)])
    _grid_axes(fig, grid)
    key = _key(grid, assessment)
    note_above(fig, key, yshift=_TICKS_PX)
    words, table = _heatmap_words(grid, assessment), _heatmap_table(grid, assessment)
    fig = make_figure(fig, words, table, title=title, row_labels=grid.ylabels, **layout)
    return _pixel_layout(fig, len(key), grid, layout.get("height"))


def _check_choices(assessment: str, sort: str, change: pd.DataFrame | None) -> None:
    if sort not in {"name", "level", "change"}:
        raise QioConfigError(f"sort must be 'name', 'level' or 'change', not {sort!r}.")
    if sort == "change" and change is None:
        raise QioConfigError("sort='change' needs the change table (change=...).")
    if assessment not in ASSESSMENT_CHOICES:
        raise QioConfigError(
            f"assessment must be one of {', '.join(ASSESSMENT_CHOICES)}, not {assessment!r}."
        )


def _ordered(df: pd.DataFrame, sort: str, level: str, change: pd.DataFrame | None) -> pd.DataFrame:
    """The organisations in the order ``sort`` asks for (``org_code, org_name`` first)."""
    if sort == "level":
        return organisations_by_mean_level(df, level)
    if sort == "change" and change is not None:
        return organisations_by_levels_gained(df, change)
    return organisations_by_name(df)


@dataclass(frozen=True)
class _Grid:
    """The heatmap's cells, row by row (one row per organisation), and what they say."""

    cycle: int
    names: list[str]  # the data table's organisations, in full
    ylabels: list[str]  # the chart's row labels, shortened and escaped
    outcomes: list[int]
    z: list[list[int | None]]  # the level shown, per row
    text: list[list[str]]  # each cell's label, per row
    cells: list[tuple[object, ...]]  # (self level, self sub-level, level, sub-level), row by row
    ways: list[str]  # what the validator changed, row by row ("" where nothing)
    moves: list[str]  # change in whole levels since ``since``, row by row
    since: int | None
    scored: int  # cells with a level shown
    compared: int  # cells with both a self-evaluated and a validated level

    @property
    def rows(self) -> int:
        return len(self.ylabels)

    @property
    def columns(self) -> int:
        return len(self.outcomes)

    @property
    def changed(self) -> int:
        return sum(1 for w in self.ways if w)

    @property
    def one_side(self) -> int:
        """Cells on the same level with a sub-level on one side only: not a change, but
        ``"both"`` shows the two."""
        return sum(
            1
            for c, w in zip(self.cells, self.ways, strict=True)
            if not w and not is_blank(c[2]) and _differs(c)
        )


def _grid(
    df: pd.DataFrame, orgs: pd.DataFrame, change: pd.DataFrame | None, assessment: str
) -> _Grid:
    shown = "validated" if assessment == "both" else assessment
    codes = orgs["org_code"].tolist()
    outcomes = [o.number for o in OUTCOMES if o.number in set(df["outcome"].astype(int))]
    grid = df.set_index(["org_code", "outcome"]).reindex(
        pd.MultiIndex.from_product([codes, outcomes], names=["org_code", "outcome"])
    )
    level = grid[f"{shown}_level"].to_numpy(dtype="float64", na_value=np.nan)
    width = len(outcomes)
    parts = ["self_level", "self_sublevel", "validated_level", "validated_sublevel"]
    cells = list(zip(*(grid[c].astype(object).tolist() for c in parts), strict=True))
    ways = [_way(*cell) for cell in cells]
    moves = _change_marks(df, change, codes, outcomes)
    labels = [
        _label(c, w, assessment) + (f" {m}" if m else "")
        for c, w, m in zip(cells, ways, moves, strict=True)
    ]
    return _Grid(
        cycle=int(df["cycle"].iloc[0]),
        names=org_names(orgs["org_name"].tolist(), codes),
        # Long names are shortened on the chart (in full in its data table), never pushed off it.
        ylabels=[org_label(n, c) for c, n in zip(codes, orgs["org_name"], strict=True)],
        outcomes=outcomes,
        z=[
            [None if v != v else int(v) for v in level[r * width : (r + 1) * width]]
            for r in range(len(codes))
        ],
        text=[labels[r * width : (r + 1) * width] for r in range(len(codes))],
        cells=cells,
        ways=ways,
        moves=moves,
        since=None if change is None or change.empty else int(change["from_cycle"].iloc[0]),
        scored=int(grid[f"{shown}_level"].notna().sum()),
        compared=int((grid["self_level"].notna() & grid["validated_level"].notna()).sum()),
    )


#: A cell's value in a heatmap trace: its level, its label, or nothing.
_Cell = int | str | None


def _masked(
    z: list[list[int | None]],
    values: Sequence[Sequence[_Cell]],
    keep: Callable[[int | None], bool],
    empty: _Cell = None,
) -> list[list[_Cell]]:
    """``values`` where ``keep`` holds for the cell's level, ``empty`` elsewhere."""
    return [
        [g if keep(v) else empty for v, g in zip(zr, gr, strict=True)]
        for zr, gr in zip(z, values, strict=True)
    ]


def _text_in(colour: str) -> Callable[[int | None], bool]:
    """Whether a cell's level takes ``colour`` for its text."""
    return lambda v: v is not None and TEXT_ON_LEVEL[v] == colour


def _level_scale() -> list[list[float | str]]:
    """A stepped colour scale: each level one flat colour over its fifth of ``zmin``-``zmax``."""
    scale: list[list[float | str]] = []
    for lv, colour in zip(LEVELS, LEVEL_COLOURS, strict=True):
        scale += [[lv / 5, colour], [(lv + 1) / 5, colour]]
    return scale


def _heatmap_traces(grid: _Grid) -> list[go.Heatmap]:
    """The coloured, labelled cells.

    The labels are the heatmap traces' own cell text (``texttemplate``), not
    one text mark per cell, which plotly.js draws several times faster for a
    few hundred organisations: the first trace draws every cell and labels the
    cells whose text is white, a second one (same colours) overlays the
    cells that need dark text, and a pale trace labels cells without a level.
    No xgap/ygap: plotly.js then paints one pixel per cell and scales it up,
    several times faster than painting gapped bricks on a full-size canvas;
    white lines (:func:`_cell_borders`) separate the cells.
    """
    z, scale = grid.z, _level_scale()
    cells = {"x": [str(n) for n in grid.outcomes], "y": grid.ylabels, "texttemplate": "%{text}"}
    colours = sorted(set(TEXT_ON_LEVEL), key=TEXT_ON_LEVEL.index)
    hover = [[f"Outcome {n}: {escape_html(OUTCOME_SHORT[n])}" for n in grid.outcomes] for _ in z]
    levels = {"zmin": -0.5, "zmax": 4.5, "colorscale": scale}
    traces = [
        go.Heatmap(
            z=z,
            text=_masked(z, grid.text, _text_in(colours[0]), ""),
            customdata=hover,
            textfont={"color": colours[0], "size": 12, "shadow": "none"},
            colorbar=_colour_bar(grid.rows),
            hovertemplate="%{y}<br>%{customdata}: Level %{z}" + NO_TRACE_NAME,
            **levels,
            **cells,
        )
    ]
    for colour in colours[1:]:
        keep = _text_in(colour)
        if any(keep(v) for row in z for v in row):
            traces.append(
                go.Heatmap(
                    z=_masked(z, z, keep),
                    text=_masked(z, grid.text, keep, ""),
                    textfont={"color": colour, "size": 12, "shadow": "none"},
                    showscale=False,
                    hoverinfo="skip",
                    **levels,
                    **cells,
                )
            )
    if any(v is None for row in z for v in row):
        traces.append(_gap_cells(grid, hover, cells))
    return traces


def _colour_bar(rows: int) -> dict[str, object]:
    return {
        "tickvals": list(LEVELS),
        "ticktext": LEVEL_TICKS,
        "title": {"text": "Level"},
        "lenmode": "pixels",
        "len": min(300, HEATMAP_ROW_PX * rows + 40),
        "y": 1,
        "yanchor": "top",
    }


def _gap_cells(grid: _Grid, hover: list[list[str]], cells: Mapping[str, object]) -> go.Heatmap:
    """White cells labelled in black where there is no level."""
    return go.Heatmap(
        z=[[0 if v is None else None for v in row] for row in grid.z],
        text=_masked(grid.z, grid.text, lambda v: v is None, ""),
        customdata=hover,
        textfont={"color": NHS_COLOURS["black"], "size": 12, "shadow": "none"},
        colorscale=[[0, NHS_COLOURS["white"]], [1, NHS_COLOURS["white"]]],
        showscale=False,
        hovertemplate="%{y}<br>%{customdata}: %{text}" + NO_TRACE_NAME,
        **cells,
    )


def _grid_axes(fig: go.Figure, grid: _Grid) -> None:
    """Fixed ranges: nothing pads the grid, so the first row sits right under the outcome labels."""
    rows, columns = grid.rows, grid.columns
    fig.update_yaxes(
        range=[rows - 0.5, -0.5], autorange=False, tickfont={"size": 12}, showgrid=False
    )
    fig.update_xaxes(
        type="category",  # the outcome numbers are names of columns, not a scale
        range=[-0.5, columns - 0.5],
        autorange=False,
        side="top",
        tickangle=0,
        tickfont={"size": 12},
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(zeroline=False)
    hidden = {"visible": False, "fixedrange": True, "autorange": False}
    fig.update_layout(
        xaxis2={"overlaying": "x", "range": [-0.5, columns - 0.5], **hidden},
        yaxis2={"overlaying": "y", "range": [rows - 0.5, -0.5], **hidden},
    )


def _key(grid: _Grid, assessment: str) -> list[str]:
    """The key above the grid: the outcomes' names, then the marks the cells carry."""
    key = _key_lines([f"{n} {OUTCOME_SHORT[n]}" for n in grid.outcomes])
    if assessment == "validated" and grid.changed:
        key.append(", ".join(change_key(grid.ways)) + " by the validator")
    elif assessment == "both" and (grid.changed or grid.one_side):
        key.append("self-evaluated\u2192validated where the two differ")
    if grid.since is not None:
        key.append(f"+1, \u22121, =: change in whole levels since {grid.since}")
    return key


def _heatmap_words(grid: _Grid, assessment: str) -> ChartWords:
    return heatmap_words(
        assessment=assessment,
        cycle=grid.cycle,
        n_orgs=grid.rows,
        outcomes=grid.outcomes,
        missing=grid.rows * grid.columns - grid.scored,
        since=grid.since,
        changes={k: grid.ways.count(k) for k in ADJUSTMENTS},
        marks=CHANGE_MARKS,
        compared=grid.compared,
        one_side=grid.one_side,
    )


def _heatmap_table(grid: _Grid, assessment: str) -> pd.DataFrame:
    """The data table: an organisation a row, an outcome a column, each cell in words."""
    table = pd.DataFrame({"Organisation": grid.names})
    words = [
        _words(c, w, assessment) + (f"; {m} since {grid.since}" if m else "")
        for c, w, m in zip(grid.cells, grid.ways, grid.moves, strict=True)
    ]
    heading = {
        "self": "self-evaluated level",
        "validated": "validated level",
        "both": "self-evaluated then validated level",
    }[assessment]
    for j, n in enumerate(grid.outcomes):
        table[f"{n} {OUTCOME_SHORT[n]}: {heading}"] = words[j :: grid.columns]
    return table


def _pixel_layout(fig: go.Figure, key_lines: int, grid: _Grid, height: int | None) -> go.Figure:
    """Pixel layout: title lines, the key, the outcome numbers, then one row per organisation."""
    top = fig.layout.margin.t + _TICKS_PX + _KEY_LINE_PX * key_lines + 6
    height = height or max(top + HEATMAP_ROW_PX * grid.rows + _HEATMAP_BOTTOM_PX, 300)
    return fig.update_layout(
        height=height,
        # Room for the organisation names up front: plotly's automargin would otherwise
        # measure them and draw the whole chart a second time.
        margin={"t": top, "b": _HEATMAP_BOTTOM_PX, "l": _label_room(grid.ylabels)},
        # The template puts the title at 98% of the height: in pixels instead, at the very top.
        title={"y": 1 - 10 / height},
    )

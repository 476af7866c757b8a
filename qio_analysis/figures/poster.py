"""The building blocks of the infographic and the publication images, drawn on a :class:`~qio_analysis.figures.svg.Canvas`.

A header band with the headline and the synthetic-data mark, big-number
tiles, the staff ratio by region against its target, small multiples of
activity over the years and a footer with the source line. Each block is
given a box and draws inside it, shrinking its type (never below a floor)
until everything fits; it raises :class:`~qio_analysis.figures.svg.LayoutError`
rather than overflow. Type sizes come from :class:`Type`, one per frame, so
each frame is composed for its size rather than scaled from another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from qio_analysis.figures.svg import ASCENT, DESCENT, Canvas, LayoutError, Span, text_width, wrap
from qio_analysis.figures.template import NHS_COLOURS
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL
from qio_analysis.words.chart_graphics import rate_words
from qio_analysis.words.chart_workforce import RegionRow, region_rows
from qio_analysis.words.tiles import Tile, TileLine

BLUE, DARK_BLUE, GREY = NHS_COLOURS["blue"], NHS_COLOURS["dark_blue"], NHS_COLOURS["dark_grey"]
PALE, BLACK, WHITE = NHS_COLOURS["pale_grey"], NHS_COLOURS["black"], NHS_COLOURS["white"]
#: NHS warm yellow: the synthetic-data mark (black text on it is over 10:1).
YELLOW = "#FFB81C"
TONES = {
    "better": NHS_COLOURS["dark_green"],
    "worse": NHS_COLOURS["dark_pink"],
    "neutral": BLUE,
    "note": GREY,
}
#: Type is shrunk by these factors, in turn, until a block fits its box.
SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58)
#: A block with room to spare may first try these (larger type fills a slide).
GROW = (1.3, 1.2, 1.1)


@dataclass(frozen=True)
class Type:
    """Type sizes and spacing (pixels) for one frame."""

    title: float
    subtitle: float
    section: float
    figure: float
    label: float
    body: float
    small: float
    margin: float
    gap: float

    def scaled(self, factor: float) -> Type:
        """Every size times ``factor`` (margins and gaps too)."""
        return Type(*(value * factor for value in self.__dict__.values()))


def fit(
    draw: Callable[[Canvas, float], float], width: float, available: float, *, grow: bool = False
) -> float:
    """The largest scale (:data:`SCALES`, and :data:`GROW` if ``grow``) at which ``draw(canvas, scale)`` fits.

    ``draw`` returns the height it used; a scale fits when that is within
    ``available`` and no two lines of text overlap.
    """
    for scale in (GROW if grow else ()) + SCALES:
        scratch = Canvas(width, available * 4, "", "")
        if draw(scratch, scale) <= available and not scratch.overlaps():
            return scale
    raise LayoutError(f"a block does not fit in {available:.0f} px even at the smallest type")


def lines_height(n: int, size: float, leading: float = 1.25) -> float:
    """Height of ``n`` wrapped lines at ``size``."""
    return 0 if n == 0 else (n - 1) * size * leading + (ASCENT + DESCENT) * size


# --------------------------------------------------------------------- header and footer


def header(canvas: Canvas, t: Type, *, kicker: str, title: str, subtitle: str, demo: bool) -> float:
    """The blue band across the top: kicker, headline, subtitle and the synthetic mark; returns its bottom."""
    width = canvas.width
    inner = width - 2 * t.margin
    badge_w = 0.0
    badge = ("SYNTHETIC DEMO DATA", "Fictional figures, not real NHS services")
    if demo:
        badge_w = max(text_width(badge[0], t.body, True), text_width(badge[1], t.small)) + t.gap * 2
    title_w = inner - (badge_w + t.gap if demo else 0)
    title_lines = wrap(title, title_w, t.title, True)
    sub_lines = wrap(subtitle, title_w, t.subtitle)
    kicker_h = lines_height(1, t.small)
    body_h = (
        kicker_h
        + t.gap * 0.6
        + lines_height(len(title_lines), t.title, 1.15)
        + t.gap * 0.6
        + lines_height(len(sub_lines), t.subtitle)
    )
    badge_h = lines_height(2, t.body) + t.gap
    bottom = t.margin * 0.8 * 2 + max(body_h, badge_h if demo else 0)
    canvas.rect(0, 0, width, bottom, BLUE)
    y = t.margin * 0.8
    canvas.text(t.margin, y + ASCENT * t.small, kicker.upper(), t.small, bold=True, fill=WHITE)
    y += kicker_h + t.gap * 0.6
    for i, line in enumerate(title_lines):
        canvas.text(
            t.margin,
            y + ASCENT * t.title + i * t.title * 1.15,
            line,
            t.title,
            bold=True,
            fill=WHITE,
            heading=1,
        )
    y += lines_height(len(title_lines), t.title, 1.15) + t.gap * 0.6
    for i, line in enumerate(sub_lines):
        canvas.text(
            t.margin, y + ASCENT * t.subtitle + i * t.subtitle * 1.25, line, t.subtitle, fill=WHITE
        )
    if demo:
        x = width - t.margin - badge_w
        top = t.margin * 0.8
        canvas.rect(x, top, badge_w, badge_h, YELLOW, radius=t.gap * 0.5)
        canvas.text(x + t.gap, top + t.gap / 2 + ASCENT * t.body, badge[0], t.body, bold=True)
        canvas.text(x + t.gap, top + t.gap / 2 + ASCENT * t.body + t.body * 1.25, badge[1], t.small)
    return bottom


def footer_top(canvas: Canvas, t: Type, lines: list[str]) -> float:
    """Where :func:`footer` will start, so the blocks above can stop short of it."""
    inner = canvas.width - 2 * t.margin
    wrapped = [w for line in lines for w in wrap(line, inner, t.small)]
    return canvas.height - lines_height(len(wrapped), t.small) - t.margin


def footer(canvas: Canvas, t: Type, lines: list[str]) -> float:
    """The dark band along the foot with the source line and notes (drawn last: read last); returns its top."""
    inner = canvas.width - 2 * t.margin
    wrapped = [w for line in lines for w in wrap(line, inner, t.small)]
    top = footer_top(canvas, t, lines)
    height = canvas.height - top
    canvas.rect(0, top, canvas.width, height, DARK_BLUE)
    for i, line in enumerate(wrapped):
        baseline = top + t.margin * 0.5 + ASCENT * t.small + i * t.small * 1.25
        canvas.text(t.margin, baseline, line, t.small, fill=WHITE)
    return top


def section_title(
    canvas: Canvas, x: float, y: float, w: float, t: Type, title: str, note: str
) -> float:
    """A section's title and one-line note; returns the bottom."""
    y = canvas.paragraph(x, y, title, w, t.section, bold=True, fill=DARK_BLUE, heading=2)
    if note:
        y = canvas.paragraph(x, y + t.gap * 0.3, note, w, t.small, fill=GREY)
    return y


# --------------------------------------------------------------------- tiles


def _rich(line: TileLine, width: float, size: float) -> list[list[Span]]:
    """A tile line wrapped to ``width``: the arrow in its tone, the lead in bold."""
    colour = TONES[line.tone]
    out = []
    lead_words = line.lead.split()
    for i, text in enumerate(wrap(line.words, width, size)):
        words = text.split()
        spans: list[Span] = []
        if i == 0 and line.arrow:
            spans.append(Span(words.pop(0) + " ", fill=colour))
        if i == 0 and lead_words and words[: len(lead_words)] == lead_words:
            spans.append(Span(" ".join(lead_words) + " ", bold=True))
            words = words[len(lead_words) :]
        verdict = {"(better)": "better", "(worse)": "worse"}
        for word in words:
            if word.strip(",") in verdict:
                spans.append(Span(word + " ", bold=True, fill=TONES[verdict[word.strip(",")]]))
            else:
                spans.append(Span(word + " "))
        spans[-1] = replace(spans[-1], text=spans[-1].text.rstrip())
        out.append(spans)
    return out


def tile_card(
    canvas: Canvas,
    x: float,
    y: float,
    w: float,
    tile: Tile,
    t: Type,
    *,
    height: float | None = None,
) -> float:
    """One headline tile in a pale card; returns the height it needs (drawn at ``height`` if given)."""
    pad = t.gap
    inner = w - 2 * pad
    label_lines = wrap(tile.label, inner, t.label, True)
    figure_size = t.figure
    while text_width(tile.figure, figure_size, True) > inner and figure_size > t.label:
        figure_size *= 0.92
    rich = [_rich(line, inner, t.body) for line in tile.lines]
    need = (
        pad
        + lines_height(1, figure_size, 1.0)
        + t.gap * 0.3
        + lines_height(len(label_lines), t.label)
        + t.gap * 0.6
        + sum(lines_height(len(r), t.body) + t.body * 0.35 for r in rich)
        + pad
    )
    canvas.rect(x, y, w, height or need, PALE, radius=pad * 0.6)
    cy = y + pad
    canvas.text(
        x + pad, cy + ASCENT * figure_size, tile.figure, figure_size, bold=True, fill=DARK_BLUE
    )
    cy += lines_height(1, figure_size, 1.0) + t.gap * 0.3
    for i, line in enumerate(label_lines):
        canvas.text(x + pad, cy + ASCENT * t.label + i * t.label * 1.25, line, t.label, bold=True)
    cy += lines_height(len(label_lines), t.label) + t.gap * 0.6
    for block in rich:
        for i, spans in enumerate(block):
            canvas.text(
                x + pad, cy + ASCENT * t.body + i * t.body * 1.25, spans, t.body, fill=BLACK
            )
        cy += lines_height(len(block), t.body) + t.body * 0.35
    return need


def tile_grid(
    canvas: Canvas,
    x: float,
    y: float,
    w: float,
    h: float | None,
    tiles: list[Tile],
    t: Type,
    columns: int,
) -> float:
    """Tiles in ``columns``; returns the bottom.

    With ``h`` the rows share it equally, at the largest type that fits;
    without, each row is as tall as its tallest tile at full size.
    """
    rows = -(-len(tiles) // columns)
    cell_w = (w - (columns - 1) * t.gap) / columns

    def heights(scale: float) -> list[float]:
        out = []
        for tile in tiles:
            own = Canvas(cell_w, 10_000, "", "")
            out.append(tile_card(own, 0, 0, cell_w, tile, t.scaled(scale)))
            if own.overlaps():
                out[-1] = float("inf")
        return out

    if h is None:
        scaled = t
        natural = heights(1.0)
        row_h = [max(natural[r * columns : (r + 1) * columns]) for r in range(rows)]
    else:
        cell_h = (h - (rows - 1) * t.gap) / rows
        scaled = t.scaled(fit(lambda _, k: max(heights(k)), cell_w, cell_h, grow=True))
        row_h = [cell_h] * rows
    top = y
    for r in range(rows):
        for c, tile in enumerate(tiles[r * columns : (r + 1) * columns]):
            tile_card(canvas, x + c * (cell_w + t.gap), top, cell_w, tile, scaled, height=row_h[r])
        top += row_h[r] + t.gap
    return top - t.gap


def feature_tile(
    canvas: Canvas, x: float, y: float, w: float, h: float, tile: Tile, t: Type, *, landscape: bool
) -> float:
    """One tile filling a slide: the big number and its label beside (or above) its lines, centred."""

    def draw(c: Canvas, scale: float, *, left: float = 0.0, top: float = 0.0) -> float:
        s = t.scaled(scale)
        pad = s.margin * 0.6
        figure = s.figure * 2.2
        label = s.label * 1.3
        body = s.body * 1.3
        if landscape:
            first_w = (w - 3 * pad) * 0.46
            second_w = w - 3 * pad - first_w
        else:
            first_w = second_w = w - 2 * pad
        while text_width(tile.figure, figure, True) > first_w and figure > label:
            figure *= 0.92
        label_lines = wrap(tile.label, first_w, label, True)
        rich = [_rich(line, second_w, body) for line in tile.lines]
        first_h = lines_height(1, figure, 1.0) + s.gap + lines_height(len(label_lines), label)
        second_h = sum(lines_height(len(r), body) + body * 0.5 for r in rich) - body * 0.5
        inner_h = max(first_h, second_h) if landscape else first_h + s.gap * 2 + second_h
        if inner_h + 2 * pad > h:
            return float("inf")
        c.rect(left, top, w, h, PALE, radius=pad * 0.4)
        fy = top + (h - (first_h if landscape else inner_h)) / 2
        c.text(left + pad, fy + ASCENT * figure, tile.figure, figure, bold=True, fill=DARK_BLUE)
        ly = fy + lines_height(1, figure, 1.0) + s.gap
        for i, line in enumerate(label_lines):
            c.text(left + pad, ly + ASCENT * label + i * label * 1.25, line, label, bold=True)
        if landscape:
            sx, sy = left + 2 * pad + first_w, top + (h - second_h) / 2
        else:
            sx, sy = left + pad, fy + first_h + s.gap * 2
        for block in rich:
            for i, spans in enumerate(block):
                c.text(sx, sy + ASCENT * body + i * body * 1.25, spans, body, fill=BLACK)
            sy += lines_height(len(block), body) + body * 0.5
        return h

    scale = fit(lambda c, k: draw(c, k), w, h, grow=True)
    return draw(canvas, scale, left=x, top=y)


# --------------------------------------------------------------------- staff ratio by region


@dataclass(frozen=True)
class _Bars:
    """Where the staff-ratio bars sit at one type scale."""

    bar_x: float
    #: Pixels per unit of the ratio.
    per: float
    #: The top of the first row.
    first: float
    row_h: float

    def target_x(self, target: float) -> float:
        return self.bar_x + target * self.per


def _region_bars(
    s: Type, rows: list[RegionRow], target: float, box: tuple[float, float, float, float]
) -> _Bars | None:
    """The bars' place in ``box`` (left, top, width, height); None when they would be too narrow."""
    left, top, w, h = box
    label_w = max(text_width(name, s.body, name == NATIONAL) for name, _, _ in rows)
    value_w = (
        max(text_width(words, s.body) for _, value, words in rows if value is not None)
        if any(v is not None for _, v, _ in rows)
        else 0.0
    )
    bar_x = left + label_w + s.gap
    bar_w = w - label_w - s.gap - value_w - s.gap * 0.6
    if bar_w < w * 0.2:
        return None
    top_value = max([target, *[v for _, v, _ in rows if v is not None]])
    first = top + lines_height(1, s.small) + s.gap * 0.5
    row_h = min(s.body * 2.6, max(s.body * 1.7, (h - (first - top)) / len(rows)))
    return _Bars(bar_x, bar_w / top_value, first, row_h)


def _region_row(c: Canvas, s: Type, bars: _Bars, i: int, row: RegionRow, right: float) -> bool:
    """Row ``i``: the region's name, then its bar and ratio or, without one, the reason; False if the reason overflows ``right``."""
    name, value, words = row
    mid = bars.first + i * bars.row_h + bars.row_h / 2
    baseline = mid + (ASCENT - DESCENT) * s.body / 2
    national = name == NATIONAL
    c.text(bars.bar_x - s.gap, baseline, name, s.body, bold=national, anchor="end")
    if value is None:
        if bars.bar_x + text_width(words, s.body) > right:
            return False
        c.text(bars.bar_x, baseline, words, s.body, fill=GREY)
        return True
    bar_h = bars.row_h * 0.62
    c.rect(bars.bar_x, mid - bar_h / 2, value * bars.per, bar_h, DARK_BLUE if national else BLUE)
    c.text(bars.bar_x + value * bars.per + s.gap * 0.4, baseline, words, s.body, bold=national)
    return True


def _target_line(
    c: Canvas, s: Type, rows: list[RegionRow], bars: _Bars, target_x: float, bottom: float
) -> None:
    """The dashed target line down the bars, broken where a row says in words why it has none."""
    first, row_h = bars.first, bars.row_h
    spans, start = [], first - s.gap * 0.2
    for i, (_, value, _) in enumerate(rows):
        if value is None:
            if first + i * row_h > start:
                spans.append((start, first + i * row_h))
            start = first + (i + 1) * row_h
    spans.append((start, bottom))
    for y0, y1 in spans:
        if y1 - y0 > row_h / 2:
            c.line(
                target_x,
                y0,
                target_x,
                y1,
                BLACK,
                width=max(1.5, s.small / 6),
                dash=f"{s.small / 2:.1f} {s.small / 3:.1f}",
            )


def _region_draw(
    c: Canvas, s: Type, rows: list[RegionRow], target: float, box: tuple[float, float, float, float]
) -> float:
    """The staff-ratio chart at type ``s`` in ``box`` (left, top, width, height); returns the height used."""
    left, top, w, _ = box
    bars = _region_bars(s, rows, target, box)
    if bars is None:
        return float("inf")
    target_x = bars.target_x(target)
    if any(value is not None for _, value, _ in rows):
        target_label = f"Target 1:{target:,.0f}"
        half = text_width(target_label, s.small, True) / 2
        label_x = min(max(target_x, left + half), left + w - half)  # on the line, inside
        c.text(label_x, top + ASCENT * s.small, target_label, s.small, bold=True, anchor="middle")
    for i, row in enumerate(rows):
        if not _region_row(c, s, bars, i, row, left + w):
            return float("inf")
    bottom = bars.first + len(rows) * bars.row_h
    _target_line(c, s, rows, bars, target_x, bottom)
    return bottom - top


def region_chart(
    canvas: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    regions: pd.DataFrame,
    t: Type,
    *,
    min_group: int,
    grow: bool = True,
) -> float:
    """Horizontal bars of the staff ratio by region against the dashed target; returns the height used.

    Rows spread to fill ``h``; with ``grow`` the type may also grow to fill a slide.
    """
    rows = region_rows(regions, min_group)
    target = float(regions["target"].iloc[0])
    scale = fit(
        lambda c, k: _region_draw(c, t.scaled(k), rows, target, (0.0, 0.0, w, h)), w, h, grow=grow
    )
    return _region_draw(canvas, t.scaled(scale), rows, target, (x, y, w, h))


# --------------------------------------------------------------------- activity over the years


def _sparkline(
    c: Canvas, s: Type, values: list[float], box: tuple[float, float, float, float]
) -> None:
    """A line from zero through ``values`` in ``box`` (left, base line, width, height), broken at
    a missing year, with the first and last years' points marked."""
    cx, base, cell_w, chart_h = box
    shown = [v for v in values if not pd.isna(v)]
    peak = max(shown) if shown else 1.0
    pad = s.small * 0.5
    span = cell_w - 2 * pad
    step = span / max(len(values) - 1, 1)
    c.line(cx, base, cx + cell_w, base, NHS_COLOURS["mid_grey"], width=1)
    segment: list[tuple[float, float]] = []
    for i, v in enumerate(values):
        if pd.isna(v):
            if len(segment) > 1:
                c.polyline(segment, BLUE, width=max(2.0, s.small / 4))
            segment = []
            continue
        segment.append((cx + pad + i * step, base - (float(v) / peak) * (chart_h - pad)))
    if len(segment) > 1:
        c.polyline(segment, BLUE, width=max(2.0, s.small / 4))
    for i in (0, len(values) - 1):
        if not pd.isna(values[i]):
            px = cx + pad + i * step
            c.circle(
                px,
                base - (float(values[i]) / peak) * (chart_h - pad),
                max(3.0, s.small / 3),
                BLUE,
            )


def _activity_cell(
    c: Canvas, s: Type, data: pd.DataFrame, measure: str, box: tuple[float, float, float, float]
) -> float:
    """One small multiple in ``box`` (left, top, width, height): title, line, first and last
    years and rates; returns the height used (infinite when the line has no room)."""
    cx, cy, cell_w, height = box
    values = data[f"{measure}_per_1000_wte"].tolist()
    years = data["year"].tolist()
    title_lines = wrap(ACTIVITIES[measure], cell_w, s.body, True)
    for i, line in enumerate(title_lines):
        c.text(cx, cy + ASCENT * s.body + i * s.body * 1.25, line, s.body, bold=True)
    top = cy + lines_height(len(title_lines), s.body) + s.gap * 0.5
    foot = lines_height(2, s.small)
    chart_h = height - (top - cy) - foot - s.gap * 0.4
    if chart_h < s.body * 1.5:
        return float("inf")
    base = top + chart_h
    _sparkline(c, s, values, (cx, base, cell_w, chart_h))
    y1 = base + s.gap * 0.4 + ASCENT * s.small
    c.text(cx, y1, years[0], s.small, fill=GREY)
    c.text(cx + cell_w, y1, years[-1], s.small, fill=GREY, anchor="end")
    y2 = y1 + s.small * 1.25
    c.text(cx, y2, rate_words(data.iloc[0], measure), s.small, bold=True)
    c.text(cx + cell_w, y2, rate_words(data.iloc[-1], measure), s.small, bold=True, anchor="end")
    return y2 + DESCENT * s.small - cy


def activity_grid(
    canvas: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    trend: pd.DataFrame,
    t: Type,
    *,
    columns: int,
    measures: tuple[str, ...] = tuple(ACTIVITIES),
    grow: bool = True,
) -> float:
    """Small multiples of activity per 1,000 NHS WTE, each from zero, first and last years labelled."""
    rows = -(-len(measures) // columns)
    cell_w = (w - (columns - 1) * t.gap * 1.5) / columns
    cell_h = (h - (rows - 1) * t.gap) / rows
    data = trend.sort_values("year_start")

    def draw(c: Canvas, scale: float, *, left: float = 0.0, top: float = 0.0) -> float:
        used = 0.0
        for i, measure in enumerate(measures):
            r, col = divmod(i, columns)
            cx = left + col * (cell_w + t.gap * 1.5)
            cy = top + r * (cell_h + t.gap)
            cell = _activity_cell(c, t.scaled(scale), data, measure, (cx, cy, cell_w, cell_h))
            used = max(used, cell + cy - top)
        return used

    scale = fit(draw, w, h, grow=grow)
    return draw(canvas, scale, left=x, top=y)

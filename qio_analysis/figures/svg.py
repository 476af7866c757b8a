"""Hand-composed SVG with real text: every line measured, wrapped and placed, so none overlaps.

The infographic and the publication images are laid out here rather than by
plotly: a poster is typography first (a few big numbers, plain-English
lines that wrap to their box), which plotly cannot measure or wrap. Text is
always SVG ``<text>`` (selectable in the PDF, searchable in the SVG), in
Arial or its metric twin Liberation Sans, measured with the fonts' own
advance widths (:mod:`qio_analysis.figures._font`). The canvas records the
box of every line it draws; :meth:`Canvas.overlaps` lists any two that
touch, and composing refuses a layout that has any.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from qio_analysis.figures import _font

FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
_WIDTHS = {
    False: dict(zip(_font.CHARACTERS, _font.REGULAR, strict=True)),
    True: dict(zip(_font.CHARACTERS, _font.BOLD, strict=True)),
}
#: Width of a character the table lacks: a wide capital, so an estimate is never short.
_FALLBACK = 1479
ASCENT = _font.ASCENT / _font.UNITS_PER_EM
DESCENT = _font.DESCENT / _font.UNITS_PER_EM


class LayoutError(ValueError):
    """A graphic's text does not fit its frame, even at the smallest allowed size."""


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in pixels at font ``size`` (advance widths, no kerning).

    >>> round(text_width("Target 1:1,250", 20), 1), round(text_width("Target", 20, bold=True), 1)
    (130.1, 61.1)
    """
    widths = _WIDTHS[bold]
    return sum(widths.get(ch, _FALLBACK) for ch in text) * size / _font.UNITS_PER_EM


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a longer word keeps a line of its own).

    >>> wrap("Like for like up 2.1% among the 132 services", 160, 14)
    ['Like for like up 2.1%', 'among the 132 services']
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_width(trial, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Span:
    """A run of text within a line, with its own weight and colour."""

    text: str
    bold: bool = False
    fill: str | None = None


@dataclass(frozen=True)
class Box:
    """The box a line of text occupies (left, top, right, bottom) and the text."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def touches(self, other: Box, gap: float = 0.0) -> bool:
        """True when the two boxes overlap (closer than ``gap``)."""
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )


def _attrs(**values: object) -> str:
    parts = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f'{name}="{html.escape(str(value), quote=True)}"')
    return " ".join(parts)


@dataclass
class Canvas:
    """An SVG being composed: shapes and measured text, in pixels from the top left."""

    width: float
    height: float
    title: str
    description: str
    elements: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    #: Element index -> heading level, for lines that are headings (see :meth:`html_headings`).
    headings: dict[int, int] = field(default_factory=dict)
    #: The position and style of each heading line, by element index.
    heading_lines: dict[int, tuple[float, float, float, bool, str, str]] = field(
        default_factory=dict
    )

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str,
        *,
        radius: float = 0,
        stroke: str | None = None,
    ) -> None:
        self.elements.append(
            f"<rect {_attrs(x=float(x), y=float(y), width=float(w), height=float(h), rx=float(radius) or None, fill=fill, stroke=stroke)}/>"
        )

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        stroke: str,
        *,
        width: float = 1,
        dash: str | None = None,
    ) -> None:
        self.elements.append(
            f"<line {_attrs(x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), stroke=stroke, stroke_width=float(width), stroke_dasharray=dash)}/>"
        )

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, *, width: float) -> None:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.elements.append(
            f"<polyline {_attrs(points=coords, fill='none', stroke=stroke, stroke_width=float(width), stroke_linejoin='round', stroke_linecap='round')}/>"
        )

    def circle(
        self, cx: float, cy: float, r: float, fill: str, *, stroke: str | None = None
    ) -> None:
        self.elements.append(
            f"<circle {_attrs(cx=float(cx), cy=float(cy), r=float(r), fill=fill, stroke=stroke, stroke_width=2.0 if stroke else None)}/>"
        )

    def text(
        self,
        x: float,
        baseline: float,
        spans: str | Sequence[Span],
        size: float,
        *,
        bold: bool = False,
        fill: str = "#231F20",
        anchor: str = "start",
        heading: int | None = None,
    ) -> Box:
        """One line of text at ``baseline``; returns (and records) its box.

        ``heading`` (1, 2, ...) marks the line as a heading of that level, so a
        printed page can carry it as a real heading (:meth:`html_headings`).
        """
        runs = [Span(spans, bold, None)] if isinstance(spans, str) else list(spans)
        width = sum(text_width(r.text, size, r.bold) for r in runs)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        inner = "".join(
            html.escape(r.text, quote=False)
            if (r.bold == bold and r.fill is None)
            else f"<tspan {_attrs(font_weight='bold' if r.bold else 'normal', fill=r.fill)}>{html.escape(r.text, quote=False)}</tspan>"
            for r in runs
        )
        if heading is not None:
            self.headings[len(self.elements)] = heading
            text = "".join(r.text for r in runs)
            self.heading_lines[len(self.elements)] = (left, baseline, size, bold, fill, text)
        self.elements.append(
            f"<text {_attrs(x=float(x), y=float(baseline), font_size=float(size), font_weight='bold' if bold else None, fill=fill, text_anchor=None if anchor == 'start' else anchor)}>{inner}</text>"
        )
        box = Box(
            left,
            baseline - ASCENT * size,
            left + width,
            baseline + DESCENT * size,
            "".join(r.text for r in runs),
        )
        self.boxes.append(box)
        return box

    def paragraph(
        self,
        x: float,
        top: float,
        text: str,
        width: float,
        size: float,
        *,
        bold: bool = False,
        fill: str = "#231F20",
        anchor: str = "start",
        leading: float = 1.25,
        heading: int | None = None,
    ) -> float:
        """``text`` wrapped to ``width`` from ``top``; returns the bottom of the last line."""
        box = None
        for i, line in enumerate(wrap(text, width, size, bold)):
            baseline = top + ASCENT * size + i * size * leading
            box = self.text(
                x, baseline, line, size, bold=bold, fill=fill, anchor=anchor, heading=heading
            )
        return top if box is None else box.y1

    def overlaps(self, gap: float = 0.0) -> list[tuple[Box, Box]]:
        """Every pair of text boxes that overlap."""
        boxes = sorted(self.boxes, key=lambda b: b.y0)
        found = []
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if b.y0 >= a.y1 + gap:
                    break
                if a.touches(b, gap):
                    found.append((a, b))
        return found

    def outside(self) -> list[Box]:
        """Text boxes that cross the edge of the canvas."""
        return [
            b for b in self.boxes if b.x0 < 0 or b.y0 < 0 or b.x1 > self.width or b.y1 > self.height
        ]

    def html_headings(self) -> str:
        """The heading lines as HTML headings, absolutely placed where the SVG draws them.

        Consecutive lines of one level make one heading. A page that shows
        :meth:`svg` with ``headings=False`` under these reads the same, and its
        printed PDF gets real headings (its outline) from them.
        """
        out: list[str] = []
        previous: tuple[int, int] | None = None
        for index in sorted(self.heading_lines):
            level = self.headings[index]
            left, baseline, size, bold, fill, text = self.heading_lines[index]
            style = (
                f"position:absolute;left:{left:.2f}px;top:{baseline - ASCENT * size:.2f}px;"
                f"margin:0;font:{'bold' if bold else 'normal'} {size:.2f}px/{ASCENT + DESCENT:.4f} "
                f"{FONT_FAMILY};color:{fill};white-space:nowrap"
            )
            span = f'<span style="{html.escape(style)}">{html.escape(text, quote=False)}</span>'
            if previous and previous[0] == level and previous[1] == index - 1:
                out[-1] = out[-1].replace(f"</h{level}>", f" {span}</h{level}>")
            else:
                out.append(f'<h{level} style="margin:0">{span}</h{level}>')
            previous = (level, index)
        return "".join(out)

    def svg(self, *, headings: bool = True) -> str:
        """The finished SVG document (text as ``<text>``, title and description for screen readers).

        ``headings=False`` leaves out the heading lines, for a page that sets
        them as HTML (:meth:`html_headings`).
        """
        problems = self.overlaps() + [(b, b) for b in self.outside()]
        if problems:
            a, b = problems[0]
            raise LayoutError(f"text overlaps or leaves the frame: {a.text!r} and {b.text!r}")
        head = _attrs(
            xmlns="http://www.w3.org/2000/svg",
            width=float(self.width),
            height=float(self.height),
            viewBox=f"0 0 {self.width:g} {self.height:g}",
            role="img",
            aria_labelledby="title desc",
            lang="en-GB",
            font_family=FONT_FAMILY,
        )
        return (
            f"<svg {head}>"
            f'<title id="title">{html.escape(self.title, quote=False)}</title>'
            f'<desc id="desc">{html.escape(self.description, quote=False)}</desc>'
            + "".join(e for i, e in enumerate(self.elements) if headings or i not in self.headings)
            + "</svg>\n"
        )

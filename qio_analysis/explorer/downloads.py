"""Files the explorer offers for what it shows: the table as CSV or Excel, the chart as PNG, SVG or HTML.

Every file is fit to send as it is: it holds the values as the page shows
them (:func:`~qio_analysis.explorer.page.displayed`: rounded, units in the
headers), and says what it is (:class:`About`: title, source files, when
the data was read, the filters, and the synthetic-data mark for the demo).
Its name says what is inside: ``qio-staffing-claybridge-lks-2019-20-to-2024-25.csv``.

Tables go through the project's one writer (:mod:`qio_analysis.io.writers`),
workbooks in the cover-and-notes layout (:mod:`qio_analysis.export.sheets`);
images are drawn by the image pack's kaleido path on the system Chromium
(:func:`~qio_analysis.export.chart_images.render_figures`). Each function returns a
:class:`Download`; :meth:`Download.link` is the HTML the page shows for it,
which the ``qio`` Voila template clicks at once, so one click gives the file.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.config import chromium_path
from qio_analysis.errors import QioConfigError
from qio_analysis.explorer.page import NOT_SHOWN, NOT_SHOWN_NOTE, displayed, number_formats
from qio_analysis.io.writers import SpreadsheetTextWarning, csv_bytes, workbook_bytes
from qio_analysis.text import escape_html

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Width in pixels of a downloaded chart (PNG at twice this, for print and slides).
IMAGE_WIDTH = 1100
PNG_SCALE = 2
#: Height of a chart that does not set its own.
DEFAULT_HEIGHT = 500
#: The longest file name offered (without its extension).
MAX_STEM = 90
SYNTHETIC = "Synthetic demo data: every organisation, service and figure in this file is fictional."


def when(moment: dt.datetime) -> str:
    """A time as people write it: ``14:05 on 2 December 2026``.

    >>> when(dt.datetime(2026, 12, 2, 14, 5))
    '14:05 on 2 December 2026'
    """
    return f"{moment:%H:%M} on {moment.day} {moment:%B %Y}"


def slug(text: str) -> str:
    """Text as part of a file name: lower-case letters, digits and single hyphens.

    >>> slug("Claybridge Library & Knowledge Service, 2019/20")
    'claybridge-library-knowledge-service-2019-20'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class About:
    """What a file shows and where it came from, written at the top of every download."""

    title: str
    view: str
    subject: str
    years: str
    filters: tuple[tuple[str, str], ...] = ()
    sources: tuple[str, ...] = ()
    read_at: dt.datetime | None = None
    data_date: dt.datetime | None = None
    is_demo: bool = False
    made_at: dt.datetime | None = None

    @property
    def stem(self) -> str:
        """The file name without extension: ``qio-<view>-<region or service>-<years>``."""
        parts = [p for p in ("qio", slug(self.view), slug(self.subject), slug(self.years)) if p]
        return "-".join(parts)[:MAX_STEM].rstrip("-")

    def made(self) -> str:
        """``Made at 14:05 on 2 December 2026 from <files>.``"""
        made_at = self.made_at or dt.datetime.now()
        files = ", ".join(self.sources) or "tables given in Python"
        return f"Made at {when(made_at)} from {files}."

    def lines(self) -> list[str]:
        """The file's description, one sentence a line (title not included)."""
        lines = [self.made()]
        if self.read_at is not None:
            dated = f"; files last changed {when(self.data_date)}" if self.data_date else ""
            lines.append(f"Data read at {when(self.read_at)}{dated}.")
        if self.filters:
            lines.append("Filters: " + "; ".join(f"{k}: {v}" for k, v in self.filters) + ".")
        if self.is_demo:
            lines.append(SYNTHETIC)
        return lines


class Download(NamedTuple):
    """One file for the reader: its name, type, bytes and a note on what was changed, if anything."""

    name: str
    mime: str
    data: bytes
    note: str = ""

    def link(self) -> str:
        """A data-URL download link with the file's size, and the note when there is one.

        The ``qio`` template clicks a link marked ``data-qio-auto`` once, as it
        arrives, so the button that asked for the file is the only click.

        >>> print(Download("a.csv", "text/csv", b"x,y").link())  # doctest: +ELLIPSIS
        <p class="qio-download" role="status">Downloading a.csv (1 KB). If it does not start, <a data-qio-auto="..." download="a.csv" href="data:text/csv;base64,eCx5">save a.csv</a>.</p>
        """
        encoded = base64.b64encode(self.data).decode("ascii")
        name = escape_html(self.name)
        note = (
            f'<p class="qio-message" role="status">{escape_html(self.note)}</p>'
            if self.note
            else ""
        )
        size = max(1, round(len(self.data) / 1024))
        return (
            f'<p class="qio-download" role="status">Downloading {name} ({size:,} KB). '
            f'If it does not start, <a data-qio-auto="{secrets.token_hex(8)}" download="{name}" '
            f'href="data:{self.mime};base64,{encoded}">save {name}</a>.</p>{note}'
        )


def _spreadsheet(write: Callable[[list[str]], bytes]) -> tuple[bytes, str]:
    """Bytes from the safe writers, and a note when they had to change text from the data."""
    found: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SpreadsheetTextWarning)
        data = write(found)
    note = (
        "Some text from the data was changed so that the file is safe to open in a "
        "spreadsheet (it started like a formula or held characters Excel refuses)."
        if found
        else ""
    )
    return data, note


def _header_names(frame: pd.DataFrame) -> pd.DataFrame:
    """A table whose every column has a name (an Excel table needs one)."""
    return frame.rename(columns={c: "Row" for c in frame.columns if not str(c).strip()})


def table_csv(table: pd.DataFrame, about: About) -> Download:
    """The table as shown, and nothing else: ``pandas.read_csv`` and Excel open it as it is.

    A cell without a figure holds :data:`~qio_analysis.explorer.page.NOT_SHOWN`. What the
    file is and where it came from are in the workbook and the chart images (a line above
    the header would break every reader); the file's name says the view, subject and years.
    """

    def write(found: list[str]) -> bytes:
        return csv_bytes(_header_names(displayed(table)), notes=found)

    data, note = _spreadsheet(write)
    return Download(f"{about.stem}.csv", "text/csv", data, note)


def _has_gaps(table: pd.DataFrame) -> bool:
    return bool((displayed(table).astype(object) == NOT_SHOWN).to_numpy().any())


def table_xlsx(table: pd.DataFrame, about: About) -> Download:
    """The table as shown, in a workbook with a cover, contents and notes (Analysis Function layout)."""
    from qio_analysis.export.sheets import SheetTable, build_book

    notes = [
        f"Source files: {', '.join(about.sources) or 'tables given in Python'}.",
        "Values are rounded as the explorer shows them: whole numbers for 1:N ratios, "
        "one decimal place otherwise.",
    ]
    if _has_gaps(table):
        notes.append(NOT_SHOWN_NOTE)
    if about.is_demo:
        notes.append(SYNTHETIC)
    cover = [
        (about.title, "title"),
        *[(line, None) for line in about.lines()],
        ("About this workbook", "heading"),
        ("The Data sheet holds the table behind the chart, as the explorer shows it.", None),
    ]
    sheet = SheetTable(
        sheet="Data",
        title=f"{about.title} [note 1] [note 2]" + (" [note 3]" if _has_gaps(table) else ""),
        frame=_header_names(displayed(table)),
        formats=number_formats(table),
        description=[
            "This worksheet contains one table.",
            *[line for line in about.lines() if line.startswith("Filters")],
        ],
    )
    book = build_book(
        title=about.title,
        cover=cover,
        tables=[sheet],
        notes=notes,
        subject=f"QIOF explorer: {about.view}",
        keywords="QIOF, LKS, explorer",
    )
    data, note = _spreadsheet(lambda found: workbook_bytes(book, notes=found))
    return Download(f"{about.stem}.xlsx", XLSX_MIME, data, note)


def png_available() -> bool:
    """Whether this machine has the Chromium that draws PNG and SVG charts."""
    try:
        chromium_path()
    except QioConfigError:
        return False
    return True


#: Characters per line of the provenance printed under a downloaded chart.
_FOOTER_WIDTH = 150
#: Pixels per line of that provenance (12 px text).
_FOOTER_LINE_PX = 17


def provenance_lines(about: About) -> list[str]:
    """What a chart image carries under the chart: source files, data read, filters, demo mark.

    >>> provenance_lines(About(title="T", view="v", subject="s", years="y", is_demo=True,
    ...     made_at=dt.datetime(2026, 1, 2, 9, 5)))  # doctest: +NORMALIZE_WHITESPACE
    ['Made at 09:05 on 2 January 2026 from tables given in Python.',
     'Synthetic demo data: every organisation, service and figure in this file is fictional.']
    """
    lines: list[str] = []
    for line in about.lines():
        lines += textwrap.wrap(line, _FOOTER_WIDTH) or [""]
    return lines


def with_provenance(figure: go.Figure, about: About, width: int = IMAGE_WIDTH) -> go.Figure:
    """A copy of ``figure`` with :func:`provenance_lines` printed under it (the page's chart
    is left as it is); the image grows by the lines' height."""
    fig = go.Figure(figure)
    lines = provenance_lines(about)
    margin = _margin(fig, "b", 80)
    extra = _FOOTER_LINE_PX * len(lines) + 16
    height = (figure.layout.height or DEFAULT_HEIGHT) + extra
    plot_height = max(1, height - _margin(fig, "t", 100) - margin - extra)
    left = _margin(fig, "l", 80)
    plot_width = max(1, width - left - _margin(fig, "r", 80))
    fig.add_annotation(  # at the foot of the image, below the legend and axis titles
        text="<br>".join(escape_html(line) for line in lines),
        xref="paper",
        yref="paper",
        x=-(left - 10) / plot_width,  # from the image's left edge, however wide the labels
        y=-(margin + extra - 6) / plot_height,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": 12, "color": "#425563"},
    )
    fig.update_layout(margin={"b": margin + extra}, height=height)
    legend = fig.layout.legend
    if legend.yref == "container" and legend.y is not None:  # a legend at the foot moves up
        old_height = figure.layout.height or DEFAULT_HEIGHT
        fig.update_layout(legend_y=(legend.y * old_height + extra) / height)
    return fig


def _margin(fig: go.Figure, side: str, default: int) -> int:
    """The figure's margin on one side: its own, else its template's, else plotly's default."""
    own = getattr(fig.layout.margin, side)
    if own is not None:
        return own
    template = fig.layout.template
    inherited = getattr(template.layout.margin, side) if template else None
    return inherited if inherited is not None else default


def _svg_with_title(svg: bytes, about: About, alt_text: str) -> bytes:
    """The SVG with ``<title>`` (the chart's title) and ``<desc>`` (its alt text and provenance)."""
    text = svg.decode("utf-8")
    match = re.search(r"<svg\b[^>]*>", text)
    if match is None:
        raise QioConfigError("The chart's SVG has no <svg> element.")
    desc = " ".join(p for p in (alt_text, *about.lines()) if p)
    inserted = f"<title>{xml_escape(about.title)}</title><desc>{xml_escape(desc)}</desc>"
    return (text[: match.end()] + inserted + text[match.end() :]).encode("utf-8")


def chart_image(figure: go.Figure, about: About, kind: str) -> Download:
    """The chart as ``"png"`` or ``"svg"``, drawn offline by kaleido, with its provenance
    printed under it (and, in an SVG, its title and description as ``<title>``/``<desc>``)."""
    from qio_analysis.export.chart_images import render_figures
    from qio_analysis.figures.template import figure_alt_text

    if kind not in ("png", "svg"):
        raise QioConfigError(f"A chart image is 'png' or 'svg', not {kind!r}.")
    drawn = with_provenance(figure, about, IMAGE_WIDTH)
    options = {
        "format": kind,
        "width": IMAGE_WIDTH,
        "height": drawn.layout.height,
        **({"scale": PNG_SCALE} if kind == "png" else {}),
    }
    name = f"{about.stem}.{kind}"
    data = render_figures([(name, drawn, options)], chromium_path())[name]
    if kind == "svg":
        data = _svg_with_title(data, about, figure_alt_text(figure))
    return Download(name, "image/png" if kind == "png" else "image/svg+xml", data)

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
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.config import chromium_path
from qio_analysis.errors import QioConfigError
from qio_analysis.explorer.page import displayed
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
    """The table as shown, under its title and description (one line each, then a blank line).

    The table starts after ``len(about.lines()) + 2`` lines: read it back with
    ``pd.read_csv(path, skiprows=len(about.lines()) + 2)``.
    """

    def write(found: list[str]) -> bytes:
        heading = pd.DataFrame({about.title: about.lines()})
        return (
            csv_bytes(heading, notes=found)
            + b"\n"
            + csv_bytes(_header_names(displayed(table)), notes=found)
        )

    data, note = _spreadsheet(write)
    return Download(f"{about.stem}.csv", "text/csv", data, note)


def table_xlsx(table: pd.DataFrame, about: About) -> Download:
    """The table as shown, in a workbook with a cover, contents and notes (Analysis Function layout)."""
    from qio_analysis.export.sheets import SheetTable, build_book

    notes = [
        f"Source files: {', '.join(about.sources) or 'tables given in Python'}.",
        "Values are rounded as the explorer shows them: whole numbers for 1:N ratios, "
        "one decimal place otherwise.",
    ]
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
        title=f"{about.title} [note 1] [note 2]",
        frame=_header_names(displayed(table)),
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


def chart_image(figure: go.Figure, about: About, kind: str) -> Download:
    """The chart as ``"png"`` or ``"svg"``, drawn offline by kaleido."""
    from qio_analysis.export.chart_images import render_figures

    if kind not in ("png", "svg"):
        raise QioConfigError(f"A chart image is 'png' or 'svg', not {kind!r}.")
    options = {
        "format": kind,
        "width": IMAGE_WIDTH,
        "height": figure.layout.height or DEFAULT_HEIGHT,
        **({"scale": PNG_SCALE} if kind == "png" else {}),
    }
    name = f"{about.stem}.{kind}"
    data = render_figures([(name, figure, options)], chromium_path())[name]
    return Download(name, "image/png" if kind == "png" else "image/svg+xml", data)

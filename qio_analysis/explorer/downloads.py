"""Files the explorer offers for what it shows: the table as CSV or Excel, the chart as HTML or PNG.

Tables go through the project's safe writers (:mod:`qio_analysis.io.writers`),
charts use the one :func:`~qio_analysis.figures.template.plotly_config`, and a
PNG is drawn by the system Chromium (:func:`~qio_analysis.config.chromium_path`).
Each function returns a :class:`Download`; :meth:`Download.link` is the HTML
the page shows for it.
"""

from __future__ import annotations

import base64
import os
import warnings
from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.config import chromium_path
from qio_analysis.errors import QioConfigError
from qio_analysis.explorer.page import readable
from qio_analysis.figures.template import plotly_config
from qio_analysis.io.writers import SpreadsheetTextWarning, csv_bytes, xlsx_bytes
from qio_analysis.text import escape_html

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Width in pixels of a downloaded PNG chart.
PNG_WIDTH = 1100


class Download(NamedTuple):
    """One file for the reader: its name, type, bytes and a note on what was changed, if anything."""

    name: str
    mime: str
    data: bytes
    note: str = ""

    def link(self) -> str:
        """A data-URL download link with the file's size, and the note when there is one.

        >>> Download("a.csv", "text/csv", b"x,y").link()
        '<a download="a.csv" href="data:text/csv;base64,eCx5">Download a.csv</a> (0 KB)'
        """
        encoded = base64.b64encode(self.data).decode("ascii")
        name = escape_html(self.name)
        note = (
            f'<p class="qio-message" role="status">{escape_html(self.note)}</p>'
            if self.note
            else ""
        )
        return (
            f'<a download="{name}" href="data:{self.mime};base64,{encoded}">Download {name}</a>'
            f" ({len(self.data) / 1024:,.0f} KB){note}"
        )


def _spreadsheet(write: Callable[[], bytes]) -> tuple[bytes, str]:
    """Bytes from the safe writers, and a note when they had to change text from the data."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SpreadsheetTextWarning)
        data = write()
    changed = any(issubclass(c.category, SpreadsheetTextWarning) for c in caught)
    note = (
        "Some text from the data was changed so that the file is safe to open in a "
        "spreadsheet (it started like a formula or held characters Excel refuses)."
        if changed
        else ""
    )
    return data, note


def table_csv(table: pd.DataFrame, stem: str) -> Download:
    """The table as CSV, with readable headers."""
    data, note = _spreadsheet(lambda: csv_bytes(readable(table)))
    return Download(f"{stem}.csv", "text/csv", data, note)


def table_xlsx(table: pd.DataFrame, stem: str) -> Download:
    """The table as an Excel workbook, with readable headers."""
    data, note = _spreadsheet(lambda: xlsx_bytes({"data": readable(table)}))
    return Download(f"{stem}.xlsx", XLSX_MIME, data, note)


def chart_html(figure: go.Figure, stem: str) -> Download:
    """The chart as a standalone interactive HTML page (plotly.js inlined, nothing fetched)."""
    page = figure.to_html(include_plotlyjs=True, full_html=True, config=plotly_config())
    return Download(f"{stem}.html", "text/html", page.encode("utf-8"))


def png_available() -> bool:
    """Whether this machine has the Chromium that draws PNG charts."""
    try:
        chromium_path()
    except QioConfigError:
        return False
    return True


def chart_png(figure: go.Figure, stem: str) -> Download:
    """The chart as a PNG drawn by the system Chromium (:class:`QioConfigError` without one)."""
    os.environ.setdefault("BROWSER_PATH", chromium_path())
    data = figure.to_image(format="png", width=PNG_WIDTH, scale=1)
    return Download(f"{stem}.png", "image/png", data)

"""The explorer's default view as a picture, on the page from the server's first answer.

A page without a query opens on the default view (levels by region, the
latest cycle). Its live chart needs the widgets fetched from the kernel and
plotly.js compiled, seconds on a loaded laptop; until then the page shows the
same figure, from the same figure code, drawn as an SVG picture like the
saved view, with its title and alt text. The page's script moves the picture
into the chart's frame once the explorer is on the page and removes it when
the live chart draws (or a control asks for another view).

``qio explore`` makes the picture in the background when it starts. Drawing
an SVG needs Chromium (seconds), so the picture is kept in the user's cache
folder under a key that digests the figure itself and the drawing library:
the next start with the same data shows it at once, and changed data or code
never shows an old one. A link with a query gets no picture (it asks for
another view).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from qio_analysis.text import escape_html

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Where the template puts the picture (an HTML comment: nothing when there is none).
MARKER = "<!--qio-first-view-->"
#: The cache entries' kind (see :mod:`qio_analysis.io.cache`).
CACHE_KIND = "explorer-first-view"
#: The picture's width in pixels: the chart frame's widest.
WIDTH = 1100
#: Height when the figure sets none (plotly's default).
HEIGHT = 500
#: Seconds a kept picture's check waits for the server's first page before it starts anyway.
CHECK_DELAY_SECONDS = 20.0

#: A data file or folder as ``qio explore`` was given it; ``None`` for the demo data.
DataPath = str | os.PathLike[str] | None

log = logging.getLogger(__name__)


def _console() -> logging.Logger:
    """This module's log, printed beside the server's (once)."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[qio explore] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def picture_key(figure: go.Figure) -> str:
    """A digest of everything the picture is drawn from: the figure and the drawing library."""
    import plotly

    spec = figure.to_plotly_json()
    text = json.dumps(spec, sort_keys=True, default=str)
    material = f"{plotly.__version__}\n{WIDTH}\n{text}".encode()
    return hashlib.sha256(material).hexdigest()


def first_view_html(figure: go.Figure, svg: bytes) -> str:
    """The picture as the page shows it: an image with the chart's title and alt text, and a note.

    >>> import plotly.graph_objects as go
    >>> fig = go.Figure(layout={"title": {"text": "Levels <b>2025</b>"}, "meta": {"alt_text": "Bars."}})
    >>> html = first_view_html(fig, b"<svg/>")
    >>> 'alt="Levels &lt;b&gt;2025&lt;/b&gt;. Bars."' in html, html.count("<img")
    (True, 1)
    """
    from qio_analysis.figures.template import figure_alt_text

    title = (figure.layout.title.text or "Chart").replace("<br>", " ")
    alt = f"{title}. {figure_alt_text(figure)}".strip()
    data = base64.b64encode(svg).decode("ascii")
    return (
        '<figure class="qio-first-view" aria-busy="true">'
        '<p class="qio-first-view-note" role="status">Loading the interactive explorer. '
        "Until it is ready, this is a picture of its first view.</p>"
        f'<img src="data:image/svg+xml;base64,{data}" alt="{escape_html(alt)}" '
        f'width="{WIDTH}" height="{int(figure.layout.height or HEIGHT)}">'
        "</figure>"
    )


def default_figure(
    submissions: DataPath, statistics: DataPath, organisations: DataPath
) -> go.Figure:
    """The default view's figure for these data paths (``None`` for the demo data)."""
    from qio_analysis.explorer.views import Data, Selection, compute, org_names
    from qio_analysis.io.inputs import load_inputs

    inputs = load_inputs(submissions, statistics, organisations)
    subs = inputs.submissions
    data = Data(subs, inputs.statistics, inputs.organisations, names=org_names(subs))
    return compute(Selection(view="distribution", cycle=int(subs["cycle"].max())), data).figure


def quick_key(paths: list[DataPath]) -> str:
    """A key for the picture found without loading anything: the data files and the code as
    they are now (sizes and times), and the drawing library's version."""
    from importlib.metadata import version

    from qio_analysis import config
    from qio_analysis.io.cache import stamp

    given: list[str | os.PathLike[str]] = [p for p in paths if p is not None] or [
        config.DEMO_SUBMISSIONS,
        config.DEMO_STATISTICS,
        config.DEMO_ORGANISATIONS,
    ]
    code = Path(__file__).resolve().parents[1]
    files = [*given, *sorted(code.rglob("*.py"))]
    return stamp(files, version("plotly"), str(WIDTH), str(len(given)))


def draw_svg(figure: go.Figure) -> bytes:
    """The figure as SVG, drawn by the image pack's kaleido path on the system Chromium."""
    from qio_analysis.config import chromium_path
    from qio_analysis.export.chart_images import render_figures

    options = {"format": "svg", "width": WIDTH, "height": figure.layout.height or HEIGHT}
    return render_figures([("first-view.svg", figure, options)], chromium_path())["first-view.svg"]


class FirstView:
    """The picture of the default view, made once in the background, then shown on every page."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._html = ""
        self.ready = threading.Event()
        #: Set by the server once it has answered its first page (or never, outside a server):
        #: a kept picture is checked against the data only then, so that making the figure
        #: (imports, reading the data: seconds of CPU in the server's process) does not slow
        #: the server's own start and first answer.
        self.answered = threading.Event()
        self.log = logger or log

    def html(self, query: str) -> str:
        """What replaces :data:`MARKER` on a page asked for with ``query`` ("" for a link)."""
        return "" if query.strip("?&") else self._html

    def make(
        self,
        figure: Callable[[], go.Figure],
        draw: Callable[[go.Figure], bytes] = draw_svg,
        quick: str | None = None,
        check_delay: float = 0.0,
    ) -> None:
        """Make the picture; never raises.

        With a ``quick`` key (:func:`quick_key`) the picture kept under it is shown at once;
        then, once the server has answered its first page (:attr:`answered`, or after
        ``check_delay`` seconds), the figure is made and its picture, kept under the
        figure's own digest or drawn afresh, replaces it if it differs, and is kept under
        ``quick`` for next time.
        """
        from qio_analysis.io.cache import read_cached, write_cached

        try:
            kept = read_cached(CACHE_KIND, quick, "html") if quick else None
            if kept is not None:
                self._html = kept.decode("utf-8")
                self.ready.set()
                self.log.info("First view ready (kept from an earlier start).")
                self.answered.wait(check_delay)
            fig = figure()
            key = picture_key(fig)
            svg = read_cached(CACHE_KIND, key, "svg")
            if svg is None:
                svg = draw(fig)
                write_cached(CACHE_KIND, key, "svg", svg)
            html = first_view_html(fig, svg)
            if html != self._html:
                self._html = html
                self.log.info("First view ready: a picture of the default view is on every page.")
            if quick and kept != html.encode("utf-8"):
                write_cached(CACHE_KIND, quick, "html", html.encode("utf-8"))
        except Exception as exc:  # the live chart still comes: say why there is no picture
            self.log.warning("No first-view picture (the live chart still draws): %s", exc)
        finally:
            self.ready.set()

    def start(self, paths: list[DataPath]) -> threading.Thread:
        """Make the picture for these data paths in a background thread (the server answers
        meanwhile)."""

        self.log = _console() if self.log is log else self.log

        def make() -> None:
            try:
                quick = quick_key(paths)
            except OSError:  # a folder that cannot be listed: no quick picture
                quick = None
            self.make(lambda: default_figure(*paths), quick=quick, check_delay=CHECK_DELAY_SECONDS)

        thread = threading.Thread(target=make, daemon=True, name="first-view")
        thread.start()
        return thread

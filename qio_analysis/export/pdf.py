"""HTML reports printed to tagged A4 PDFs by one headless Debian chromium, several tabs at once.

The PDF is the HTML report printed with its print stylesheet (``report.css``):
A4 portrait, charts and tables kept whole, descriptions and data open, no
modebar. Chromium is driven over the DevTools protocol with Playwright's
Python API and ``executable_path`` set to the system chromium: no browser is
ever downloaded. One browser is started per run, only when PDFs are asked for;
inside :func:`~qio_analysis.export.browser.shared_browser` every printer uses
that session's browser instead (a context of its own each).

Each tab loads one print shell (plotly.js and ``render.js``, compiled once) and
every report is swapped into it: its body replaces the last one's and its
charts are drawn once, at their printed size, as static plots. Loading each
report as a page of its own (``method="navigate"``, kept as the benchmark's
baseline) took about 1.5 times as long (``benchmarks/bench_outputs.py``).
Nothing but the printer's own loopback server may load (see
:mod:`qio_analysis.export.serve`), and no script from a report ever runs.

Every PDF is tagged, with an outline from the headings, ``/Lang`` en-GB, its
title shown as the window title, each chart a figure whose ``/Alt`` is its
description and the data tables real tables (see :mod:`.pdf_tags`).

:class:`PdfPrinter` accepts jobs while it prints (``submit``), so a caller can
hand over each report as soon as its HTML is written; :func:`print_pdfs`
prints a list.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from qio_analysis.config import chromium_path
from qio_analysis.export.browser import (
    CHROMIUM_FLAGS as CHROMIUM_FLAGS,  # where the benchmarks find them
)
from qio_analysis.export.browser import (
    NO_PROXY,
    BrowserSession,
    browser_context,
    current_session,
)
from qio_analysis.export.serve import ReportServer

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, ProxySettings

#: Pages are laid out this wide and printed at the layout's scale, which fills A4's printable
#: width (186 mm, 703 px at 96 px/in): charts are drawn at their printed width, never rescaled.
_PRINTABLE_PX = 703
_MARGIN = {"top": "16mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
#: (print scale, chart height factor): the usual layout, then a tighter one for reports that
#: would run over their page budget. Charts are drawn shorter on paper than on screen (the
#: screen heights leave room to hover).
_LAYOUTS = ((0.8, 0.72), (0.74, 0.62))
#: Ready a loaded report for paper: its charts drawn once, at their printed height and as
#: static plots (the shell remembers them, to release them at the next swap), every
#: <details> open, and long, narrow data tables flowing in two columns (see report.css).
_PREPARE = """async factor => {
  if (window.qioDrawCharts) {
    window.qioDrawn = await window.qioDrawCharts({heightFactor: factor, staticPlot: true});
  }
  const half = (document.querySelector('.qio-report') || document.body).clientWidth / 2 - 24;
  for (const d of document.querySelectorAll('details')) {
    d.open = true;
    const table = d.classList.contains('qio-data') && d.querySelector('table');
    if (table && table.rows.length > 12) {
      table.style.width = 'min-content';  // the narrowest it can be (headers wrap, cells do not)
      if (table.getBoundingClientRect().width <= half) d.classList.add('qio-print-columns');
      table.style.width = '';
    }
  }
}"""
#: Swap a report into the print shell, then ready it: its styles, title, language and body
#: (parsed inert: DOMParser marks its scripts never to run), with relative URLs resolved
#: against its own address. The last report's charts stand in for this one's where their
#: places match (plotly then redraws only what differs: about half the cost of a new
#: chart); the rest are released.
_SWAP = f"""async ([source, url, factor, pageStyle]) => {{
  const previous = new Map((window.qioDrawn || []).map(gd => [gd.id, gd]));
  const doc = new DOMParser().parseFromString(source, 'text/html');
  document.querySelector('base').href = url;
  document.title = doc.title;
  document.documentElement.lang = doc.documentElement.lang || 'en-GB';
  for (const s of document.head.querySelectorAll('[data-qio-report]')) s.remove();
  for (const s of doc.head.querySelectorAll('style, link[rel=stylesheet]')) {{
    s.setAttribute('data-qio-report', '');  // plotly's own styles stay
    document.head.append(document.adoptNode(s));
  }}
  const page = document.createElement('style');
  page.setAttribute('data-qio-report', '');
  page.textContent = pageStyle;
  document.head.append(page);
  document.body.replaceWith(document.adoptNode(doc.body));
  for (const block of document.querySelectorAll('script.qio-plot-data')) {{
    const target = document.getElementById(block.getAttribute('data-target'));
    const drawn = previous.get(target.id);
    if (drawn) {{
      drawn.style.height = target.style.height;
      target.replaceWith(drawn);
      previous.delete(target.id);
    }}
  }}
  for (const gd of previous.values()) Plotly.purge(gd);
  await ({_PREPARE})(factor);
}}"""
#: The print shell: what every report needs before its body arrives. Its policy is the
#: reports', and only the shell's own scripts run: no inline script or event handler in a
#: report's markup ever does.
_SHELL = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="script-src 'self'; connect-src 'none'; form-action 'none'; frame-src 'none'; object-src 'none'; base-uri 'self'">
<title>QIOF report</title>
<script src="{scripts}shell.js"></script>
<script src="{scripts}{plotly}" charset="utf-8"></script>
<script src="{scripts}render.js" charset="utf-8"></script>
<base href="{base}">
</head><body></body></html>"""
_SHELL_DIR = ".qio-print/"
_SHELL_PAGE = _SHELL_DIR + "shell.html"
_BAND = (
    '<div style="font:7.5pt Arial,sans-serif;color:#425563;width:100%;margin:0 12mm;'
    'display:flex;justify-content:space-between;gap:4mm">{left}{right}</div>'
)
#: One line each side: the left text gives way (ellipsis), the right (cycle, page) never does.
_LEFT = '<span style="flex:1 1 auto;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">'
_RIGHT = '<span style="flex:0 0 auto;white-space:nowrap">'
#: Names from data can be any length; the running header keeps this many characters.
HEADER_CHARS = 90
#: A printing tab is replaced after this many reports, so memory stays flat on long runs.
_PAGE_REUSE = 60
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")

Method = Literal["swap", "navigate"]


def _cut(text: str) -> str:
    """``text`` cut to :data:`HEADER_CHARS`, with an ellipsis."""
    if len(text) > HEADER_CHARS:
        text = text[: HEADER_CHARS - 1].rstrip() + "\u2026"
    return text


def _band_text(text: str) -> str:
    """``text`` cut to :data:`HEADER_CHARS` (with an ellipsis) and escaped for a header template."""
    return html.escape(_cut(text))


@dataclass(frozen=True)
class PrintJob:
    """One report to print: its HTML, where the PDF goes and the running header's text."""

    html: Path
    pdf: Path
    header_left: str
    header_right: str = ""
    #: Print tighter (smaller, shorter charts) when the first print has more pages than this.
    max_pages: int | None = None


def header_template(job: PrintJob) -> str:
    """Running header: what the report is about (left) and the cycle (right), escaped."""
    return _BAND.format(
        left=f"{_LEFT}{_band_text(job.header_left)}</span>",
        right=f"{_RIGHT}{_band_text(job.header_right)}</span>",
    )


def footer_template(job: PrintJob) -> str:
    """Running footer: the report and 'Page N of M'."""
    return _BAND.format(
        left=f"{_LEFT}{_band_text(job.header_left)}</span>",
        right=f'{_RIGHT}Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>',
    )


#: The running header and footer as CSS page-margin boxes, laid out with the page itself:
#: about a fifth cheaper to print than header and footer templates, which Chromium lays out
#: as a document of their own for every page.
_PAGE_BOX = "font:7.5pt Arial,sans-serif;color:#425563;white-space:nowrap;overflow:hidden;text-overflow:ellipsis"
_PAGE_STYLE = (
    "@page{{"
    "@top-left{{content:{left};{box};vertical-align:bottom;padding-bottom:2mm}}"
    "@top-right{{content:{right};{box};vertical-align:bottom;padding-bottom:2mm}}"
    "@bottom-left{{content:{left};{box};vertical-align:top;padding-top:2mm}}"
    '@bottom-right{{content:"Page " counter(page) " of " counter(pages);{box};vertical-align:top;padding-top:2mm}}'
    "}}"
)


def _css_string(text: str) -> str:
    r"""``text`` as a CSS string: quotes, backslashes and control characters escaped.

    >>> print(_css_string('Org "A" \\ B'))
    "Org \22 A\22  \5c  B"
    """
    escaped = (
        f"\\{ord(c):x} " if c in '"\\' or ord(c) < 0x20 or ord(c) == 0x7F else c for c in text
    )
    return '"' + "".join(escaped) + '"'


def page_style(job: PrintJob) -> str:
    """The running header (what the report is about, and the cycle) and footer ('Page N of M')."""
    left, right = (_cut(text) for text in (job.header_left, job.header_right))
    return _PAGE_STYLE.format(left=_css_string(left), right=_css_string(right), box=_PAGE_BOX)


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF printed by Chromium (its page objects, counted)."""
    return len(_PAGE_OBJECT.findall(data))


@cache
def _shell_pages() -> dict[str, bytes]:
    """The print shell and the scripts it loads, served from memory by the report server."""
    from qio_analysis.config import STATIC_DIR
    from qio_analysis.report.html import PLOTLY_JS_NAME, plotly_js

    return {
        _SHELL_DIR + PLOTLY_JS_NAME: plotly_js().encode("utf-8"),
        _SHELL_DIR + "render.js": (STATIC_DIR / "render.js").read_bytes(),
        _SHELL_DIR + "shell.js": b"window.qioPrintShell = true;\n",  # render.js: draw when asked
    }


def _shell(base: str) -> bytes:
    """The print shell for a server at ``base``."""
    from qio_analysis.report.html import PLOTLY_JS_NAME

    page = _SHELL.format(
        scripts=html.escape(base + _SHELL_DIR), plotly=PLOTLY_JS_NAME, base=html.escape(base)
    )
    return page.encode("utf-8")


class _Tab:
    """One browser tab printing one report at a time."""

    def __init__(
        self, context: BrowserContext, server: ReportServer, method: Method, timeout_s: float
    ):
        self.context, self.server, self.method = context, server, method
        self.timeout_s = timeout_s
        self.page: Any = None
        self.width = 0  # the viewport's, set before each layout that needs another
        self.used = 0

    async def open(self) -> None:
        self.page = await self.context.new_page()
        await self.page.emulate_media(media="print")
        if self.method == "navigate":
            await self.page.add_init_script("window.qioPrintShell = true;")
        else:
            await self.page.goto(self.server.base + _SHELL_PAGE, timeout=self.timeout_s * 1000)

    async def close(self) -> None:
        if self.page is not None:
            await self.page.close()
            self.page = None

    async def _load(self, job: PrintJob, url: str, factor: float) -> None:
        """The report in this tab, its charts drawn at ``factor`` of their height, details open."""
        if self.method == "navigate":
            response = await self.page.goto(url, wait_until="load", timeout=self.timeout_s * 1000)
            if response is not None and response.status >= 400:
                raise FileNotFoundError(f"{job.html} could not be opened (HTTP {response.status})")
            await self.page.evaluate(_PREPARE, factor)
        else:
            source = job.html.read_text(encoding="utf-8")
            await self.page.evaluate(_SWAP, [source, url, factor, page_style(job)])

    async def print(self, job: PrintJob) -> bytes:
        """The printed PDF of ``job`` (tighter, when the first print is over its page budget)."""
        if not job.html.is_file():
            raise FileNotFoundError(f"no report at {job.html}")
        url = self.server.url(job.html)
        if url is None:
            if self.method == "swap":
                raise ValueError(f"{job.html} is not under the printer's folder {self.server.root}")
            url = job.html.resolve().as_uri()
        for attempt, (scale, factor) in enumerate(_LAYOUTS):
            width = round(_PRINTABLE_PX / scale)
            if width != self.width:
                await self.page.set_viewport_size({"width": width, "height": 1000})
                self.width = width
            await asyncio.wait_for(self._load(job, url, factor), self.timeout_s)
            bands = {  # loading each report (the earlier way) kept its header templates
                "display_header_footer": True,
                "header_template": header_template(job),
                "footer_template": footer_template(job),
            }
            printing = self.page.pdf(
                format="A4",
                landscape=False,
                scale=scale,
                print_background=True,
                margin=_MARGIN,
                tagged=True,
                outline=True,
                **(bands if self.method == "navigate" else {}),
            )
            data = await asyncio.wait_for(printing, self.timeout_s)
            last = attempt == len(_LAYOUTS) - 1
            if last or job.max_pages is None or pdf_page_count(data) <= job.max_pages:
                break
        return data


class PdfPrinter:
    """One headless chromium printing reports under ``root`` to PDF, ``concurrency`` tabs at once.

    Jobs may arrive while it prints::

        with PdfPrinter(out_dir, on_done=progress) as printer:
            for job in jobs_as_they_come():
                printer.submit(job)
        printer.results  # {pdf path: None on success, else the error}

    The browser runs on a thread of its own; :meth:`submit` may be called
    from any thread. Leaving the block waits for every submitted job. Reports
    outside ``root`` are opened from ``file://``. A report that fails is
    recorded in ``results`` and never stops the others.
    """

    def __init__(
        self,
        root: Path,
        *,
        concurrency: int = 2,
        timeout_s: float = 60,
        on_done: Callable[[PrintJob, str | None], None] | None = None,
        method: Method = "swap",
        session: BrowserSession | None = None,
    ) -> None:
        self.root = Path(root)
        #: The browser to print with; by default the shared one when there is one, else
        #: a browser of its own, started by :meth:`start` and closed by :meth:`close`.
        self.session = session
        self.concurrency = max(1, concurrency)
        self.timeout_s = timeout_s
        self.on_done = on_done
        self.method = method
        self.results: dict[Path, str | None] = {}
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[PrintJob | None] | None = None
        self._failure: BaseException | None = None
        self._task: asyncio.Task[None] | None = None

    def __enter__(self) -> PdfPrinter:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:  # the caller failed or was interrupted: stop now, and let its error through
            self.stop()

    def start(self) -> PdfPrinter:
        """Start the browser's thread (the browser itself starts there, in the background)."""
        chromium = chromium_path()  # a missing browser fails here, before any job
        session = self.session or current_session()
        self._thread = threading.Thread(target=self._run, args=(chromium, session), daemon=True)
        self._thread.start()
        self._ready.wait()
        return self

    def submit(self, job: PrintJob) -> None:
        """Queue ``job``; it is printed as soon as a tab is free."""
        if self._failure is not None:
            raise self._failure
        if self._loop is None or self._queue is None:
            raise RuntimeError("start the printer before submitting jobs")
        self._loop.call_soon_threadsafe(self._queue.put_nowait, job)

    def close(self) -> dict[Path, str | None]:
        """Wait for every submitted job, stop the browser and return ``results``."""
        if self._thread is None:
            return self.results
        if self._loop is not None and self._queue is not None and self._failure is None:
            for _ in range(self.concurrency):
                self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
        try:
            self._thread.join()
        except KeyboardInterrupt:
            self.stop()
            raise
        self._thread = None
        if self._failure is not None:
            raise self._failure
        return self.results

    def stop(self) -> None:
        """Stop at once: jobs not yet printed are dropped and the browser is closed."""
        if self._thread is None:
            return
        if self._loop is not None and self._task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join()
        self._thread = None

    def _run(self, chromium: str, session: BrowserSession | None) -> None:
        try:
            if session is None:
                asyncio.run(self._main(chromium, None))
            else:  # on the session's loop, where its browser lives
                session.run(self._main(chromium, session))
        except BaseException as exc:  # the caller's thread re-raises it from close()
            self._failure = exc
        finally:
            self._ready.set()

    async def _main(self, chromium: str, session: BrowserSession | None) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._queue = asyncio.Queue()
        self._ready.set()
        with ReportServer(self.root, pages=_shell_pages()) as server:
            server.pages[_SHELL_PAGE] = _shell(server.base)
            # Reports are offline: nothing but their own server may load while printing.
            # Every request goes to a dead proxy except the report server's (loopback is
            # not exempt); file:// needs no network. A proxy, not context.route():
            # Playwright turns the HTTP cache off when routing is on.
            origin = server.base.split("/", 3)[2]  # 127.0.0.1:PORT
            proxy: ProxySettings = {"server": NO_PROXY, "bypass": f"<-loopback>,{origin}"}
            async with browser_context(chromium, session, proxy=proxy) as context:
                workers = [self._worker(context, server) for _ in range(self.concurrency)]
                await asyncio.gather(*workers)

    async def _worker(self, context: BrowserContext, server: ReportServer) -> None:
        from qio_analysis.export.pdf_tags import mark_artifacts
        from qio_analysis.io.writers import write_bytes_atomic

        assert self._queue is not None
        tab: _Tab | None = None
        try:
            while (job := await self._queue.get()) is not None:
                error = None
                try:
                    if tab is None:  # a tab opens with its first job
                        tab = _Tab(context, server, self.method, self.timeout_s)
                        await tab.open()
                    data = await tab.print(job)
                    write_bytes_atomic(job.pdf, mark_artifacts(data))
                except Exception as exc:  # one bad report never stops the others
                    error = f"{type(exc).__name__}: {exc}".splitlines()[0] or type(exc).__name__
                self.results[job.pdf] = error
                if self.on_done is not None:
                    self.on_done(job, error)
                if tab is not None:
                    tab.used += 1
                    if error is not None or tab.used >= _PAGE_REUSE:
                        await tab.close()
                        tab = None
        finally:
            if tab is not None:
                await tab.close()


def print_pdfs(
    jobs: Sequence[PrintJob],
    *,
    concurrency: int = 2,
    timeout_s: float = 60,
    on_done: Callable[[PrintJob, str | None], None] | None = None,
    root: Path | None = None,
    method: Method = "swap",
    session: BrowserSession | None = None,
) -> dict[Path, str | None]:
    """Print every job with one browser, ``concurrency`` tabs at a time.

    Reports under ``root`` (the output folder; by default the folder holding
    them all) are served to the browser from a private loopback server; any
    other report is opened from ``file://``. The browser is ``session``'s, or
    the shared one (:func:`~qio_analysis.export.browser.shared_browser`), or
    one started for this call. Returns ``{pdf path: None on success, else the
    error}``.
    """
    if not jobs:
        return {}
    if root is None:
        root = Path(os.path.commonpath([job.html.resolve().parent for job in jobs]))
    printer = PdfPrinter(
        root,
        concurrency=min(concurrency, len(jobs)),
        timeout_s=timeout_s,
        on_done=on_done,
        method=method,
        session=session,
    )
    with printer:
        for job in jobs:
            printer.submit(job)
    return printer.results

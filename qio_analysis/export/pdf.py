"""HTML reports printed to A4 PDFs by one headless Debian chromium, several pages at once.

The PDF is the HTML report printed with its print stylesheet (``report.css``):
A4 portrait, charts and tables kept whole, descriptions and data open, no
modebar. Chromium is driven over the DevTools protocol with Playwright's
Python API and ``executable_path`` set to the system chromium: no browser is
ever downloaded. One browser is started per run, only when PDFs are asked for;
a few tabs print at once, each reused from report to report, and the reports
reach it from a private loopback server (:mod:`qio_analysis.export.serve`) so
plotly.js is compiled once, not once per report. Nothing else may load.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qio_analysis.config import chromium_path
from qio_analysis.export.serve import ReportServer

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: Pages are laid out this wide and printed at _SCALE, which fills A4's printable width
#: (186 mm, 703 px at 96 px/in): charts are drawn at their printed width, never rescaled.
_SCALE = 0.8
_PRINTABLE_PX = 703
_PRINT_WIDTH_PX = round(_PRINTABLE_PX / _SCALE)
#: Charts are drawn this much shorter on paper (the screen heights leave room to hover).
_CHART_HEIGHT = 0.72
_MARGIN = {"top": "16mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
_CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.qio-plot')).every(
  d => d.classList.contains('qio-plot-missing') || d.querySelector('.main-svg') !== null)"""
#: Open every <details>; long, narrow data tables flow in two columns (see report.css).
_OPEN_DETAILS = """() => {
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
#: Runs before the report's scripts: when the URL carries ``?qio-print=<factor>`` (a query, so a retry
#: at another factor is a real navigation, not a same-document jump), every chart
#: is drawn once, already at its printed height (heatmaps keep theirs: one row per
#: organisation) and as a static plot (no hover or drag layers, which paper never shows).
#: Drawing at screen height and then relayouting each chart cost a second full redraw.
_PRINT_HOOK = """(() => {
  const m = /[?&]qio-print=([0-9.]+)/.exec(location.search);
  if (!m) return;
  const factor = parseFloat(m[1]);
  let plotly;
  Object.defineProperty(window, 'Plotly', {
    configurable: true, enumerable: true,
    get() { return plotly; },
    set(value) {
      plotly = value;
      if (!value || typeof value.newPlot !== 'function' || value.__qioPrint) return;
      const draw = value.newPlot;
      value.__qioPrint = true;
      value.newPlot = function (gd, data, layout, config) {
        layout = Object.assign({}, layout || {});
        if (!(data || []).some(t => t && t.type === 'heatmap')) {
          const h = Math.round((layout.height || gd.clientHeight || 450) * factor);
          gd.style.height = h + 'px';
          layout.height = h;
        }
        config = Object.assign({}, config || {}, {staticPlot: true});
        return draw.call(this, gd, data, layout, config);
      };
    },
  });
})()"""
_BAND = (
    '<div style="font:7.5pt Arial,sans-serif;color:#425563;width:100%;margin:0 12mm;'
    'display:flex;justify-content:space-between;gap:4mm">{left}{right}</div>'
)
#: One line each side: the left text gives way (ellipsis), the right (cycle, page) never does.
_LEFT = '<span style="flex:1 1 auto;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">'
_RIGHT = '<span style="flex:0 0 auto;white-space:nowrap">'
#: Names from data can be any length; the running header keeps this many characters.
HEADER_CHARS = 90


def _band_text(text: str) -> str:
    """``text`` cut to :data:`HEADER_CHARS` (with an ellipsis) and escaped for a header template."""
    if len(text) > HEADER_CHARS:
        text = text[: HEADER_CHARS - 1].rstrip() + "\u2026"
    return html.escape(text)


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


#: (print scale, chart height factor): the usual layout, then a tighter one for reports that
#: would run over their page budget. The viewport follows the scale so charts are drawn at paper width.
_LAYOUTS = ((_SCALE, _CHART_HEIGHT), (0.74, 0.62))
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF printed by Chromium (its page objects, counted)."""
    return len(_PAGE_OBJECT.findall(data))


async def _print_one(page: object, job: PrintJob, url: str, timeout_ms: int) -> None:
    from qio_analysis.io.writers import write_bytes_atomic

    for attempt, (scale, chart_height) in enumerate(_LAYOUTS):
        await page.set_viewport_size({"width": round(_PRINTABLE_PX / scale), "height": 1000})
        if not job.html.is_file():
            raise FileNotFoundError(f"no report at {job.html}")
        response = await page.goto(
            f"{url}?qio-print={chart_height}", wait_until="load", timeout=timeout_ms
        )
        if response is not None and response.status >= 400:
            raise FileNotFoundError(f"{job.html} could not be opened (HTTP {response.status})")
        await page.wait_for_function(_CHARTS_DRAWN, timeout=timeout_ms)
        await page.evaluate(_OPEN_DETAILS)
        data = await page.pdf(
            format="A4",
            landscape=False,
            scale=scale,
            print_background=True,
            display_header_footer=True,
            header_template=header_template(job),
            footer_template=footer_template(job),
            margin=_MARGIN,
        )
        last = attempt == len(_LAYOUTS) - 1
        if last or job.max_pages is None or pdf_page_count(data) <= job.max_pages:
            break
    write_bytes_atomic(job.pdf, data)


#: A proxy nothing listens on (the discard port): requests that are not for the report server fail.
_NO_PROXY = "http://127.0.0.1:9"

#: A printing tab is replaced after this many reports, so memory stays flat on long runs.
_PAGE_REUSE = 60


async def _print_all(
    jobs: Sequence[PrintJob],
    *,
    concurrency: int,
    timeout_s: float,
    on_done: Callable[[PrintJob, str | None], None] | None,
    server: ReportServer,
) -> dict[Path, str | None]:
    from playwright.async_api import async_playwright

    results: dict[Path, str | None] = {}
    queue: asyncio.Queue[PrintJob] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    async with async_playwright() as pw:
        # Reports are offline: nothing but their own server may load while printing. Every
        # request goes to a dead proxy except the report server's (loopback is not exempt);
        # file:// needs no network. A proxy, not context.route(): Playwright turns the HTTP
        # cache off when routing is on, and then plotly.js was fetched and compiled anew
        # for every report.
        origin = server.base.split("/", 3)[2]  # 127.0.0.1:PORT
        browser = await pw.chromium.launch(
            executable_path=chromium_path(),
            args=list(CHROMIUM_FLAGS),
            headless=True,
            proxy={"server": _NO_PROXY, "bypass": f"<-loopback>,{origin}"},
        )
        try:
            context = await browser.new_context(viewport={"width": _PRINT_WIDTH_PX, "height": 1000})

            async def new_tab() -> object:
                page = await context.new_page()
                await page.emulate_media(media="print")
                await page.add_init_script(_PRINT_HOOK)
                return page

            async def worker() -> None:
                # One tab per worker, reused: the renderer keeps plotly.js compiled between reports.
                page, used = await new_tab(), 0
                try:
                    while not queue.empty():
                        job = queue.get_nowait()
                        error = None
                        try:
                            url = server.url(job.html) or job.html.resolve().as_uri()
                            await _print_one(page, job, url, int(timeout_s * 1000))
                        except Exception as exc:  # one bad report never stops the others
                            error = f"{type(exc).__name__}: {exc}".splitlines()[0]
                        results[job.pdf] = error
                        if on_done is not None:
                            on_done(job, error)
                        used += 1
                        if error is not None or used >= _PAGE_REUSE:
                            await page.close()
                            page, used = await new_tab(), 0
                finally:
                    await page.close()

            await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(jobs))))))
        finally:
            await browser.close()
    return results


def print_pdfs(
    jobs: Sequence[PrintJob],
    *,
    concurrency: int = 4,
    timeout_s: float = 60,
    on_done: Callable[[PrintJob, str | None], None] | None = None,
    root: Path | None = None,
) -> dict[Path, str | None]:
    """Print every job with one browser, ``concurrency`` pages at a time.

    Reports under ``root`` (the output folder; by default the folder holding
    them all) are served to the browser from a private loopback server (see
    :mod:`qio_analysis.export.serve`), so plotly.js is compiled once per run;
    any other report is opened from ``file://``. Returns ``{pdf path: None on
    success, else the error}``.
    """
    if not jobs:
        return {}
    if root is None:
        root = Path(os.path.commonpath([job.html.resolve().parent for job in jobs]))
    with ReportServer(root) as server:
        return asyncio.run(
            _print_all(
                jobs, concurrency=concurrency, timeout_s=timeout_s, on_done=on_done, server=server
            )
        )

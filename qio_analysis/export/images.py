"""The headline publication pack: the infographic, the images, the figures tables and the alt text.

Written beside the headlines report, everything from one disclosure-controlled
:class:`~qio_analysis.metrics.headline_pack.HeadlinePack`:

- ``infographic.pdf`` (one tagged A4 page), ``infographic.svg``,
  ``infographic.png`` (print: A4 at 300 dpi) and ``infographic_764x1080.png``
  (slide height);
- ``images/<name>_1920x1080.png``, ``_1200x675.png`` (16:9 slides) and
  ``_1080x1080.png`` (square, for social posts), each composed for its
  frame, and ``images/<name>.svg`` (the 1920x1080 composition);
- ``headline_figures.csv`` and ``.xlsx`` through the project's one writer;
- ``alt_text.md``: one heading per image, its alt text and a short data table.

The graphics are SVG with real text (:mod:`qio_analysis.figures.infographic`).
One headless Debian chromium, started once for the pack (or the shared one,
:func:`~qio_analysis.export.browser.shared_browser`), prints the PDF (tagged,
with title, language and outline) and draws every PNG; it loads nothing from
the network, as the SVGs hold everything they show.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.export.browser import BrowserSession, browser_context, current_session
from qio_analysis.figures.infographic import (
    A4,
    Credits,
    Graphic,
    infographic,
    publication_images,
)
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP
from qio_analysis.metrics.headline_pack import HeadlinePack, headline_pack
from qio_analysis.words.formats import format_date

IMAGES_DIR = "images"
#: A4 at 300 dots per inch, for print.
PRINT_SIZE = (2480, 3508)
#: A4 portrait at full-HD slide height.
SLIDE_SIZE = (764, 1080)
#: The pack's files beside the headlines report, by what an index calls them (the
#: images themselves are under ``images/``).
PACK_FILES = {
    "Infographic (PDF)": "infographic.pdf",
    "Infographic (SVG)": "infographic.svg",
    "Infographic (PNG, print)": "infographic.png",
    "Infographic (PNG, slide)": f"infographic_{SLIDE_SIZE[0]}x{SLIDE_SIZE[1]}.png",
    "Figures (CSV)": "headline_figures.csv",
    "Figures (Excel)": "headline_figures.xlsx",
    "Alt text": "alt_text.md",
}


@dataclass(frozen=True)
class PackFile:
    """One file of the pack: where it goes (relative to the headlines folder) and how it is made."""

    path: str
    graphic: Graphic
    kind: str  # "svg", "png" or "pdf"
    size: tuple[int, int] = (0, 0)


def credits_for(
    pack: HeadlinePack, sources: Sequence[str], *, demo: bool, made: str = ""
) -> Credits:
    """The source line and date every graphic of ``pack`` carries."""
    years = pack.trend.sort_values("year_start")["year"]
    span = f"{years.iloc[0]} to {years.iloc[-1]}" if len(years) > 1 else str(years.iloc[-1])
    if demo:
        source = f"synthetic LKS statistics returns {span} (qio-analysis demo data)"
    else:
        names = ", ".join(sources)
        source = f"LKS workforce and activity statistics returns {span}" + (
            f" ({names})" if names else ""
        )
    made = made or format_date(dt.date.today())
    return Credits(source=source, made=f"Produced {made}", demo=demo)


def pack_files(pack: HeadlinePack, credits: Credits) -> list[PackFile]:
    """Every graphic file of the pack, composed (no browser needed)."""
    poster = infographic(pack, credits)
    files = [
        PackFile(PACK_FILES["Infographic (SVG)"], poster, "svg"),
        PackFile(PACK_FILES["Infographic (PDF)"], poster, "pdf"),
        PackFile(PACK_FILES["Infographic (PNG, print)"], poster, "png", PRINT_SIZE),
        PackFile(PACK_FILES["Infographic (PNG, slide)"], poster, "png", SLIDE_SIZE),
    ]
    for name, graphics in publication_images(pack, credits).items():
        for graphic in graphics:
            files.append(
                PackFile(
                    f"{IMAGES_DIR}/{graphic.name}.png",
                    graphic,
                    "png",
                    (graphic.frame.width, graphic.frame.height),
                )
            )
        slide = graphics[0]
        files.append(PackFile(f"{IMAGES_DIR}/{name}.svg", slide, "svg"))
    return files


def _page(graphic: Graphic, *, pdf: bool) -> str:
    """An HTML page holding one graphic: an A4 page for the PDF, else filling the viewport.

    For the PDF the headline and section titles are set as HTML headings over
    the drawing (so the PDF has real headings and an outline), and the page is
    exactly A4 (the drawing's 794 px are scaled to 210 mm).
    """
    head = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{html.escape(graphic.title)}</title><style>"
        "@page{size:A4;margin:0}html,body{margin:0;padding:0;background:#fff}"
    )
    canvas = graphic.canvas
    if not pdf:
        return (
            f"{head}svg{{display:block;width:100vw;height:100vh}}</style></head>"
            f"<body>{canvas.svg()}</body></html>"
        )
    scale = (210 / 25.4 * 96) / canvas.width
    return (
        f"{head}.qio-page{{position:relative;width:{canvas.width:g}px;height:{canvas.height:g}px;"
        f"transform:scale({scale:.6f});transform-origin:0 0;overflow:hidden}}"
        f".qio-page svg{{display:block;width:100%;height:100%}}</style></head>"
        f'<body><main class="qio-page">{canvas.html_headings()}'
        f"{canvas.svg(headings=False)}</main></body></html>"
    )


async def _draw(page: object, item: PackFile) -> bytes:
    """One PDF or PNG of the pack, drawn in ``page``."""
    if item.kind == "pdf":
        await page.set_content(_page(item.graphic, pdf=True))
        return await page.pdf(
            format="A4",
            print_background=True,
            margin={"top": "0", "bottom": "0", "left": "0", "right": "0"},
            prefer_css_page_size=True,
            page_ranges="1",
            tagged=True,
            outline=True,
        )
    width, height = item.size
    await page.set_viewport_size({"width": width, "height": height})
    await page.set_content(_page(item.graphic, pdf=False))
    return await page.screenshot(type="png", full_page=False)


async def _render(
    files: list[PackFile], chromium: str, tabs: int, session: BrowserSession | None
) -> dict[str, bytes]:
    out = {f.path: f.graphic.svg.encode("utf-8") for f in files if f.kind == "svg"}
    queue = [f for f in files if f.kind != "svg"]
    viewport = {"width": 800, "height": 600}
    async with browser_context(chromium, session, viewport=viewport) as context:
        # The graphics hold everything they draw: any request at all is refused.
        await context.route("**/*", lambda route: route.abort())

        async def worker() -> None:
            page = await context.new_page()
            while queue:
                item = queue.pop()
                out[item.path] = await _draw(page, item)
            await page.close()

        await asyncio.gather(*(worker() for _ in range(max(1, tabs))))
    return out


def render_files(
    files: list[PackFile], chromium: str, *, session: BrowserSession | None = None
) -> dict[str, bytes]:
    """Every file's bytes by path: the PDF and PNGs from one chromium, a tab per core.

    The browser is ``session``'s, or the shared one
    (:func:`~qio_analysis.export.browser.shared_browser`), or one started for this call.
    """
    tabs = min(4, os.cpu_count() or 2)
    session = session or current_session()
    if session is not None:
        return session.run(_render(files, chromium, tabs, session))
    return asyncio.run(_render(files, chromium, tabs, None))


def _cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame) -> str:
    """A short data table in Markdown (pipes escaped)."""
    head = "| " + " | ".join(_cell(c) for c in table.columns) + " |"
    rule = "| " + " | ".join("---" for _ in table.columns) + " |"
    body = [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in table.itertuples(index=False)
    ]
    return "\n".join([head, rule, *body])


def alt_text_markdown(files: list[PackFile], *, year: str, demo: bool) -> str:
    """``alt_text.md``: one heading per image (named after its files), its alt text and data."""
    lines = [f"# Alt text for the LKS headline images, {year}", ""]
    if demo:
        lines += ["**Synthetic demo data**: the services and figures are fictional.", ""]
    by_stem: dict[str, list[PackFile]] = {}
    for item in files:
        stem = Path(item.path).name.split(".")[0]
        stem = stem.rsplit("_", 1)[0] if stem.rsplit("_", 1)[-1][:1].isdigit() else stem
        by_stem.setdefault(stem, []).append(item)
    for stem, items in by_stem.items():
        graphic = items[0].graphic
        lines += [
            f"## {stem}",
            "",
            f"**Headline:** {graphic.title}",
            "",
            "Files: " + ", ".join(f"`{i.path}`" for i in items),
            "",
            f"**Alt text:** {graphic.alt_text}",
            "",
            *(
                [f"**Long description:** {graphic.description}", ""]
                if graphic.description and graphic.description != graphic.alt_text
                else []
            ),
            markdown_table(graphic.table),
            "",
        ]
    return "\n".join(lines)


def write_image_pack(
    folder: Path,
    stats: pd.DataFrame,
    year: str | None,
    *,
    chromium: str,
    demo: bool,
    sources: Sequence[str] = (),
    min_group: int = DEFAULT_MIN_GROUP,
    target: float = STAFF_RATIO_TARGET,
) -> dict[str, str]:
    """Write the whole pack into ``folder`` (see the module docstring).

    Returns the files written, relative to ``folder``, by what an index calls them.
    """
    from qio_analysis import __version__
    from qio_analysis.export.headline_tables import csv_frame, headline_workbook
    from qio_analysis.export.workbooks import WorkbookContext, save_workbook
    from qio_analysis.io.writers import write_bytes_atomic, write_csv_atomic, write_text_atomic

    pack = headline_pack(stats, year, min_group=min_group, target=target)
    credits = credits_for(pack, sources, demo=demo)
    files = pack_files(pack, credits)
    for path, data in render_files(files, chromium).items():
        write_bytes_atomic(folder / path, data)
    source = credits.source
    write_csv_atomic(
        folder / PACK_FILES["Figures (CSV)"], csv_frame(pack, source=source, demo=demo)
    )
    context = WorkbookContext(sources=list(sources) or [source], version=__version__, demo=demo)
    save_workbook(
        headline_workbook(pack, context, source=source), folder / PACK_FILES["Figures (Excel)"]
    )
    write_text_atomic(
        folder / PACK_FILES["Alt text"], alt_text_markdown(files, year=pack.year, demo=demo)
    )
    return {"Images": IMAGES_DIR + "/", **PACK_FILES}


__all__ = ["A4", "IMAGES_DIR", "PACK_FILES", "credits_for", "pack_files", "write_image_pack"]

"""The infographic image pack: the headline figures as PNG (slide and social sizes) and SVG.

The figures are the ones the headlines report shows, made by the same
public figure functions from the same metrics; each tile is also exported
on its own. One kaleido session (one system chromium, never a downloaded
one) renders the whole pack. Beside ``images/`` go the numbers
(``headline_figures.csv`` / ``.xlsx`` through the project's writers) and
``alt_text.md``.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.errors import QioConfigError
from qio_analysis.figures import (
    fig_activity_trend,
    fig_headline_tiles,
    fig_staff_ratio,
    figure_alt_text,
    figure_table,
)
from qio_analysis.figures.headlines import DEFAULT_TILES
from qio_analysis.metrics import activity_rates, headline_figures, staff_ratio

#: Output sizes in pixels, each a 16:9 layout exported at 1.5x so text stays readable.
SIZES: dict[str, tuple[int, int, float]] = {
    "slide": (1280, 720, 1.5),  # 1920 x 1080
    "social": (800, 450, 1.5),  # 1200 x 675
}
IMAGES_DIR = "images"


@dataclass(frozen=True)
class Chart:
    """One figure of the pack: a file-name stem and its plotly figure."""

    name: str
    figure: go.Figure

    @property
    def title(self) -> str:
        text = self.figure.layout.title.text or self.name
        return text.replace("<br>", " ")


def headline_charts(
    stats: pd.DataFrame, year: str | None = None
) -> tuple[list[Chart], pd.DataFrame]:
    """The headline report's figures for ``year`` (latest by default), tiles one by one too."""
    headlines = headline_figures(stats, year)
    year = str(headlines["year"].iloc[0])
    charts = [Chart("headline_tiles", fig_headline_tiles(headlines))]
    present = set(headlines["measure"])
    charts += [
        Chart(f"tile_{measure}", fig_headline_tiles(headlines, measures=(measure,), columns=1))
        for measure in DEFAULT_TILES
        if measure in present
    ]
    charts.append(
        Chart("staff_ratio_by_region", fig_staff_ratio(staff_ratio(stats, by="region"), year=year))
    )
    charts.append(Chart("activity_trend", fig_activity_trend(activity_rates(stats, by=[]))))
    return charts, headlines


def image_files(chart: Chart) -> dict[str, str]:
    """File names of one chart's images, by size (and ``svg``)."""
    files = {size: f"{chart.name}_{w * s:.0f}x{h * s:.0f}.png" for size, (w, h, s) in SIZES.items()}
    files["svg"] = f"{chart.name}.svg"
    return files


def _requests(charts: list[Chart]) -> list[tuple[str, go.Figure, dict]]:
    out = []
    for chart in charts:
        files = image_files(chart)
        for size, (width, height, scale) in SIZES.items():
            opts = {"format": "png", "width": width, "height": height, "scale": scale}
            out.append((files[size], chart.figure, opts))
        slide_w, slide_h, _ = SIZES["slide"]
        out.append(
            (files["svg"], chart.figure, {"format": "svg", "width": slide_w, "height": slide_h})
        )
    return out


async def _render(requests: list[tuple[str, go.Figure, dict]], chromium: str) -> dict[str, bytes]:
    import kaleido
    import plotly

    # One kaleido (one chromium) for the pack. plotly.js is named explicitly (kaleido falls back
    # to a CDN when it cannot find it) and MathJax is off (its default is a CDN): nothing online.
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not bundled.is_file():
        raise QioConfigError(
            f"plotly.js is missing from the installed plotly package ({bundled}); reinstall plotly."
        )
    # Up to two tabs: each loads plotly.js once, which is most of a small request's time.
    tabs = min(2, len(requests))
    async with kaleido.Kaleido(n=tabs, path=chromium, plotlyjs=bundled, mathjax=False) as session:
        images = await asyncio.gather(
            *(session.calc_fig(fig, opts=opts) for _, fig, opts in requests)
        )
    return {name: data for (name, _, _), data in zip(requests, images, strict=True)}


def render_images(charts: list[Chart], chromium: str) -> dict[str, bytes]:
    """Every image of the pack as bytes by file name, from one kaleido session."""
    return render_figures(_requests(charts), chromium)


def render_figures(requests: list[tuple[str, go.Figure, dict]], chromium: str) -> dict[str, bytes]:
    """Images of any figures, ``(name, figure, kaleido options)`` in, bytes by name out.

    One kaleido session, as for the pack. Safe to call where an event loop is
    already running (a Jupyter kernel): the session then runs in its own thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_render(requests, chromium))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _render(requests, chromium)).result()


def alt_text_markdown(charts: list[Chart], *, year: str, demo: bool) -> str:
    """``alt_text.md``: every image file with its title and alt text."""
    lines = [f"# Alt text for the LKS headline images, {year}", ""]
    if demo:
        lines += ["**Synthetic demo data**: the figures are fictional.", ""]
    for chart in charts:
        files = ", ".join(f"`{name}`" for name in image_files(chart).values())
        lines += [f"## {chart.title}", "", f"Files: {files}", "", figure_alt_text(chart.figure), ""]
    return "\n".join(lines)


def write_image_pack(
    folder: Path, stats: pd.DataFrame, year: str | None, *, chromium: str, demo: bool
) -> dict[str, str]:
    """Write ``images/``, ``headline_figures.csv``/``.xlsx`` and ``alt_text.md`` into ``folder``.

    Returns the paths written, relative to ``folder``, by kind.
    """
    from qio_analysis.io.writers import (
        write_bytes_atomic,
        write_csv_atomic,
        write_text_atomic,
        xlsx_bytes,
    )

    charts, headlines = headline_charts(stats, year)
    year = str(headlines["year"].iloc[0])
    for name, data in render_images(charts, chromium).items():
        write_bytes_atomic(folder / IMAGES_DIR / name, data)
    write_csv_atomic(folder / "headline_figures.csv", headlines)
    sheets: dict[str, pd.DataFrame] = {"Headline figures": headlines}
    for chart in charts:
        if chart.name.startswith("tile_"):
            continue
        table = figure_table(chart.figure)
        if not table.empty:
            sheets[chart.name[:31]] = table
    write_bytes_atomic(folder / "headline_figures.xlsx", xlsx_bytes(sheets))
    write_text_atomic(folder / "alt_text.md", alt_text_markdown(charts, year=year, demo=demo))
    return {
        "images": IMAGES_DIR + "/",
        "figures_csv": "headline_figures.csv",
        "figures_xlsx": "headline_figures.xlsx",
        "alt_text": "alt_text.md",
    }

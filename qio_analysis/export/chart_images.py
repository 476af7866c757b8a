"""Plotly charts drawn as PNG or SVG, offline, by kaleido with Debian's chromium.

For a single chart (the explorer's "PNG" and "SVG" downloads). The headline
pack's graphics are SVG with real text and have their own renderer
(:mod:`qio_analysis.export.images`).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plotly.graph_objects as go

from qio_analysis.errors import QioConfigError


async def _render(requests: list[tuple[str, go.Figure, dict]], chromium: str) -> dict[str, bytes]:
    import kaleido
    import plotly

    # plotly.js is named explicitly (kaleido falls back to a CDN when it cannot find it)
    # and MathJax is off (its default is a CDN): nothing is fetched from the network.
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


def render_figures(requests: list[tuple[str, go.Figure, dict]], chromium: str) -> dict[str, bytes]:
    """Images of figures, ``(name, figure, kaleido options)`` in, bytes by name out.

    One kaleido session for all of them. Safe to call where an event loop is
    already running (a Jupyter kernel): the session then runs in its own thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_render(requests, chromium))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _render(requests, chromium)).result()

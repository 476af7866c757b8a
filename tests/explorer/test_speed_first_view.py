"""What keeps the explorer's start and a visit quick: the kept picture's check waits for the
server's first page, and the page preloads the installed plotly.js under its versioned address."""

from __future__ import annotations

import re
import threading

import plotly
import plotly.graph_objects as go
import pytest

from qio_analysis.explorer import first_view as fv
from qio_analysis.explorer.server import PLOTLY_PRELOAD_MARKER, plotly_preload
from qio_analysis.io.cache import CACHE_ENV


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))


def figure(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=[1], y=["A"]), layout={"title": {"text": title}})


def test_a_kept_picture_is_shown_at_once_and_checked_only_once_the_server_has_answered():
    quick = "cd" * 16
    fv.FirstView().make(lambda: figure("Old"), draw=lambda f: b"<svg>old</svg>", quick=quick)
    view = fv.FirstView()
    made = threading.Event()

    def new_figure():
        made.set()
        return figure("New")

    thread = threading.Thread(
        target=view.make,
        kwargs={
            "figure": new_figure,
            "draw": lambda f: b"<svg>new</svg>",
            "quick": quick,
            "check_delay": 30.0,
        },
    )
    thread.start()
    assert view.ready.wait(5)
    assert "PHN2Zz5vbGQ8L3N2Zz4=" in view.html("")  # base64 of <svg>old</svg>, shown at once
    assert not made.wait(0.3)  # the figure is not made while the server is still starting
    view.answered.set()
    thread.join(5)
    assert made.is_set() and not thread.is_alive()
    assert "PHN2Zz5uZXc8L3N2Zz4=" in view.html("")  # <svg>new</svg>: the true picture replaced it


def test_without_a_kept_picture_the_figure_is_made_at_once():
    view = fv.FirstView()
    view.make(lambda: figure("Fresh"), draw=lambda f: b"<svg>fresh</svg>", check_delay=30.0)
    assert "PHN2Zz5mcmVzaDwvc3ZnPg==" in view.html("")  # never waited for `answered`


def test_the_preload_link_names_the_installed_plotly_under_its_versioned_address():
    assert plotly_preload("/") == (
        f'<link rel="preload" as="script" href="/qio/plotly-{plotly.__version__}.min.js">'
    )
    assert plotly_preload('/a"b/').count('"') == 6  # the base is escaped inside the attribute
    assert PLOTLY_PRELOAD_MARKER.startswith("<!--") and PLOTLY_PRELOAD_MARKER.endswith("-->")


@pytest.mark.slow
def test_every_page_preloads_the_plotly_file_the_server_serves():
    from tests.explorer.serving import get, start, stop

    process, port = start("--pool-size", "1")
    try:
        for path in ("/", "/?view=radar&region=London&org=ZA07"):
            status, page = get(port, path, timeout=120)
            assert status == 200
            assert PLOTLY_PRELOAD_MARKER not in page
            links = re.findall(r'<link rel="preload" as="script" href="([^"]+)">', page)
            assert links == [f"/qio/plotly-{plotly.__version__}.min.js"]
            assert page.index(links[0]) < page.index("<body")  # in the head: fetched early
        status, script = get(port, links[0])
        assert status == 200 and len(script) > 3_000_000
    finally:
        stop(process)

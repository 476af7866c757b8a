"""The picture of the default view: what the page gets, the cache, and what it never shows."""

from __future__ import annotations

import base64
import logging
import re

import plotly.graph_objects as go
import pytest

from qio_analysis.explorer import first_view as fv
from qio_analysis.io.cache import CACHE_ENV, read_cached


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def figure(title: str = "Levels by region") -> go.Figure:
    return go.Figure(
        go.Bar(x=[1, 2], y=["A", "B"], orientation="h"),
        layout={"title": {"text": title}, "meta": {"alt_text": "Two bars."}, "height": 420},
    )


def svg_of(html: str) -> bytes:
    return base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1))


def test_the_picture_carries_the_title_and_alt_text_escaped():
    html = fv.first_view_html(figure("<script>x</script><br>2025"), b"<svg>drawn</svg>")
    assert 'alt="&lt;script&gt;x&lt;/script&gt; 2025. Two bars."' in html
    assert "<script" not in html
    assert svg_of(html) == b"<svg>drawn</svg>"
    assert 'width="1100" height="420"' in html
    assert 'role="status"' in html and "picture of its first view" in html


def test_a_page_with_a_query_gets_no_picture():
    view = fv.FirstView()
    view.make(figure, draw=lambda fig: b"<svg>one</svg>")
    assert view.ready.is_set()
    assert svg_of(view.html("")) == b"<svg>one</svg>"
    assert view.html("?") == view.html("")
    assert view.html("view=radar&org=ZA07") == ""


def test_a_figure_is_drawn_once_and_kept_under_its_own_digest():
    drawn = []

    def draw(fig):
        drawn.append(fig.layout.title.text)
        return f"<svg>{fig.layout.title.text}</svg>".encode()

    fv.FirstView().make(figure, draw=draw)
    again = fv.FirstView()
    again.make(figure, draw=draw)
    assert drawn == ["Levels by region"]  # the second start took it from the cache
    assert svg_of(again.html("")) == b"<svg>Levels by region</svg>"
    fv.FirstView().make(lambda: figure("Other data"), draw=draw)
    assert drawn == ["Levels by region", "Other data"]  # changed figure: drawn afresh
    assert fv.picture_key(figure()) != fv.picture_key(figure("Other data"))


def test_the_quick_key_shows_the_kept_picture_then_the_true_one_replaces_it():
    quick = "ab" * 16
    fv.FirstView().make(figure, draw=lambda fig: b"<svg>old</svg>", quick=quick)
    kept = read_cached(fv.CACHE_KIND, quick, "html").decode()
    assert svg_of(kept) == b"<svg>old</svg>"
    seen = []
    view = fv.FirstView()

    def new_figure():
        seen.append(view.html(""))  # what a page asking now would get
        return figure("New data")

    view.make(new_figure, draw=lambda fig: b"<svg>new</svg>", quick=quick)
    assert svg_of(seen[0]) == b"<svg>old</svg>"
    assert svg_of(view.html("")) == b"<svg>new</svg>"
    assert svg_of(read_cached(fv.CACHE_KIND, quick, "html").decode()) == b"<svg>new</svg>"


def test_a_picture_that_cannot_be_drawn_leaves_the_page_as_it_was(caplog):
    def fail(fig):
        raise OSError("no chromium here")

    view = fv.FirstView(logging.getLogger("test"))
    with caplog.at_level(logging.WARNING):
        view.make(figure, draw=fail)
    assert view.ready.is_set() and view.html("") == ""
    assert "no chromium here" in caplog.text


def test_the_quick_key_follows_the_data_files(tmp_path):
    data = tmp_path / "exports.csv"
    data.write_text("a,b\n1,2\n")
    first = fv.quick_key([data, None, None])
    assert fv.quick_key([data, None, None]) == first
    data.write_text("a,b\n1,2\n3,4\n")
    assert fv.quick_key([data, None, None]) != first
    assert fv.quick_key([None, None, None]) != first

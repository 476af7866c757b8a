"""Kernel-side helpers: explicit mime bundles and escaped HTML."""

from __future__ import annotations

import pandas as pd
import pytest

from qio_analysis.io.inputs import Inputs
from qio_analysis.report import display as d
from tests.report.test_export import EVIL, evil_figure


@pytest.fixture
def shown(monkeypatch):
    captured = []
    monkeypatch.setattr(d, "display", lambda obj, **kw: captured.append((obj, kw)))
    return captured


def test_show_publishes_the_plotly_mimetype_and_a_data_table(shown):
    d.show(evil_figure())
    (bundle, kw), (table, _) = shown
    assert kw == {"raw": True}
    assert set(bundle) == {d.PLOTLY_MIME, "text/plain"}
    assert bundle[d.PLOTLY_MIME]["data"][0]["type"] == "bar"
    assert "table" not in bundle[d.PLOTLY_MIME]["layout"]["meta"]
    assert "&lt;script&gt;" in table.data and "<script>" not in table.data


def test_text_helpers_escape(shown):
    d.say(EVIL)
    d.heading(EVIL)
    d.bullets([EVIL])
    d.table(pd.DataFrame({"name": [EVIL]}), caption=EVIL)
    html = "".join(obj.data for obj, _ in shown)
    assert "<script>" not in html and html.count("&lt;script&gt;") == 5


def test_header_has_banner_only_for_demo_data(shown):
    inputs = Inputs(
        submissions=pd.DataFrame(),
        statistics=None,
        organisations=None,
        sources=["x.csv"],
        is_demo=True,
    )
    d.header(EVIL, inputs, subtitle="Sub")
    assert "Synthetic demo data" in shown[-1][0].data
    d.header("Real", Inputs(pd.DataFrame(), None, None, ["x.csv"], is_demo=False))
    assert "Synthetic demo data" not in shown[-1][0].data
    assert "qio-analysis" in shown[-1][0].data and "x.csv" in shown[-1][0].data

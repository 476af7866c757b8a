"""One plotly config, with no cloud button, reaches every drawing path that is not the explorer."""

from __future__ import annotations

import json
import re

from qio_analysis.config import STATIC_DIR
from qio_analysis.figures.template import plotly_config
from qio_analysis.report import display as d
from qio_analysis.report.html import export_html
from tests.report.test_export import evil_figure, notebook

CLOUD_BUTTONS = {"sendChartToCloud", "sendDataToCloud"}


def test_config_switches_the_cloud_off_and_removes_its_buttons():
    config = plotly_config()
    assert config["showSendToCloud"] is False
    assert config["plotlyServerURL"] == ""
    assert config["displaylogo"] is False
    assert CLOUD_BUTTONS | {"select2d", "lasso2d"} <= set(config["modeBarButtonsToRemove"])


def test_config_is_a_fresh_copy_so_no_caller_can_change_it_for_others():
    first = plotly_config()
    first["showSendToCloud"] = True
    first["modeBarButtonsToRemove"].clear()
    assert plotly_config()["showSendToCloud"] is False
    assert plotly_config()["modeBarButtonsToRemove"]


def test_notebook_mime_bundle_carries_the_config():
    """JupyterLab's plotly renderer passes the bundle's ``config`` to Plotly.react."""
    bundle = d.figure_bundle(evil_figure())
    assert bundle[d.PLOTLY_MIME]["config"] == plotly_config()


def _chart_specs(html: str) -> list[dict]:
    blocks = re.findall(
        r'<script type="application/json" class="qio-plot-data"[^>]*>(.*?)</script>', html
    )
    return [json.loads(b) for b in blocks]


def test_linked_and_self_contained_reports_embed_the_config_in_each_chart():
    for html in (export_html(notebook()), export_html(notebook(), self_contained=True)):
        specs = _chart_specs(html)
        assert specs and all(s["config"] == plotly_config() for s in specs)


def test_render_script_takes_the_config_from_the_chart_not_its_own_copy():
    script = (STATIC_DIR / "render.js").read_text()
    assert "fig.config" in script
    assert "modeBarButtonsToRemove" not in script  # one source of truth: plotly_config()
    # The fallback for a chart without a config draws no modebar and no cloud button.
    assert "displayModeBar: false" in script and "showSendToCloud: false" in script

"""Notebook -> offline HTML report, in-process with one reusable nbconvert exporter.

Charts are drawn by one shared ``plotly.min.js`` referenced relatively (or
inlined with ``self_contained``): no CDN, no require.js, no MathJax. Pages
with a sortable table also get the packaged ``tables.js``, inlined. Each
plotly output becomes a ``<figure>`` with a deterministic id, its JSON in an
escaped ``<script type="application/json">`` block and its alt text, so the
same notebook gives the same HTML whichever engine executed it.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters import DataTypeFilter
from plotly.offline import get_plotlyjs, get_plotlyjs_version
from traitlets.config import Config

from qio_analysis.config import STATIC_DIR, TEMPLATES_DIR
from qio_analysis.report.display import PLOTLY_MIME
from qio_analysis.report.improvement import TABLE_MARK
from qio_analysis.text import escape_html, script_json

PLOTLY_JS_NAME = f"plotly-{get_plotlyjs_version()}.min.js"
_SCRIPT_SRC = '<script src="{src}" charset="utf-8"></script>'


def plotly_fragment(spec: dict[str, Any], number: int) -> str:
    """HTML for one chart: a sized div, its data and its description (the chart's text alternative)."""
    layout = spec.get("layout", {})
    alt = (layout.get("meta") or {}).get("alt_text", "")
    height = int(layout.get("height") or 450)
    ident = f"qio-fig-{number}"
    # render.js names the drawn chart (role="img") by the description paragraph: the
    # plot itself holds plotly's modebar buttons, so it cannot be the image.
    return (
        f'<div class="qio-figure"><div class="qio-plot" id="{ident}" style="height:{height}px"></div>'
        f'<script type="application/json" class="qio-plot-data" data-target="{ident}">{script_json(spec)}</script>'
        f'<details class="qio-alt"><summary>Chart description</summary>'
        f'<p id="{ident}-alt">{escape_html(alt)}</p></details></div>'
    )


def _charts_to_html(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with every plotly output replaced by its HTML fragment (``nb`` is not changed).

    Only the containers on the way to a chart are new; everything else is
    shared with ``nb`` (the exporter deep-copies its input anyway).
    """
    number = 0
    cells = []
    for cell in nb.cells:
        outputs = cell.get("outputs") or []
        if any(PLOTLY_MIME in output.get("data", {}) for output in outputs):
            replaced = []
            for output in outputs:
                data = output.get("data", {})
                if PLOTLY_MIME in data:
                    number += 1
                    html_data = {"text/html": plotly_fragment(data[PLOTLY_MIME], number)}
                    output = nbformat.NotebookNode({**output, "data": html_data})
                replaced.append(output)
            cell = nbformat.NotebookNode({**cell, "outputs": replaced})
        cells.append(cell)
    return nbformat.NotebookNode({**nb, "cells": cells})


class ReportExporter(HTMLExporter):
    """HTML exporter for reports: no code, our small template, charts rendered offline."""

    extra_template_basedirs = (str(TEMPLATES_DIR),)
    template_name = "qio"
    exclude_input = True
    exclude_input_prompt = True
    exclude_output_prompt = True

    def from_notebook_node(
        self, nb: nbformat.NotebookNode, resources: dict | None = None, **kw: Any
    ) -> tuple[str, dict]:
        """As HTMLExporter, minus its BeautifulSoup pass.

        That pass re-serialises the whole page (slow, and it rewrites our
        markup) only to add lab-template image alt text and tab stops, which
        this template does not need.
        """
        self.register_filter("filter_data_type", DataTypeFilter(parent=self))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    @property
    def default_config(self) -> Config:
        config = super().default_config
        config.merge(
            Config(
                {
                    "NbConvertBase": {
                        "display_data_priority": ["text/html", "text/markdown", "text/plain"]
                    },
                    # Cells tagged notebook-only (how-to text for analysts) stay out of reports.
                    "TagRemovePreprocessor": {
                        "enabled": True,
                        "remove_cell_tags": ["notebook-only"],
                    },
                }
            )
        )
        return config


@cache
def _exporter() -> ReportExporter:
    # Validate the notebook once after all preprocessors, not after each of the
    # eleven (about 30 ms a report); the result is the same.
    return ReportExporter(optimistic_validation=True)


@cache
def _static(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def _has_interactive_table(nb: nbformat.NotebookNode) -> bool:
    """True when an output holds a table for ``tables.js`` (the only pages that get the script)."""
    return any(
        TABLE_MARK in output.get("data", {}).get("text/html", "")
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )


def report_title(nb: nbformat.NotebookNode) -> str:
    """The report's title: the first <h1> in its outputs, else the notebook's first heading."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = re.search(r"<h1>(.*?)</h1>", output.get("data", {}).get("text/html", ""), re.S)
            if found:
                return html.unescape(found.group(1))
    return "QIOF report"


def export_html(
    nb: nbformat.NotebookNode,
    *,
    plotly_src: str | None = PLOTLY_JS_NAME,
    self_contained: bool = False,
    input_hash: str = "",
) -> str:
    """Render an executed notebook to a standalone offline HTML report.

    ``plotly_src`` is the relative URL of the shared plotly.js; with
    ``self_contained=True`` plotly.js is inlined instead (a single file that
    can be emailed, about 4.8 MB). ``input_hash`` (the batch's fingerprint of
    the data, notebook, package and parameters) is recorded in a
    ``<meta name="qio-input-hash">`` tag, so a report says what it was built from.
    """
    resources = {
        "qio": {
            "title": report_title(nb),
            "css": _static("report.css"),
            "render_js": _static("render.js"),
            "tables_js": _static("tables.js") if _has_interactive_table(nb) else "",
            "plotly_tag": _SCRIPT_SRC.format(src=escape_html(plotly_src or PLOTLY_JS_NAME)),
        }
    }
    body, _ = _exporter().from_notebook_node(_charts_to_html(nb), resources=resources)
    if input_hash:
        tag = f'<meta name="qio-input-hash" content="{escape_html(input_hash)}">'
        body = body.replace("<head>", "<head>" + tag, 1)
    if self_contained:
        inline = "<script>" + get_plotlyjs().replace("</script", "<\\/script") + "</script>"
        body = body.replace(resources["qio"]["plotly_tag"], inline, 1)
    return body


def plotly_js() -> str:
    """The plotly.js bundle shipped with the installed plotly package."""
    return get_plotlyjs()

"""``qio export NOTEBOOK.ipynb``: any executed notebook to offline HTML with its charts.

JupyterLab's "Export as HTML" (``jupyter nbconvert --to html``) drops the
plotly outputs, so the page shows no charts. This runs the project's own
report exporter (:func:`qio_analysis.report.html.export_html`) on the saved
notebook instead: charts drawn offline, no CDN, no code cells.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from qio_analysis.errors import QioConfigError
from qio_analysis.report.display import PLOTLY_MIME


def chart_count(nb: nbformat.NotebookNode) -> int:
    """How many plotly outputs the notebook holds."""
    return sum(
        PLOTLY_MIME in output.get("data", {})
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )


def export_notebook(
    notebook: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    self_contained: bool = True,
) -> Path:
    """Write ``notebook`` (executed and saved) as an offline HTML report; returns its path.

    By default plotly.js is inlined (one file to email, about 4.8 MB); with
    ``self_contained=False`` it is written once beside the HTML and referenced.
    """
    from qio_analysis.io.writers import write_text_atomic
    from qio_analysis.report.html import PLOTLY_JS_NAME, export_html, plotly_js

    source = Path(notebook)
    if not source.is_file():
        raise QioConfigError(f"Notebook not found: {source}")
    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as exc:  # not JSON, not a notebook: say so in one line
        raise QioConfigError(f"{source} is not a readable notebook: {exc}") from None
    if not any(cell.get("outputs") for cell in nb.cells):
        raise QioConfigError(
            f"{source.name} has no outputs. Run it first (in JupyterLab: Run > Run All Cells), "
            "save it, then export again."
        )
    target = Path(out) if out else source.with_suffix(".html")
    html = export_html(nb, plotly_src=PLOTLY_JS_NAME, self_contained=self_contained)
    if not self_contained:
        asset = target.parent / PLOTLY_JS_NAME
        if not asset.exists():
            write_text_atomic(asset, plotly_js())
    return write_text_atomic(target, html)

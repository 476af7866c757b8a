"""HTML export without a kernel: escaping, offline assets, charts, code hidden."""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import plotly.graph_objects as go
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from qio_analysis.figures.template import finish
from qio_analysis.report import display as d
from qio_analysis.report.html import PLOTLY_JS_NAME, export_html
from qio_analysis.text import escape_html

EVIL = "<script>alert(1)</script> & Co"


def evil_figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=[1], y=[EVIL]))
    return finish(
        fig,
        title=f"{escape_html(EVIL)} chart",
        alt_text=f"Bars for {EVIL}",
        table=pd.DataFrame({"org": [EVIL]}),
    )


def notebook() -> nbformat.NotebookNode:
    bundle = d.figure_bundle(evil_figure())
    cells = [
        new_markdown_cell("Notebook how-to", metadata={"tags": ["notebook-only"]}),
        new_code_cell(
            "secret_code_cell = 1",
            outputs=[
                new_output("display_data", data={"text/html": f"<h1>{escape_html(EVIL)}</h1>"})
            ],
        ),
        new_code_cell(
            "show(fig)",
            outputs=[
                new_output("display_data", data=bundle),
                new_output("stream", name="stderr", text="a noisy warning"),
                new_output("stream", name="stdout", text=f"printed {EVIL}"),
            ],
        ),
        new_markdown_cell("## A static heading"),
    ]
    return new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})


def test_export_hides_code_escapes_text_and_keeps_charts_offline():
    html = export_html(notebook())
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "secret_code_cell" not in html and "show(fig)" not in html
    assert "Notebook how-to" not in html  # notebook-only cells are dropped
    assert "a noisy warning" not in html  # stderr stays in the executed notebook
    assert "A static heading" in html
    assert html.count('class="qio-plot-data"') == 1
    assert f'<script src="{PLOTLY_JS_NAME}" charset="utf-8"></script>' in html
    assert not re.search(r'(src|href)=["\'](https?:)?//', html), "no network URLs"
    assert "require.js" not in html and "MathJax" not in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title>" in html
    assert len(html) < 40_000


def test_chart_json_and_description_are_embedded():
    html = export_html(notebook())
    block = re.search(
        r'<script type="application/json" class="qio-plot-data" data-target="qio-fig-1">(.*?)</script>',
        html,
    )
    spec = json.loads(block.group(1))
    assert spec["data"][0]["y"] == [EVIL]
    assert spec["layout"]["meta"] == {"alt_text": f"Bars for {EVIL}"}  # the table copy is dropped
    # The description names the drawn chart (render.js makes it the image's label).
    assert '<p id="qio-fig-1-alt">Bars for &lt;script&gt;' in html
    assert (
        'class="qio-plot" id="qio-fig-1" style="height:450px"></div>' in html
    )  # no role: it holds buttons


def test_relative_and_self_contained_plotly():
    html = export_html(notebook(), plotly_src="../../assets/plotly.min.js")
    assert 'src="../../assets/plotly.min.js"' in html
    single = export_html(notebook(), self_contained=True)
    assert "<script src=" not in single  # one file, nothing to fetch
    assert len(single) > 4_000_000 and "Plotly" in single


def test_same_notebook_gives_identical_html():
    assert export_html(notebook()) == export_html(notebook())


def test_export_leaves_the_executed_notebook_unchanged_and_records_the_input_hash():
    nb = notebook()
    before = json.dumps(nb, sort_keys=True)
    page = export_html(nb, input_hash="abc123")
    assert json.dumps(nb, sort_keys=True) == before  # the batch reads its metadata afterwards
    assert page.count('<meta name="qio-input-hash" content="abc123">') == 1
    assert "qio-input-hash" not in export_html(nb)

"""Kernel-side report helpers: the only way notebooks put things on the page.

Each helper displays explicit output (HTML, or the plotly mimetype for
charts) instead of relying on plotly's default renderer, which since plotly
6.1 picks a mimetype that nbconvert drops inside papermill and nbval kernels.
All data-derived text is HTML-escaped here, so an organisation called
``<script>alert(1)</script> & Co`` prints as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import HTML, display

from qio_analysis.figures.template import figure_alt_text, figure_table
from qio_analysis.report.inputs import Inputs

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _esc(text: object) -> str:
    return html.escape(str(text))


def figure_bundle(fig: go.Figure) -> dict:
    """The mime bundle for a figure: plotly JSON (without the table copy) and a plain-text alt."""
    spec = json.loads(pio.to_json(fig, validate=False))
    meta = spec.get("layout", {}).get("meta") or {}
    spec["layout"]["meta"] = {"alt_text": meta.get("alt_text", "")}
    title = html.unescape((fig.layout.title.text or "Chart").replace("<br>", " "))
    return {PLOTLY_MIME: spec, "text/plain": f"Chart: {title}. {figure_alt_text(fig)}"}


def table_html(frame: pd.DataFrame, caption: str | None = None, *, index: bool = False) -> str:
    """An escaped, accessible HTML table (header cells scoped, missing values shown as an en dash)."""
    body = frame.to_html(index=index, escape=True, na_rep="\u2013", border=0)
    opening = '<table class="qio-table">' + (
        f"<caption>{_esc(caption)}</caption>" if caption else ""
    )
    body = re.sub(r"<table[^>]*>", lambda _: opening, body, count=1)
    return body.replace(' style="text-align: right;"', "").replace("<th>", '<th scope="col">')


def show(fig: go.Figure, *, data_table: bool = True) -> None:
    """Display a chart, then its data as a collapsible table (the text alternative)."""
    display(figure_bundle(fig), raw=True)
    table = figure_table(fig)
    if data_table and not table.empty:
        display(
            HTML(
                f'<details class="qio-data"><summary>Data behind this chart</summary>{table_html(table)}</details>'
            )
        )


def heading(text: str, level: int = 2) -> None:
    """A section heading."""
    display(HTML(f"<h{level}>{_esc(text)}</h{level}>"))


def say(text: str) -> None:
    """A paragraph of narrative (plain text, escaped)."""
    display(HTML(f"<p>{_esc(text)}</p>"))


def bullets(items: Iterable[str]) -> None:
    """A bulleted list (plain text items, escaped)."""
    display(HTML("<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in items) + "</ul>"))


def table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a table as escaped HTML."""
    display(HTML(table_html(frame, caption)))


def header(title: str, inputs: Inputs, *, subtitle: str | None = None) -> None:
    """Report header: title, generation date, package version, data sources and the demo banner."""
    from qio_analysis import __version__

    now = dt.datetime.now().strftime("%d %B %Y %H:%M")
    banner = (
        '<p class="qio-banner" role="note"><strong>Synthetic demo data.</strong> '
        "The organisations and figures in this report are fictional.</p>"
        if inputs.is_demo
        else ""
    )
    sub = f'<p class="qio-subtitle">{_esc(subtitle)}</p>' if subtitle else ""
    sources = ", ".join(_esc(s) for s in inputs.sources)
    display(
        HTML(
            f'<header class="qio-header">{banner}<h1>{_esc(title)}</h1>{sub}'
            f'<p class="qio-meta">Generated <span class="qio-generated">{now}</span> with '
            f"qio-analysis {_esc(__version__)}. Data: {sources}.</p></header>"
        )
    )

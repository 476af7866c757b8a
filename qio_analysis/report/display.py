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

from qio_analysis.figures.template import figure_alt_text, figure_table, plotly_config
from qio_analysis.io.inputs import Inputs
from qio_analysis.text import escape_html
from qio_analysis.version import __version__
from qio_analysis.words import headed_in_words

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def figure_bundle(fig: go.Figure) -> dict:
    """The mime bundle for a figure: plotly JSON (without the table copy) and a plain-text alt.

    The JSON carries :func:`~qio_analysis.figures.template.plotly_config` as
    its ``config``: JupyterLab's plotly renderer passes it to ``Plotly.react``
    and the HTML reports' ``render.js`` passes it to ``Plotly.newPlot``, so
    neither shows the "Share chart" (cloud upload) button.
    """
    spec = json.loads(pio.to_json(fig, validate=False))
    meta = spec.get("layout", {}).get("meta") or {}
    spec["layout"]["meta"] = {
        "alt_text": meta.get("alt_text", ""),
        **({"rows": meta["rows"]} if meta.get("rows") else {}),
    }
    spec["config"] = plotly_config()
    title = html.unescape((fig.layout.title.text or "Chart").replace("<br>", " "))
    return {PLOTLY_MIME: spec, "text/plain": f"Chart: {title}. {figure_alt_text(fig)}"}


def table_html(frame: pd.DataFrame, caption: str | None = None, *, index: bool = False) -> str:
    """An escaped, accessible HTML table (header cells scoped, missing values shown as an en dash),
    headed in words (:func:`~qio_analysis.words.headed_in_words`), never with column names."""
    body = headed_in_words(frame).to_html(index=index, escape=True, na_rep="\u2013", border=0)
    opening = '<table class="qio-table">' + (
        f"<caption>{escape_html(caption)}</caption>" if caption else ""
    )
    body = re.sub(r"<table[^>]*>", lambda _: opening, body, count=1)
    return body.replace(' style="text-align: right;"', "").replace("<th>", '<th scope="col">')


def chart_outputs(fig: go.Figure, *, data_table: bool = True) -> tuple[dict, str | None]:
    """What :func:`show` displays for ``fig``: its mime bundle and the data table's HTML (or None).

    Plain data (no figure object), so a memoised caller can keep it and
    display it again without rebuilding the figure (see :func:`show_outputs`).
    """
    table = figure_table(fig)
    details = (
        f'<details class="qio-data"><summary>Data behind this chart</summary>{table_html(table)}</details>'
        if data_table and not table.empty
        else None
    )
    return figure_bundle(fig), details


def show_outputs(bundle: dict, details: str | None) -> None:
    """Display a chart from :func:`chart_outputs`: the same outputs as :func:`show`."""
    display(bundle, raw=True)
    if details is not None:
        display(HTML(details))


def show(fig: go.Figure, *, data_table: bool = True) -> None:
    """Display a chart, then its data as a collapsible table (the text alternative)."""
    show_outputs(*chart_outputs(fig, data_table=data_table))


def heading(text: str, level: int = 2) -> None:
    """A section heading."""
    display(HTML(f"<h{level}>{escape_html(text)}</h{level}>"))


def say(text: str) -> None:
    """A paragraph of narrative (plain text, escaped)."""
    display(HTML(f"<p>{escape_html(text)}</p>"))


def bullets(items: Iterable[str]) -> None:
    """A bulleted list (plain text items, escaped)."""
    display(HTML("<ul>" + "".join(f"<li>{escape_html(i)}</li>" for i in items) + "</ul>"))


def table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a table as escaped HTML."""
    display(HTML(table_html(frame, caption)))


def show_html(markup: str) -> None:
    """Display HTML made by these helpers (e.g. :func:`table_html`), as it is: never user text."""
    display(HTML(markup))


def as_of(run_date: str | dt.date | None) -> dt.date:
    """The day a report counts days waiting to: its ``run_date`` parameter, else today.

    >>> as_of("2025-07-01")
    datetime.date(2025, 7, 1)
    """
    if run_date is None:
        return dt.date.today()
    return run_date if isinstance(run_date, dt.date) else dt.date.fromisoformat(run_date)


def header(
    title: str, inputs: Inputs, *, subtitle: str | None = None, notice: str | None = None
) -> None:
    """Report header: title, generation date, package version, data sources and the demo banner.

    ``notice`` (plain text) is shown as a second banner, e.g. "Provisional: ...".
    """
    now = dt.datetime.now().strftime("%d %B %Y %H:%M")
    banner = (
        '<p class="qio-banner" role="note"><strong>Synthetic demo data.</strong> '
        "The organisations and figures in this report are fictional.</p>"
        if inputs.is_demo
        else ""
    )
    if notice:
        banner += f'<p class="qio-banner qio-notice" role="note">{escape_html(notice)}</p>'
    sub = f'<p class="qio-subtitle">{escape_html(subtitle)}</p>' if subtitle else ""
    sources = ", ".join(escape_html(s) for s in inputs.sources)
    display(
        HTML(
            f'<header class="qio-header">{banner}<h1>{escape_html(title)}</h1>{sub}'
            f'<p class="qio-meta">Generated <span class="qio-generated">{now}</span> with '
            f"qio-analysis {escape_html(__version__)}. Data: {sources}.</p></header>"
        )
    )


def record_suppressed(entries: list[dict], *, what: str = "") -> None:
    """Say in the report which groups' figures were withheld and why, and record it for the manifest.

    Each entry is ``{"group": ..., "n": ..., "reason": ...}`` (``n`` is the
    fewest organisations behind any of the group's figures). The output
    carries them as metadata ``{"qio": {"suppressed": [...]}}``, which the batch
    collects into the manifest. Nothing is shown when nothing was withheld.
    """
    if not entries:
        return
    records = [
        {"group": str(e["group"]), "n": int(e["n"]), "reason": str(e["reason"]), "what": what}
        for e in entries
    ]
    items = "".join(
        f"<li><strong>{escape_html(r['group'])}</strong>: {escape_html(r['reason'])}</li>"
        for r in records
    )
    lead = f"Figures withheld{': ' + escape_html(what) if what else ''}."
    display(
        HTML(f'<div class="qio-suppressed" role="note"><p>{lead}</p><ul>{items}</ul></div>'),
        metadata={"qio": {"suppressed": records}},
    )

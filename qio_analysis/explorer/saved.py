"""A view saved as one offline HTML file a colleague can open from an email.

The page holds exactly what the screen shows and nothing more: the headline,
the filters, the messages (peer group, withheld figures), the chart, its
description and the data table as the page shows it (its first
:data:`~qio_analysis.explorer.page.TABLE_ROWS` rows), and where it came from.
The chart is the SVG the image pack's path draws (no plotly.js, no data
behind the drawing), inside an ``<img>``, so the file runs no script at all.
Its Content Security Policy allows only its own style and ``data:`` images:
nothing can be fetched, and no button can send data anywhere.

The same page without the filters and messages is the "Chart (HTML)" download.
"""

from __future__ import annotations

import base64
import hashlib

from qio_analysis.explorer.downloads import About, Download
from qio_analysis.text import escape_html

#: Styles of a saved view (NHS colours; text contrast at least 4.5:1).
STYLE = """
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #231f20;
       margin: 1.5rem auto; max-width: 1120px; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: .3rem 0 .6rem; }
h2 { font-size: 1.2rem; margin: 1.4rem 0 .4rem; }
.qio-banner { background: #fff9c4; border-left: 6px solid #ffb81c; padding: .4rem .8rem; }
.qio-made { color: #425563; }
.qio-message { background: #fff4d6; border-left: 6px solid #231f20; padding: .4rem .8rem; }
dl.qio-filters { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dl.qio-filters dt { font-weight: bold; }
dl.qio-filters dd { margin: 0; }
figure { margin: 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #d8dde0; }
.qio-table { border-collapse: collapse; font-size: 14px; }
.qio-table th, .qio-table td { border-bottom: 1px solid #d8dde0; padding: 2px 8px; text-align: left; }
.qio-table th { background: #e8edee; }
@media print { body { margin: 0; max-width: none; } }
"""


def _csp(style: str) -> str:
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'; "
        "base-uri 'none'; form-action 'none'"
    )


def view_page(
    about: About,
    *,
    svg: bytes,
    alt_text: str,
    help_text: str = "",
    messages: tuple[str, ...] = (),
    table_html: str = "",
    chart_only: bool = False,
) -> str:
    """The standalone page: headline, made-on line, filters, messages, chart, description, table.

    ``table_html`` is the table exactly as the page shows it (already escaped
    by :func:`~qio_analysis.explorer.page.data_table_html`); every other text
    is escaped here.
    """
    chart = base64.b64encode(svg).decode("ascii")
    parts = [
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_csp(STYLE)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape_html(about.title)}</title><style>{STYLE}</style></head>",
        "<body><main>",
    ]
    if about.is_demo:
        parts.append(
            '<p class="qio-banner" role="note"><strong>Synthetic demo data.</strong> '
            "Every organisation, service and figure here is fictional.</p>"
        )
    parts.append(f"<h1>{escape_html(about.title)}</h1>")
    parts += [f'<p class="qio-made">{escape_html(line)}</p>' for line in about.lines()[:2]]
    if not chart_only:
        if about.filters:
            rows = "".join(
                f"<dt>{escape_html(k)}</dt><dd>{escape_html(v)}</dd>" for k, v in about.filters
            )
            parts.append(f'<h2>What is shown</h2><dl class="qio-filters">{rows}</dl>')
        if help_text:
            parts.append(f"<p>{escape_html(help_text)}</p>")
        parts += [f'<p class="qio-message">{escape_html(m)}</p>' for m in messages if m]
    parts.append(
        f'<figure><img src="data:image/svg+xml;base64,{chart}" alt="{escape_html(alt_text)}">'
        "</figure>"
        f"<h2>Chart description</h2><p>{escape_html(alt_text)}</p>"
    )
    if table_html:
        parts.append(f"<h2>Data behind the chart</h2>{table_html}")
    parts.append("</main></body></html>\n")
    return "".join(parts)


def saved_view(about: About, **page: object) -> Download:
    """The current view as one offline HTML file (see :func:`view_page` for ``page``)."""
    text = view_page(about, **page)  # type: ignore[arg-type]
    return Download(f"{about.stem}.html", "text/html", text.encode("utf-8"))


def chart_html(about: About, *, svg: bytes, alt_text: str, table_html: str = "") -> Download:
    """The chart alone as a small offline HTML page (title, chart, description, data)."""
    text = view_page(about, svg=svg, alt_text=alt_text, table_html=table_html, chart_only=True)
    return Download(f"{about.stem}-chart.html", "text/html", text.encode("utf-8"))

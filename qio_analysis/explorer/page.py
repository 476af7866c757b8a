"""What the page shows for a view: its data table as readable HTML, its figure as JSON.

No widgets here: :mod:`qio_analysis.explorer.app` puts these strings in its
widgets, and :mod:`qio_analysis.explorer.downloads` uses :func:`readable` for
the files it offers.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from qio_analysis.report.display import PLOTLY_MIME, figure_bundle, table_html
from qio_analysis.text import script_json

#: Rows of the data table drawn under the chart (a long table slows the page; downloads have all).
TABLE_ROWS = 200
#: Readable table headers (anything else: underscores to spaces, first letter capital).
HEADERS = {
    "org_code": "Code",
    "org_name": "Organisation",
    "n": "Organisations",
    "n_compared": "Organisations compared",
    "n_services": "Services",
    "n_scored": "Organisations with a level",
    "pct": "%",
    "pct_improved": "% improved",
    "pct_same": "% same",
    "pct_declined": "% declined",
    "nhs_wte_per_qualified": "NHS WTE per qualified LKS WTE (1:N)",
    "qualified_wte": "Qualified LKS WTE",
    "qualified_wte_gap": "Qualified LKS WTE gap to the 1:1,250 target (WTE)",
    "nhs_wte": "NHS WTE served",
    "rate": "Per 1,000 NHS WTE",
    "comparison": "Compared with",
    "peer_group": "Similar services (peer group)",
    "Percent": "% of organisations with a level",
    "Pct unchanged": "% unchanged",
    "N new": "New organisations",
    "N left": "Organisations that left",
    "N unscored": "Organisations without a level in one cycle",
    "": "Level",
}
#: Decimal places shown for a column (others: :data:`DIGITS`); a 1:N ratio is a whole number.
COLUMN_DIGITS = {"nhs_wte_per_qualified": 0}
#: Decimal places shown on screen and in downloads for numbers that are not whole.
DIGITS = 1
#: What a cell without a figure shows, on screen and in every file (the Analysis
#: Function's symbol for "not available"): never a blank or ``<NA>``.
NOT_SHOWN = "[x]"
#: The note that goes with :data:`NOT_SHOWN` wherever a table holds it.
NOT_SHOWN_NOTE = (
    f"{NOT_SHOWN}: no figure is shown here: it is withheld to protect a small group of "
    "services, or there is none (no return, or nothing to compare); the Note column says "
    "which where the table has one."
)
#: Columns of years or cycles: numbers, but written without a thousands separator.
_PLAIN = re.compile(r"year|cycle|code", re.IGNORECASE)


def readable(frame: pd.DataFrame, *, digits: int | None = None) -> pd.DataFrame:
    """A table for people: readable headers, whole numbers without ``.0``, no raw lists.

    >>> readable(pd.DataFrame({"n_compared": [2.0, 3.0], "pct_improved": [50.0, 12.5]}))
       Organisations compared  % improved
    0                       2        50.0
    1                       3        12.5
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series):
            finite = series.dropna()
            if len(finite) and (finite == finite.round()).all() and finite.abs().max() < 2**53:
                out[column] = series.round().astype("Int64")
            elif digits is not None:
                places = COLUMN_DIGITS.get(str(column), digits)
                rounded = series.round(places)
                out[column] = rounded.astype("Int64") if places == 0 else rounded
        elif series.dtype == object and series.map(lambda v: isinstance(v, list | tuple)).any():
            out[column] = series.map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    names = {
        c: HEADERS.get(str(c), str(c).replace("_", " ").strip().capitalize() or "Level")
        for c in out.columns
    }
    return out.rename(columns=names)


def displayed(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the page shows it and the downloads hold it: readable headers, rounded values.

    A cell without a figure holds :data:`NOT_SHOWN`; numbers stay numbers.

    >>> displayed(pd.DataFrame({"nhs_wte_per_qualified": [1584.9365, None], "qualified_wte_gap": [1.68808, 2.0]}))
      NHS WTE per qualified LKS WTE (1:N)  Qualified LKS WTE gap to the 1:1,250 target (WTE)
    0                                1585                                                1.7
    1                                 [x]                                                2.0
    """
    out = readable(table, digits=DIGITS)
    gaps = out.isna()
    if gaps.to_numpy().any():
        out = out.astype(object).mask(gaps, NOT_SHOWN)
    return out


def number_formats(table: pd.DataFrame) -> dict[str, str]:
    """Excel number formats for the displayed table's numeric columns, as the page writes them.

    >>> number_formats(pd.DataFrame({"nhs_wte": [12000.0], "pct": [12.5], "year": [2024]}))
    {'NHS WTE served': '#,##0', '%': '#,##0.0', 'Year': '0'}
    """
    shown = readable(table, digits=DIGITS)
    formats = {}
    for column in shown.columns:
        series = shown[column]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if _PLAIN.search(str(column)):
            formats[str(column)] = "0"
        elif pd.api.types.is_integer_dtype(series):
            formats[str(column)] = "#,##0"
        else:
            formats[str(column)] = "#,##0." + "0" * DIGITS
    return formats


def page_text(table: pd.DataFrame) -> pd.DataFrame:
    """The displayed table as the page writes it: thousands separators, the page's decimals.

    >>> page_text(pd.DataFrame({"nhs_wte": [12000.0, None], "pct": [12.5, 3.0]})).to_dict("list")
    {'NHS WTE served': ['12,000', '[x]'], '%': ['12.5', '3.0']}
    """
    shown = displayed(table)
    formats = number_formats(table)
    out = shown.astype(object)
    for column, fmt in formats.items():
        places = fmt.count("0") - 1 if "." in fmt else 0
        pattern = "{:.0f}" if fmt == "0" else f"{{:,.{places}f}}"
        out[column] = [v if isinstance(v, str) else pattern.format(v) for v in shown[column]]
    return out


def data_table_html(table: pd.DataFrame) -> str:
    """The data behind the chart as an escaped HTML table, its first rows only when long.

    >>> print(data_table_html(pd.DataFrame({"n": range(250)}))[:56])
    <p class="qio-help">First 200 of 250 rows; download the
    """
    if table.empty:
        return ""
    shown = page_text(table.head(TABLE_ROWS))
    more = len(table) - len(shown)
    note = (
        f'<p class="qio-help">First {len(shown):,} of {len(table):,} rows; '
        "download the table for all of them.</p>"
        if more > 0
        else ""
    )
    # A scrolling region a keyboard can reach (and scroll), named for screen readers.
    symbol = (
        f'<p class="qio-help">{NOT_SHOWN_NOTE}</p>'
        if (shown.astype(object) == NOT_SHOWN).to_numpy().any()
        else ""
    )
    return (
        note + '<div class="qio-table-scroll" tabindex="0" role="region" '
        f'aria-label="Data behind the chart">{table_html(shown)}</div>' + symbol
    )


def figure_script(fig: go.Figure) -> str:
    """The figure as inert JSON for the page's plotly.js (``<`` ``>`` ``&`` escaped, so no markup).

    >>> figure_script(go.Figure(layout={"title": {"text": "</script><b>"}}))[:40]
    '<script type="application/json">{"data":'
    """
    return (
        f'<script type="application/json">{script_json(figure_bundle(fig)[PLOTLY_MIME])}</script>'
    )

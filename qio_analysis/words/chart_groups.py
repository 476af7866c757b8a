"""A group (an NHS England region, or England itself) as a chart's category axis names it."""

from __future__ import annotations

from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html


def group_label(name: str, note: str = "") -> str:
    """A region's axis label, escaped, with its ``note`` in brackets; England's in bold, without one.

    >>> group_label("England"), group_label("London"), group_label("Midlands", "no submissions")
    ('<b>England</b>', 'London', 'Midlands (no submissions)')
    """
    if name == NATIONAL:
        return f"<b>{escape_html(name)}</b>"
    return escape_html(name) + (f" ({escape_html(note)})" if note else "")


__all__ = ["group_label"]

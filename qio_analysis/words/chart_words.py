"""A chart's words for people: its headline title and its alt text, built together.

Each figure's words come from one function in a ``words/chart_*.py`` module
returning :class:`ChartWords`, so the title, the alt text and the report's
sentence about a chart read the same numbers the same way.
"""

from __future__ import annotations

from typing import NamedTuple


class ChartWords(NamedTuple):
    """A chart's headline title (may carry escaped HTML) and its alt text (plain)."""

    title: str
    alt_text: str

"""The words of the infographic and the publication images: notes, short alt text and its sentences.

An image's alt text stays short (at most :data:`ALT_LIMIT` characters); the
full description goes beside it. Its sentences say each figure as the
graphic prints it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import pandas as pd

from qio_analysis.words.chart_words import ChartWords
from qio_analysis.words.formats import PER_1000
from qio_analysis.words.tiles import Tile

#: The most characters an image's alt text may have; the rest goes in the long description.
ALT_LIMIT = 1000
SYNTHETIC_ALT = "Synthetic demo data: the services and figures are fictional."
LONG_DESCRIPTION = "A full description and the figures are in alt_text.md."

#: What the headline tiles chart says when there is no figure to show.
NO_HEADLINES = "There are no headline figures for this year."

RATIO_NOTE = (
    "Staff ratio: NHS staff (whole-time equivalent) for each qualified library and knowledge "
    "staff member; lower is better."
)


def basis_sentence(min_group: int) -> str:
    """What the totals and like-for-like changes cover, and what is not published."""
    return (
        "Totals cover every return of the year; like for like compares only the services that "
        f"returned in both years. Figures from fewer than {min_group} services are not published."
    )


def short_alt(required: list[str], optional: list[str], *, demo: bool, long: bool) -> str:
    """Alt text of at most :data:`ALT_LIMIT` characters.

    The ``required`` sentences always, then each of ``optional`` while it
    fits; the synthetic-data mark for the demo and, when there is a long
    description, where to find it, are never left out.

    >>> short_alt(["Chart of A."], ["B is 2."], demo=True, long=False)
    'Chart of A. B is 2. Synthetic demo data: the services and figures are fictional.'
    """
    tail = [LONG_DESCRIPTION] if long else []
    tail += [SYNTHETIC_ALT] if demo else []
    parts = list(required)
    for sentence in optional:
        if len(" ".join([*parts, sentence, *tail])) <= ALT_LIMIT:
            parts.append(sentence)
    text = " ".join([*parts, *tail])
    if len(text) > ALT_LIMIT:
        raise ValueError(f"Alt text of {len(text):,} characters is over {ALT_LIMIT:,}: {text}")
    return text


def tile_brief(tile: Tile, label: str) -> str:
    """A tile in a few words: the figure under its table ``label``, and the change in the total.

    Where services that left or joined moved the total, it says so and gives
    the like-for-like change, as the tile does.
    """
    said = {line.kind: line.said for line in tile.lines}
    total = said.get("total", "").split(" since ")[0]
    text = f"{label}: {tile.figure}"
    if total:
        text += f", {total[:1].lower()}{total[1:]}"
    movers = said.get("total", "").partition("; ")[2]
    if movers:
        like = said.get("like", "").split(" among ")[0]
        text += f" ({movers}; {like[:1].lower()}{like[1:]})"
    return text + "."


def tiles_alt(tiles: Sequence[Tile]) -> str:
    """Every tile in words, one after another."""
    return " ".join(tile.words for tile in tiles)


def _rate(value: object, withheld: object = True) -> str:
    """A rate as printed; a missing one is "not published" when withheld, else "not reported"."""
    if not isinstance(value, numbers.Real) or math.isnan(value):
        return "not published" if withheld else "not reported"
    return f"{float(value):,.1f}"


def rate_words(row: pd.Series, measure: str) -> str:
    """One year's rate of ``measure`` from a headline pack's ``trend``, as printed.

    >>> rate_words(pd.Series({"loans_per_1000_wte": 1234.56}), "loans")
    '1,234.6'
    >>> rate_words(pd.Series({"loans_per_1000_wte": None, "loans_per_1000_wte_withheld": False}), "loans")
    'not reported'
    """
    column = f"{measure}_per_1000_wte"
    return _rate(row[column], row.get(f"{column}_withheld", True))


def ratio_alt(rows: Sequence[tuple[str, float | None, str]], target: float) -> str:
    """The staff ratio by region in words: each region's printed ratio, or why it has none.

    >>> ratio_alt([("London", 1200.0, "1:1,200 (meets target)")], 1250.0)
    'Horizontal bars of the staff ratio by region, with a dashed line at the target of 1:1,250 (lower is better). London: 1:1,200 (meets target).'
    """
    return (
        "Horizontal bars of the staff ratio by region, with a dashed line at the target of "
        f"1:{target:,.0f} (lower is better). "
        + "; ".join(f"{name}: {words}" for name, _, words in rows)
        + "."
    )


def trend_alt(trend: pd.DataFrame, activities: Mapping[str, str]) -> str:
    """The small multiples of activity in words: each activity's first and last rate."""
    data = trend.sort_values("year_start")
    first, last = data.iloc[0], data.iloc[-1]
    return (
        f"Six small line charts of activity {PER_1000} from {first['year']} to "
        f"{last['year']}, each starting from zero. "
        + "; ".join(
            f"{label}: {rate_words(first, m)} to {rate_words(last, m)}"
            for m, label in activities.items()
        )
        + "."
    )


def headline_tiles_words(tiles: Sequence[Tile], year: str) -> ChartWords:
    """The headline tiles chart's title and alt text: every tile in words."""
    return ChartWords(
        f"Library and knowledge services in England: the year in numbers, {year}",
        f"Headline figures for {year}. " + tiles_alt(tiles),
    )


__all__ = [
    "ALT_LIMIT",
    "LONG_DESCRIPTION",
    "NO_HEADLINES",
    "RATIO_NOTE",
    "SYNTHETIC_ALT",
    "basis_sentence",
    "headline_tiles_words",
    "rate_words",
    "ratio_alt",
    "short_alt",
    "tile_brief",
    "tiles_alt",
    "trend_alt",
]

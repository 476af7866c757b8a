"""Words for the regional, validation and improvement pages: kinds of change, ties and headers.

A level lowered and a sub-level lowered are different things: each count is
said with its own noun (``19 levels lowered``, ``12 sub-levels lowered``) and,
on charts, its own mark. Ties are named as ties, and tables a person reads are
headed in words (:data:`COLUMN_WORDS`), never with a column name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from qio_analysis.words.formats import format_percent
from qio_analysis.words.phrases import count_words, join_words

#: What the validators' heatmap marks, said above it on the validation review.
HEATMAP_CHANGE_NOTE = (
    "Each cell shows the validated level and the initial of its sub-level. A cell the "
    "validator changed is marked \u25bc when a whole level was lowered and \u25b2 when one was "
    "raised, and with the open \u25bd or \u25b3 when the sub-level was lowered or raised on the "
    "same level."
)

#: The kinds of validator's change, in the order they are always said.
ADJUSTMENT_KINDS = ("level lowered", "level raised", "sub-level lowered", "sub-level raised")


def adjustment_kind_words(
    counts: Mapping[str, int],
    marks: Mapping[str, str] | None = None,
    *,
    zeros: bool = True,
) -> str:
    """Counts of each kind of validator's change, each with its own noun (and mark, if given).

    ``counts`` maps the kinds of :data:`ADJUSTMENT_KINDS` to counts (as
    :func:`~qio_analysis.metrics.adjustment_counts` gives); a noun none of
    whose kinds is in ``counts`` is not said. ``zeros=False`` also leaves out
    kinds that did not happen.

    >>> counts = {"level lowered": 19, "level raised": 0, "sub-level lowered": 12, "sub-level raised": 1}
    >>> adjustment_kind_words(counts)
    '19 levels lowered and 0 raised; 12 sub-levels lowered and 1 raised on the same level'
    >>> adjustment_kind_words(counts, {"level lowered": "\\u25bc", "sub-level lowered": "\\u25bd",
    ...     "sub-level raised": "\\u25b3"}, zeros=False)
    '19 levels lowered (\\u25bc); 12 sub-levels lowered (\\u25bd) and 1 raised (\\u25b3) on the same level'
    """
    parts = []
    for noun, suffix in (("level", ""), ("sub-level", " on the same level")):
        said: list[str] = []
        if not any(f"{noun} {way}" in counts for way in ("lowered", "raised")):
            continue
        for way in ("lowered", "raised"):
            n = int(counts.get(f"{noun} {way}", 0))
            if not zeros and not n:
                continue
            mark = f" ({marks[f'{noun} {way}']})" if marks and f"{noun} {way}" in marks else ""
            said.append(f"{count_words(n, noun) if not said else n} {way}{mark}")
        if said:
            parts.append(" and ".join(said) + suffix)
    return "; ".join(parts) or "none changed"


def tie_words(names: Sequence[str], value: str, noun: str = "") -> str:
    """One item with its value, or a tie named as a tie: ``outcomes 3, 4, 5 and 6, each 44%``.

    >>> tie_words(["4"], "44%", "outcome"), tie_words(["3", "4", "5", "6"], "44%", "outcome")
    ('outcome 4, 44%', 'outcomes 3, 4, 5 and 6, each 44%')
    """
    lead = f"{noun}{'s' if len(names) > 1 else ''} " if noun else ""
    each = "each " if len(names) > 1 else ""
    return f"{lead}{join_words(list(names))}, {each}{value}"


def share_words(part: int, whole: int) -> str:
    """``19 of 192 (10%)``: a count with its whole and its share, from the same two numbers.

    >>> share_words(19, 192), share_words(0, 0)
    ('19 of 192 (10%)', '0 of 0')
    """
    if not whole:
        return f"{part} of {whole}"
    return f"{part} of {whole} ({format_percent(part / whole * 100, digits=0)})"


#: Headers in words for the columns that tables under charts and in reports show.
COLUMN_WORDS: dict[str, str] = {
    "region": "Region",
    "org_code": "Organisation code",
    "org_name": "Organisation",
    "outcome": "Outcome",
    "outcome_short": "Outcome name",
    "cycle": "Cycle",
    "n_orgs": "Organisations submitting",
    "n_scored": "Organisations with a validated level",
    "n_compared": "Organisations compared",
    "n_up": "Up",
    "n_down": "Down",
    "n_same": "Same level",
    "pct_improved": "Improved (%)",
    "pct_declined": "Declined (%)",
    "pct_same": "Same level (%)",
    "pct_at_or_above": "At Level 3 or above (%)",
    "median_level": "Median level",
    "sublevel_not_comparable": "Same level, sub-level not comparable",
    "sublevel_up": "Same level, sub-level up",
    "sublevel_down": "Same level, sub-level down",
    "not_comparable": "Not compared",
    "awaiting_validation": "Awaiting validation",
    "expected": "Expected",
    "submitted": "Submitted",
    "validated": "Validated",
    "missing": "Not submitted",
    "pct_submitted": "Submitted (%)",
    "pct_validated": "Validated (%)",
    "note": "Note",
    "n_new": "Taking part in the later cycle only",
    "n_left": "Taking part in the earlier cycle only",
    "n_unscored": "Without a validated level in both cycles",
    "n_pairs": "Outcomes compared",
    "pct_unchanged": "Unchanged (%)",
    "missing_orgs": "Not submitted (codes)",
    "awaiting_orgs": "Awaiting validation (codes)",
    "from_level": "Level before",
    "to_level": "Level after",
    "from_cycle": "From cycle",
    "to_cycle": "To cycle",
    "year": "Year",
}


def header_words(column: object) -> str:
    """A column's header in words: :data:`COLUMN_WORDS`, else the name with its underscores spoken.

    Headers already in words are kept; a lower-case word gets its capital.

    >>> header_words("pct_at_or_above"), header_words("Region"), header_words("n_widgets")
    ('At Level 3 or above (%)', 'Region', 'Widgets (count)')
    >>> header_words("outcome"), header_words("Kappa, levels (quadratic weights)")
    ('Outcome', 'Kappa, levels (quadratic weights)')
    """
    name = str(column)
    if name in COLUMN_WORDS:
        return COLUMN_WORDS[name]
    if "_" not in name:
        return name[:1].upper() + name[1:] if name.islower() else name
    words = name.split("_")
    unit = ""
    if words[0] == "n":
        words, unit = words[1:], " (count)"
    elif words[0] == "pct":
        words, unit = words[1:], " (%)"
    return " ".join(words).capitalize() + unit


def headed_in_words(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every column headed in words (:func:`header_words`); the HTML table
    of every report passes through it, so no column name reaches a reader."""
    if isinstance(table.columns, pd.MultiIndex):
        return table
    return table.rename(columns=header_words)


def movers_heading(way: str) -> str:
    """The heading over the largest net movers ``up`` or ``down``.

    >>> movers_heading("down")
    'Furthest down: net whole levels lost across the six outcomes'
    """
    title, word = ("Furthest up", "gained") if way == "up" else ("Furthest down", "lost")
    return f"{title}: net whole levels {word} across the six outcomes"


def no_movers_sentence(way: str, since: str) -> str:
    """What the page says when no organisation moved ``way`` on balance.

    >>> no_movers_sentence("down", "since the 2021 baseline")
    'No organisation lost more whole levels than it gained since the 2021 baseline.'
    """
    more, than = ("gained", "lost") if way == "up" else ("lost", "gained")
    return f"No organisation {more} more whole levels than it {than} {since}."


def england_words(region: str) -> str:
    """England beside one of its regions, saying that England's figures include it.

    >>> england_words("North West")
    'England (North West included)'
    """
    return f"England ({region} included)"


def not_taking_part_words(cycle: object) -> str:
    """An organisation absent from a cycle, as a table cell or a chart's note says it.

    >>> not_taking_part_words(2021)
    'not taking part in 2021'
    """
    return f"not taking part in {cycle}"


def not_compared_words(status: str, since: object, to: object) -> str:
    """Why an organisation and outcome has no movement between two cycles, from its ``status``
    (:func:`~qio_analysis.metrics.movements`: ``new``, ``left`` or ``unscored``).

    >>> not_compared_words("new", 2021, 2025), not_compared_words("unscored", 2021, 2025)
    ('not compared: not taking part in 2021', 'not compared: no validated level in both 2021 and 2025')
    """
    if status == "new":
        return f"not compared: {not_taking_part_words(since)}"
    if status == "left":
        return f"not compared: {not_taking_part_words(to)}"
    return f"not compared: no validated level in both {since} and {to}"


def short_name(name: str, width: int) -> str:
    """``name`` cut at a word to at most ``width`` characters, ending in an ellipsis when cut.

    Chart labels use it; the full name is always in the chart's data table.

    >>> short_name("Ashby NHS Trust", 40)
    'Ashby NHS Trust'
    >>> short_name("The Very Long Named Hospitals and Community Health NHS Foundation Trust", 40)
    'The Very Long Named Hospitals and\u2026'
    """
    if len(name) <= width:
        return name
    cut = name[: width - 1].rsplit(" ", 1)[0] if " " in name[: width - 1] else name[: width - 1]
    return cut.rstrip(" ,;-") + "\u2026"

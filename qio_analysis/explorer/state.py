"""Shareable views: the explorer's controls as a URL query string, and back.

``?view=heatmap&cycle=2025&region=London&outcome=3&org=ZA07&compare=2023&type=Acute``
Unknown keys (``token`` included) are ignored; an invalid value is dropped with
a note, so a mistyped link still opens a working explorer.

A link is text from outside, so it is read the way the readers read data:
invisible characters (bidi overrides, zero-width spaces, controls) are removed
with :func:`~qio_analysis.text.remove_invisible`, only the first
:data:`MAX_QUERY_CHARS` characters are read, and every value quoted back in a
message is cut to :data:`SHOWN_VALUE_CHARS`, so a hostile link gives a short,
clean message and a working chart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from qio_analysis.text import remove_invisible

#: Query keys in the order they are written.
KEYS: tuple[str, ...] = (
    "view",
    "cycle",
    "region",
    "outcome",
    "org",
    "compare",
    "type",
    "assessment",
    "sort",
)
#: The longest query string read (a real link is a few hundred characters).
MAX_QUERY_CHARS = 2_000
#: The longest value quoted back in a message, and the most values named in one.
SHOWN_VALUE_CHARS = 40
SHOWN_VALUES = 4


@dataclass(frozen=True)
class Link:
    """What a query string asks for: its explorer keys' values (``asked``) and what was cleaned on the way."""

    asked: dict[str, str] = field(default_factory=dict)
    #: Keys given more than once (the last value is used), by count.
    repeated: dict[str, int] = field(default_factory=dict)
    cleaned: bool = False
    cut: bool = False


def shown_value(value: str) -> str:
    """A value as quoted back to the reader: cleaned, on one line, at most :data:`SHOWN_VALUE_CHARS`.

    >>> shown_value("North\\u202eEast" + "x" * 60)
    'NorthEastxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\u2026'
    """
    text = " ".join(remove_invisible(value).split())
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "\u2026"


def read_link(query: str) -> Link:
    """The explorer's keys from a query string (with or without ``?``); the last value wins."""
    raw = (query or "").lstrip("?")
    cut = len(raw) > MAX_QUERY_CHARS
    pairs = parse_qsl(raw[:MAX_QUERY_CHARS], keep_blank_values=False)
    found: dict[str, str] = {}
    counts: Counter[str] = Counter()
    cleaned = False
    for key, value in pairs:
        if key not in KEYS:
            continue
        clean = remove_invisible(value).strip()
        cleaned = cleaned or clean != value.strip()
        if clean:
            found[key] = clean
            counts[key] += 1
    repeated = {k: n for k, n in counts.items() if n > 1}
    return Link(found, repeated, cleaned, cut)


def parse_query(query: str) -> dict[str, str]:
    """The explorer's keys from a query string (with or without ``?``); the last value wins.

    >>> parse_query("?view=radar&org=ZA07&token=secret&region=North+East")
    {'view': 'radar', 'org': 'ZA07', 'region': 'North East'}
    >>> parse_query("?org=ZA%E2%80%AE07")  # a bidi override is removed, as readers do
    {'org': 'ZA07'}
    """
    return read_link(query).asked


def link_message(link: Link, unknown: list[tuple[str, str]]) -> str:
    """One short sentence naming what a link asked for that is not in the data ("" when all is well).

    >>> link_message(Link(), [("org", "NOPE"), ("region", "Atlantis")])
    'This link asked for org=NOPE, region=Atlantis, which is not in the data; it was left out.'
    """
    parts = []
    if unknown:
        named = [f"{key}={shown_value(value)}" for key, value in unknown[:SHOWN_VALUES]]
        more = len(unknown) - len(named)
        listed = ", ".join(named) + (f" and {more} more" if more > 0 else "")
        parts.append(f"This link asked for {listed}, which is not in the data; it was left out.")
    if link.repeated:
        keys = ", ".join(sorted(link.repeated)[:SHOWN_VALUES])
        parts.append(f"It gave {keys} more than once; the last value was used.")
    if link.cleaned:
        parts.append("Invisible or control characters in it were removed.")
    if link.cut:
        parts.append(f"Only its first {MAX_QUERY_CHARS:,} characters were read.")
    return " ".join(parts)


def to_query(state: dict[str, object], defaults: dict[str, object]) -> str:
    """``?key=value&...`` for every key whose value differs from its default; ``""`` for none.

    >>> to_query({"view": "radar", "cycle": 2025, "region": "North East"}, {"view": "distribution", "cycle": 2025})
    '?view=radar&region=North+East'
    """
    items = [
        (key, str(state[key]))
        for key in KEYS
        if key in state and state[key] is not None and state[key] != defaults.get(key)
    ]
    return "?" + urlencode(items) if items else ""

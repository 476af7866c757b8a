"""Shareable views: the explorer's controls as a URL query string, and back.

``?view=heatmap&cycle=2025&region=London&outcome=3&org=ZA07&compare=2023&type=Acute``
Unknown keys (``token`` included) are ignored; an invalid value is dropped with
a note, so a mistyped link still opens a working explorer.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

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


def parse_query(query: str) -> dict[str, str]:
    """The explorer's keys from a query string (with or without ``?``); the last value wins.

    >>> parse_query("?view=radar&org=ZA07&token=secret&region=North+East")
    {'view': 'radar', 'org': 'ZA07', 'region': 'North East'}
    """
    pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=False)
    found: dict[str, str] = {}
    for key, value in pairs:
        if key in KEYS and value.strip():
            found[key] = value.strip()
    return found


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

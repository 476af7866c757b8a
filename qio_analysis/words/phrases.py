"""Short phrases people read: levels, cycles, changes, statuses, counts and lists.

What a missing level reads as (``not validated``), how change is said (``up
1.75 levels since the 2021 baseline``) and how counts and lists read, in one
place for charts, tables, sentences and alt text alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qio_analysis.framework import BASELINE_CYCLE, format_level

#: What a reader sees for a missing validated level (never ``nan`` or ``None``).
NOT_VALIDATED = "not validated"
#: What a reader sees for a missing self-evaluation.
NO_RETURN = "no return"
#: What change sections say when the data hold a single cycle.
FIRST_CYCLE_NOTE = "This is the first cycle in the data; change will show from the next cycle."

#: An organisation's submission status in a cycle, as shown to readers.
VALIDATED = "validated"
AWAITING = "awaiting validation"
NOT_SUBMITTED = "not submitted"
UNEXPECTED = "not in organisations table"
#: A region with no submission in a cycle.
NO_SUBMISSIONS = "no submissions"


def level_words(level: object, sublevel: object, *, missing: str = NOT_VALIDATED) -> str:
    """A level as words for tables, sentences and alt text; ``missing`` when there is none.

    >>> level_words(2, "High"), level_words(3, None), level_words(None, None)
    ('Level 2 (High)', 'Level 3', 'not validated')
    >>> level_words(float("nan"), None, missing="no return")
    'no return'
    """
    if level is None or pd.isna(level):
        return missing
    sub = None if sublevel is None or pd.isna(sublevel) else str(sublevel)
    return format_level(int(level), sub)  # type: ignore[call-overload]


def since_words(cycle: int) -> str:
    """``since the 2021 baseline`` for the baseline cycle, else ``since 2023``.

    >>> since_words(2021), since_words(2023)
    ('since the 2021 baseline', 'since 2023')
    """
    return f"since the {cycle} baseline" if cycle == BASELINE_CYCLE else f"since {cycle}"


def level_change_words(change: float) -> str:
    """A change in score as words: ``up 1.75 levels``, ``down 1 level``, ``no change``.

    >>> level_change_words(1.75), level_change_words(-1.0), level_change_words(0.0)
    ('up 1.75 levels', 'down 1 level', 'no change')
    """
    if change == 0:
        return "no change"
    way = "up" if change > 0 else "down"
    return f"{way} {abs(change):g} level{'s' if abs(change) != 1 else ''}"


def count_words(n: object, noun: str) -> str:
    """A count and its noun, plural when it is not one: ``1 service``, ``132 services``.

    >>> count_words(1, "service"), count_words(132.0, "return")
    ('1 service', '132 returns')
    """
    count = int(n)  # type: ignore[call-overload]
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def join_words(items: Sequence[object]) -> str:
    """Items as a list in a sentence: ``a``, ``a and b``, ``a, b and c``.

    >>> join_words(["Access"]), join_words([2021, 2023, 2025])
    ('Access', '2021, 2023 and 2025')
    """
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def outcome_label(number: int, short: str) -> str:
    """An outcome named in a sentence: ``Outcome 3 (Knowing needs)``.

    >>> outcome_label(3, "Knowing needs")
    'Outcome 3 (Knowing needs)'
    """
    return f"Outcome {number} ({short})"


def adjustment_words(self_level: object, self_sub: object, level: object, sub: object) -> str:
    """How a validator changed a self-evaluated level: by whole levels, or within the level.

    >>> adjustment_words(3, None, 2, "High"), adjustment_words(2, "Low", 2, "High")
    ('lowered 1 level', 'raised within Level 2 (Low to High)')
    >>> adjustment_words(1, None, 3, None), adjustment_words(2, None, 2, None)
    ('raised 2 levels', 'unchanged')
    """
    if pd.isna(self_level) or pd.isna(level):
        return "not compared"
    steps = int(level) - int(self_level)  # type: ignore[call-overload]
    if steps:
        way = "raised" if steps > 0 else "lowered"
        return f"{way} {abs(steps)} level{'s' if abs(steps) != 1 else ''}"
    order = {None: 0, "Low": 1, "Medium": 2, "High": 3}
    before = None if pd.isna(self_sub) else str(self_sub)
    after = None if pd.isna(sub) else str(sub)
    if before == after:
        return "unchanged"
    way = "raised" if order[after] > order[before] else "lowered"
    return (
        f"{way} within Level {int(level)} ({before or 'no sub-level'} to {after or 'no sub-level'})"  # type: ignore[call-overload]
    )

"""Short phrases people read: levels, cycles, changes, statuses, counts and lists.

What a missing level reads as (``not validated``), how change is said (``up
one level, from Level 3 to Level 4 (High)``, by the one rule in
:func:`~qio_analysis.framework.compare_levels`) and how counts and lists read,
in one place for charts, tables, sentences and alt text alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qio_analysis.framework import (
    BASELINE_CYCLE,
    DOWN,
    NOT_COMPARABLE,
    OUTCOME_NUMBERS,
    SAME_LEVEL,
    SUBLEVEL_DOWN,
    SUBLEVEL_NOT_COMPARABLE,
    SUBLEVEL_UP,
    UP,
    compare_levels,
    format_level,
    is_blank,
)

#: What a reader sees for a missing validated level (never ``nan`` or ``None``).
NOT_VALIDATED = "not validated"
#: What a reader sees for a missing self-evaluation.
NO_RETURN = "no return"
#: What change sections say when the data hold a single cycle.
FIRST_CYCLE_NOTE = "This is the first cycle in the data; change will show from the next cycle."

#: How the radar places a level and its sub-level (its chart description and the report say this).
RADAR_RINGS = (
    "Each level is a ring, Level 0 at the centre to Level 4 at the edge, shaded in turn, and a "
    "point sits inside its own level's ring: Low, Medium and High a quarter, half and three "
    "quarters of the way out, and a level given without a sub-level in the middle of its ring."
)

#: The one rule for comparing two levels, as reports and the README say it.
LEVEL_RULE = (
    "Movement is counted in whole levels: a rise or a fall is a change of level, whatever the "
    "sub-levels. A sub-level movement counts only on the same level with a sub-level in both "
    "cycles; where one cycle has no sub-level the movement reads 'same level; sub-level not "
    "comparable', because a level given without a sub-level says nothing about where within "
    "the level a service sits."
)

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


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


def levels_words(n: int) -> str:
    """A number of whole levels: ``one level``, ``two levels``.

    >>> levels_words(1), levels_words(-3)
    ('one level', 'three levels')
    """
    count = abs(int(n))
    return f"{_NUMBER_WORDS.get(count, str(count))} level{'' if count == 1 else 's'}"


def level_change_words(
    from_level: object,
    from_sublevel: object,
    to_level: object,
    to_sublevel: object,
    *,
    missing: str = "no level",
) -> str:
    """How a level moved, in a reader's words, by the one rule (:func:`~qio_analysis.framework.compare_levels`).

    Whole levels first, both levels named, never a fractional level.

    >>> level_change_words(3, None, 4, "High")
    'up one level, from Level 3 to Level 4 (High)'
    >>> level_change_words(3, "Low", 3, "High"), level_change_words(2, None, 2, None)
    ('same level, sub-level up from Level 3 (Low) to Level 3 (High)', 'stayed at Level 2')
    >>> level_change_words(3, None, 3, "Medium")
    'same level, from Level 3 to Level 3 (Medium); sub-level not comparable'
    >>> level_change_words(4, None, 2, "Low"), level_change_words(None, None, 1, None)
    ('down two levels, from Level 4 to Level 2 (Low)', 'not comparable, from no level to Level 1')
    """
    comparison = compare_levels(from_level, from_sublevel, to_level, to_sublevel)
    before = level_words(from_level, from_sublevel, missing=missing)
    after = level_words(to_level, to_sublevel, missing=missing)
    status = comparison.status
    if status in (UP, DOWN):
        return f"{status} {levels_words(comparison.level_change or 0)}, from {before} to {after}"
    if status == SAME_LEVEL:
        return f"stayed at {after}"
    if status in (SUBLEVEL_UP, SUBLEVEL_DOWN):
        way = "up" if status == SUBLEVEL_UP else "down"
        return f"same level, sub-level {way} from {before} to {after}"
    if status == SUBLEVEL_NOT_COMPARABLE:
        return f"same level, from {before} to {after}; sub-level not comparable"
    return f"{NOT_COMPARABLE}, from {before} to {after}"


def movement_words(comparison: str, level_change: object = None) -> str:
    """A comparison in a table cell beside both levels: ``up one level``, ``same level; sub-level up``.

    >>> movement_words("up", 1), movement_words("down", -2), movement_words("same level", 0)
    ('up one level', 'down two levels', 'same level')
    """
    if comparison in (UP, DOWN):
        return f"{comparison} {levels_words(int(level_change))}"  # type: ignore[call-overload]
    return comparison


def comparison_label(status: str) -> str:
    """A comparison status as a short label for filters and legends: ``Up``, ``Same level``.

    >>> comparison_label("up"), comparison_label("same level; sub-level not comparable")
    ('Up', 'Same level; sub-level not comparable')
    """
    return status[:1].upper() + status[1:]


def moved_words(up: int, down: int, compared: int, total: int = len(OUTCOME_NUMBERS)) -> str:
    """An organisation's whole-level movement across its outcomes: ``up on 3 of 6 outcomes``.

    ``compared`` is the number of outcomes with a level on both sides; when it
    is fewer than ``total`` the words say so.

    >>> moved_words(3, 0, 6), moved_words(2, 1, 6), moved_words(0, 0, 6), moved_words(1, 0, 4)
    ('up on 3 of 6 outcomes', 'up on 2 and down on 1 of 6 outcomes', 'same level on all 6 outcomes', 'up on 1 of 4 comparable outcomes')
    >>> moved_words(0, 0, 0), moved_words(0, 1, 1)
    ('no outcome to compare', 'down on 1 of 1 comparable outcome')
    """
    if compared == 0:
        return "no outcome to compare"
    of = f"{compared} outcome{'s' if compared != 1 else ''}"
    if compared < total:
        of = f"{compared} comparable outcome{'s' if compared != 1 else ''}"
    if not up and not down:
        return f"same level on all {of}" if compared > 1 else f"same level on the {of}"
    moves = [f"{way} on {n}" for way, n in (("up", up), ("down", down)) if n]
    return f"{' and '.join(moves)} of {of}"


def level_gap_words(gap: object) -> str:
    """A gap between two median levels in words: ``one level below``, ``same level``.

    >>> level_gap_words(-1), level_gap_words(0), level_gap_words(2), level_gap_words(None)
    ('one level below', 'same level', 'two levels above', 'no comparison')
    """
    if gap is None or pd.isna(gap):
        return "no comparison"
    if int(gap) == 0:  # type: ignore[call-overload]
        return "same level"
    return f"{levels_words(int(gap))} {'above' if int(gap) > 0 else 'below'}"  # type: ignore[call-overload]


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
    """How a validator changed a self-evaluated level, by the one rule for comparing levels.

    Whole levels first; a sub-level change counts only when both levels carry
    one (:func:`~qio_analysis.framework.compare_levels`).

    >>> adjustment_words(3, None, 2, "High"), adjustment_words(2, "Low", 2, "High")
    ('lowered 1 level', 'sub-level raised within Level 2 (Low to High)')
    >>> adjustment_words(1, None, 3, None), adjustment_words(2, None, 2, None)
    ('raised 2 levels', 'unchanged')
    >>> adjustment_words(3, None, 3, "Medium")
    'same level; sub-level not comparable (no sub-level, then Medium)'
    """
    if is_blank(self_level) or is_blank(level):
        return "not compared"
    compared = compare_levels(self_level, self_sub, level, sub)
    steps = compared.level_change or 0
    if steps:
        way = "raised" if steps > 0 else "lowered"
        return f"{way} {abs(steps)} level{'s' if abs(steps) != 1 else ''}"
    before = None if is_blank(self_sub) else str(self_sub)
    after = None if is_blank(sub) else str(sub)
    if compared.status == SUBLEVEL_NOT_COMPARABLE:
        return f"{SUBLEVEL_NOT_COMPARABLE} ({before or 'no sub-level'}, then {after or 'no sub-level'})"
    if not compared.sublevel_change:
        return "unchanged"
    way = "raised" if compared.sublevel_change > 0 else "lowered"
    return f"sub-level {way} within Level {int(level)} ({before} to {after})"  # type: ignore[call-overload]

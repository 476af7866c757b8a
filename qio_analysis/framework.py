"""The QIOF domain: six outcomes, levels 0-4, sub-levels, cycles, parsing, and how two levels compare.

Levels are cumulative: level 0 means not developed within the outcome's remit
and level 4 means highly developed. Every level may carry a sub-level (Low,
Medium or High), which is optional and tracks progress within the level.
There is no overall score: an organisation has one level per outcome.

Comparing two levels
--------------------
:func:`compare_levels` (and :func:`compare_levels_frame` for columns) is the
one rule every metric, sentence and figure uses. Whole levels decide rises and
falls. A sub-level movement counts only on the same level with a sub-level on
both sides; a level without a sub-level says nothing about where within the
level a service sits, so "Level 3" to "Level 3 (Medium)" is "same level;
sub-level not comparable", never a rise.

Score encoding
--------------
``score = level + offset`` with offset 0.25, 0.5 or 0.75 for Low, Medium or
High and 0 with no sub-level. It stores level and sub-level in one number that
round-trips exactly (:func:`from_score`) and orders the recorded values for
agreement statistics; it is not a measure of progress, so changes are never
score differences.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from qio_analysis.errors import CellError, QioLevelError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    import pandas as pd

    #: A column of values: a Series, an array, or a plain sequence.
    Column: TypeAlias = pd.Series | np.ndarray | Sequence[object]

LEVELS: tuple[int, ...] = (0, 1, 2, 3, 4)
SUBLEVELS: tuple[str, ...] = ("Low", "Medium", "High")
SUBLEVEL_OFFSET: dict[str | None, float] = {None: 0.0, "Low": 0.25, "Medium": 0.5, "High": 0.75}
ASSESSMENTS: tuple[str, ...] = ("self", "validated")
ASSESSMENT_LABELS: dict[str, str] = {"self": "Self-evaluated", "validated": "Validated"}
#: The earliest and latest QIOF cycle (year) any table may hold.
FIRST_CYCLE, LAST_CYCLE = 2019, 2100
#: The national QIOF baseline cycle: change since then is "since the 2021 baseline".
BASELINE_CYCLE = 2021

#: Values meaning "no level": they load as missing (None), never as 0.
MISSING_TOKENS: frozenset[str] = frozenset(
    {"", "n/a", "na", "not submitted", "not validated", "not applicable"}
)


@dataclass(frozen=True)
class Outcome:
    """One QIOF outcome: number, short chart label and full (2019 edition) text."""

    number: int
    short: str
    text: str


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        1,
        "Access",
        "All NHS organisations enable their workforce to freely access proactive library and "
        "knowledge services that meet organisational priorities within the framework of "
        "Knowledge for Healthcare.",
    ),
    Outcome(
        2,
        "Evidence in decisions",
        "All NHS decision making is underpinned by high quality evidence and knowledge "
        "mobilised by skilled library and knowledge specialists.",
    ),
    Outcome(
        3,
        "Knowing needs",
        "Library and knowledge specialists identify the knowledge and evidence needs of the "
        "workforce in order to deliver effective and proactive services.",
    ),
    Outcome(
        4,
        "Skill mix",
        "All NHS organisations receive library and knowledge services provided by teams with "
        "the right skill mix to deliver on organisational and Knowledge for Healthcare "
        "priorities.",
    ),
    Outcome(
        5,
        "Quality improvement",
        "Library and knowledge specialists improve the quality of library and knowledge "
        "services using evidence from research, innovation and good practice.",
    ),
    Outcome(
        6,
        "Impact",
        "Library and knowledge specialists demonstrate that their services make a positive "
        "impact on healthcare.",
    ),
)
OUTCOME_NUMBERS: tuple[int, ...] = tuple(o.number for o in OUTCOMES)
#: Short chart labels by outcome number.
OUTCOME_SHORT: dict[int, str] = {o.number: o.short for o in OUTCOMES}


def outcome(number: int) -> Outcome:
    """The outcome with this number (1-6)."""
    for o in OUTCOMES:
        if o.number == number:
            return o
    raise QioLevelError(f"There is no QIOF outcome {number!r}; outcomes are numbered 1 to 6.")


_SUB_WORDS = {
    "low": "Low",
    "l": "Low",
    "medium": "Medium",
    "med": "Medium",
    "m": "Medium",
    "high": "High",
    "h": "High",
}
_SUB = r"low|medium|med|high|l|m|h"
_LEVEL_RE = re.compile(
    rf"""^(?:level|l)?\s*(?P<level>\d+)(?:\.0+)?      # 2, 2.0, Level 2, L2
        \s*(?:[-:,]\s*)?                               # optional separator
        (?:\(\s*(?P<sub_paren>{_SUB})\s*\)|(?P<sub>{_SUB}))?$""",
    re.VERBOSE,
)
_ALLOWED = (
    "a level from 0 to 4, optionally with a sub-level: e.g. 2, Level 2, L2, 2 - High, "
    "2H, 2 (medium); blank, N/A or 'not submitted' for no level"
)
_ALLOWED_SUB = "Low, Medium or High (or L, M, H); blank for none"


def _normalise_text(value: str) -> str:
    text = value.strip().lower().replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", text)


def is_blank(value: object) -> bool:
    """True for None, NaN, NaT, NA and whitespace-only text: a cell with no value.

    >>> is_blank(None), is_blank(float("nan")), is_blank("  "), is_blank(0), is_blank("n/a")
    (True, True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    # pandas.NA / NaT without importing pandas here.
    return type(value).__name__ in {"NAType", "NaTType"}


def parse_sublevel(value: object) -> str | None:
    """Parse a bare sub-level as found in a sub-level column.

    >>> parse_sublevel(" high "), parse_sublevel("M"), parse_sublevel("")
    ('High', 'Medium', None)
    """
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise QioLevelError(f"{value!r} is not a sub-level. Allowed: {_ALLOWED_SUB}.")
    return _sublevel_from_text(value)


@functools.lru_cache(maxsize=1024)
def _sublevel_from_text(value: str) -> str | None:
    text = _normalise_text(value)
    if text in MISSING_TOKENS:
        return None
    if text in _SUB_WORDS:
        return _SUB_WORDS[text]
    raise QioLevelError(f"{value!r} is not a sub-level. Allowed: {_ALLOWED_SUB}.")


def parse_level(value: object, *, sublevel_column: bool = False) -> tuple[int | None, str | None]:
    """Parse a level as exported: ``(level, sublevel)``, ``(None, None)`` when missing.

    Case and extra whitespace are ignored; en and em dashes count as hyphens.
    With ``sublevel_column=True`` the value comes from a sub-level column and a
    bare sub-level is accepted, returning ``(None, sublevel)``.

    >>> parse_level("Level 2 \u2013 High")
    (2, 'High')
    >>> parse_level(3.0), parse_level("1M"), parse_level("2 (medium)"), parse_level("N/A")
    ((3, None), (1, 'Medium'), (2, 'Medium'), (None, None))
    >>> parse_level("2.5")
    Traceback (most recent call last):
    ...
    qio_analysis.errors.QioLevelError: '2.5' is not a QIOF level. Allowed: ...
    """
    if sublevel_column:
        return None, parse_sublevel(value)
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        raise QioLevelError(f"{value!r} is not a QIOF level. Allowed: {_ALLOWED}.")
    if isinstance(value, numbers.Real):
        number = float(value)
        if number.is_integer() and int(number) in LEVELS:
            return int(number), None
        raise QioLevelError(f"{value!r} is not a QIOF level. Allowed: {_ALLOWED}.")
    if not isinstance(value, str):
        raise QioLevelError(f"{value!r} is not a QIOF level. Allowed: {_ALLOWED}.")
    return _level_from_text(value)


@functools.lru_cache(maxsize=4096)
def _level_from_text(value: str) -> tuple[int | None, str | None]:
    """:func:`parse_level` for text; cached because an export repeats a few spellings."""
    text = _normalise_text(value)
    if text in MISSING_TOKENS:
        return None, None
    match = _LEVEL_RE.match(text)
    if match is None or int(match["level"]) not in LEVELS:
        raise QioLevelError(f"{value!r} is not a QIOF level. Allowed: {_ALLOWED}.")
    sub = match["sub"] or match["sub_paren"]
    return int(match["level"]), (_SUB_WORDS[sub] if sub else None)


def score(level: int | None, sublevel: str | None = None) -> float:
    """Level plus 0.25/0.5/0.75 for Low/Medium/High; NaN when there is no level.

    >>> score(2), score(2, "Low"), score(2, "High"), score(4, "Medium")
    (2.0, 2.25, 2.75, 4.5)
    """
    if level is None:
        if sublevel is not None:
            raise QioLevelError(f"A sub-level ({sublevel!r}) needs a level.")
        return math.nan
    if level not in LEVELS:
        raise QioLevelError(f"{level!r} is not a QIOF level (0 to 4).")
    if sublevel not in SUBLEVEL_OFFSET:
        raise QioLevelError(f"{sublevel!r} is not a sub-level. Allowed: {_ALLOWED_SUB}.")
    return level + SUBLEVEL_OFFSET[sublevel]


def from_score(value: float) -> tuple[int | None, str | None]:
    """Inverse of :func:`score`.

    >>> from_score(2.75), from_score(3.0)
    ((2, 'High'), (3, None))
    """
    if value is None or math.isnan(value):
        return None, None
    level = math.floor(value)
    offset = value - level
    for sub, off in SUBLEVEL_OFFSET.items():
        if math.isclose(offset, off) and level in LEVELS:
            return int(level), sub
    raise QioLevelError(f"{value!r} is not a QIOF score (level plus 0, .25, .5 or .75).")


# --------------------------------------------------------------------- comparing two levels

#: Sub-levels as steps within a level, for counting a sub-level movement.
SUBLEVEL_STEP: dict[str, int] = {"Low": 1, "Medium": 2, "High": 3}

#: How one level compares with another (:attr:`LevelComparison.status`).
UP, DOWN = "up", "down"
SAME_LEVEL = "same level"
SUBLEVEL_UP = "same level; sub-level up"
SUBLEVEL_DOWN = "same level; sub-level down"
SUBLEVEL_NOT_COMPARABLE = "same level; sub-level not comparable"
NOT_COMPARABLE = "not comparable"
#: Every status, from the best movement to the worst, then no comparison.
COMPARISON_STATUSES: tuple[str, ...] = (
    UP,
    SUBLEVEL_UP,
    SAME_LEVEL,
    SUBLEVEL_NOT_COMPARABLE,
    SUBLEVEL_DOWN,
    DOWN,
    NOT_COMPARABLE,
)


@dataclass(frozen=True)
class LevelComparison:
    """How a level compares with an earlier one: the one rule, see :func:`compare_levels`.

    ``level_change`` is in whole levels (None without a level on both sides);
    ``sublevel_change`` is in sub-level steps (Low to High is 2), given only on
    the same level with a sub-level on both sides; ``status`` is one of
    :data:`COMPARISON_STATUSES`.
    """

    level_change: int | None
    sublevel_change: int | None
    status: str

    @property
    def direction(self) -> int | None:
        """+1, -1 or 0 for a whole-level rise, fall or no change; None when not comparable."""
        if self.level_change is None:
            return None
        return (self.level_change > 0) - (self.level_change < 0)


def _checked(level: object, sublevel: object) -> tuple[int | None, str | None]:
    lv = None if is_blank(level) else level
    sub = None if is_blank(sublevel) else sublevel
    if lv is None:
        if sub is not None:
            raise QioLevelError(f"A sub-level ({sub!r}) needs a level.")
        return None, None
    if isinstance(lv, bool) or not isinstance(lv, numbers.Real) or float(lv) not in LEVELS:
        raise QioLevelError(f"{lv!r} is not a QIOF level (0 to 4).")
    if sub is not None and sub not in SUBLEVEL_STEP:
        raise QioLevelError(f"{sub!r} is not a sub-level. Allowed: {_ALLOWED_SUB}.")
    return int(float(lv)), (None if sub is None else str(sub))


def _status(change: int, sub_from: int, sub_to: int) -> str:
    """The status from a whole-level change and sub-level steps (0: no sub-level)."""
    if change:
        return UP if change > 0 else DOWN
    if not sub_from and not sub_to:
        return SAME_LEVEL
    if not sub_from or not sub_to:
        return SUBLEVEL_NOT_COMPARABLE
    if sub_to == sub_from:
        return SAME_LEVEL
    return SUBLEVEL_UP if sub_to > sub_from else SUBLEVEL_DOWN


def compare_levels(
    from_level: object, from_sublevel: object, to_level: object, to_sublevel: object
) -> LevelComparison:
    """Compare a level with an earlier one: the one rule for rises, falls and sub-levels.

    Whole levels decide: a rise or fall is a change of level, whatever the
    sub-levels. On the same level a sub-level movement counts only when both
    sides carry a sub-level, because a level given without one says nothing
    about where within the level the service sits ("same level; sub-level not
    comparable"). Without a level on either side nothing is compared. Blank
    values (None, NaN, NA) are no level or no sub-level.

    >>> compare_levels(3, None, 4, "High")
    LevelComparison(level_change=1, sublevel_change=None, status='up')
    >>> compare_levels(3, None, 3, "Medium").status, compare_levels(3, "Low", 3, "High").status
    ('same level; sub-level not comparable', 'same level; sub-level up')
    >>> compare_levels(2, "High", 2, "Low").sublevel_change, compare_levels(None, None, 2, None).status
    (-2, 'not comparable')
    """
    a, a_sub = _checked(from_level, from_sublevel)
    b, b_sub = _checked(to_level, to_sublevel)
    if a is None or b is None:
        return LevelComparison(None, None, NOT_COMPARABLE)
    steps = SUBLEVEL_STEP.get(a_sub or "", 0), SUBLEVEL_STEP.get(b_sub or "", 0)
    status = _status(b - a, *steps)
    both = a == b and all(steps)
    return LevelComparison(b - a, steps[1] - steps[0] if both else None, status)


def compare_levels_frame(
    from_level: Column, from_sublevel: Column, to_level: Column, to_sublevel: Column
) -> pd.DataFrame:
    """:func:`compare_levels` for whole columns: ``level_change``, ``sublevel_change``, ``comparison``.

    Takes four aligned columns (Series or array-likes) and returns one row per
    position, indexed like ``from_level`` when it is a Series, with nullable
    integer changes and the status as text. Spread it into a frame with
    ``df.assign(**compare_levels_frame(...))``.

    >>> import pandas as pd
    >>> compare_levels_frame([3, 3, 2, None], [None, "Low", "High", None],
    ...                      [4, 3, 2, 1], ["High", "High", None, None])
       level_change  sublevel_change                            comparison
    0             1             <NA>                                    up
    1             0                2              same level; sub-level up
    2             0             <NA>  same level; sub-level not comparable
    3          <NA>             <NA>                        not comparable
    """
    import numpy as np  # imported on use: ``import qio_analysis`` stays fast
    import pandas as pd

    index = from_level.index if isinstance(from_level, pd.Series) else None

    def levels(values: Column, name: str) -> np.ndarray:
        array = pd.array(np.asarray(values, dtype=object), dtype="Int64")
        known = array.isna() | pd.Series(array).isin(LEVELS).to_numpy()
        if not known.all():
            raise QioLevelError(f"{name} holds a value that is not a QIOF level (0 to 4).")
        return array.to_numpy(dtype="float64", na_value=np.nan)

    def steps(values: Column, name: str) -> np.ndarray:
        text = pd.Series(np.asarray(values, dtype=object), dtype=object)
        text = text.where(text.notna(), None)
        unknown = text.notna() & ~text.isin(list(SUBLEVEL_STEP))
        if unknown.any():
            raise QioLevelError(f"{name} holds a value that is not a sub-level ({_ALLOWED_SUB}).")
        return text.map(SUBLEVEL_STEP).fillna(0).to_numpy(dtype="int64")

    a, b = levels(from_level, "from_level"), levels(to_level, "to_level")
    sa, sb = steps(from_sublevel, "from_sublevel"), steps(to_sublevel, "to_sublevel")
    if not len(a) == len(b) == len(sa) == len(sb):
        raise QioLevelError("The four columns to compare must have the same length.")
    if ((sa > 0) & np.isnan(a)).any() or ((sb > 0) & np.isnan(b)).any():
        raise QioLevelError("A sub-level needs a level.")
    compared = ~np.isnan(a) & ~np.isnan(b)
    change = np.where(compared, b - a, 0).astype("int64")
    both_sub = compared & (change == 0) & (sa > 0) & (sb > 0)
    status = np.select(
        [~compared, change > 0, change < 0, (sa == 0) & (sb == 0), (sa == 0) | (sb == 0)],
        [NOT_COMPARABLE, UP, DOWN, SAME_LEVEL, SUBLEVEL_NOT_COMPARABLE],
        default=np.select([sb > sa, sb < sa], [SUBLEVEL_UP, SUBLEVEL_DOWN], default=SAME_LEVEL),
    )
    return pd.DataFrame(
        {
            "level_change": pd.arrays.IntegerArray(change, ~compared),
            "sublevel_change": pd.arrays.IntegerArray((sb - sa).astype("int64"), ~both_sub),
            "comparison": status.astype(object),
        },
        index=index,
    )


def format_level(level: int | None, sublevel: str | None = None) -> str:
    """Human label used in tables and sentences: ``Level 2 (High)``.

    >>> format_level(2, "High"), format_level(3), format_level(None)
    ('Level 2 (High)', 'Level 3', 'No level')
    """
    if level is None:
        return "No level"
    return f"Level {level}" + (f" ({sublevel})" if sublevel else "")


# --------------------------------------------------------------------- cycles and years

_CYCLE_RE = re.compile(r"^(?P<y>\d{4})(?:\.0+)?$")
_SPAN_RE = re.compile(r"^(?:fy\s*)?(?P<y>\d{4})\s*[/-]\s*(?P<next>\d{2}|\d{4})$", re.IGNORECASE)


def _span_end(start: int, nxt: str) -> int:
    return int(nxt) if len(nxt) == 4 else (start // 100) * 100 + int(nxt)


def parse_cycle(value: object) -> tuple[int, bool]:
    """QIOF cycle as a year, and whether it was normalised (``2021/22`` -> 2021).

    ``2023``, ``2023.0``, ``2023/24``, ``2023-24`` and ``2023/2024`` all mean 2023;
    a span of years that are not consecutive (``2023/21``) is rejected with a
    :class:`~qio_analysis.errors.CellError`.

    >>> parse_cycle("2021/22"), parse_cycle(2023.0), parse_cycle("2023.0")
    ((2021, True), (2023, False), (2023, True))
    """
    allowed = f"a year from {FIRST_CYCLE}, e.g. 2021, or a span such as 2021/22"
    if is_blank(value):
        raise CellError("the cycle is blank", allowed)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not math.isfinite(float(value)) or not float(value).is_integer():
            raise CellError("the cycle is not a whole year", allowed)
        year, changed = int(float(value)), False
    else:
        text = str(value).strip()
        match = _CYCLE_RE.match(text)
        span = _SPAN_RE.match(text)
        if match is not None:
            year, changed = int(match["y"]), text != match["y"]
        elif span is not None:
            year, changed = int(span["y"]), True
            if _span_end(year, span["next"]) != year + 1:
                raise CellError("the two years of a span must be consecutive", allowed)
        else:
            raise CellError("this is not a cycle", allowed)
    if not FIRST_CYCLE <= year <= LAST_CYCLE:
        raise CellError("the cycle year is out of range", allowed)
    return year, changed


def parse_financial_year(value: object) -> tuple[str, int]:
    """Financial year as ``("2023/24", 2023)``; a :class:`~qio_analysis.errors.CellError` if it is not one.

    Accepts ``2023/24``, ``2023-24``, ``2023-2024`` and ``FY2023/24``.

    >>> parse_financial_year("FY2023/24"), parse_financial_year("2023-2024")
    (('2023/24', 2023), ('2023/24', 2023))
    """
    allowed = "a financial year such as 2023/24, 2023-24, 2023-2024 or FY2023/24"
    if is_blank(value):
        raise CellError("the year is blank", allowed)
    match = _SPAN_RE.match(str(value).strip())
    if match is None:
        raise CellError("this is not a financial year", allowed)
    start = int(match["y"])
    if _span_end(start, match["next"]) != start + 1 or not FIRST_CYCLE - 10 <= start <= LAST_CYCLE:
        raise CellError("the two years of a financial year must be consecutive", allowed)
    return format_financial_year(start), start


def format_financial_year(start: int) -> str:
    """The financial year starting in ``start``: ``2024/25``.

    >>> format_financial_year(2024), format_financial_year(2099)
    ('2024/25', '2099/00')
    """
    return f"{start}/{(start + 1) % 100:02d}"

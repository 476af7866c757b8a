"""Verdicts judged on the figure as printed: the staff ratio against its target, and changes.

A reader checks a verdict against the number printed beside it. So the
verdict is never judged on a more precise number than the one printed: the
staff ratio is printed with one decimal place exactly when the whole number
would land on the other side of the target (``1:1,250.4`` does not meet
1:1,250; ``1:1,250.04`` prints as ``1:1,250`` and meets it), and a change
that prints as ``0.0%`` is "about the same", never "up". Every table,
sentence, tile and chart calls these functions for both the number and the
word, so the two cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

#: What a figure nobody reported reads as.
NOT_REPORTED = "not reported"
#: Arrow shapes for a change; the words beside them always say the same.
ARROWS: dict[str, str] = {"up": "\u25b2", "down": "\u25bc", "same": "\u25ba", "n/a": ""}
#: The only headline with a policy direction: fewer NHS staff per qualified LKS staff is better.
LOWER_IS_BETTER = "lower"


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))  # type: ignore[arg-type]


def ratio_decimals(value: float, target: float | None) -> int:
    """Decimal places a ratio needs so that its verdict reads true from the printed figure.

    >>> ratio_decimals(1250.4, 1250), ratio_decimals(1250.04, 1250), ratio_decimals(1621.5, 1250)
    (1, 0, 0)
    """
    if target is None:
        return 0
    whole, tenth = round(value), round(value, 1)
    return 0 if (whole <= target) == (tenth <= target) else 1


def printed_ratio(value: object, target: float | None = None) -> float:
    """The N of a ``1:N`` ratio as it is printed (NaN when missing); verdicts are judged on this.

    >>> printed_ratio(1250.4, 1250), printed_ratio(1250.04, 1250), printed_ratio(1621.47)
    (1250.4, 1250.0, 1621.0)
    """
    if _missing(value):
        return math.nan
    number = float(value)  # type: ignore[arg-type]
    return float(f"{number:.{ratio_decimals(number, target)}f}")


def format_ratio(value: object, target: float | None = None, missing: str = NOT_REPORTED) -> str:
    """A staff ratio as ``1:N``, precise enough to show why it meets or misses ``target``.

    >>> format_ratio(1621.47), format_ratio(1250.4, 1250), format_ratio(1250.04, 1250)
    ('1:1,621', '1:1,250.4', '1:1,250')
    >>> format_ratio(None)
    'not reported'
    """
    if _missing(value):
        return missing
    number = float(value)  # type: ignore[arg-type]
    return f"1:{number:,.{ratio_decimals(number, target)}f}"


def meets_target(value: object, target: float) -> bool | None:
    """True when the ratio, as printed by :func:`format_ratio`, is at or below ``target``.

    >>> meets_target(1250.4, 1250), meets_target(1250.04, 1250), meets_target(None, 1250)
    (False, True, None)
    """
    printed = printed_ratio(value, target)
    return None if math.isnan(printed) else printed <= target


def target_words(value: object, target: float) -> str:
    """``meets`` or ``does not yet meet`` (``cannot be judged`` when missing), for a sentence."""
    verdict = meets_target(value, target)
    if verdict is None:
        return "cannot be judged against"
    return "meets" if verdict else "does not yet meet"


@dataclass(frozen=True)
class Change:
    """A change as printed: ``amount`` (unsigned, with its unit) and its ``direction``."""

    amount: str
    direction: str  # up, down, same, n/a

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    @property
    def words(self) -> str:
        """``up 2.1%``, ``down 5 returns``, ``about the same`` or ``no comparison``."""
        if self.direction == "n/a":
            return "no comparison"
        if self.direction == "same":
            return "about the same"
        return f"{self.direction} {self.amount}"

    @property
    def signed(self) -> str:
        """``+2.1%``, ``-5 returns``, ``0.0%`` or ``no comparison``, for a table."""
        if self.direction == "n/a":
            return "no comparison"
        sign = {"up": "+", "down": "-"}.get(self.direction, "")
        return f"{sign}{self.amount}"


def change_decimals(unit: str) -> int:
    """Decimal places a change is printed with: whole returns, else one place."""
    return 0 if unit == "returns" else 1


def judge_change(change: object, unit: str) -> Change:
    """A change in ``unit`` (``%``, ``percentage points`` or ``returns``), judged as printed.

    >>> judge_change(2.105, "%"), judge_change(-0.04, "%").words, judge_change(-5, "returns").words
    (Change(amount='2.1%', direction='up'), 'about the same', 'down 5 returns')
    >>> judge_change(1.51, "percentage points").signed, judge_change(float("nan"), "%").words
    ('+1.5 percentage points', 'no comparison')
    """
    if _missing(change):
        return Change("", "n/a")
    digits = change_decimals(unit)
    printed = float(f"{abs(float(change)):.{digits}f}")  # type: ignore[arg-type]
    text = f"{printed:,.{digits}f}"
    if unit == "%":
        amount = f"{text}%"
    elif unit == "returns":
        amount = f"{text} return{'' if printed == 1 else 's'}"
    else:
        amount = f"{text} {unit}"
    if printed == 0:
        return Change(amount, "same")
    return Change(amount, "up" if float(change) > 0 else "down")  # type: ignore[arg-type]


def policy_verdict(direction: str, better_when: str) -> str:
    """``better`` or ``worse`` where policy defines a direction (the staff ratio), else ``""``.

    >>> policy_verdict("down", "lower"), policy_verdict("up", "lower"), policy_verdict("up", "")
    ('better', 'worse', '')
    """
    if better_when != LOWER_IS_BETTER or direction not in {"up", "down"}:
        return ""
    return "better" if direction == "down" else "worse"

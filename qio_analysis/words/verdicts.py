"""Verdicts judged on the figure as printed: the staff ratio against its target, and changes.

A reader checks a verdict against the number printed beside it, so a verdict
is never judged on a more precise number than the one printed: the staff
ratio's verdict uses :func:`~qio_analysis.words.formats.printed_ratio`, the
number :func:`~qio_analysis.words.formats.format_ratio` prints (``1:1,250.4``
does not meet 1:1,250; ``1:1,250.04`` prints as ``1:1,250`` and meets it),
and a change's direction is that of the number
:func:`~qio_analysis.words.formats.judge_change` prints. "Better" and
"worse" are said only where policy defines a direction: the staff ratio,
where lower is better.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qio_analysis.words.formats import format_ratio, format_wte, is_missing, printed_ratio

#: The only headline with a policy direction: fewer NHS staff per qualified LKS staff is better.
LOWER_IS_BETTER = "lower"


def meets_target(value: object, target: float) -> bool | None:
    """True when the ratio, as printed by :func:`~qio_analysis.words.formats.format_ratio`, is at or below ``target``.

    >>> meets_target(1250.4, 1250), meets_target(1250.04, 1250), meets_target(None, 1250)
    (False, True, None)
    """
    printed = printed_ratio(value, target)
    return None if math.isnan(printed) else printed <= target


def target_words(value: object, target: float) -> str:
    """``meets`` or ``does not yet meet`` (``cannot be judged against`` when missing), for a sentence."""
    verdict = meets_target(value, target)
    if verdict is None:
        return "cannot be judged against"
    return "meets" if verdict else "does not yet meet"


def policy_verdict(direction: str, better_when: str) -> str:
    """``better`` or ``worse`` where policy defines a direction (the staff ratio), else ``""``.

    >>> policy_verdict("down", "lower"), policy_verdict("up", "lower"), policy_verdict("up", "")
    ('better', 'worse', '')
    """
    if better_when != LOWER_IS_BETTER or direction not in {"up", "down"}:
        return ""
    return "better" if direction == "down" else "worse"


@dataclass(frozen=True)
class Staffing:
    """A staff ratio as a table and a sentence print it: the ratio, the verdict and the gap.

    ``ratio`` is precise enough for the verdict (``1:1,250.4``), ``meets`` is
    ``Yes``/``No`` (``not known`` when missing) and ``gap`` the extra
    qualified WTE needed, never reading as none beside a "No".
    """

    ratio: str
    meets: str
    gap: str


def staffing(
    value: object, target: float, gap: object, *, missing: str = "cannot be calculated"
) -> Staffing:
    """The staff ratio ``value``, its verdict against ``target`` and the ``gap``, all judged as printed.

    >>> staffing(1250.4, 1250, 0.0013)
    Staffing(ratio='1:1,250.4', meets='No', gap='less than 0.1')
    >>> staffing(1250.04, 1250, 0.0), staffing(1400.0, 1250, 0.48).gap
    (Staffing(ratio='1:1,250', meets='Yes', gap='0.0'), '0.5')
    """
    verdict = meets_target(value, target)
    ratio = format_ratio(value, missing=missing, target=target)
    if verdict is None:
        return Staffing(ratio, "not known", format_wte(gap, missing="not known"))
    if verdict:
        return Staffing(ratio, "Yes", format_wte(0.0))
    if is_missing(gap):
        return Staffing(ratio, "No", "not known")
    shown = format_wte(gap)
    return Staffing(ratio, "No", "less than 0.1" if float(shown.replace(",", "")) == 0 else shown)

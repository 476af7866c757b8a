"""Numbers as people read them: one formatter per kind of number, and missing values as words.

A verdict and its number come from the same place: a tile, a table, an alt
text and a sentence all print a staff ratio with :func:`format_ratio`, money
with :func:`format_money`, a change with :func:`judge_change`, and so on.
Verdicts are judged on the number as these functions print it
(:mod:`qio_analysis.words.verdicts`): a staff ratio is printed with one
decimal place exactly when the whole number would land on the other side of
its target (``1:1,250.4``), and a change that prints as ``0.0%`` is "about
the same", never "up".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: What a missing figure reads as.
NOT_REPORTED = "not reported"
#: What a change reads as when there is nothing to compare with.
NO_COMPARISON = "no comparison"
NO_CHANGE = "no change"
#: The one label of a rate's base, in every table, chart, image and alt text.
PER_1000 = "per 1,000 NHS WTE"


def is_missing(value: object) -> bool:
    """True for None, NaN, NA and NaT: a figure nobody reported.

    >>> is_missing(None), is_missing(float("nan")), is_missing(pd.NA), is_missing(0)
    (True, True, True, False)
    """
    return value is None or bool(pd.isna(value))  # type: ignore[arg-type]


def ratio_decimals(value: float, target: float | None) -> int:
    """Decimal places a ratio needs so that its verdict against ``target`` reads true from the print.

    >>> ratio_decimals(1250.4, 1250), ratio_decimals(1250.04, 1250), ratio_decimals(1621.5, 1250)
    (1, 0, 0)
    """
    if target is None:
        return 0
    return 0 if (round(value) <= target) == (round(value, 1) <= target) else 1


def printed_ratio(value: object, target: float | None = None) -> float:
    """The N of a ``1:N`` ratio as :func:`format_ratio` prints it (NaN when missing).

    >>> printed_ratio(1250.4, 1250), printed_ratio(1250.04, 1250), printed_ratio(1621.47)
    (1250.4, 1250.0, 1621.0)
    """
    if is_missing(value):
        return float("nan")
    number = float(value)  # type: ignore[arg-type]
    return float(f"{number:.{ratio_decimals(number, target)}f}")


def format_ratio(value: object, missing: str = NOT_REPORTED, *, target: float | None = None) -> str:
    """A staff ratio, NHS WTE per qualified LKS WTE: ``1:1,250``; precise enough to judge against ``target``.

    >>> format_ratio(1621.47), format_ratio(None)
    ('1:1,621', 'not reported')
    >>> format_ratio(1250.4, target=1250), format_ratio(1250.04, target=1250)
    ('1:1,250.4', '1:1,250')
    """
    if is_missing(value):
        return missing
    number = float(value)  # type: ignore[arg-type]
    return f"1:{number:,.{ratio_decimals(number, target)}f}"


def format_money(value: object, missing: str = NOT_REPORTED) -> str:
    """Pounds in millions: ``£67.3m``.

    >>> format_money(67_267_023.0)
    '£67.3m'
    """
    return missing if is_missing(value) else f"\u00a3{float(value) / 1e6:,.1f}m"  # type: ignore[arg-type]


def format_wte(value: object, missing: str = NOT_REPORTED) -> str:
    """Whole-time equivalent staff, to one decimal place: ``1,703.2``.

    >>> format_wte(1703.24)
    '1,703.2'
    """
    return missing if is_missing(value) else f"{float(value):,.1f}"  # type: ignore[arg-type]


def format_count(value: object, missing: str = NOT_REPORTED) -> str:
    """A count, with thousands separators: ``64,449``.

    >>> format_count(64449), format_count(float("nan"))
    ('64,449', 'not reported')
    """
    return missing if is_missing(value) else f"{float(value):,.0f}"  # type: ignore[arg-type]


def format_rate(value: object, missing: str = NOT_REPORTED) -> str:
    """A rate (per 1,000 NHS WTE), to one decimal place: ``56.5``.

    >>> format_rate(56.46), format_rate(None, missing="")
    ('56.5', '')
    """
    return format_wte(value, missing)


def format_percent(value: object, digits: int = 1, missing: str = NOT_REPORTED) -> str:
    """A percentage: ``65.9%`` (``digits`` decimal places).

    >>> format_percent(65.94), format_percent(65.94, digits=0), format_percent(None, missing="no pairs")
    ('65.9%', '66%', 'no pairs')
    """
    return missing if is_missing(value) else f"{float(value):.{digits}f}%"  # type: ignore[arg-type]


def format_signed(value: object, missing: str = NO_COMPARISON) -> str:
    """A signed change in levels, to two decimal places (0.25 is one sub-level): ``+0.25``.

    >>> format_signed(0.25), format_signed(-1.0), format_signed(None, missing="no pairs")
    ('+0.25', '-1.00', 'no pairs')
    """
    return missing if is_missing(value) else f"{float(value):+.2f}"  # type: ignore[arg-type]


def format_date(value: object, missing: str = "not recorded") -> str:
    """A date as people read it: ``2 June 2025``.

    >>> format_date(pd.Timestamp("2025-06-02 14:30")), format_date(pd.NaT)
    ('2 June 2025', 'not recorded')
    """
    if is_missing(value):
        return missing
    day = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{day.day} {day:%B %Y}"


def format_points(value: object, missing: str = NO_COMPARISON) -> str:
    """A gap between two whole percentages, in percentage points: ``-17``, ``+5``, ``0``.

    >>> format_points(-17), format_points(5), format_points(0), format_points(None)
    ('-17', '+5', '0', 'no comparison')
    """
    if is_missing(value):
        return missing
    return f"{int(value):+d}" if int(value) else "0"  # type: ignore[call-overload]


def format_kappa(value: object, low: object = None, high: object = None) -> str:
    """Weighted kappa with its interval when there is one: ``0.81 (0.74 to 0.87)``.

    >>> format_kappa(0.8123, 0.74, 0.871), format_kappa(0.5), format_kappa(None)
    ('0.81 (0.74 to 0.87)', '0.50', 'not defined')
    """
    if is_missing(value):
        return "not defined"
    if is_missing(low) or is_missing(high):
        return f"{float(value):.2f}"  # type: ignore[arg-type]
    return f"{float(value):.2f} ({float(low):.2f} to {float(high):.2f})"  # type: ignore[arg-type]


_FORMATTERS = {
    "ratio": format_ratio,
    "percent": format_percent,
    "gbp": format_money,
    "rate": format_rate,
    "wte": format_wte,
}


def format_value(value: object, unit: str, *, target: float | None = None) -> str:
    """A headline value in its ``unit`` (ratio, percent, gbp, rate, wte, count); ``not reported`` when missing.

    ``target`` is the staff ratio's target (see :func:`format_ratio`).

    >>> format_value(67_267_023.0, "gbp"), format_value(1621.47, "ratio"), format_value(65.94, "percent")
    ('£67.3m', '1:1,621', '65.9%')
    >>> format_value(703.2, "wte"), format_value(64449, "count"), format_value(float("nan"), "count")
    ('703.2', '64,449', 'not reported')
    """
    if unit == "ratio":
        return format_ratio(value, target=target)
    return _FORMATTERS.get(unit, format_count)(value)


#: Decimal places a headline figure of each unit is printed with (a ratio's depend on its target).
PRINTED_DECIMALS: dict[str, int] = {"count": 0, "wte": 1, "percent": 1, "rate": 1, "gbp": 0}


def printed_number(value: object, unit: str, *, target: float | None = None) -> float | int | None:
    """A figure as a table holds it: rounded once, to the places :func:`format_value` prints.

    The one rounding rule for every output: a table never holds a more (or
    less) precise figure than the page prints, so rounding the table's
    number again gives the printed one (1,621.47 is held as 1621, not
    1621.5, which a reader would round to 1,622). Money is held to the pound
    (it is printed in millions). Missing is None; a whole number is an int.

    >>> printed_number(1621.47, "ratio", target=1250), printed_number(1250.4, "ratio", target=1250)
    (1621, 1250.4)
    >>> printed_number(703.25, "wte"), printed_number(67_267_023.4, "gbp"), printed_number(None, "rate")
    (703.2, 67267023, None)
    """
    if is_missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    digits = ratio_decimals(number, target) if unit == "ratio" else PRINTED_DECIMALS.get(unit, 0)
    rounded = float(f"{number:.{digits}f}")
    return int(rounded) if digits == 0 else rounded


def printed_change(change: object, unit: str) -> float | int | None:
    """A change as a table holds it: the number :func:`judge_change` prints, with its sign.

    >>> printed_change(-2.04, "%"), printed_change(-5.0, "returns"), printed_change(0.04, "%")
    (-2.0, -5, 0.0)
    """
    if is_missing(change):
        return None
    digits = 0 if unit == "returns" else 1
    rounded = float(f"{float(change):.{digits}f}")  # type: ignore[arg-type]
    return int(rounded) if digits == 0 else rounded + 0.0


#: Arrow shapes for a change; the words beside them always say the same.
ARROWS: dict[str, str] = {"up": "\u25b2", "down": "\u25bc", "same": "\u25ba", "n/a": ""}


@dataclass(frozen=True)
class Change:
    """A change as printed: ``amount`` (unsigned, with its unit) and its ``direction``.

    ``direction`` (``up``, ``down``, ``same``, ``n/a``) is judged on the printed
    amount, so the arrow and the words never disagree with the number.
    """

    amount: str
    direction: str

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    @property
    def words(self) -> str:
        """``up 2.1%``, ``down 5 returns``, ``about the same`` or ``no comparison``."""
        if self.direction == "n/a":
            return NO_COMPARISON
        if self.direction == "same":
            return "about the same"
        return f"{self.direction} {self.amount}"

    @property
    def signed(self) -> str:
        """``+2.1%``, ``-5 returns``, ``0.0%`` or ``no comparison``, for a table."""
        if self.direction == "n/a":
            return NO_COMPARISON
        sign = {"up": "+", "down": "-"}.get(self.direction, "")
        return f"{sign}{self.amount}"


def judge_change(change: object, unit: str) -> Change:
    """A change in ``unit`` (``%``, ``percentage points`` or ``returns``), judged as printed.

    >>> judge_change(2.105, "%"), judge_change(-0.04, "%").words, judge_change(-5, "returns").words
    (Change(amount='2.1%', direction='up'), 'about the same', 'down 5 returns')
    >>> judge_change(1.51, "percentage points").signed, judge_change(float("nan"), "%").words
    ('+1.5 percentage points', 'no comparison')
    """
    if is_missing(change):
        return Change("", "n/a")
    digits = 0 if unit == "returns" else 1
    number = float(change)  # type: ignore[arg-type]
    printed = float(f"{abs(number):.{digits}f}")
    text = f"{printed:,.{digits}f}"
    if unit == "%":
        amount = f"{text}%"
    elif unit == "returns":
        amount = f"{text} return{'' if printed == 1 else 's'}"
    else:
        amount = f"{text} {unit}"
    if printed == 0:
        return Change(amount, "same")
    return Change(amount, "up" if number > 0 else "down")


def format_change(change: object, change_unit: str) -> str:
    """A change for a table: ``+2.1%``, ``+1.5 percentage points``, ``-5 returns``, ``0.0%``.

    >>> format_change(2.105, "%"), format_change(1.51, "percentage points"), format_change(-5, "returns")
    ('+2.1%', '+1.5 percentage points', '-5 returns')
    >>> format_change(float("nan"), "%"), format_change(0.04, "%")
    ('no comparison', '0.0%')
    """
    return judge_change(change, change_unit).signed


def missing_as(table: pd.DataFrame, words: dict[str, str] | str) -> pd.DataFrame:
    """A copy of ``table`` whose missing cells read as words (readers never see nan or None).

    ``words`` is one word for every column, or a word per column (other
    columns are left alone). Columns holding a gap become text columns.

    >>> missing_as(pd.DataFrame({"a": [1.5, None]}), "not reported")["a"].tolist()
    [1.5, 'not reported']
    """
    columns = table.columns if isinstance(words, str) else [c for c in words if c in table]
    out = table.copy()
    for column in columns:
        word = words if isinstance(words, str) else words[column]
        gaps = out[column].isna()
        if gaps.any():
            out[column] = out[column].astype(object).where(~gaps, word)
    return out

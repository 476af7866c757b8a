"""Numbers as people read them: one formatter per kind of number, and missing values as words.

A verdict and its number come from the same place: a tile, a table, an alt
text and a sentence all print a staff ratio with :func:`format_ratio`, money
with :func:`format_money`, and so on, and plotly's own number formats
(:data:`PLOTLY_FORMATS`) print exactly what :func:`format_value` prints.
"""

from __future__ import annotations

import pandas as pd

#: What a missing figure reads as.
NOT_REPORTED = "not reported"
#: What a change reads as when there is nothing to compare with.
NO_COMPARISON = "no comparison"
NO_CHANGE = "no change"


def is_missing(value: object) -> bool:
    """True for None, NaN, NA and NaT: a figure nobody reported.

    >>> is_missing(None), is_missing(float("nan")), is_missing(pd.NA), is_missing(0)
    (True, True, True, False)
    """
    return value is None or bool(pd.isna(value))  # type: ignore[arg-type]


def format_ratio(value: object, missing: str = NOT_REPORTED) -> str:
    """A staff ratio, NHS WTE per qualified LKS WTE: ``1:1,250``.

    >>> format_ratio(1621.47), format_ratio(None)
    ('1:1,621', 'not reported')
    """
    return missing if is_missing(value) else f"1:{float(value):,.0f}"  # type: ignore[arg-type]


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


def format_level_change(value: object, missing: str = NO_COMPARISON) -> str:
    """A change in score for a table: ``+0.25``, or ``no change``.

    >>> format_level_change(0.0), format_level_change(-0.75), format_level_change(float("nan"))
    ('no change', '-0.75', 'no comparison')
    """
    if is_missing(value):
        return missing
    return NO_CHANGE if value == 0 else format_signed(value)


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


def format_value(value: object, unit: str) -> str:
    """A headline value in its ``unit`` (ratio, percent, gbp, rate, wte, count); ``not reported`` when missing.

    >>> format_value(67_267_023.0, "gbp"), format_value(1621.47, "ratio"), format_value(65.94, "percent")
    ('£67.3m', '1:1,621', '65.9%')
    >>> format_value(703.2, "wte"), format_value(64449, "count"), format_value(float("nan"), "count")
    ('703.2', '64,449', 'not reported')
    """
    return _FORMATTERS.get(unit, format_count)(value)


#: plotly number formats printing a value as :func:`format_value` does: (d3 format, affixes, scale).
PLOTLY_FORMATS: dict[str, tuple[str, dict[str, str], float]] = {
    "count": (",.0f", {}, 1.0),
    "wte": (",.1f", {}, 1.0),
    "ratio": (",.0f", {"prefix": "1:"}, 1.0),
    "percent": (".1f", {"suffix": "%"}, 1.0),
    "rate": (",.1f", {}, 1.0),
    "gbp": (",.1f", {"prefix": "\u00a3", "suffix": "m"}, 1e-6),
}


def format_change(change: object, change_unit: str) -> str:
    """A change in words: ``+2.1%``, ``+1.5 percentage points``, ``-5 returns``.

    >>> format_change(2.105, "%"), format_change(1.51, "percentage points"), format_change(-5, "returns")
    ('+2.1%', '+1.5 percentage points', '-5 returns')
    >>> format_change(float("nan"), "%"), format_change(0, "%")
    ('no comparison', 'no change')
    """
    if is_missing(change):
        return NO_COMPARISON
    number = float(change)  # type: ignore[arg-type]
    if number == 0:
        return NO_CHANGE
    if change_unit == "%":
        return f"{number:+.1f}%"
    if change_unit == "returns":
        return f"{number:+,.0f} return{'s' if abs(number) != 1 else ''}"
    return f"{number:+.1f} {change_unit}"


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

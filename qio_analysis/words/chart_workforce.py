"""The words of the workforce charts: withheld regions, staff-ratio labels, activity rates and alt text.

The chart's labels, its data table and its alt text say a ratio or a rate in
the same words, from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from qio_analysis.words.chart_words import ChartWords
from qio_analysis.words.formats import NOT_REPORTED, format_rate, format_ratio
from qio_analysis.words.sentences import activity_headline, ratio_headline
from qio_analysis.words.verdicts import meets_target

#: A figure disclosure control withheld.
NOT_PUBLISHED = "not published"
#: What a statistics chart says when there are no returns.
NO_RETURNS = "There are no statistics returns to show."


def no_staff_ratio(year: str) -> str:
    """What the staff-ratio chart says when no row of ``year`` has a ratio or is withheld."""
    return f"No staff ratio can be calculated for {year}."


def withheld_words(kind: object, min_group: object) -> str:
    """A withheld region's short reason, in a chart label, its table and its alt text.

    >>> withheld_words("small", 5), withheld_words("secondary", 5)
    ('not shown: fewer than 5 services', 'not shown: it would reveal a smaller region')
    """
    if kind == "secondary":
        return "not shown: it would reveal a smaller region"
    if kind == "differencing":
        return "not shown: with the published totals it would reveal a few services"
    return f"not shown: fewer than {min_group} services" if min_group else "not shown"


#: One row of the staff ratio by region as a graphic prints it: the region, its ratio (None when
#: there is none) and its words.
RegionRow = tuple[str, float | None, str]


def region_rows(regions: pd.DataFrame, min_group: int) -> list[RegionRow]:
    """``(region, ratio or None, words)`` per row: the printed ratio and its verdict, or why there is none.

    >>> regions = pd.DataFrame(
    ...     {"region": ["London", "Midlands"], "target": 1250.0, "nhs_wte_per_qualified": [1200.0, None],
    ...      "suppressed": [False, True], "suppression": [None, "small"]}
    ... )
    >>> region_rows(regions, 5)
    [('London', 1200.0, '1:1,200 (meets target)'), ('Midlands', None, 'not shown: fewer than 5 services')]
    """
    target = float(regions["target"].iloc[0])
    out: list[RegionRow] = []
    for row in regions.to_dict("records"):
        region, ratio = str(row["region"]), row["nhs_wte_per_qualified"]
        if row["suppressed"]:
            out.append((region, None, withheld_words(row["suppression"], min_group)))
        elif pd.isna(ratio):
            out.append((region, None, "no ratio: no return with both figures"))
        else:
            words = format_ratio(ratio, target=target)
            if meets_target(ratio, target):
                words += " (meets target)"
            out.append((region, float(ratio), words))
    return out


def ratio_labels(
    rows: pd.DataFrame, hidden: Sequence[bool], target: float, min_group: int | None
) -> list[str]:
    """Each row's staff ratio as its bar is labelled (``1:1,250``), or why it is withheld.

    >>> rows = pd.DataFrame({"nhs_wte_per_qualified": [1250.0, None], "suppression": [None, "small"]})
    >>> ratio_labels(rows, [False, True], 1250.0, 5)
    ['1:1,250', 'not shown: fewer than 5 services']
    """
    return [
        withheld_words(row.get("suppression"), min_group) if h else format_ratio(v, target=target)
        for (_, row), h, v in zip(
            rows.iterrows(), hidden, rows["nhs_wte_per_qualified"], strict=True
        )
    ]


def ratio_verdicts(ratios: pd.Series, hidden: Sequence[bool], target: float) -> list[str]:
    """Whether each shown ratio meets the target, in words (empty for a withheld one).

    >>> ratio_verdicts(pd.Series([1250.0, 1300.0, None]), [False, False, True], 1250.0)
    ['meets the target', 'does not meet the target', '']
    """
    return [
        "" if h else ("meets the target" if meets_target(v, target) else "does not meet the target")
        for h, v in zip(hidden, ratios, strict=True)
    ]


def staff_ratio_alt(year: str, target: float, names: Sequence[str], labels: Sequence[str]) -> str:
    """The staff-ratio chart's alt text: what it draws, and each row's label.

    >>> staff_ratio_alt("2024/25", 1250.0, ["London"], ["1:1,250"])
    'Horizontal bars of NHS staff WTE per qualified LKS WTE in 2024/25, with a dashed line at the target of 1:1,250 (lower is better). London: 1:1,250.'
    """
    return (
        f"Horizontal bars of NHS staff WTE per qualified LKS WTE in {year}, with a dashed line at "
        f"the target of {format_ratio(target)} (lower is better). "
        + "; ".join(f"{n}: {t}" for n, t in zip(names, labels, strict=True))
        + "."
    )


def no_ratio_sentence(absent: Sequence[str], year: str) -> str:
    """Regions with no staff ratio, accounted for in words.

    >>> no_ratio_sentence(["London", "Midlands"], "2024/25")
    'No staff ratio for London, Midlands in 2024/25: no return with both figures.'
    """
    return f"No staff ratio for {', '.join(absent)} in {year}: no return with both figures."


def trend_rate(row: pd.Series, column: str) -> str:
    """A year's rate as printed: one a headline pack's trend withheld is "not published".

    >>> trend_rate(pd.Series({"x": None, "x_withheld": True}), "x")
    'not published'
    """
    withheld = bool(row.get(f"{column}_withheld", False))
    return format_rate(row[column], missing=NOT_PUBLISHED if withheld else NOT_REPORTED)


def trend_span(data: pd.DataFrame, measure: str) -> str:
    """A measure's rate in the first and last years of ``data`` (sorted by year), or its only year's.

    >>> data = pd.DataFrame({"year": ["2023/24", "2024/25"], "loans_per_1000_wte": [10.0, 12.25]})
    >>> trend_span(data, "loans")
    '10.0 in 2023/24, 12.2 in 2024/25'
    """
    column = f"{measure}_per_1000_wte"
    first, last = data.iloc[0], data.iloc[-1]
    if len(data) == 1:
        return trend_rate(last, column)
    return f"{trend_rate(first, column)} in {first['year']}, {trend_rate(last, column)} in {last['year']}"


def activity_trend_alt(data: pd.DataFrame, activities: Mapping[str, str]) -> str:
    """The activity-trend chart's alt text: each activity's first and last rate."""
    first, last = data.iloc[0], data.iloc[-1]
    return (
        f"Six line charts of activity per 1,000 NHS WTE from {first['year']} to {last['year']}, "
        "each from zero. "
        + "; ".join(f"{label}: {trend_span(data, m)}" for m, label in activities.items())
        + "."
    )


def staff_ratio_words(
    in_year: pd.DataFrame,
    year: str,
    target: float,
    bars: Sequence[tuple[str, str]],
    absent: Sequence[str],
    *,
    title: str | None = None,
) -> ChartWords:
    """The staff-ratio chart's headline and alt text.

    ``in_year`` is the year's rows (the headline, by region, counts those
    meeting the target), ``bars`` each drawn row's name and label in order,
    ``absent`` the NHS England regions with no row at all, each accounted for
    in words. A caller's ``title`` stands instead of the headline (a chart of
    services has no regional headline).
    """
    alt = staff_ratio_alt(year, target, [n for n, _ in bars], [t for _, t in bars])
    if absent:
        alt += " " + no_ratio_sentence(absent, year)
    return ChartWords(title if title is not None else ratio_headline(in_year, target=target), alt)


def activity_trend_words(
    data: pd.DataFrame, activities: Mapping[str, str], *, title: str | None = None
) -> ChartWords:
    """The activity-trend chart's headline (how many activities rose, unless the caller's
    ``title`` stands instead) and alt text."""
    headline = title if title is not None else activity_headline(data)
    return ChartWords(headline, activity_trend_alt(data, activities))


__all__ = [
    "NOT_PUBLISHED",
    "NO_RETURNS",
    "RegionRow",
    "activity_trend_alt",
    "activity_trend_words",
    "no_ratio_sentence",
    "no_staff_ratio",
    "ratio_labels",
    "ratio_verdicts",
    "region_rows",
    "staff_ratio_alt",
    "staff_ratio_words",
    "trend_rate",
    "trend_span",
    "withheld_words",
]

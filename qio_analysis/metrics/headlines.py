"""The year in numbers: national headline figures with like-for-like change, and their table.

Totals are over every return of a year; change is like for like, over the
services that made a return in both years, so a service missing one year
cannot make a measure look as if it rose or fell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.errors import CellError, QioConfigError
from qio_analysis.framework import format_financial_year, parse_financial_year
from qio_analysis.metrics.workforce import activity_rates, staff_ratio
from qio_analysis.schemas import StatisticsSchema
from qio_analysis.words import format_value, headline_change_words

#: Headline measures: key -> (label, unit, higher_is_better).
HEADLINES: dict[str, tuple[str, str, bool]] = {
    "n_services": ("LKS services making a return", "count", True),
    "qualified_wte": ("Qualified LKS staff (WTE)", "wte", True),
    "other_wte": ("Other LKS staff (WTE)", "wte", True),
    "nhs_wte": ("NHS staff served (WTE)", "wte", True),
    "nhs_wte_per_qualified": ("NHS WTE per qualified LKS WTE (1:N)", "ratio", False),
    "registered_users": ("Registered users", "count", True),
    "registered_users_pct": ("Registered users, % of potential users", "percent", True),
    "enquiries": ("Enquiries", "count", True),
    "expert_searches": ("Expert searches", "count", True),
    "evidence_summaries": ("Evidence summaries", "count", True),
    "people_trained": ("People trained", "count", True),
    "inductions": ("Inductions", "count", True),
    "document_supply": ("Document supply items", "count", True),
    "expert_searches_per_1000_wte": ("Expert searches per 1,000 NHS WTE", "rate", True),
    "people_trained_per_1000_wte": ("People trained per 1,000 NHS WTE", "rate", True),
    "expenditure_gbp": ("Expenditure", "gbp", True),
}


def _year_start(stats: pd.DataFrame, year: int | str | None) -> int:
    if year is None:
        return int(stats["year_start"].max())
    if isinstance(year, int):
        return year
    try:
        return parse_financial_year(year)[1]
    except CellError as exc:
        raise QioConfigError(f"{year!r} is not a financial year; {exc.allowed}.") from exc


def _number(value: object) -> float:
    return np.nan if pd.isna(value) else float(value)  # type: ignore[arg-type]


def _headline_values(stats: pd.DataFrame, target: float) -> pd.DataFrame:
    """Every headline measure per ``year_start`` (rows) over the given returns."""
    ratio = staff_ratio(stats, target=target).set_index("year_start")
    rates = activity_rates(stats).set_index("year_start")
    totals = stats.groupby("year_start")[
        ["qualified_wte", "other_wte", "nhs_wte", "expenditure_gbp"]
    ].sum(min_count=1)
    counts = stats.groupby("year_start").size().rename("n_services")
    table = pd.concat(
        [
            counts,
            totals,
            ratio[["nhs_wte_per_qualified"]],
            rates.drop(columns=["n_services", "year", "nhs_wte"], errors="ignore"),
        ],
        axis=1,
    )
    return table.loc[:, ~table.columns.duplicated()]


def _at(table: pd.DataFrame, year: int, measure: str) -> float:
    if measure not in table.columns or year not in table.index:
        return np.nan
    return _number(table.at[year, measure])


@enforce_schemas
def headline_figures(
    stats: DataFrame[StatisticsSchema],
    year: int | str | None = None,
    target: float = STAFF_RATIO_TARGET,
) -> pd.DataFrame:
    """National totals and key rates for ``year``, with like-for-like change on the year before.

    ``year`` is a financial year (``"2024/25"``) or its first calendar year
    (2024); by default the latest in the data. Totals (``value``,
    ``previous``) are over every return of each year, with the number of
    returns beside them (``n_returns``, ``n_previous_returns``). Change is
    like for like: computed on the ``n_both`` services that made a return in
    both years (``value_both``, ``previous_both``), so a service missing one
    year cannot make a measure look as if it rose or fell. ``change`` is a
    relative % (``change_unit`` ``"%"``), percentage points for a measure
    that is itself a percentage (``"percentage points"``), and the change in
    the number of returns for ``n_services`` (``"returns"``). ``direction``
    is ``up``/``down``/``same``/``n/a``; ``better`` is True when the change
    is an improvement (``higher_is_better`` False for the staff ratio, where
    lower is better).

    >>> from qio_analysis import examples
    >>> stats = examples.three_returns()
    >>> h = headline_figures(stats, "2024/25").set_index("measure")
    >>> row = h.loc["qualified_wte"]  # totals over every return; change on ZL01 alone
    >>> float(row["value"]), float(row["previous"]), int(row["n_both"]), round(float(row["change"]), 1)
    (6.4, 5.5, 1, 10.0)
    >>> h.loc["n_services", "change_unit"], bool(h.loc["nhs_wte_per_qualified", "higher_is_better"])
    ('returns', False)
    """
    start = _year_start(stats, year)
    years = sorted(int(y) for y in stats["year_start"].unique())
    if start not in years:
        raise QioConfigError(
            f"There are no statistics for {format_financial_year(start)}; years: {years}."
        )
    prev = start - 1
    window = stats[stats["year_start"].isin([start, prev])]
    codes = [set(window.loc[window["year_start"] == y, "service_code"]) for y in (start, prev)]
    both = codes[0] & codes[1]
    totals = _headline_values(window, target)
    like = _headline_values(window[window["service_code"].isin(both)], target) if both else None
    rows = []
    for measure, (label, unit, higher_better) in HEADLINES.items():
        value, previous = _at(totals, start, measure), _at(totals, prev, measure)
        if like is None:
            value_both = previous_both = np.nan
        else:
            value_both, previous_both = _at(like, start, measure), _at(like, prev, measure)
        if measure == "n_services":
            change, change_unit = (value - previous if codes[1] else np.nan), "returns"
        elif unit == "percent":
            change, change_unit = value_both - previous_both, "percentage points"
        else:
            change = (
                (value_both - previous_both) / previous_both * 100
                if previous_both and not np.isnan(previous_both)
                else np.nan
            )
            change_unit = "%"
        direction = (
            "n/a"
            if np.isnan(change)
            else ("up" if change > 0 else "down" if change < 0 else "same")
        )
        better = None if direction in {"n/a", "same"} else (direction == "up") == higher_better
        rows.append(
            {
                "measure": measure,
                "label": label,
                "unit": unit,
                "year": format_financial_year(start),
                "previous_year": format_financial_year(prev),
                "value": value,
                "n_returns": len(codes[0]),
                "previous": previous,
                "n_previous_returns": len(codes[1]),
                "n_both": len(both),
                "value_both": value_both,
                "previous_both": previous_both,
                "change": change,
                "change_unit": change_unit,
                "direction": direction,
                "better": better,
                "higher_is_better": higher_better,
            }
        )
    return pd.DataFrame(rows)


def headline_table(headlines: pd.DataFrame) -> pd.DataFrame:
    """Headline figures as a reader's table: formatted as on the tiles (``£67.3m``), change like for like.

    Takes :func:`headline_figures`; the headline tiles' data table and the
    headlines report's table are both this frame.

    >>> from qio_analysis.schemas import statistics_table
    >>> stats = statistics_table(pd.DataFrame({
    ...     "service_code": ["ZL01", "ZL01"], "region": "London", "year_start": [2023, 2024],
    ...     "expenditure_gbp": [412_500.0, 433_125.0],
    ... }))
    >>> table = headline_table(headline_figures(stats)).set_index("Measure")
    >>> table.loc["Expenditure"].tolist()
    ['£0.4m', '1', '£0.4m', '1', '+5.0% among the 1 service that returned in both years (better)']
    """
    rows = []
    for _, row in headlines.iterrows():
        lower = " (lower is better)" if not row["higher_is_better"] else ""
        rows.append(
            {
                "Measure": f"{row['label']}{lower}",
                f"{row['year']}": format_value(row["value"], row["unit"]),
                f"{row['year']} returns": f"{int(row['n_returns']):,}",
                f"{row['previous_year']}": format_value(row["previous"], row["unit"]),
                f"{row['previous_year']} returns": f"{int(row['n_previous_returns']):,}",
                "Change (like for like)": headline_change_words(row),
            }
        )
    return pd.DataFrame(rows)

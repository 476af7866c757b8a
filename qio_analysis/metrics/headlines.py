"""The year in numbers: national headline figures, the change in the total and the like-for-like change.

Totals are over every return of a year. The like-for-like change is over
the services that made a return in both years, so a service missing one
year cannot make a measure look as if it rose or fell; the change in the
total is the one a reader works out from the two totals. Each figure
carries the number of services behind it, which disclosure control needs
(:func:`~qio_analysis.metrics.disclosure.suppress_headlines`). Directions
are judged on the changes as printed; only the staff ratio has a policy
direction ("better" when lower).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.errors import CellError, QioConfigError
from qio_analysis.framework import format_financial_year, parse_financial_year
from qio_analysis.metrics.workforce import ACTIVITIES, activity_rates, staff_ratio
from qio_analysis.output_schemas import HeadlineFiguresSchema, returns
from qio_analysis.schemas import StatisticsSchema
from qio_analysis.words.formats import judge_change
from qio_analysis.words.verdicts import LOWER_IS_BETTER, policy_verdict

#: Headline measures: key -> (label, unit).
HEADLINES: dict[str, tuple[str, str]] = {
    "n_services": ("LKS services making a return", "count"),
    "qualified_wte": ("Qualified LKS staff (WTE)", "wte"),
    "other_wte": ("Other LKS staff (WTE)", "wte"),
    "nhs_wte": ("NHS staff served (WTE)", "wte"),
    "nhs_wte_per_qualified": ("NHS WTE per qualified LKS WTE (1:N)", "ratio"),
    "registered_users": ("Registered users", "count"),
    "registered_users_pct": ("Registered users, % of potential users", "percent"),
    "enquiries": ("Enquiries", "count"),
    "expert_searches": ("Expert searches", "count"),
    "evidence_summaries": ("Evidence summaries", "count"),
    "people_trained": ("People trained", "count"),
    "inductions": ("Inductions", "count"),
    "document_supply": ("Document supply items", "count"),
    "expert_searches_per_1000_wte": ("Expert searches per 1,000 NHS WTE", "rate"),
    "people_trained_per_1000_wte": ("People trained per 1,000 NHS WTE", "rate"),
    "expenditure_gbp": ("Expenditure", "gbp"),
}
#: The columns a return needs to count towards each measure (a total needs only its own).
HEADLINE_PARTS: dict[str, tuple[str, ...]] = {
    "n_services": (),
    "nhs_wte_per_qualified": ("qualified_wte", "nhs_wte"),
    "registered_users_pct": ("registered_users", "potential_users"),
    **{f"{a}_per_1000_wte": (a, "nhs_wte") for a in ACTIVITIES},
}
#: Where policy says which way is better: only the staff ratio, against its target.
BETTER_WHEN: dict[str, str] = {"nhs_wte_per_qualified": LOWER_IS_BETTER}


def parts_of(measure: str) -> tuple[str, ...]:
    """The statistics columns a return needs to count towards ``measure``."""
    return HEADLINE_PARTS.get(measure, (measure,))


def _services_behind(
    stats: pd.DataFrame, year_start: int, codes: set[str] | None
) -> dict[str, int]:
    """Services behind each measure's figure in one year (only ``codes`` when given)."""
    year = stats[stats["year_start"] == year_start]
    if codes is not None:
        year = year[year["service_code"].isin(codes)]
    return {
        m: int(year[list(parts_of(m))].notna().all(axis=1).sum()) if parts_of(m) else len(year)
        for m in HEADLINES
    }


def _relative(now: float, before: float) -> float:
    return (now - before) / before * 100 if before and not np.isnan(before) else np.nan


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


@returns(HeadlineFiguresSchema)
@enforce_schemas
def headline_figures(
    stats: DataFrame[StatisticsSchema],
    year: int | str | None = None,
    target: float = STAFF_RATIO_TARGET,
) -> pd.DataFrame:
    """National totals and key rates for ``year``, with like-for-like change on the year before.

    ``year`` is a financial year (``"2024/25"``) or its first calendar year
    (2024); by default the latest in the data. One row per headline measure.

    Columns:
        measure, label, unit, year, previous_year: the measure and the two financial years.
        value, n_returns, previous, n_previous_returns: each year's total over every
            return, and the returns.
        n_both, value_both, previous_both: like for like: the services with a return in
            both years, and each year's total over them alone.
        total_change, change, change_unit: the change in the total, and like for like
            (so a service missing one year cannot move a measure), in ``"%"``,
            ``"percentage points"`` (for a percentage) or ``"returns"``.
        total_direction, direction: ``up``, ``down``, ``same`` or ``n/a``, as printed.
        better_when, total_better, better: ``"lower"`` for the staff ratio, and
            ``"better"`` or ``"worse"`` only there, else ``""``.
        n_value, n_previous, n_value_both, n_previous_both: the services behind each figure.

    >>> from qio_analysis import examples
    >>> h = headline_figures(examples.three_returns(), "2024/25").set_index("measure")
    >>> row = h.loc["qualified_wte"]  # totals over every return; change on ZL01 alone
    >>> float(row["value"]), float(row["previous"]), int(row["n_both"]), round(float(row["change"]), 1)
    (6.4, 5.5, 1, 10.0)
    >>> round(float(row["total_change"]), 1), row["total_direction"], row["better"]  # no policy: no "better"
    (16.4, 'up', '')
    >>> h.loc["n_services", "change_unit"], h.loc["nhs_wte_per_qualified", "better_when"]
    ('returns', 'lower')
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
    counts = {
        "value": _services_behind(window, start, None),
        "previous": _services_behind(window, prev, None),
        "value_both": _services_behind(window, start, both),
        "previous_both": _services_behind(window, prev, both),
    }
    rows = []
    for measure, (label, unit) in HEADLINES.items():
        value, previous = _at(totals, start, measure), _at(totals, prev, measure)
        if like is None:
            value_both = previous_both = np.nan
        else:
            value_both, previous_both = _at(like, start, measure), _at(like, prev, measure)
        if measure == "n_services":
            change_unit = "returns"
            total_change = change = value - previous if codes[1] else np.nan
        elif unit == "percent":
            change_unit = "percentage points"
            total_change, change = value - previous, value_both - previous_both
        else:
            change_unit = "%"
            total_change = _relative(value, previous)
            change = _relative(value_both, previous_both)
        better_when = BETTER_WHEN.get(measure, "")
        direction = judge_change(change, change_unit).direction
        total_direction = judge_change(total_change, change_unit).direction
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
                "total_change": total_change,
                "change": change,
                "change_unit": change_unit,
                "total_direction": total_direction,
                "direction": direction,
                "better_when": better_when,
                "total_better": policy_verdict(total_direction, better_when),
                "better": policy_verdict(direction, better_when),
                **{f"n_{f}": counts[f][measure] for f in counts},
            }
        )
    return pd.DataFrame(rows)

"""Workforce and activity metrics from LKS statistics returns.

Regional and national figures always come from **summed** numerators and
denominators over the services that reported both, never from averaged
ratios. A zero or missing denominator gives NaN with a ``note``, never a
division error or an infinity.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas, mark_valid
from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.errors import QioConfigError
from qio_analysis.metrics._groups import By, as_by, check_columns, with_national
from qio_analysis.schemas import OrganisationsSchema, StatisticsSchema, empty_table
from qio_analysis.words.verdicts import meets_target

#: Activity measures reported per 1,000 NHS WTE, with display labels.
ACTIVITIES: dict[str, str] = {
    "enquiries": "Enquiries",
    "expert_searches": "Expert searches",
    "evidence_summaries": "Evidence summaries",
    "people_trained": "People trained",
    "inductions": "Inductions",
    "document_supply": "Document supply items",
}


def _units(group: list[str]) -> list[str]:
    """Grouping keys per group and year; per-service rows keep the service's name."""
    names = ["service_name"] if "service_code" in group and "service_name" not in group else []
    return [*group, *names, "year", "year_start"]


def _grouped(
    frame: pd.DataFrame, keys: list[str], compute: Callable[[pd.DataFrame, list[str]], pd.DataFrame]
) -> pd.DataFrame:
    """``by`` semantics shared by the workforce metrics (see :func:`staff_ratio`)."""
    if "service_code" in keys:
        return compute(frame, keys)
    return with_national(frame, keys, compute)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where either is missing or the denominator is not positive."""
    num = numerator.to_numpy(dtype="float64", na_value=np.nan)
    den = denominator.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(den > 0, num / den, np.nan)
    return pd.Series(values, index=numerator.index)


@enforce_schemas
def staff_ratio(
    stats: DataFrame[StatisticsSchema], by: By = None, target: float = STAFF_RATIO_TARGET
) -> pd.DataFrame:
    """Qualified LKS WTE against NHS WTE served, against the 1 : ``target`` policy.

    ``by`` means what it means in every metric: ``None`` (or ``[]``) gives
    England, one row per year; ``by="region"`` one row per region and year
    plus England's; ``by="service_code"`` one row per service and year (with
    ``service_name``; no England row). Columns: ``qualified_wte``, ``nhs_wte`` (summed over services reporting
    both), ``n_services``, ``nhs_wte_per_qualified`` (the N in 1:N),
    ``target``, ``meets_target`` (N, as printed, at or below the target: see
    :func:`~qio_analysis.words.meets_target`), ``qualified_wte_gap`` (extra
    qualified WTE needed to reach the target, 0 when met) and ``note``
    explaining any missing value.

    >>> from qio_analysis import examples
    >>> stats = examples.two_services()
    >>> england = staff_ratio(stats).iloc[0]  # 7,500 NHS WTE for 5.5 qualified WTE
    >>> round(float(england["nhs_wte_per_qualified"]), 1), float(england["qualified_wte_gap"])
    (1363.6, 0.5)
    >>> by_region = staff_ratio(stats, by="region")
    >>> by_region["region"].tolist(), by_region["meets_target"].tolist()
    (['London', 'Midlands', 'England'], [True, False, False])
    """
    if target <= 0:
        raise QioConfigError(f"The staff ratio target must be positive, not {target!r}.")
    keys = as_by(by)
    check_columns(stats, keys, "statistics")
    paired = stats.assign(
        _both=stats["qualified_wte"].notna() & stats["nhs_wte"].notna(),
    )

    def compute(frame: pd.DataFrame, group: list[str]) -> pd.DataFrame:
        units = _units(group)
        use = frame[frame["_both"]]
        sums = use.groupby(units)[["qualified_wte", "nhs_wte"]].sum().astype("float64")
        sums["n_services"] = use.groupby(units).size()
        everyone = frame.groupby(units).size().rename("_all")
        return everyone.to_frame().join(sums).reset_index()

    out = _grouped(paired, keys, compute)
    out["n_services"] = out["n_services"].fillna(0).astype("int64")
    ratio = _ratio(out["nhs_wte"], out["qualified_wte"])
    out["nhs_wte_per_qualified"] = ratio.where(out["nhs_wte"] > 0)
    out["target"] = float(target)
    # Judged on the ratio as printed, so a table saying "No" never sits beside "1:1,250".
    meets = pd.array(
        [meets_target(v, target) for v in out["nhs_wte_per_qualified"]], dtype="boolean"
    )
    out["meets_target"] = meets
    gap = (out["nhs_wte"] / target - out["qualified_wte"]).clip(lower=0)
    out["qualified_wte_gap"] = gap.where(out["nhs_wte"].notna()).mask(meets.fillna(False), 0.0)
    out["note"] = np.select(
        [out["n_services"] == 0, out["qualified_wte"] == 0, out["nhs_wte"] == 0],
        [
            "no service reported both qualified WTE and NHS WTE",
            "no qualified LKS staff recorded: ratio not defined",
            "NHS staff WTE served is zero: ratio not defined",
        ],
        default="",
    )
    incomplete = (out["_all"] > out["n_services"]) & (out["note"] == "")
    out.loc[incomplete, "note"] = (out["_all"] - out["n_services"]).astype(
        str
    ) + " service return(s) without both figures excluded"
    return out.drop(columns="_all").sort_values(["year_start"], kind="stable", ignore_index=True)


def in_rate(stats: pd.DataFrame, measure: str) -> pd.Series:
    """Rows behind ``<measure>_per_1000_wte``: the service gave both the activity and its NHS WTE.

    >>> from qio_analysis import examples
    >>> in_rate(examples.two_services(), "enquiries").tolist()  # ZL02 reported no enquiries
    [True, False]
    """
    return stats[measure].notna() & stats["nhs_wte"].notna()


@enforce_schemas
def activity_rates(stats: DataFrame[StatisticsSchema], by: By = None) -> pd.DataFrame:
    """Activity per 1,000 NHS WTE and registered users as a share of potential users.

    ``by`` works as in :func:`staff_ratio` (``None`` is England). Each ``<activity>_per_1000_wte``
    sums the activity and the NHS WTE over services reporting both;
    ``registered_users_pct`` sums registered and potential users over services
    reporting both. Totals of each activity are included.

    >>> from qio_analysis import examples
    >>> stats = examples.two_services()
    >>> england = activity_rates(stats).iloc[0]  # ZL02 reported no enquiries: not in the rate
    >>> float(england["enquiries"]), float(england["enquiries_per_1000_wte"])
    (1000.0, 200.0)
    """
    keys = as_by(by)
    check_columns(stats, keys, "statistics")
    nhs = stats["nhs_wte"].astype("float64")
    registered = stats["registered_users"].astype("float64")
    potential = stats["potential_users"].astype("float64")
    parts: dict[str, pd.Series] = {}
    for measure in ACTIVITIES:
        value = stats[measure].astype("float64")
        both = in_rate(stats, measure)
        parts[measure] = value
        parts[f"_{measure}_num"] = value.where(both)
        parts[f"_{measure}_den"] = nhs.where(both)
    both = registered.notna() & potential.notna()
    parts["registered_users"] = registered
    parts["potential_users"] = potential
    parts["_users_num"] = registered.where(both)
    parts["_users_den"] = potential.where(both)
    prepared = pd.concat(
        [
            stats[list(dict.fromkeys([*keys, "service_name", "year", "year_start"]))],
            pd.DataFrame(parts),
        ],
        axis=1,
    )
    value_cols = list(parts)

    def compute(frame: pd.DataFrame, group: list[str]) -> pd.DataFrame:
        units = _units(group)
        grouped = frame.groupby(units)
        sums = grouped[value_cols].sum(min_count=1)
        out = grouped.size().rename("n_services").to_frame()
        for measure in ACTIVITIES:
            out[measure] = sums[measure]
            out[f"{measure}_per_1000_wte"] = (
                _ratio(sums[f"_{measure}_num"], sums[f"_{measure}_den"]) * 1000
            )
        out["registered_users"] = sums["registered_users"]
        out["potential_users"] = sums["potential_users"]
        out["registered_users_pct"] = _ratio(sums["_users_num"], sums["_users_den"]) * 100
        return out.reset_index()

    out = _grouped(prepared, keys, compute)
    return out.sort_values(["year_start"], kind="stable", ignore_index=True)


def year_on_year(frame: pd.DataFrame, columns: list[str], by: By = None) -> pd.DataFrame:
    """Add ``<column>_yoy_pct``: percentage change from the previous year in the same group.

    ``by`` names the grouping columns of ``frame`` as in every metric
    (``None`` for an England frame, ``"region"`` or ``"service_code"``). The
    previous year is the year immediately before (``year_start - 1``); a
    missing year or a zero base gives NaN rather than a misleading jump.

    >>> from qio_analysis.schemas import statistics_table
    >>> stats = statistics_table(pd.DataFrame({
    ...     "service_code": "ZL01", "region": "London", "year_start": [2023, 2024],
    ...     "qualified_wte": [5.0, 5.5], "nhs_wte": [6000.0, 6000.0],
    ... }))
    >>> year_on_year(staff_ratio(stats), ["qualified_wte"])["qualified_wte_yoy_pct"].round(1).tolist()
    [nan, 10.0]
    """
    keys = as_by(by)
    check_columns(frame, [*keys, "year_start", *columns], "year-on-year change")
    previous = frame[[*keys, "year_start", *columns]].assign(year_start=frame["year_start"] + 1)
    joined = frame.merge(previous, on=[*keys, "year_start"], how="left", suffixes=("", "_prev"))
    out = frame.copy()
    for col in columns:
        base = joined[f"{col}_prev"].astype("float64")
        out[f"{col}_yoy_pct"] = (
            (joined[col].astype("float64") - base) / base.where(base != 0) * 100
        ).to_numpy()
    return out


@enforce_schemas
def service_statistics(
    stats: DataFrame[StatisticsSchema] | None,
    org_code: str,
    organisations: DataFrame[OrganisationsSchema] | None = None,
) -> pd.DataFrame:
    """Returns (all years) of the LKS service that serves ``org_code``.

    The service comes from the organisations table when given, else from the
    returns' ``organisations_served`` or ``lead_org_code``. Empty (with the
    statistics columns) when no service serves the organisation, or there are
    no statistics at all (``stats`` is None).

    >>> from qio_analysis.schemas import statistics_table
    >>> stats = statistics_table(pd.DataFrame({
    ...     "service_code": ["ZL01", "ZL02"], "region": "London", "year_start": 2024,
    ...     "organisations_served": ["ZA01;ZA02", "ZA03"],
    ... }))
    >>> service_statistics(stats, "ZA02")["service_code"].tolist()
    ['ZL01']
    >>> service_statistics(None, "ZA02").empty
    True
    """
    if stats is None:
        return empty_table(StatisticsSchema)
    code = None
    if organisations is not None:
        match = organisations.loc[organisations["org_code"] == org_code, "service_code"]
        code = match.iloc[0] if len(match) and not pd.isna(match.iloc[0]) else None
    if code is not None:
        return mark_valid(stats[stats["service_code"] == code], StatisticsSchema)
    served = (
        stats["organisations_served"].fillna("").str.split(";").map(lambda codes: org_code in codes)
    )
    # Rows of a checked table: valid without a second check in the caller's next metric.
    return mark_valid(stats[served | (stats["lead_org_code"] == org_code)], StatisticsSchema)

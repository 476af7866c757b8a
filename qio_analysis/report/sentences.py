"""Report sentences and titles from C's metrics: narrative in words, never nan or None."""

from __future__ import annotations

import pandas as pd

from qio_analysis.metrics.completeness import NO_SUBMISSIONS
from qio_analysis.metrics.history import NOT_VALIDATED
from qio_analysis.reference import NATIONAL
from qio_analysis.report.tables import _kappa, _pct


def agreement_sentence(summary: pd.DataFrame, region: str | None = None) -> str:
    """One sentence on agreement for a group, at both resolutions, naming the kappa weighting."""
    part = summary
    if "region" in summary.columns:
        part = summary[summary["region"] == (region or NATIONAL)]
    pooled = part[part["outcome"].isna()]
    if pooled.empty or int(pooled["n_pairs"].iloc[0]) == 0:
        return "No outcome has both a self-evaluated and a validated level yet, so agreement cannot be measured."
    row = pooled.iloc[0]
    interval = (
        "; too few pairs for a bootstrap interval"
        if pd.isna(row["kappa_low"])
        else "; in brackets a bootstrap 95% interval with a fixed seed"
    )
    return (
        f"Across {int(row['n_pairs'])} outcomes with both levels, validators kept the self-evaluated level "
        f"in {_pct(row['pct_exact'])} and both level and sub-level in {_pct(row['pct_exact_score'])}. "
        f"The mean adjustment was {row['mean_adjustment']:+.2f} levels ({row['mean_score_adjustment']:+.2f} "
        f"counting sub-levels). Weighted kappa ({row['weighting']} weights, the convention for ordinal "
        f"scales{interval}) is {_kappa(row['kappa'], row['kappa_low'], row['kappa_high'])} "
        f"on whole levels and {_kappa(row['kappa_score'], row['kappa_score_low'], row['kappa_score_high'])} on sub-levels."
    )


def provisional_notice(profile: pd.DataFrame) -> str | None:
    """The provisional banner text for an organisation awaiting validation (None when fully validated)."""
    waiting = profile[profile["validated_level"].isna()]
    if waiting.empty:
        return None
    cycle = int(profile["cycle"].iloc[0])
    outcomes = ", ".join(str(int(n)) for n in waiting["outcome"])
    count = len(waiting)
    which = (
        f"all {len(profile)} outcomes are"
        if count == len(profile)
        else f"{count} of {len(profile)} outcomes (outcome{'s' if count > 1 else ''} {outcomes}) "
        + ("are" if count > 1 else "is")
    )
    return (
        f"Provisional: {which} awaiting validation for {cycle}. Levels shown as "
        f"'{NOT_VALIDATED}' will be filled in, and may differ from the self-evaluation, when validated."
    )


def profile_title(profile: pd.DataFrame) -> str:
    """The organisation report's title, marked provisional while levels await validation."""
    org = profile.iloc[0]
    provisional = " (provisional)" if provisional_notice(profile) else ""
    return f"{org['org_name']}: QIOF levels {int(org['cycle'])}{provisional}"


def headline_sentence(headlines: pd.DataFrame) -> str:
    """The opening sentence of the headlines report: returns, the national ratio, like-for-like change."""
    rows = headlines.set_index("measure")
    n, ratio = rows.loc["n_services"], rows.loc["nhs_wte_per_qualified"]
    year = str(n["year"])
    text = f"In {year}, {int(n['value'])} LKS services made a return"
    if int(n["n_previous_returns"]):
        text += f" ({int(n['previous'])} in {n['previous_year']})"
    text += "."
    if pd.isna(ratio["value"]):
        text += " The national staffing ratio cannot be calculated from these returns."
    else:
        text += (
            f" Nationally there was one qualified LKS WTE for every {ratio['value']:,.0f} NHS staff WTE, "
            "against a target of 1:1,250 (lower is better)."
        )
    if ratio["direction"] != "n/a":
        text += (
            f" Among the {int(ratio['n_both'])} service{'s' if int(ratio['n_both']) != 1 else ''} that "
            "returned in both years, the ratio went from "
            f"1:{ratio['previous_both']:,.0f} to 1:{ratio['value_both']:,.0f}. Changes below compare "
            "those same services in both years; totals are over every return."
        )
    else:
        text += " There is no earlier year in the data to compare with."
    return text


def regional_levels_sentence(summary: pd.DataFrame, region: str, cycle: int) -> str:
    """How many organisations in ``region`` have levels and the range of the share at Level 3+."""
    ours = summary[summary["region"] == region]
    if ours.empty or int(ours["n_orgs"].max()) == 0:
        return f"{region} has no submissions for {cycle}."
    shares = ours["pct_at_or_above"].dropna()
    text = f"{int(ours['n_orgs'].max())} organisations in {region} have levels for {cycle}."
    if shares.empty:
        return text + " No level there is validated yet."
    return (
        text + f" The share validated at Level 3 or above ranges from {shares.min():.0f}% to "
        f"{shares.max():.0f}% across the six outcomes."
    )


def completeness_sentence(complete: pd.DataFrame, region: str) -> str:
    """Who has submitted and been validated in ``region`` (or England), in words."""
    rows = complete.set_index("region")
    if region not in rows.index:
        return f"{region} has no submissions."
    row = rows.loc[region]
    cycle = int(row["cycle"])
    if row["note"] == NO_SUBMISSIONS:
        return f"{region} has no submissions for {cycle} ({int(row['expected'])} organisations expected)."
    return (
        f"{int(row['submitted'])} of {int(row['expected'])} expected organisations in {region} submitted "
        f"for {cycle}; {int(row['validated'])} have all six outcomes validated and "
        f"{int(row['awaiting_validation'])} are awaiting validation."
    )

"""Presentation tables for reports: labelled columns and formatted values (no new analysis)."""

from __future__ import annotations

import pandas as pd

from qio_analysis.framework import format_level
from qio_analysis.metrics._groups import order_regions
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL


def _level(level: object, sub: object) -> str:
    return format_level(None if pd.isna(level) else int(level), None if pd.isna(sub) else str(sub))


def _change(value: float) -> str:
    """Signed change in score: 1 is one level, 0.25 one sub-level step."""
    if pd.isna(value):
        return "\u2013"
    return "no change" if value == 0 else f"{value:+.2f}"


def profile_table(profile: pd.DataFrame) -> pd.DataFrame:
    """The six outcomes of a profile with levels as words."""
    previous = profile["previous_cycle"].iloc[0]
    out = pd.DataFrame(
        {
            "Outcome": [
                f"{n}. {s}"
                for n, s in zip(profile["outcome"], profile["outcome_short"], strict=True)
            ],
            "Self-evaluated": [
                _level(a, b)
                for a, b in zip(profile["self_level"], profile["self_sublevel"], strict=True)
            ],
            "Validated": [
                _level(a, b)
                for a, b in zip(
                    profile["validated_level"], profile["validated_sublevel"], strict=True
                )
            ],
        }
    )
    if not pd.isna(previous):
        out[f"Validated {int(previous)}"] = [
            _level(a, b)
            for a, b in zip(profile["previous_level"], profile["previous_sublevel"], strict=True)
        ]
        out["Change in score (0.25 = one sub-level)"] = [_change(v) for v in profile["change"]]
    flags = []
    for strength, area in zip(
        profile["is_strength"], profile["is_area_for_improvement"], strict=True
    ):
        flags.append("Strength" if strength else "Area for improvement" if area else "")
    out["Focus"] = flags
    return out


def context_table(summary: pd.DataFrame, groups: list[str], threshold: int = 3) -> pd.DataFrame:
    """Median level and share at or above ``threshold`` per outcome, one column pair per group."""
    part = summary[summary["region"].isin(groups)]
    rows = []
    for outcome, block in part.groupby("outcome", sort=True):
        row: dict[str, object] = {"Outcome": int(outcome)}
        for group in groups:
            g = block[block["region"] == group]
            if g.empty:
                continue
            r = g.iloc[0]
            median = "\u2013" if pd.isna(r["median_level"]) else f"Level {int(r['median_level'])}"
            share = "\u2013" if pd.isna(r["pct_at_or_above"]) else f"{r['pct_at_or_above']:.0f}%"
            row[f"{group}: median"] = median
            row[f"{group}: Level {threshold}+"] = share
            row[f"{group}: organisations"] = int(r["n_scored"])
        rows.append(row)
    return pd.DataFrame(rows)


def ratio_table(ratio: pd.DataFrame) -> pd.DataFrame:
    """Staff ratio rows formatted for reading (1:N, target, gap)."""
    label = "region" if "region" in ratio.columns else "service_name"
    out = pd.DataFrame(
        {
            label.replace("_", " ").capitalize(): ratio[label],
            "Year": ratio["year"],
            "Qualified LKS WTE": ratio["qualified_wte"].map(lambda v: f"{v:,.1f}"),
            "NHS WTE served": ratio["nhs_wte"].map(lambda v: f"{v:,.0f}"),
            "Ratio": ratio["nhs_wte_per_qualified"].map(
                lambda v: "\u2013" if pd.isna(v) else f"1:{v:,.0f}"
            ),
            "Meets 1:{:,.0f}".format(ratio["target"].iloc[0]): ratio["meets_target"].map(
                lambda v: "\u2013" if pd.isna(v) else ("Yes" if v else "No")
            ),
            "Extra qualified WTE needed": ratio["qualified_wte_gap"].map(
                lambda v: "\u2013" if pd.isna(v) else f"{v:,.1f}"
            ),
        }
    )
    notes = ratio["note"].fillna("")
    if notes.astype(bool).any():
        out["Note"] = notes
    return out


def headline_table(headlines: pd.DataFrame) -> pd.DataFrame:
    """Headline figures with values formatted by unit and the change in words."""

    def fmt(value: float, unit: str) -> str:
        if pd.isna(value):
            return "\u2013"
        return {
            "ratio": f"1:{value:,.0f}",
            "percent": f"{value:.1f}%",
            "gbp": f"\u00a3{value / 1e6:,.1f}m",
            "rate": f"{value:,.1f}",
            "wte": f"{value:,.1f}",
        }.get(unit, f"{value:,.0f}")

    return pd.DataFrame(
        {
            "Measure": headlines["label"],
            headlines["year"].iloc[0]: [
                fmt(v, u) for v, u in zip(headlines["value"], headlines["unit"], strict=True)
            ],
            "Previous year": [
                fmt(v, u) for v, u in zip(headlines["previous"], headlines["unit"], strict=True)
            ],
            "Change": headlines["change_pct"].map(
                lambda v: "\u2013" if pd.isna(v) else f"{v:+.1f}%"
            ),
        }
    )


def completeness_table(complete: pd.DataFrame) -> pd.DataFrame:
    """Completeness rows for reading."""
    out = order_regions(complete)
    return pd.DataFrame(
        {
            "Region": out["region"],
            "Expected": out["expected"],
            "Submitted": out["submitted"],
            "Validated": out["validated"],
            "Awaiting validation": out["awaiting_validation"],
            "Not submitted": out["missing"],
            "Submitted (%)": out["pct_submitted"].map(
                lambda v: "\u2013" if pd.isna(v) else f"{v:.0f}%"
            ),
        }
    )


def agreement_table(summary: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Validation agreement per outcome (and all outcomes) for one group."""
    part = summary
    if "region" in summary.columns:
        part = summary[summary["region"] == (region or NATIONAL)]
    part = part.sort_values("outcome", na_position="last")
    return pd.DataFrame(
        {
            "Outcome": part["outcome"].map(
                lambda o: "All outcomes" if pd.isna(o) else f"Outcome {int(o)}"
            ),
            "Pairs": part["n_pairs"],
            "Exact agreement": part["pct_exact"].map(
                lambda v: "\u2013" if pd.isna(v) else f"{v:.0f}%"
            ),
            "Lowered": part["pct_lowered"].map(lambda v: "\u2013" if pd.isna(v) else f"{v:.0f}%"),
            "Raised": part["pct_raised"].map(lambda v: "\u2013" if pd.isna(v) else f"{v:.0f}%"),
            "Mean adjustment (levels)": part["mean_adjustment"].map(
                lambda v: "\u2013" if pd.isna(v) else f"{v:+.2f}"
            ),
            "Weighted kappa": part["kappa"].map(lambda v: "\u2013" if pd.isna(v) else f"{v:.2f}"),
        }
    )


def ratio_sentence(row: pd.Series) -> str:
    """One sentence on a service's staffing ratio in its latest year (NaN-safe)."""
    if pd.isna(row["nhs_wte_per_qualified"]):
        reason = row.get("note") or "the return lacks the figures needed"
        return f"{row['service_name']} serves this organisation. Its {row['year']} staffing ratio cannot be calculated: {reason}."
    verdict = "meets" if bool(row["meets_target"]) else "does not yet meet"
    return (
        f"{row['service_name']} serves this organisation. In {row['year']} it had {row['qualified_wte']:,.1f} "
        f"qualified LKS WTE for {row['nhs_wte']:,.0f} NHS staff WTE, a ratio of 1:{row['nhs_wte_per_qualified']:,.0f}. "
        f"It {verdict} the national target of 1:{row['target']:,.0f}."
    )


def activity_table(service: pd.DataFrame, national: pd.DataFrame, year: str) -> pd.DataFrame:
    """Activity per 1,000 NHS WTE for one service beside England, for ``year``."""
    svc = service[service["year"] == year]
    eng = national[national["year"] == year]
    rows = []
    for measure, label in ACTIVITIES.items():
        col = f"{measure}_per_1000_wte"
        value = svc[col].iloc[0] if len(svc) else float("nan")
        base = eng[col].iloc[0] if len(eng) else float("nan")
        rows.append(
            {
                "Activity per 1,000 NHS WTE": label,
                "This service": "\u2013" if pd.isna(value) else f"{value:,.1f}",
                "England": "\u2013" if pd.isna(base) else f"{base:,.1f}",
            }
        )
    return pd.DataFrame(rows)


def status_table(status: pd.DataFrame) -> pd.DataFrame:
    """Organisations to chase: code, name and submission status."""
    return status.rename(
        columns={"org_code": "Code", "org_name": "Organisation", "status": "Status"}
    )[["Code", "Organisation", "Status"]]


def adjustments_table(adjustments: pd.DataFrame) -> pd.DataFrame:
    """Organisations with the largest validator adjustments, for review."""
    return pd.DataFrame(
        {
            "Code": adjustments["org_code"],
            "Organisation": adjustments["org_name"],
            "Region": adjustments["region"],
            "Outcomes lowered": adjustments["n_lowered"].astype(int),
            "Outcomes raised": adjustments["n_raised"].astype(int),
            "Mean adjustment (levels)": adjustments["mean_adjustment"].map(lambda v: f"{v:+.2f}"),
            "Largest drop (levels)": adjustments["largest_drop"].map(lambda v: f"{v:g}"),
        }
    )

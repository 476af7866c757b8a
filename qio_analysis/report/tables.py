"""Presentation tables for reports: labelled columns and formatted values (no new analysis)."""

from __future__ import annotations

import pandas as pd

from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.framework import OUTCOME_SHORT
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP, PRIMARY
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL
from qio_analysis.words import (
    NO_RETURN,
    NO_SUBMISSIONS,
    NOT_REPORTED,
    NOT_VALIDATED,
    Change,
    adjustment_words,
    england_words,
    format_count,
    format_date,
    format_kappa,
    format_percent,
    format_points,
    format_rate,
    format_value,
    format_wte,
    is_missing,
    judge_change,
    level_words,
    movement_words,
    policy_verdict,
    since_words,
)
from qio_analysis.words.verdicts import staffing


def _pct(value: object) -> str:
    return format_percent(value, digits=0, missing="no pairs")


def profile_table(profile: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The six outcomes of a profile: every cycle's validated level, change and the validator's changes.

    With a :func:`~qio_analysis.metrics.level_history` there is one column per
    earlier cycle; without one, only the previous cycle. Change columns say
    "since the 2021 baseline" where that applies, in words by the one rule
    ("up one level", "same level; sub-level not comparable") beside the levels.
    "Changed by validator" gives both values wherever the validator raised or
    lowered the self-evaluated level (or its sub-level, when both carry one),
    and says "Sub-level not comparable" where only one side has a sub-level.
    Missing levels read "not validated" or "no return".
    """
    cycle = int(profile["cycle"].iloc[0])
    out = pd.DataFrame(
        {
            "Outcome": [
                f"{n}. {s}"
                for n, s in zip(profile["outcome"], profile["outcome_short"], strict=True)
            ]
        }
    )
    if history is not None:
        for c in sorted({int(c) for c in history["cycle"]} - {cycle}):
            part = history[(history["cycle"] == c) & (history["assessment"] == "validated")]
            labels = part.set_index("outcome")["label"].reindex(profile["outcome"])
            out[f"Validated {c}"] = labels.fillna(NOT_VALIDATED).tolist()
    elif not pd.isna(profile["previous_cycle"].iloc[0]):
        out[f"Validated {int(profile['previous_cycle'].iloc[0])}"] = [
            level_words(a, b)
            for a, b in zip(profile["previous_level"], profile["previous_sublevel"], strict=True)
        ]
    out[f"Self-evaluated {cycle}"] = [
        level_words(a, b, missing=NO_RETURN)
        for a, b in zip(profile["self_level"], profile["self_sublevel"], strict=True)
    ]
    out[f"Validated {cycle}"] = [
        level_words(a, b)
        for a, b in zip(profile["validated_level"], profile["validated_sublevel"], strict=True)
    ]
    changed = []
    for _, row in profile.iterrows():
        if pd.isna(row["validated_level"]):
            changed.append(NOT_VALIDATED)
        elif pd.isna(row["self_level"]):
            changed.append(NO_RETURN)
        else:
            self_ = level_words(row["self_level"], row["self_sublevel"])
            validated = level_words(row["validated_level"], row["validated_sublevel"])
            if row["adjusted"]:
                changed.append(f"Yes: {self_} to {validated}")
            elif self_ != validated:  # the same level, a sub-level on one side only
                changed.append(f"Sub-level not comparable: {self_}, then {validated}")
            else:
                changed.append("No")
    out["Changed by validator"] = changed
    previous, baseline = profile["previous_cycle"].iloc[0], profile["baseline_cycle"].iloc[0]
    if not pd.isna(previous):
        out[f"Change {since_words(int(previous))}"] = _changes(profile, "")
        if not pd.isna(baseline) and int(baseline) != int(previous):
            out[f"Change {since_words(int(baseline))}"] = _changes(profile, "_since_baseline")
    flags = []
    for strength, area in zip(
        profile["is_strength"], profile["is_area_for_improvement"], strict=True
    ):
        flags.append("Strength" if strength else "Area for improvement" if area else "")
    out["Focus"] = flags
    return out


def _changes(profile: pd.DataFrame, suffix: str) -> list[str]:
    """The validated level's movement, in words by the one rule (its levels are in the columns beside)."""
    return [
        movement_words(status, change)
        for status, change in zip(
            profile[f"comparison{suffix}"], profile[f"change{suffix}"], strict=True
        )
    ]


def context_table(
    summary: pd.DataFrame,
    groups: list[str],
    threshold: int = 3,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pd.DataFrame:
    """Median level and share at or above ``threshold`` per outcome, one column set per group.

    A group withheld by disclosure control (``suppressed`` set by
    :func:`~qio_analysis.metrics.disclosure.suppress_small_groups`) gets one
    column saying so instead of its median, share and count.
    """
    part = summary[summary["region"].isin(groups)]
    rows = []
    for outcome, block in part.groupby("outcome", sort=True):
        row: dict[str, object] = {"Outcome": int(outcome)}
        for group in groups:
            g = block[block["region"] == group]
            if g.empty:
                continue
            r = g.iloc[0]
            if bool(r.get("suppressed", False)):
                row[group] = _withheld(str(r["suppression"]), min_group)
                continue
            median = "\u2013" if pd.isna(r["median_level"]) else f"Level {int(r['median_level'])}"
            share = format_percent(r["pct_at_or_above"], digits=0, missing="\u2013")
            row[f"{group}: median"] = median
            row[f"{group}: Level {threshold}+"] = share
            row[f"{group}: organisations with a validated level"] = int(r["n_scored"])
        rows.append(row)
    return pd.DataFrame(rows)


def gap_table(gaps: pd.DataFrame, region: str, threshold: int = 3) -> pd.DataFrame:
    """A region beside England per outcome: the share at ``threshold`` or above, and the gap.

    Takes :func:`~qio_analysis.metrics.gap_to_england` for one cycle. The
    percentage-point gap is the difference of the two whole percentages shown.
    England's figures include the region's own organisations, and the header
    says so. No median: a median of a few ordinal levels moves a whole level
    on a tie, where the share at the threshold does not.
    """
    part = gaps[gaps["region"] == region].sort_values("outcome")

    def share(values: pd.Series) -> list[str]:
        return [format_percent(v, digits=0, missing="\u2013") for v in values]

    return pd.DataFrame(
        {
            "Outcome": [f"{int(o)}: {OUTCOME_SHORT[int(o)]}" for o in part["outcome"]],
            f"{region}: Level {threshold}+": share(part["pct_at_or_above"]),
            f"{england_words(region)}: Level {threshold}+": share(part["england_pct_at_or_above"]),
            "Gap to England (percentage points)": [
                format_points(v) for v in part["gap_pct_at_or_above"]
            ],
            f"{region}: organisations with a level": part["n_scored"].astype(int).tolist(),
        }
    )


def _withheld(kind: str, min_group: int) -> str:
    """Short table-cell form of a suppression reason (the full sentence is shown beside the table)."""
    if kind == PRIMARY:
        return f"Not shown: fewer than {min_group} organisations"
    return "Not shown: protects a smaller group"


def ratio_table(ratio: pd.DataFrame) -> pd.DataFrame:
    """Staff ratio rows formatted for reading (1:N, target, gap); gaps read as words.

    Ratio, verdict and gap come from one :func:`~qio_analysis.words.verdicts.staffing`,
    judged on the ratio as printed, as the sentence beside the table is.
    """
    verdicts = [
        staffing(v, float(t), g)
        for v, t, g in zip(
            ratio["nhs_wte_per_qualified"], ratio["target"], ratio["qualified_wte_gap"], strict=True
        )
    ]
    label = next((c for c in ("region", "service_name") if c in ratio.columns), None)
    columns: dict[str, object] = {}
    if label is not None:
        columns[label.replace("_", " ").capitalize()] = ratio[label]
    columns.update(
        {
            "Year": ratio["year"],
            "Qualified LKS WTE": ratio["qualified_wte"].map(format_wte),
            "NHS WTE served": ratio["nhs_wte"].map(format_count),
            "Ratio": [v.ratio for v in verdicts],
            "Meets 1:{:,.0f}".format(ratio["target"].iloc[0]): [v.meets for v in verdicts],
            "Extra qualified WTE needed": [v.gap for v in verdicts],
        }
    )
    out = pd.DataFrame(columns)
    notes = ratio["note"].fillna("")
    if notes.astype(bool).any():
        out["Note"] = notes
    return out


def completeness_table(complete: pd.DataFrame) -> pd.DataFrame:
    """Completeness per region for reading: every region, "no submissions" where none came in."""
    out = complete
    none = out["note"] == NO_SUBMISSIONS if "note" in out else pd.Series(False, index=out.index)

    def codes(values: pd.Series) -> list[str]:
        return [v if v else "none" for v in values.fillna("")]

    return pd.DataFrame(
        {
            "Region": out["region"],
            "Expected": out["expected"],
            "Submitted": [
                NO_SUBMISSIONS if n else str(v) for n, v in zip(none, out["submitted"], strict=True)
            ],
            "Validated": out["validated"],
            "Awaiting validation": out["awaiting_validation"],
            "Not submitted": out["missing"],
            "Submitted (%)": out["pct_submitted"].map(
                lambda v: format_percent(v, digits=0, missing="no organisations expected")
            ),
            "Not submitted (codes)": codes(out["missing_orgs"]),
            "Awaiting validation (codes)": codes(out["awaiting_orgs"]),
        }
    )


def agreement_table(summary: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Validation agreement per outcome (and all outcomes) for one group, at levels and at sub-levels.

    Levels and sub-levels moved are counted apart (never averaged); sub-level
    agreement is over the pairs compared at sub-levels, leaving out those
    with a sub-level on one side only, which are counted in their own column.
    Kappa is shown with its bootstrap 95% interval; the column header names
    the weighting (quadratic by default).
    """
    part = summary
    if "region" in summary.columns:
        part = summary[summary["region"] == (region or NATIONAL)]
    part = part.sort_values("outcome", na_position="last")
    weighting = str(part["weighting"].iloc[0]) if "weighting" in part and len(part) else "quadratic"
    return pd.DataFrame(
        {
            "Outcome": part["outcome"].map(
                lambda o: "All outcomes" if pd.isna(o) else f"Outcome {int(o)}"
            ),
            "Pairs": part["n_pairs"],
            "Same level": part["pct_exact"].map(_pct),
            "Levels lowered": part["n_level_lowered"],
            "Levels raised": part["n_level_raised"],
            "Sub-levels lowered (same level)": part["n_sublevel_lowered"],
            "Sub-levels raised (same level)": part["n_sublevel_raised"],
            "Sub-level on one side only (not compared)": part["n_sublevel_not_comparable"],
            "Same level and sub-level (of those compared)": [
                f"{_pct(p)} of {n}" if n else "no pairs"
                for p, n in zip(part["pct_exact_score"], part["n_pairs_score"], strict=True)
            ],
            f"Kappa, levels ({weighting} weights, 95% interval)": [
                format_kappa(*v)
                for v in zip(part["kappa"], part["kappa_low"], part["kappa_high"], strict=True)
            ],
            f"Kappa, sub-levels ({weighting} weights, 95% interval)": [
                format_kappa(*v)
                for v in zip(
                    part["kappa_score"],
                    part["kappa_score_low"],
                    part["kappa_score_high"],
                    strict=True,
                )
            ],
        }
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
                "This service": format_rate(value),
                "England": format_rate(base),
            }
        )
    return pd.DataFrame(rows)


def status_table(status: pd.DataFrame, *, region: bool = False) -> pd.DataFrame:
    """Organisations to chase: code, name, (region) and submission status."""
    names = {"org_code": "Code", "org_name": "Organisation", "region": "Region", "status": "Status"}
    columns = ["Code", "Organisation", *(["Region"] if region else []), "Status"]
    return status.rename(columns=names)[columns]


def changes_table(changes: pd.DataFrame, *, region: bool = False) -> pd.DataFrame:
    """Every outcome whose self-evaluated level the validator changed: both levels and how.

    Takes the rows of :func:`~qio_analysis.metrics.validator_changes` to list
    (usually those whose ``direction`` is not ``unchanged``). The kind of
    change (a level lowered, a sub-level lowered, ...) has its own column,
    named as the heatmap's key and the sentence above the table name it.
    """
    return pd.DataFrame(
        {
            "Organisation": [
                f"{n} ({c})" for n, c in zip(changes["org_name"], changes["org_code"], strict=True)
            ],
            **({"Region": changes["region"].tolist()} if region else {}),
            "Outcome": [f"{int(n)} {OUTCOME_SHORT[int(n)]}" for n in changes["outcome"]],
            "Self-evaluated": [
                level_words(lv, sub, missing=NO_RETURN)
                for lv, sub in zip(changes["self_level"], changes["self_sublevel"], strict=True)
            ],
            "Validated": [
                level_words(lv, sub)
                for lv, sub in zip(
                    changes["validated_level"], changes["validated_sublevel"], strict=True
                )
            ],
            **(
                {"Kind of change": [str(k).capitalize() for k in changes["adjustment"]]}
                if "adjustment" in changes
                else {}
            ),
            "Change": [
                adjustment_words(*cells)
                for cells in zip(
                    changes["self_level"],
                    changes["self_sublevel"],
                    changes["validated_level"],
                    changes["validated_sublevel"],
                    strict=True,
                )
            ],
        }
    )


def worklist_table(worklist: pd.DataFrame, *, region: bool = False) -> pd.DataFrame:
    """The validation worklist for people: organisation, status, submitted date and days waiting,
    and who is assigned, the due date and days overdue when the worklist has them.

    Takes :func:`~qio_analysis.metrics.validation_worklist` rows, in their
    order (awaiting validation first, oldest first).
    """
    return pd.DataFrame(
        {
            "Organisation": [
                f"{n} ({c})"
                for n, c in zip(worklist["org_name"], worklist["org_code"], strict=True)
            ],
            **({"Region": worklist["region"].tolist()} if region else {}),
            "Status": worklist["status"].tolist(),
            "Submitted": [
                "\u2013" if not sent else format_date(day)
                for sent, day in zip(worklist["submitted"], worklist["submitted_on"], strict=True)
            ],
            "Days waiting": [
                "\u2013" if pd.isna(d) else format_count(d) for d in worklist["days_waiting"]
            ],
            **(_assignment_columns(worklist) if "assigned_to" in worklist else {}),
        }
    )


def _assignment_columns(worklist: pd.DataFrame) -> dict[str, list[str]]:
    """Who is assigned, when it is due and how many days overdue (a worklist with assignments)."""
    return {
        "Assigned to": ["\u2013" if is_missing(v) else str(v) for v in worklist["assigned_to"]],
        "Due": [format_date(d, missing="\u2013") for d in worklist["due"]],
        "Days overdue": [
            "\u2013" if pd.isna(d) else format_count(d) for d in worklist["days_overdue"]
        ],
    }


NOT_PUBLISHED = "not published"


def headline_table(df: pd.DataFrame, *, target: float = STAFF_RATIO_TARGET) -> pd.DataFrame:
    """Every headline figure as printed on the tiles, both years' returns, the change in the total and like for like.

    Takes :func:`~qio_analysis.metrics.headline_figures` (a headline pack's
    ``headlines`` when published); a figure withheld by disclosure control
    reads "not published", one nobody reported "not reported". Each figure's
    returns are those behind it (a ratio's: the returns with both parts).
    "Better" and "worse" appear only for the staff ratio.

    >>> from qio_analysis import examples
    >>> from qio_analysis.metrics import headline_figures
    >>> table = headline_table(headline_figures(examples.three_returns())).set_index("Measure")
    >>> table.loc["Qualified LKS staff (WTE)"].tolist()
    ['6.4', '2', '5.5', '2', '+16.4%', '+10.0%']
    """
    rows = []
    for r in df.itertuples():
        withheld = tuple(getattr(r, "withheld", ()) or ())
        total = judge_change(r.total_change, r.change_unit)
        like = judge_change(r.change, r.change_unit)
        rows.append(
            {
                "Measure": r.label,
                r.year: _published(r.value, r.unit, target, "value" in withheld),
                f"{r.year} returns": format_count(getattr(r, "n_value", r.n_returns)),
                r.previous_year: _published(r.previous, r.unit, target, "previous" in withheld),
                f"{r.previous_year} returns": format_count(
                    getattr(r, "n_previous", r.n_previous_returns)
                ),
                "Change in the total": NOT_PUBLISHED
                if {"value", "previous"} & set(withheld)
                else _change_cell(total, r.better_when),
                "Like-for-like change": "not applicable"
                if r.measure == "n_services"
                else NOT_PUBLISHED
                if {"value_both", "previous_both"} & set(withheld)
                else _change_cell(like, r.better_when),
            }
        )
    return pd.DataFrame(rows)


def _published(value: object, unit: str, target: float, withheld: bool) -> str:
    """A headline figure as printed; missing is "not published" when withheld, else "not reported"."""
    if is_missing(value):
        return NOT_PUBLISHED if withheld else NOT_REPORTED
    return format_value(value, unit, target=target)


def _change_cell(change: Change, better_when: str) -> str:
    verdict = policy_verdict(change.direction, better_when)
    return f"{change.signed} ({verdict})" if verdict else change.signed

"""The validators' workbook: one per region and one for England.

One row per organisation with self-evaluated and validated level and
sub-level for every outcome, whether the validator changed it and the change
since the previous cycle; a completeness sheet (not submitted, awaiting
validation) and an agreement sheet (exact agreement, mean adjustment,
weighted kappa by outcome), all from the public metrics functions.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook

from qio_analysis.export.sheets import SheetTable, build_book
from qio_analysis.export.workbooks import (
    LEVEL_NOTE,
    LEVELS_SHEET,
    VALIDATION_NOTE,
    WorkbookContext,
    changed_flag,
    level_number,
    sub_text,
)
from qio_analysis.framework import OUTCOME_NUMBERS, OUTCOME_SHORT
from qio_analysis.metrics import (
    movements,
    paired_levels,
    previous_cycle,
    submission_status,
    validation_agreement,
)
from qio_analysis.reference import NATIONAL


def validator_levels(
    subs: pd.DataFrame, cycle: int, org_codes: Iterable[str], before: int | None = None
) -> pd.DataFrame:
    """One row per organisation: self and validated level and sub-level per outcome, flags and change.

    ``before`` is the cycle to measure change from (by default the latest earlier one in ``subs``).
    """
    codes = sorted(set(org_codes))
    now = paired_levels(subs[subs["org_code"].isin(codes)], [cycle])
    if before is None:
        before = previous_cycle(subs, cycle)
    change = None
    if before is not None:
        moves = movements(subs[subs["org_code"].isin(codes)], before, cycle)
        change = moves.set_index(["org_code", "outcome"])["level_change"]
    ident = now.drop_duplicates("org_code").set_index("org_code")
    index = now.set_index(["org_code", "outcome"])
    rows = []
    for code in codes:
        if code not in ident.index:
            continue
        row: dict[str, object] = {
            "Organisation code": code,
            "Organisation name": ident.at[code, "org_name"],
            "Region": ident.at[code, "region"],
        }
        validated_all = True
        for o in OUTCOME_NUMBERS:
            got = index.loc[(code, o)] if (code, o) in index.index else pd.Series(dtype=object)
            get = got.get
            prefix = f"Outcome {o}"
            row[f"{prefix} self-evaluated level"] = level_number(get("self_level"))
            row[f"{prefix} self-evaluated sub-level"] = sub_text(get("self_sublevel"))
            row[f"{prefix} validated level"] = level_number(get("validated_level"))
            row[f"{prefix} validated sub-level"] = sub_text(get("validated_sublevel"))
            validated_all &= row[f"{prefix} validated level"] is not None
            row[f"{prefix} changed by validator"] = changed_flag(
                get("self_score"), get("validated_score")
            )
            if before is not None:
                value = change.get((code, o)) if change is not None else None
                row[f"{prefix} change since {before}"] = (
                    None if value is None or pd.isna(value) else int(value)
                )
        row["Status"] = "Validated" if validated_all else "Awaiting validation"
        rows.append(row)
    return pd.DataFrame(rows)


def _agreement_table(subs: pd.DataFrame, cycle: int) -> pd.DataFrame:
    summary = validation_agreement(subs, cycle).summary
    return pd.DataFrame(
        {
            "Outcome": [
                "All outcomes" if pd.isna(o) else f"{int(o)} {OUTCOME_SHORT[int(o)]}"
                for o in summary["outcome"]
            ],
            "Pairs compared": summary["n_pairs"].astype(int).tolist(),
            "Exact agreement on level (%)": summary["pct_exact"].tolist(),
            "Exact agreement on level and sub-level (%)": summary["pct_exact_score"].tolist(),
            "Lowered by validator (%)": summary["pct_lowered"].tolist(),
            "Raised by validator (%)": summary["pct_raised"].tolist(),
            "Mean adjustment (levels)": summary["mean_adjustment"].tolist(),
            "Mean adjustment (score)": summary["mean_score_adjustment"].tolist(),
            "Weighted kappa": summary["kappa"].tolist(),
        }
    )


def _completeness_table(
    subs: pd.DataFrame, orgs: pd.DataFrame | None, cycle: int, region: str | None
) -> pd.DataFrame:
    if orgs is None:  # no organisations table: those submitting this cycle are all we know of
        subs = subs[subs["cycle"] == cycle]
    status = submission_status(subs, orgs, cycle)
    if region is not None:
        status = status[status["region"] == region]
    return pd.DataFrame(
        {
            "Organisation code": status["org_code"].tolist(),
            "Organisation name": status["org_name"].tolist(),
            "Region": status["region"].tolist(),
            "Submitted": ["Yes" if s else "No" for s in status["submitted"]],
            "Status": status["status"].tolist(),
        }
    )


def validator_workbook(
    subs: pd.DataFrame,
    orgs: pd.DataFrame | None,
    cycle: int,
    region: str | None,
    context: WorkbookContext,
) -> Workbook:
    """The validators' workbook of one region (``region=None``: England)."""
    place = region or NATIONAL
    in_cycle = subs[subs["cycle"] == cycle]
    codes = (
        in_cycle["org_code"]
        if region is None
        else in_cycle.loc[in_cycle["region"] == region, "org_code"]
    )
    scope = subs[subs["org_code"].isin(set(codes))]
    before = previous_cycle(subs, cycle)
    levels = validator_levels(scope, cycle, codes, before)
    level_cols = [c for c in levels.columns if c.endswith(" level")]
    change_cols = [c for c in levels.columns if " change since " in c]
    completeness = _completeness_table(subs, orgs, cycle, region)
    counts = completeness["Status"].value_counts()
    agreement = _agreement_table(scope, cycle)
    tables = [
        SheetTable(
            sheet=LEVELS_SHEET,
            title=f"Self-evaluated and validated levels by organisation and outcome, {place}, {cycle} [note 1] [note 2]",
            frame=levels,
            description=[
                "This worksheet contains one table, one row per organisation. Filter with the header buttons.",
                (
                    f"Change since {before}: validated level in {cycle} minus {before}, in whole "
                    "levels; empty when either cycle has no validated level [note 3]."
                    if before is not None
                    else "There is no earlier cycle to compare with."
                ),
            ],
            level_columns=level_cols,
            formats=dict.fromkeys(change_cols, "+0;-0;0"),
            frozen_columns=2,
        ),
        SheetTable(
            sheet="Completeness",
            title=f"Submission and validation status by organisation, {place}, {cycle}",
            frame=completeness,
            description=[
                "This worksheet contains one table. "
                + ", ".join(
                    f"{counts.get(s, 0)} {s}"
                    for s in ("validated", "awaiting validation", "not submitted")
                )
                + "."
            ],
        ),
        SheetTable(
            sheet="Agreement",
            title=f"Agreement between self-evaluated and validated levels by outcome, {place}, {cycle} [note 4]",
            frame=agreement,
            description=["This worksheet contains one table."],
            formats={
                **dict.fromkeys([c for c in agreement.columns if c.endswith("(%)")], "0.0"),
                "Mean adjustment (levels)": "0.00",
                "Mean adjustment (score)": "0.00",
                "Weighted kappa": "0.00",
            },
        ),
    ]
    title = f"QIOF validation workbook: {place}, {cycle}"
    cover = context.cover(
        title,
        f"For validators: every organisation in {place} with its self-evaluated and validated "
        f"QIOF levels in {cycle}, the change since the previous cycle, who has not submitted "
        "or awaits validation, and how far validated levels agree with self-evaluations.",
    )
    notes = [
        LEVEL_NOTE,
        VALIDATION_NOTE,
        "Change counts whole levels: a rise or fall is a change of level. Sub-levels are not "
        "counted, because a level given without one says nothing about where within the "
        "level a service sits; the sub-levels of both cycles are in the organisation workbooks.",
        "Only outcomes with both a self-evaluated and a validated level count. Mean adjustment is "
        "validated minus self-evaluated. Weighted kappa is Cohen's kappa with quadratic weights "
        "on levels 0 to 4 (1 is perfect agreement); empty when it is undefined.",
    ]
    return build_book(
        title=title,
        cover=cover,
        tables=tables,
        notes=notes,
        subject=f"QIOF validation {place} {cycle}",
        keywords=f"QIOF, LKS, validation, {place}, {cycle}",
    )

"""The validators' workbook: one per region and one for England.

One row per organisation with self-evaluated and validated level and
sub-level for every outcome, whether the validator changed it (per outcome,
and in one column to filter on) and the change since the previous cycle; an
adjustments sheet with every outcome the validator changed; a worklist
(status, submitted date and days waiting, oldest first) and an agreement
sheet (exact agreement, mean adjustment, weighted kappa by outcome), all from
the public metrics functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook

from qio_analysis.export.sheets import SheetTable, build_book
from qio_analysis.export.workbooks import (
    LEVEL_NOTE,
    LEVELS_SHEET,
    VALIDATION_NOTE,
    WorkbookContext,
    actions_sheet,
    changed_flag,
    level_number,
    sub_text,
)
from qio_analysis.framework import OUTCOME_NUMBERS, OUTCOME_SHORT
from qio_analysis.metrics import (
    movements,
    paired_levels,
    previous_cycle,
    validation_agreement,
    validation_worklist,
    validator_changes,
)
from qio_analysis.metrics.validation import (
    LOWERED,
    RAISED,
    SUBLEVEL_ONE_SIDE,
    adjustment_counts,
)
from qio_analysis.reference import NATIONAL
from qio_analysis.words import adjustment_kind_words, adjustment_words


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
            "Changed by validator": None,
            "Outcomes changed by validator": None,
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
                get("self_level"),
                get("self_sublevel"),
                get("validated_level"),
                get("validated_sublevel"),
            )
            if before is not None:
                value = change.get((code, o)) if change is not None else None
                row[f"{prefix} change since {before}"] = (
                    None if value is None or pd.isna(value) else int(value)
                )
        flags = {o: row[f"Outcome {o} changed by validator"] for o in OUTCOME_NUMBERS}
        changed = [str(o) for o, flag in flags.items() if flag == "Yes"]
        if any(flag is not None for flag in flags.values()):
            row["Changed by validator"] = "Yes" if changed else "No"
            row["Outcomes changed by validator"] = ", ".join(changed) or None
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
            "Levels lowered by validator (%)": summary["pct_lowered"].tolist(),
            "Levels raised by validator (%)": summary["pct_raised"].tolist(),
            "Levels lowered": summary["n_level_lowered"].astype(int).tolist(),
            "Levels raised": summary["n_level_raised"].astype(int).tolist(),
            "Sub-levels lowered (same level)": summary["n_sublevel_lowered"].astype(int).tolist(),
            "Sub-levels raised (same level)": summary["n_sublevel_raised"].astype(int).tolist(),
            "Sub-level on one side only (not compared)": summary["n_sublevel_not_comparable"]
            .astype(int)
            .tolist(),
            "Pairs compared at sub-levels": summary["n_pairs_score"].astype(int).tolist(),
            "Exact agreement on level and sub-level (% of compared)": summary[
                "pct_exact_score"
            ].tolist(),
            "Weighted kappa, levels": summary["kappa"].tolist(),
            "Weighted kappa, sub-levels (compared pairs)": summary["kappa_score"].tolist(),
        }
    )


def _worklist_table(
    subs: pd.DataFrame,
    orgs: pd.DataFrame | None,
    cycle: int,
    region: str | None,
    run_date: dt.date | str,
    assignments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    if orgs is None:  # no organisations table: those submitting this cycle are all we know of
        subs = subs[subs["cycle"] == cycle]
    worklist = validation_worklist(subs, orgs, cycle, run_date=run_date, assignments=assignments)
    if region is not None:
        worklist = worklist[worklist["region"] == region]
    extra = (
        {}
        if assignments is None
        else {
            "Assigned to": worklist["assigned_to"].tolist(),
            "Due": [None if pd.isna(d) else d.date() for d in worklist["due"]],
            "Days overdue": worklist["days_overdue"].tolist(),
        }
    )
    return pd.DataFrame(
        {
            "Organisation code": worklist["org_code"].tolist(),
            "Organisation name": worklist["org_name"].tolist(),
            "Region": worklist["region"].tolist(),
            "Status": worklist["status"].tolist(),
            "Submitted": worklist["submitted_on"].tolist(),
            "Days waiting": worklist["days_waiting"].tolist(),
            **extra,
        }
    )


def _adjustments_table(subs: pd.DataFrame, cycle: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """Every outcome the validator raised or lowered, and the counts of each kind of change
    (:func:`~qio_analysis.metrics.adjustment_counts`: compared, levels and sub-levels moved,
    and a sub-level on one side only, not compared)."""
    changes = validator_changes(subs, cycle)
    changed = changes[changes["direction"].isin([RAISED, LOWERED])]
    parts = ["self_level", "self_sublevel", "validated_level", "validated_sublevel"]
    table = pd.DataFrame(
        {
            "Organisation code": changed["org_code"].tolist(),
            "Organisation name": changed["org_name"].tolist(),
            "Region": changed["region"].tolist(),
            "Outcome": [f"{int(o)} {OUTCOME_SHORT[int(o)]}" for o in changed["outcome"]],
            "Self-evaluated level": changed["self_level"].map(level_number).tolist(),
            "Self-evaluated sub-level": changed["self_sublevel"].map(sub_text).tolist(),
            "Validated level": changed["validated_level"].map(level_number).tolist(),
            "Validated sub-level": changed["validated_sublevel"].map(sub_text).tolist(),
            "Kind of change": changed["adjustment"].map(str.capitalize).tolist(),
            "Change (whole levels)": changed["level_change"].astype("Int64").tolist(),
            "Change": [
                adjustment_words(*cells) for cells in zip(*(changed[c] for c in parts), strict=True)
            ],
        }
    )
    return table, adjustment_counts(changes)


def _levels_sheet(levels: pd.DataFrame, place: str, cycle: int, before: int | None) -> SheetTable:
    """Every organisation's levels, whether the validator changed them, and the change since ``before``."""
    change_cols = [c for c in levels.columns if " change since " in c]
    return SheetTable(
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
        level_columns=[c for c in levels.columns if c.endswith(" level")],
        formats=dict.fromkeys(change_cols, "+0;-0;0"),
        frozen_columns=2,
    )


def _adjustments_sheet(
    adjustments: pd.DataFrame, kinds: dict[str, int], place: str, cycle: int
) -> SheetTable:
    """Every outcome the validator raised or lowered, "N of M" counted as :func:`adjustment_counts` does."""
    compared, one_side = kinds["compared"], kinds[SUBLEVEL_ONE_SIDE]
    return SheetTable(
        sheet="Adjustments",
        title=f"Every outcome where the validator raised or lowered the self-evaluation, {place}, "
        f"{cycle}: {len(adjustments)} of {compared} [note 2]",
        frame=adjustments,
        description=[
            "This worksheet contains one table, one row per organisation and outcome the "
            f"validator changed: {len(adjustments)} of the {compared} outcomes with both a "
            f"self-evaluated and a validated level: {adjustment_kind_words(kinds)}. A level "
            "lowered or raised is a change of whole level; a sub-level lowered or raised is "
            "on the same level, and counts when both levels carry one (Kind of change "
            "column). Not listed: "
            f"{one_side} outcome{'s' if one_side != 1 else ''} kept the same level with a "
            "sub-level on one side only, which is not compared ('Sub-level not comparable' "
            "on the Levels sheet).",
            "Change (whole levels): validated minus self-evaluated level, in whole levels "
            "[note 3].",
        ],
        level_columns=[c for c in adjustments.columns if c.endswith(" level")],
        formats={"Change (whole levels)": "+0;-0;0"},
        frozen_columns=2,
    )


def _worklist_sheet(
    worklist: pd.DataFrame, place: str, cycle: int, run_date: dt.date | str
) -> SheetTable:
    """Who awaits validation and for how long, counted to ``run_date``."""
    counts = worklist["Status"].value_counts()
    day = pd.Timestamp(run_date)
    return SheetTable(
        sheet="Worklist",
        title=f"Validation worklist: status, date submitted and days waiting, {place}, {cycle}",
        frame=worklist,
        description=[
            "This worksheet contains one table: organisations awaiting validation first, "
            "oldest first, then those not submitted, then the rest. "
            + ", ".join(
                f"{counts.get(s, 0)} {s}"
                for s in ("awaiting validation", "not submitted", "validated")
            )
            + ".",
            f"Days waiting count from the submission to {day.day} {day:%B %Y}; empty when "
            "the organisation is not awaiting validation or its export has no submission date.",
        ],
        formats={"Submitted": "dd/mm/yyyy", "Days waiting": "0", "Due": "dd/mm/yyyy"},
        frozen_columns=2,
    )


def _agreement_sheet(agreement: pd.DataFrame, place: str, cycle: int) -> SheetTable:
    return SheetTable(
        sheet="Agreement",
        title=f"Agreement between self-evaluated and validated levels by outcome, {place}, {cycle} [note 4]",
        frame=agreement,
        description=["This worksheet contains one table."],
        formats={
            **dict.fromkeys([c for c in agreement.columns if c.endswith("(%)")], "0.0"),
            **dict.fromkeys([c for c in agreement.columns if c.endswith("compared)")], "0.0"),
            "Weighted kappa, levels": "0.00",
            "Weighted kappa, sub-levels (compared pairs)": "0.00",
        },
    )


#: The workbook's notes, after the level and validation notes every workbook has.
_NOTES = [
    "Change counts whole levels: a rise or fall is a change of level. Sub-levels are not "
    "counted, because a level given without one says nothing about where within the "
    "level a service sits; the sub-levels of both cycles are in the organisation workbooks.",
    "Only outcomes with both a self-evaluated and a validated level count. Levels and "
    "sub-levels moved are counted, never averaged. Agreement on level and sub-level, and "
    "kappa on sub-levels, leave out outcomes on the same level with a sub-level on one side "
    "only, which cannot be compared (counted in their own column). Weighted kappa is "
    "Cohen's kappa with quadratic weights on levels 0 to 4, or on the 20 sub-level steps "
    "(1 is perfect agreement); empty when it is undefined.",
]


def validator_workbook(
    subs: pd.DataFrame,
    orgs: pd.DataFrame | None,
    cycle: int,
    region: str | None,
    context: WorkbookContext,
    *,
    run_date: dt.date | str | None = None,
    actions: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
) -> Workbook:
    """The validators' workbook of one region (``region=None``: England).

    Days waiting for validation count to ``run_date`` (by default the day
    the workbook is made). ``assignments`` (``ReadResult.assignments``) add who is
    assigned, the due date and days overdue to the worklist. ``actions`` are the region's
    :func:`~qio_analysis.metrics.actions.required_actions` (none when None).
    """
    run_date = run_date or dt.date.today()
    place = region or NATIONAL
    in_cycle = subs[subs["cycle"] == cycle]
    codes = (
        in_cycle["org_code"]
        if region is None
        else in_cycle.loc[in_cycle["region"] == region, "org_code"]
    )
    scope = subs[subs["org_code"].isin(set(codes))]
    before = previous_cycle(subs, cycle)
    tables = [
        _levels_sheet(validator_levels(scope, cycle, codes, before), place, cycle, before),
        _adjustments_sheet(*_adjustments_table(scope, cycle), place, cycle),
        _worklist_sheet(
            _worklist_table(subs, orgs, cycle, region, run_date, assignments),
            place,
            cycle,
            run_date,
        ),
        _agreement_sheet(_agreement_table(scope, cycle), place, cycle),
        actions_sheet(actions, place, cycle, organisation=True),
    ]
    title = f"QIOF validation workbook: {place}, {cycle}"
    cover = context.cover(
        title,
        f"For validators: every organisation in {place} with its self-evaluated and validated "
        f"QIOF levels in {cycle}, every outcome the validator changed, the change since the "
        "previous cycle, who has not submitted or awaits validation and for how long, and how "
        "far validated levels agree with self-evaluations.",
    )
    return build_book(
        title=title,
        cover=cover,
        tables=tables,
        notes=[LEVEL_NOTE, VALIDATION_NOTE, *_NOTES],
        subject=f"QIOF validation {place} {cycle}",
        keywords=f"QIOF, LKS, validation, {place}, {cycle}",
    )

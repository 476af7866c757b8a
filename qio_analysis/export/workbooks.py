"""QIOF workbooks: one per organisation (HEE template style); validators' are in ``validation``.

The organisation workbook follows HEE's "Self-evaluated and validated
levels report": the six outcomes with self-evaluated and validated level
and sub-level, the validated levels of earlier cycles and a native Excel
radar chart drawn from those cells, so it stays live when a level is
edited. The validator workbook has one row per organisation, the change
since the previous cycle, completeness and agreement sheets.

Every number comes from the public metrics functions (``level_profile``,
``paired_levels``, ``movements``, ``submission_status``,
``validation_agreement``). Every workbook is saved through
:func:`qio_analysis.io.writers.write_workbook_atomic`, with no formula
allowed: the project writes none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import RadarChart, Reference

from qio_analysis.errors import QioConfigError
from qio_analysis.export.sheets import SheetTable, build_book
from qio_analysis.framework import (
    OUTCOME_NUMBERS,
    OUTCOME_SHORT,
    SAME_LEVEL,
    SUBLEVEL_NOT_COMPARABLE,
    compare_levels,
    is_blank,
)
from qio_analysis.metrics import paired_levels
from qio_analysis.reference import region_slug
from qio_analysis.words.actions import REQUIRED_ACTIONS_HEADING, no_actions_sentence

LEVELS_SHEET = "Levels"
CHART_SHEET = "Radar_chart"
ACTIONS_SHEET = "Required_actions"

LEVEL_NOTE = (
    "Levels run from 0 (not developed) to 4 (highly developed); a level may carry a "
    "sub-level (Low, Medium or High). An empty level cell means there is no level: the "
    "outcome was not submitted, or has not been validated yet."
)
VALIDATION_NOTE = (
    "Self-evaluated levels are the organisation's own; validated levels are agreed by the "
    "LKS Lead who validated the submission. 'Changed by validator' is Yes when the validated "
    "level differs from the self-evaluation, or its sub-level does and both levels carry one; "
    "No when they are the same; 'Sub-level not comparable' when the level is the same and "
    "only one of them has a sub-level (a level without one says nothing about where within "
    "the level the service sits); and empty when either is missing."
)
DEMO_NOTE = "Synthetic demo data: the organisations and levels in this workbook are fictional."


@dataclass(frozen=True)
class WorkbookContext:
    """What every workbook's cover states about its making."""

    sources: Sequence[str]
    version: str
    demo: bool
    made: str = ""

    def cover(
        self, title: str, about: str, details: Sequence[str] = ()
    ) -> list[tuple[str, str | None]]:
        """A cover's lines: the title, the demo warning when it applies, what the workbook
        holds (``about`` and ``details``), the source data and how it was made."""
        made = self.made or dt.date.today().strftime("%d %B %Y")
        lines: list[tuple[str, str | None]] = [(title, "title")]
        if self.demo:
            lines.append((DEMO_NOTE, "heading"))
        lines += [("About this workbook", "heading"), (about, None)]
        lines += [(detail, None) for detail in details]
        lines.append(("Source data: " + ", ".join(self.sources), None))
        lines.append((f"Produced on {made} with qio-analysis {self.version}.", None))
        return lines


def sub_text(value: object) -> str | None:
    """A sub-level as text, None when there is none."""
    return None if value is None or pd.isna(value) else str(value)


def level_number(value: object) -> int | None:
    """A level as a Python int, None when missing (an empty cell, never 0)."""
    return None if value is None or pd.isna(value) else int(value)


#: "Changed by validator" for the same level with a sub-level on one side only.
NOT_COMPARABLE_FLAG = "Sub-level not comparable"


def changed_flag(self_level: object, self_sub: object, level: object, sub: object) -> str | None:
    """Did the validator change the level, by the one rule for comparing levels?

    'Yes' for a change of whole level, or of sub-level when both carry one;
    'No' for the same level; 'Sub-level not comparable' when only one side
    has a sub-level; None when either level is missing.

    >>> changed_flag(3, None, 2, None), changed_flag(2, "Low", 2, "High"), changed_flag(2, None, 2, None)
    ('Yes', 'Yes', 'No')
    >>> changed_flag(3, None, 3, "Medium"), changed_flag(None, None, 2, None)
    ('Sub-level not comparable', None)
    """
    if is_blank(self_level) or is_blank(level):
        return None
    status = compare_levels(self_level, self_sub, level, sub).status
    if status == SUBLEVEL_NOT_COMPARABLE:
        return NOT_COMPARABLE_FLAG
    return "No" if status == SAME_LEVEL else "Yes"


def actions_sheet(
    actions: pd.DataFrame | None, scope: str, cycle: int, *, organisation: bool
) -> SheetTable:
    """The required actions sheet: the report's table of
    :func:`~qio_analysis.metrics.actions.required_actions` (``organisation``: a
    region's list, naming each organisation), or the sentence saying there are none."""
    from qio_analysis.metrics.actions import ACTION_COLUMNS
    from qio_analysis.report.actions import actions_table

    if actions is None:
        actions = pd.DataFrame(columns=ACTION_COLUMNS)
    table = actions_table(actions, organisation=organisation)
    dates = pd.to_datetime(actions["validated_on"])
    table["Date validated"] = [None if pd.isna(d) else d.date() for d in dates]  # a date cell
    about = (
        "This worksheet contains one table, one row per outcome with a required action or "
        "recommendation entered by the validator on the validation form."
    )
    return SheetTable(
        sheet=ACTIONS_SHEET,
        title=f"{REQUIRED_ACTIONS_HEADING}, {scope}, {cycle}",
        frame=table,
        description=[about if len(table) else no_actions_sentence(scope, cycle)],
        wide=["Required actions and recommendations"],
        formats={"Date validated": "dd/mm/yyyy"},
    )


# ------------------------------------------------------------ organisation


def organisation_tables(
    subs: pd.DataFrame, cycle: int, codes: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Each organisation's workbook table: six outcomes, this cycle and earlier validated levels.

    Built from one :func:`paired_levels` of every cycle (what ``level_profile``
    pairs up for the HTML report), then split by organisation, so hundreds of
    workbooks cost one pass over the data.
    """
    wanted = None if codes is None else set(codes)
    pairs = paired_levels(subs if wanted is None else subs[subs["org_code"].isin(wanted)])
    fields = [
        "self_level",
        "self_sublevel",
        "self_score",
        "validated_level",
        "validated_sublevel",
        "validated_score",
    ]
    records: dict[tuple[str, int, int], dict[str, object]] = {}
    cycles: dict[str, set[int]] = {}
    columns = {f: pairs[f].astype(object).tolist() for f in fields}
    for i, (code, cyc, o) in enumerate(
        zip(
            pairs["org_code"], pairs["cycle"].astype(int), pairs["outcome"].astype(int), strict=True
        )
    ):
        records[(code, cyc, o)] = {f: columns[f][i] for f in fields}
        cycles.setdefault(code, set()).add(cyc)
    empty: dict[str, object] = dict.fromkeys(fields)
    tables = {}
    for code in sorted(cycles):
        if cycle not in cycles[code]:
            continue
        now = [records.get((code, cycle, o), empty) for o in OUTCOME_NUMBERS]
        table = pd.DataFrame(
            {
                "Outcome number": list(OUTCOME_NUMBERS),
                "Outcome": [OUTCOME_SHORT[o] for o in OUTCOME_NUMBERS],
                f"Self-evaluated level {cycle}": [level_number(r["self_level"]) for r in now],
                f"Self-evaluated sub-level {cycle}": [sub_text(r["self_sublevel"]) for r in now],
                f"Validated level {cycle}": [level_number(r["validated_level"]) for r in now],
                f"Validated sub-level {cycle}": [sub_text(r["validated_sublevel"]) for r in now],
                "Changed by validator": [
                    changed_flag(
                        r["self_level"],
                        r["self_sublevel"],
                        r["validated_level"],
                        r["validated_sublevel"],
                    )
                    for r in now
                ],
            },
            dtype=object,
        )
        for past in sorted((c for c in cycles[code] if c < cycle), reverse=True):
            rows = [records.get((code, past, o), empty) for o in OUTCOME_NUMBERS]
            table[f"Validated level {past}"] = [level_number(r["validated_level"]) for r in rows]
            table[f"Validated sub-level {past}"] = [sub_text(r["validated_sublevel"]) for r in rows]
        tables[code] = table
    return tables


def organisation_levels(subs: pd.DataFrame, org_code: str, cycle: int) -> pd.DataFrame:
    """One organisation's workbook table (see :func:`organisation_tables`)."""
    tables = organisation_tables(subs, cycle, [org_code])
    if org_code not in tables:
        raise QioConfigError(f"{org_code} has no submission for {cycle}.")
    return tables[org_code]


def organisation_workbook(
    subs: pd.DataFrame,
    org_code: str,
    cycle: int,
    context: WorkbookContext,
    *,
    table: pd.DataFrame | None = None,
    actions: pd.DataFrame | None = None,
) -> Workbook:
    """The HEE-style levels workbook of one organisation, with a live radar chart.

    ``table`` is the organisation's :func:`organisation_tables` entry when
    already made (batch runs make them all at once). ``actions`` are its
    :func:`~qio_analysis.metrics.actions.required_actions` (none when None).
    """
    if table is None:
        table = organisation_levels(subs, org_code, cycle)
    first = subs[(subs["org_code"] == org_code) & (subs["cycle"] == cycle)].iloc[0]
    name, region = str(first["org_name"]), str(first["region"])
    validated = table[f"Validated level {cycle}"].notna().all()
    status = "Validated" if validated else "Provisional: awaiting validation [note 2]"
    level_cols = [c for c in table.columns if " level " in f"{c} " and "sub-level" not in c]
    spec = SheetTable(
        sheet=LEVELS_SHEET,
        title=f"Self-evaluated and validated levels by outcome, {cycle} and earlier cycles [note 1] [note 2]",
        frame=table,
        description=[
            f"Organisation: {name} ({org_code}), {region}.",
            "This worksheet contains one table. Level cells are shaded by level; the level is always shown as a number.",
        ],
        level_columns=level_cols,
    )
    title = f"QIOF self-evaluated and validated levels: {name} ({org_code}), {cycle}"
    cover = context.cover(
        title,
        "The Quality and Improvement Outcomes Framework (QIOF) level of each of the six "
        "outcomes: self-evaluated by the library and knowledge service, then validated. "
        "There is no overall score.",
        [
            f"Organisation: {name}",
            f"Organisation code: {org_code}",
            f"Region: {region}",
            f"Cycle: {cycle}",
            f"Status: {status}",
        ],
    )
    cover += [
        ("Contents", "heading"),
        (
            f"{LEVELS_SHEET}: the levels table. {ACTIONS_SHEET}: the validator's required "
            f"actions and recommendations. {CHART_SHEET}: a radar chart drawn from the levels.",
            None,
        ),
    ]
    book = build_book(
        title=title,
        cover=cover,
        tables=[spec, actions_sheet(actions, f"{name} ({org_code})", cycle, organisation=False)],
        notes=[LEVEL_NOTE, VALIDATION_NOTE],
        subject=f"QIOF levels {cycle}",
        keywords=f"QIOF, LKS, {org_code}, {cycle}",
        extra_sheets=[(CHART_SHEET, f"Radar chart of the levels in {LEVELS_SHEET}")],
    )
    _radar(book, spec, cycle, title=f"{name}: QIOF levels {cycle}")
    return book


def _radar(book: Workbook, spec: SheetTable, cycle: int, *, title: str) -> None:
    """A native radar chart on its own sheet, referencing the level cells of the table."""
    levels = book[LEVELS_SHEET]
    sheet = book[CHART_SHEET]
    sheet["A1"] = title
    sheet["A2"] = (
        f"Radar chart of the levels in the {LEVELS_SHEET} sheet (0 to 4 on each outcome's axis). "
        "It is drawn from those cells, so it follows any edit. The same levels are in the table."
    )
    top = spec.header_row()
    bottom = top + len(spec.frame)
    columns = list(spec.frame.columns)
    chart = RadarChart()
    chart.type = "marker"
    chart.title = title
    chart.style = 2
    wanted = [f"Validated level {cycle}", f"Self-evaluated level {cycle}"]
    wanted += [c for c in columns if c.startswith("Validated level ") and c not in wanted][:1]
    for name in wanted:
        col = columns.index(name) + 1
        data = Reference(levels, min_col=col, min_row=top, max_row=bottom)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(levels, min_col=2, min_row=top + 1, max_row=bottom))
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 4
    chart.y_axis.majorUnit = 1
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.display_blanks = "gap"
    chart.height, chart.width = 12, 18
    sheet.add_chart(chart, "A4")


# ------------------------------------------------------------ files


def organisation_workbook_path(cycle: int, org_code: str) -> str:
    """Where an organisation's workbook goes, relative to the output folder."""
    if not org_code.isalnum():
        raise QioConfigError(f"{org_code!r} is not an organisation code that can name a file.")
    return f"{cycle}/organisations/{org_code}.xlsx"


def validator_workbook_path(cycle: int, region: str | None) -> str:
    """Where a region's (or England's, ``None``) validator workbook goes."""
    return f"{cycle}/workbooks/{'england' if region is None else region_slug(region)}.xlsx"


def save_workbook(book: Workbook, path: Path) -> Path:
    """Save through the project's one writer: atomic, and no formula is allowed."""
    from qio_analysis.io.writers import write_workbook_atomic

    return write_workbook_atomic(path, book, formulas=())

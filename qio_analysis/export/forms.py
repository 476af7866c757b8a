"""Validation forms: workbooks a validator fills in and ``qa.read_submissions`` reads back.

Two layouts (``qio validation-forms --layout``):

* ``organisation``: one workbook per organisation, laid out like the national
  self-evaluation and validated-levels template: a title block, then one
  row per outcome with the self-evaluated level and sub-level, the validated
  level and sub-level, and the required actions and recommendations;
* ``region``: one workbook per region, one row per organisation.

The self-evaluation is filled in and locked (sheet protection, no
password: it prevents slips, and the reader checks every locked cell
anyway). The entry cells are unlocked and shaded, with drop-down lists of
levels and sub-levels, a date check and an input message. Any validated
level already in the data is filled in, so the form shows the current
state. Each workbook carries its record (:mod:`qio_analysis.io.form_record`),
has a cover, contents, notes and instructions like every other workbook,
holds no formula, and is saved through the one writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from qio_analysis.errors import QioConfigError
from qio_analysis.export.sheets import SheetTable, build_book
from qio_analysis.export.workbooks import (
    LEVEL_NOTE,
    WorkbookContext,
    level_number,
    save_workbook,
    sub_text,
)
from qio_analysis.framework import LEVELS, OUTCOME_NUMBERS, OUTCOMES, SUBLEVELS
from qio_analysis.io.form_record import LAYOUTS, RECORD_SHEET, FormRecord, cell_ref
from qio_analysis.io.writers import clean_text, fit_cell
from qio_analysis.metrics import paired_levels
from qio_analysis.reference import region_name, region_slug

FORM_SHEET = "Validation"
ASSIGNED_LABEL = "Assigned validator"
DUE_LABEL = "Due date"
INSTRUCTIONS_SHEET = "Instructions"
COMMENT_LABEL = "Required actions and recommendations"
#: Entry cells: shaded pale yellow and boxed, and named in the instructions (never colour alone).
ENTRY_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
_EDGE = Side(style="medium", color="425563")
ENTRY_BORDER = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_MAX_COMMENT = 4000

FORM_NOTE = (
    "Self-evaluated levels are the organisation's own, as in the export this form was written "
    "from; they are locked. Enter the validated level and sub-level of each outcome, the "
    "required actions and recommendations, your name and the date in the shaded cells."
)
RECORD_NOTE = (
    "This workbook holds a very hidden sheet, 'qio_form', recording the form as written. When "
    "the form is read back, every cell outside the shaded entry cells is compared with it, so "
    "a change to a locked cell is reported rather than read as data."
)
STEPS = [
    "Check the organisation, region and cycle at the top of the Validation sheet.",
    "For each outcome, choose the validated level (0 to 4) from the drop-down list in the "
    "'Validated level' column. Leave it blank if the outcome is not validated yet.",
    "Choose a validated sub-level (Low, Medium or High) if there is one. A sub-level needs a level.",
    f"Write the {COMMENT_LABEL.lower()} for each outcome in the last column.",
    "Enter your name in 'Validated by' and the date of the validation in 'Date validated' "
    "(day/month/year).",
    "Save the workbook under any name and return it. Do not copy it to make a form for another "
    "organisation: write a new form for each.",
    "Only the shaded cells with a thick border can be changed. The sheet is protected without "
    "a password; if you unprotect it, changes outside the shaded cells are reported when the "
    "form is read back, and the form is not loaded until they are undone.",
]


@dataclass(frozen=True)
class Assignment:
    """Who is to validate, and by when (``qio validation-forms --validator NAME --due DATE``)."""

    validator: str | None = None
    due: dt.date | None = None

    def cells(self) -> list[tuple[str, object]]:
        """``(label, value)`` as written on the form; the reader knows these labels."""
        return [(ASSIGNED_LABEL, self.validator), (DUE_LABEL, self.due)]


def form_path(layout: str, cycle: int, name: str) -> str:
    """A form's file name: ``ZB64-validation-2025.xlsx`` or ``north-west-validation-2025.xlsx``."""
    stem = region_slug(name) if layout == "region" else name
    if not stem.replace("-", "").isalnum():
        raise QioConfigError(f"unsafe name for a file: {name!r}")
    return f"{stem}-validation-{cycle}.xlsx"


class _Writer:
    """Writes the form sheet, remembering every value and entry cell for the form's record."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.cells: dict[str, object] = {}
        self.entry: list[str] = []
        self.header = 1  # the table's header row, repeated on printed pages

    def put(self, row: int, column: int, value: object, *, font: Font | None = None) -> None:
        if isinstance(value, str):  # as the writer will store it, so the record matches
            value = fit_cell(clean_text(value)[0])
        cell = self.sheet.cell(row=row, column=column, value=value)
        if font is not None:
            cell.font = font
        if value is not None:
            self.cells[cell.coordinate] = value

    def entry_range(self, top: int, left: int, bottom: int, right: int) -> str:
        """Unlock and shade a block of entry cells; returns its reference."""
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                cell = self.sheet.cell(row=row, column=column)
                cell.protection = Protection(locked=False)
                cell.fill = ENTRY_FILL
                cell.border = ENTRY_BORDER
                cell.alignment = _WRAP
        ref = f"{cell_ref(top, left)}:{cell_ref(bottom, right)}"
        self.entry.append(ref)
        return ref

    def validate(self, ref: str, rule: DataValidation) -> None:
        """Apply ``rule`` to ``ref``: one rule per kind of entry, however many ranges it covers."""
        rule.add(ref)
        if all(r is not rule for r in self.sheet.data_validations.dataValidation):
            self.sheet.add_data_validation(rule)

    def table(self, name: str, top: int, bottom: int, width: int) -> None:
        self.header = top
        table = Table(displayName=name, ref=f"A{top}:{get_column_letter(width)}{bottom}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
        self.sheet.add_table(table)
        for column in range(1, width + 1):
            self.sheet.cell(row=top, column=column).font = _BOLD
            self.sheet.cell(row=top, column=column).alignment = _WRAP

    def finish(self, record: FormRecord, book: Workbook, *, titles: str | None = None) -> None:
        """Protect the sheet, add the record and lock the workbook's structure.

        A wide sheet (``titles``: the columns to repeat on every printed page, such as
        ``"A:B"``) prints landscape at a readable scale, page by page across, with those
        columns and the header row repeated; a narrow one fits the page width.
        """
        protection = self.sheet.protection
        protection.sheet = True
        protection.formatColumns = False  # widening a column, or filtering, changes no value
        protection.formatRows = False
        protection.autoFilter = False
        stored = book.create_sheet(RECORD_SHEET)
        for row in record.rows():
            stored.append(row)
        stored.protection.sheet = True
        stored.sheet_state = "veryHidden"
        book.security = WorkbookProtection(lockStructure=True)
        for sheet in book.worksheets:
            sheet.sheet_view.tabSelected = False
        book.active = book.worksheets.index(self.sheet)
        self.sheet.sheet_view.tabSelected = True
        setup = self.sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = self.sheet.PAPERSIZE_A4
        if titles is None:
            setup.fitToWidth, setup.fitToHeight = 1, 0
            self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        else:
            setup.scale = 80
            self.sheet.print_title_cols = titles
            self.sheet.print_title_rows = f"{self.header}:{self.header}"


def _rule(kind: str, title: str, prompt: str, error: str, **kw: str) -> DataValidation:
    """A data-validation rule that stops a wrong entry and says what to enter."""
    return DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
        errorTitle=title,
        error=error,
        promptTitle=title,
        prompt=prompt,
        **kw,
    )


def _list_rule(values: Sequence[object], title: str, prompt: str, error: str) -> DataValidation:
    return _rule("list", title, prompt, error, formula1='"' + ",".join(map(str, values)) + '"')


def _level_rules() -> tuple[DataValidation, DataValidation]:
    level = _list_rule(
        LEVELS,
        "Validated level",
        "Choose a level from 0 to 4, or leave blank if not validated yet.",
        "A validated level is 0, 1, 2, 3 or 4. Choose one from the list, or leave the cell blank.",
    )
    sub = _list_rule(
        SUBLEVELS,
        "Validated sub-level",
        "Choose Low, Medium or High, or leave blank. A sub-level needs a level.",
        "A sub-level is Low, Medium or High. Choose one from the list, or leave the cell blank.",
    )
    return level, sub


def _text_rule(title: str, prompt: str, limit: int) -> DataValidation:
    error = f"At most {limit:,} characters."
    return _rule(
        "textLength", title, prompt, error, operator="lessThanOrEqual", formula1=str(limit)
    )


def _date_rule(cycle: int) -> DataValidation:
    serial = (dt.date(cycle, 1, 1) - dt.date(1899, 12, 30)).days
    return _rule(
        "date",
        "Date validated",
        "The date of the validation, as day/month/year.",
        f"Enter the date of the validation as day/month/year, in {cycle} or later.",
        operator="greaterThanOrEqual",
        formula1=str(serial),
    )


def _book(
    title: str, about: str, cycle: int, context: WorkbookContext, details: list[str]
) -> Workbook:
    cover = context.cover(title, about, details)
    cover += [
        ("Contents", "heading"),
        (
            f"{FORM_SHEET}: the form to fill in. {INSTRUCTIONS_SHEET}: how to fill it in. "
            "Notes: what the levels mean.",
            None,
        ),
    ]
    steps = SheetTable(
        sheet=INSTRUCTIONS_SHEET,
        title="How to fill in the Validation sheet",
        frame=pd.DataFrame({"Step": range(1, len(STEPS) + 1), "What to do": STEPS}),
        description=["This worksheet contains one table, the steps in order."],
        wide=["What to do"],
    )
    return build_book(
        title=title,
        cover=cover,
        tables=[steps],
        notes=[LEVEL_NOTE, FORM_NOTE, RECORD_NOTE],
        subject=f"QIOF validation form {cycle}",
        keywords=f"QIOF, LKS, validation form, {cycle}",
        extra_sheets=[(FORM_SHEET, "The form: validated levels to fill in")],
    )


# ------------------------------------------------------------------ one organisation


def organisation_form(
    pairs: pd.DataFrame,
    cycle: int,
    context: WorkbookContext,
    assignment: Assignment | None = None,
) -> Workbook:
    """One organisation's form from its :func:`paired_levels` rows for ``cycle`` (six outcomes),
    with a ``submitted`` column (the self-evaluation's date, missing when not known), and the
    assigned validator and due date beside the title block when ``assignment`` gives them."""
    first = pairs.iloc[0]
    code, name, region = str(first["org_code"]), str(first["org_name"]), str(first["region"])
    title = f"QIOF validation form: {name} ({code}), {cycle}"
    book = _book(
        title,
        "The organisation's self-evaluated QIOF levels, for the validator to enter the validated "
        "level and sub-level of each outcome. There is no overall score.",
        cycle,
        context,
        [
            f"Organisation: {name}",
            f"Organisation code: {code}",
            f"Region: {region}",
            f"Cycle: {cycle}",
        ],
    )
    sheet = book[FORM_SHEET]
    out = _Writer(sheet)
    out.put(1, 1, title, font=_TITLE)
    out.put(2, 1, "Fill in the shaded cells with a thick border; see the Instructions sheet.")
    block = [
        ("Organisation name", name),
        ("Organisation code", code),
        ("Region", region),
        ("Cycle", cycle),
        ("Date submitted", _day(first["submitted"])),
        ("Validated by", None),
        ("Date validated", None),
    ]
    for row, (label, value) in enumerate(block, start=4):
        out.put(row, 1, label, font=_BOLD)
        out.put(row, 2, value)
        sheet.cell(row=row, column=2).alignment = Alignment(horizontal="left")
    if assignment is not None:
        for row, (label, value) in enumerate(assignment.cells(), start=4):
            out.put(row, 4, label, font=_BOLD)
            out.put(row, 5, value)
            sheet.cell(row=row, column=5).alignment = Alignment(horizontal="left")
        sheet["E5"].number_format = "dd/mm/yyyy"
    who = out.entry_range(9, 2, 9, 2)
    when = out.entry_range(10, 2, 10, 2)
    sheet["B8"].number_format = sheet["B10"].number_format = "dd/mm/yyyy"
    out.validate(who, _text_rule("Validated by", "Your name, as the validator.", 200))
    out.validate(when, _date_rule(cycle))
    header = 12
    columns = [
        "Outcome",
        "Outcome statement",
        "Self-evaluated level",
        "Self-evaluated sub-level",
        "Validated level",
        "Validated sub-level",
        COMMENT_LABEL,
    ]
    for column, text in enumerate(columns, start=1):
        out.put(header, column, text)
    by_outcome = pairs.set_index("outcome")
    for row, outcome in enumerate(OUTCOMES, start=header + 1):
        got = by_outcome.loc[outcome.number] if outcome.number in by_outcome.index else None
        values = [
            f"Outcome {outcome.number}: {outcome.short}",
            outcome.text,
            *_levels(got),
        ]
        for column, value in enumerate(values, start=1):
            out.put(row, column, value)
        sheet.cell(row=row, column=2).alignment = _WRAP
        sheet.row_dimensions[row].height = _row_height(outcome.text, _STATEMENT_WIDTH)
    bottom = header + len(OUTCOMES)
    out.table("Outcomes", header, bottom, len(columns))
    level, sub = _level_rules()
    out.validate(out.entry_range(header + 1, 5, bottom, 5), level)
    out.validate(out.entry_range(header + 1, 6, bottom, 6), sub)
    comment = out.entry_range(header + 1, 7, bottom, 7)
    out.validate(
        comment, _text_rule(COMMENT_LABEL, "What the service should do next.", _MAX_COMMENT)
    )
    for letter, width in zip("ABCDEFG", (30, _STATEMENT_WIDTH, 14, 20, 14, 14, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{header + 1}"
    record = FormRecord("organisation", cycle, FORM_SHEET, (code,), tuple(out.entry), out.cells)
    out.finish(record, book)
    return book


_STATEMENT_WIDTH = 60


def _row_height(text: str, width: int) -> float:
    """Points for a row whose wrapped ``text`` fills a column ``width`` characters wide.

    Excel sizes such rows itself, LibreOffice keeps the stored height: a stored height
    that fits keeps a statement from running into the next row.

    >>> _row_height("short", 60), _row_height("x " * 100, 60)
    (30.0, 60.0)
    """
    lines = max(2, -(-len(text) // int(width * 0.9)))
    return 15.0 * lines


def _day(value: object) -> dt.date | None:
    """A submission date as a day (a time of day would not survive the round trip exactly)."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _levels(got: pd.Series | None) -> list[object]:
    """Self-evaluated and validated level and sub-level, then a blank comment."""
    if got is None:
        return [None] * 5
    return [
        level_number(got["self_level"]),
        sub_text(got["self_sublevel"]),
        level_number(got["validated_level"]),
        sub_text(got["validated_sublevel"]),
        None,
    ]


# ------------------------------------------------------------------ one region


def region_form(
    pairs: pd.DataFrame,
    region: str,
    cycle: int,
    context: WorkbookContext,
    assignment: Assignment | None = None,
) -> Workbook:
    """One region's form from the :func:`paired_levels` rows of its organisations for ``cycle``."""
    codes = sorted(pairs["org_code"].unique())
    title = f"QIOF validation form: {region}, {cycle}"
    book = _book(
        title,
        f"The self-evaluated QIOF levels of {len(codes)} organisation(s) in {region}, one row "
        "each, for validators to enter the validated level and sub-level of each outcome. "
        "There is no overall score.",
        cycle,
        context,
        [f"Region: {region}", f"Cycle: {cycle}"],
    )
    sheet = book[FORM_SHEET]
    out = _Writer(sheet)
    out.put(1, 1, title, font=_TITLE)
    out.put(2, 1, "One row per organisation. Fill in the shaded cells; see the Instructions sheet.")
    header = 4
    columns = ["Organisation code", "Organisation name", "Region", "Cycle", "Date submitted"]
    ids = len(columns)
    for n in OUTCOME_NUMBERS:
        columns += [
            f"Outcome {n} self-evaluated level",
            f"Outcome {n} self-evaluated sub-level",
            f"Outcome {n} validated level",
            f"Outcome {n} validated sub-level",
            f"Outcome {n} {COMMENT_LABEL.lower()}",
        ]
    columns += ["Validated by", "Date validated"]
    right = len(columns)
    assigned = [] if assignment is None else [value for _, value in assignment.cells()]
    columns += [label for label, _ in assignment.cells()] if assignment is not None else []
    for column, text in enumerate(columns, start=1):
        out.put(header, column, text)
    by_key = pairs.set_index(["org_code", "outcome"])
    for row, code in enumerate(codes, start=header + 1):
        first = pairs[pairs["org_code"] == code].iloc[0]
        values: list[object] = [code, str(first["org_name"]), str(first["region"]), cycle]
        values.append(_day(first["submitted"]))
        for n in OUTCOME_NUMBERS:
            values += _levels(by_key.loc[(code, n)] if (code, n) in by_key.index else None)
        values += [None, None, *assigned]
        for column, value in enumerate(values, start=1):
            out.put(row, column, value)
    bottom = header + len(codes)
    out.table("Organisations", header, bottom, len(columns))
    level, sub = _level_rules()
    comment = _text_rule(COMMENT_LABEL, "What the service should do next.", _MAX_COMMENT)
    for n in OUTCOME_NUMBERS:
        left = ids + (n - 1) * 5 + 3  # the validated level's column
        out.validate(out.entry_range(header + 1, left, bottom, left), level)
        out.validate(out.entry_range(header + 1, left + 1, bottom, left + 1), sub)
        out.validate(out.entry_range(header + 1, left + 2, bottom, left + 2), comment)
    out.validate(
        out.entry_range(header + 1, right - 1, bottom, right - 1),
        _text_rule("Validated by", "The validator's name.", 200),
    )
    out.validate(out.entry_range(header + 1, right, bottom, right), _date_rule(cycle))
    for row in range(header + 1, bottom + 1):
        for column in (ids, right, *([right + 2] if assignment is not None else [])):
            sheet.cell(row=row, column=column).number_format = "dd/mm/yyyy"
    for column, text in enumerate(columns, start=1):
        width = 40 if text.endswith(COMMENT_LABEL.lower()) or text == "Organisation name" else 14
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"C{header + 1}"
    record = FormRecord("region", cycle, FORM_SHEET, tuple(codes), tuple(out.entry), out.cells)
    out.finish(record, book, titles="A:B")
    return book


# ------------------------------------------------------------------ many forms


def validation_forms(
    subs: pd.DataFrame,
    cycle: int,
    context: WorkbookContext,
    *,
    regions: Iterable[str] = (),
    org_codes: Iterable[str] = (),
    layout: str = "organisation",
    assignment: Assignment | None = None,
) -> dict[str, Workbook]:
    """Forms for every organisation with a self-evaluation in ``cycle`` (or those asked for): file name -> workbook.

    ``regions`` and ``org_codes`` narrow the organisations (both: either
    matches). ``assignment`` writes the assigned validator and due date on every form. An organisation asked for by code with no submission in
    ``cycle`` is a :class:`QioConfigError`.
    """
    if layout not in LAYOUTS:
        raise QioConfigError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    now = subs[subs["cycle"] == cycle]
    pairs = paired_levels(now, [cycle])
    dates = now.groupby("org_code")["submitted"].max()
    pairs = pairs.assign(submitted=dates.reindex(pairs["org_code"]).to_numpy())
    wanted_regions = {region_name(r) for r in regions}
    wanted_codes = {c.strip().upper() for c in org_codes}
    missing = sorted(wanted_codes - set(pairs["org_code"]))
    if missing:
        raise QioConfigError(f"No submission for {cycle} from {', '.join(missing)}.")
    if wanted_regions or wanted_codes:
        pairs = pairs[pairs["region"].isin(wanted_regions) | pairs["org_code"].isin(wanted_codes)]
    if pairs.empty:
        raise QioConfigError(f"No organisation to write a form for in {cycle}.")
    if layout == "organisation":
        return {
            form_path(layout, cycle, code): organisation_form(group, cycle, context, assignment)
            for code, group in pairs.groupby("org_code", sort=True)
        }
    return {
        form_path(layout, cycle, region): region_form(group, region, cycle, context, assignment)
        for region, group in pairs.groupby("region", sort=True)
    }


def write_validation_forms(
    forms: dict[str, Workbook], out_dir: Path, *, replace: bool = False
) -> list[Path]:
    """Save forms in ``out_dir``; never over an existing file (a validator's work) unless ``replace``.

    Each form is written atomically. When a write fails (a read-only folder, a full
    disk) the forms this call created are removed again and the ``OSError`` is raised:
    a folder is never left with part of a set.
    """
    existing = sorted(name for name in forms if (out_dir / name).exists())
    if existing and not replace:
        shown = ", ".join(existing[:5]) + (
            f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        )
        raise QioConfigError(
            f"{len(existing)} form(s) already in {out_dir} ({shown}) may hold a validator's work; "
            "choose another folder, or replace them on purpose (--replace)."
        )
    paths: list[Path] = []
    created: list[Path] = []
    try:
        for name, book in forms.items():
            new = not (out_dir / name).exists()
            paths.append(save_workbook(book, out_dir / name))
            if new:
                created.append(paths[-1])
    except OSError:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return paths

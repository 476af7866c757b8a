"""Which sheet of a returned workbook is the form, and which workbooks are not forms at all.

Every sheet of a returned form is accounted for: entries on a copy of the form's
sheet ("Validation (2)") are read with a note when that is unambiguous, and
refused naming the copy when not; any other sheet is noted as not read. A form
saved as CSV (its title, or its record's, in the first rows), a form that lost
its record, and a report workbook made by ``qio reports --xlsx`` are refused
with advice, never read as an export.
"""

from __future__ import annotations

from qio_analysis.errors import Problem, QioDataError, Where
from qio_analysis.io.files import FileContent, Sheet
from qio_analysis.io.form_record import RECORD_SHEET, RECORD_TITLE, FormRecord

#: How a validation form's title begins (``qio validation-forms``).
FORM_TITLE = "QIOF validation form"
#: How the titles of report workbooks begin (``qio reports --xlsx``): not forms.
REPORT_TITLES = ("QIOF self-evaluated and validated levels:", "QIOF validation workbook:")
#: File kinds that keep one sheet and no record (a form saved as CSV).
_TEXT_KINDS = frozenset({"csv", "text"})
#: The sheets every form workbook has besides its form (cover, contents, notes, instructions).
_BOOK_SHEETS = frozenset({"Cover", "Contents", "Notes", "Instructions"})


def _first_text(sheet: Sheet) -> str:
    """The first text cell of a sheet's first rows ('' if none): a form's or report's title."""
    for cells in sheet.rows[:3]:
        for value in cells:
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def refuse_non_forms(content: FileContent, visible: list[Sheet]) -> None:
    """Refuse a form saved as CSV or without its record, and a report workbook given as a form."""
    name = content.path.name
    for sheet in visible:
        title = _first_text(sheet)
        where = Where(row=1, value=title)
        sheet_name = sheet.name if content.kind not in _TEXT_KINDS else None
        if title.startswith(FORM_TITLE) or title == RECORD_TITLE:
            if content.kind in _TEXT_KINDS:
                reason = (
                    "this is a validation form saved as CSV: a CSV keeps one sheet and loses "
                    "the form's record, so what was entered cannot be checked, and it is not "
                    "read as an export"
                )
                allowed = (
                    "the form as an Excel workbook (.xlsx or .ods): enter the levels on the "
                    "workbook as returned, or write the form again with qio validation-forms"
                )
            else:
                reason = (
                    f"this is a validation form without its hidden record ('{RECORD_SHEET}'): "
                    "it was copied into a new workbook or saved in a format that drops it"
                )
                allowed = "the form as written by qio validation-forms, saved as .xlsx or .ods"
            raise QioDataError(
                [Problem(file=name, sheet=sheet_name, reason=reason, allowed=allowed, **where)]
            )
        if title.startswith(REPORT_TITLES):
            reason = (
                "this is a report workbook made by qio reports, not a validation form: levels "
                "typed into it are not read"
            )
            allowed = (
                "a validation form written by qio validation-forms (for example "
                "qio validation-forms --cycle 2025 --region 'North West' --out forms/), "
                "with the validated levels entered on it"
            )
            raise QioDataError(
                [Problem(file=name, sheet=sheet_name, reason=reason, allowed=allowed, **where)]
            )


def form_sheet(
    content: FileContent, record: FormRecord, visible: list[Sheet]
) -> tuple[Sheet, list[str]]:
    """The sheet to read and notes: the form's own, or an unambiguous copy holding the entries.

    Entries on a copy of the form's sheet ("Validation (2)") are never dropped: the
    copy is read (with a note) when it is the only sheet with entries and its locked
    cells are as written; otherwise the form is refused, naming the copy. Every other
    visible sheet is noted as not read.
    """
    name = content.path.name
    sheet = next((s for s in visible if s.name == record.sheet), None)
    if sheet is None:
        reason = (
            f"the form has no visible sheet '{record.sheet}': it was renamed, hidden or deleted"
        )
        allowed = f"the form as written, with its '{record.sheet}' sheet"
        raise QioDataError([Problem(file=name, reason=reason, allowed=allowed)])
    others = [s for s in visible if s is not sheet and s.name not in _BOOK_SHEETS]
    copies = [
        s
        for s in others
        if (s.name or "").startswith(record.sheet) or _first_text(s) == _first_text(sheet)
    ]
    entered = [s for s in copies if record.entered(s.rows)]
    notes = [
        f"{name}: sheet '{s.name}' is not part of the form and was not read"
        for s in others
        if s not in entered
    ]
    if entered:
        copy = entered[0]
        clean = len(entered) == 1 and not any(record.changes(copy.rows))
        if clean and not record.entered(sheet.rows):
            notes.append(
                f"{name}: the entries were read from sheet '{copy.name}', a copy of the form's "
                f"sheet '{record.sheet}', which has nothing entered"
            )
            return copy, notes
        problems = [
            Problem(
                file=name,
                sheet=s.name,
                reason=f"entries were made on '{s.name}', a copy of the form's sheet "
                f"'{record.sheet}'"
                + (", which has entries too" if record.entered(sheet.rows) else "")
                + ": which sheet holds the validation cannot be told",
                allowed=f"the entries on the '{record.sheet}' sheet only: copy them there and "
                f"delete '{s.name}'",
            )
            for s in entered
        ]
        raise QioDataError(problems, summary=f"{name}: the form cannot be read")
    return sheet, notes

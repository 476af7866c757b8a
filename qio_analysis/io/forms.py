"""Validation forms, and workbooks in the national template layout, read as QIOF submissions.

Validators return two layouts (``data/README.md``, "Validation forms"):

* **organisation**: one organisation per workbook, laid out like the national
  self-evaluation and validated-levels template: a title block of labels and
  values, then a table with one row per outcome;
* **region**: the wide submissions layout, one row per organisation, with a
  comment column per outcome and "Validated by" and "Date validated" columns.

A form written by ``qio validation-forms`` also carries its record
(:mod:`qio_analysis.io.form_record`), and every cell outside its entry cells
is checked against it. Each form becomes a wide :class:`FormTable` that the
submissions reader parses like any export. What only a form has (who
validated it and when, the comments, the cell behind each value) rides along
in :class:`FormRow`, so that every problem names its cell. How a form then
supersedes the export is :mod:`qio_analysis.io.form_merge`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Unpack

import pandas as pd
from openpyxl.utils.cell import coordinate_to_tuple

from qio_analysis.errors import Problem, QioDataError, Where
from qio_analysis.framework import ASSESSMENTS, OUTCOME_NUMBERS, is_blank
from qio_analysis.io import headers as hdr
from qio_analysis.io.files import FileContent, Sheet
from qio_analysis.io.form_record import (
    RECORD_SHEET,
    FormRecord,
    canonical,
    cell_ref,
    read_record,
)
from qio_analysis.io.form_sheets import form_sheet, refuse_non_forms
from qio_analysis.io.locate import HEADER_SCAN_ROWS, RawTable, clean_cells, locate_in
from qio_analysis.io.xlsx_cells import CellFault, text_fault

#: Title-block labels of the national template layout: meaning -> accepted labels.
TITLE_LABELS: dict[str, tuple[str, ...]] = {
    "org_name": hdr.SUBMISSION_COLUMNS["org_name"],
    "org_code": hdr.SUBMISSION_COLUMNS["org_code"],
    "region": hdr.SUBMISSION_COLUMNS["region"],
    "cycle": hdr.SUBMISSION_COLUMNS["cycle"],
    "submitted": hdr.SUBMISSION_COLUMNS["submitted"],
    "validator": ("Validated by", "Validator", "Validator name", "Name of validator"),
    "validated_on": ("Date validated", "Validation date", "Validated on", "Date of validation"),
    "assigned": ("Assigned validator", "Assigned to"),
    "due": ("Due date", "Validation due", "Due by"),
}
#: Title-block entries (or region-form columns) only a form has, kept on :class:`FormRow`.
_FORM_FIELDS = ("validator", "validated_on", "assigned", "due")
REQUIRED_TITLE = ("org_code", "org_name", "region", "cycle")
#: The comment column: as headed in the template, or ``Outcome N <label>`` in the region layout.
COMMENT_LABELS = (
    "Required actions and recommendations",
    "Required actions",
    "Recommendations",
    "Comments",
    "Validator comments",
)
OUTCOME_LABELS = ("Outcome", "Outcome number")
#: Template columns that describe the outcome, for people only (read without a note).
DESCRIPTIVE_LABELS = ("Outcome statement", "Outcome description", "Outcome name", "Description")
_MAX_CHANGED = 10

_TITLE = {hdr.normalise_header(a): k for k, v in TITLE_LABELS.items() for a in v}
_COMMENT = {hdr.normalise_header(a) for a in COMMENT_LABELS}
_OUTCOME = {hdr.normalise_header(a) for a in OUTCOME_LABELS}
_DESCRIPTIVE = {hdr.normalise_header(a) for a in DESCRIPTIVE_LABELS}
_OUTCOME_CELL = re.compile(r"^\s*(?:outcome\s*)?(\d+)(?:\s*[:.)\-\u2013\u2014]|\s|$)", re.I)
_OUTCOME_COMMENT = re.compile(r"^outcome (\d+) (.+)$")


@dataclass
class FormRow:
    """What only a form has, for one organisation: who, when, comments and the cell of each value."""

    refs: dict[str, str]  # header in the form's table (or "validator", "validated_on") -> cell
    validator: object = None
    validated_on: object = None
    assigned: object = None  # the validator assigned (qio validation-forms --validator)
    due: object = None  # the date the validation is due (--due)
    labels: dict[str, str] = field(
        default_factory=lambda: {"validator": "Validated by", "validated_on": "Date validated"}
    )
    comments: dict[int, str] = field(default_factory=dict)
    comment_refs: dict[int, str] = field(default_factory=dict)  # outcome -> comment cell
    entered: bool = False  # anything entered: a level, a name or a date
    problems: list[Problem] = field(default_factory=list)
    date: pd.Timestamp | None = None  # ``validated_on`` once checked

    def at(self, header: str) -> Where:
        """``row`` and ``cell`` keywords for a :class:`Problem` about the cell under ``header``."""
        ref = self.refs.get(header)
        return Where() if ref is None else Where(row=coordinate_to_tuple(ref)[0], cell=ref)

    @property
    def who(self) -> str:
        """The validator's name as entered ('' when blank)."""
        return canonical(self.validator).strip()


@dataclass
class FormTable(RawTable):
    """A form as a wide submissions table; ``form_rows`` maps each Excel row to its :class:`FormRow`."""

    form_rows: dict[int, FormRow] = field(default_factory=dict)


@dataclass
class _Place:
    """One sheet of one file, for problems found there."""

    content: FileContent
    sheet: Sheet

    def problem(self, reason: str, *, allowed: str | None = None, **kw: Unpack[Where]) -> Problem:
        return Problem(
            file=self.content.path.name,
            sheet=self.sheet.name,
            reason=reason,
            allowed=allowed,
            **kw,
        )

    def fail(self, problems: list[Problem]) -> QioDataError:
        return QioDataError(problems, summary=f"{self.content.path.name}: the form cannot be read")


def cell_fault(value: object) -> CellFault | None:
    """The fault of a cell holding an error value or a formula never calculated, else None."""
    return value if isinstance(value, CellFault) else text_fault(value)


def _comment(
    form: FormRow, place: _Place, outcome: int, value: object, row: int, column: int, label: str
) -> None:
    """Keep one outcome's required actions on ``form``, or a problem naming the cell."""
    form.comment_refs[outcome] = cell_ref(row, column)
    fault = cell_fault(value)
    if fault is not None:
        form.problems.append(
            place.problem(
                fault.reason,
                row=row,
                cell=cell_ref(row, column),
                column=label,
                value=fault.text,
                allowed="the required actions and recommendations typed as text",
            )
        )
    elif canonical(value).strip():
        form.comments[outcome] = canonical(value).strip()


def _title_key(value: object) -> str | None:
    return _TITLE.get(hdr.normalise_header(value)) if isinstance(value, str) else None


def _template_columns(cells: list[object]) -> dict[str, int] | None:
    """Template table columns by meaning (``outcome``, ``self level``...), or None if not its header."""
    found: dict[str, int] = {}
    for index, value in enumerate(cells):
        if not isinstance(value, str):
            continue
        text = hdr.normalise_header(value)
        col = hdr.outcome_column(f"Outcome 1 {value}")  # a template column lacks the number
        if text in _OUTCOME:
            found.setdefault("outcome", index)
        elif text in _COMMENT:
            found.setdefault("comment", index)
        elif col is not None:
            found.setdefault(f"{col.assessment} {col.part}", index)
    assessed = all(any(k.startswith(a) for k in found) for a in ASSESSMENTS)
    has_code = any(hdr.submission_column(c) == "org_code" for c in cells)
    return found if "outcome" in found and assessed and not has_code else None


def _find_template(sheets: list[Sheet]) -> tuple[Sheet, int] | None:
    for sheet in sheets:
        for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            if _template_columns(cells) is not None and any(
                _title_key(c) == "org_code" for row in sheet.rows[:index] for c in row
            ):
                return sheet, index
    return None


def claim_forms(content: FileContent, *, cycle: int | None = None) -> list[RawTable] | None:
    """A file's form as a table, or None when the file is an export (the ``claim`` of ``iter_tables``).

    ``cycle`` is the run's cycle, taken (with a note) by a national-template
    workbook whose title block has no cycle label; forms always carry their own.
    """
    visible = [s for s in content.sheets if not s.hidden and s.name != RECORD_SHEET]
    record_sheet = next((s for s in content.sheets if s.name == RECORD_SHEET), None)
    if record_sheet is None:
        refuse_non_forms(content, visible)
        found = _find_template(visible)
        if found is None:
            return None
        table = _template_table(_Place(content, found[0]), found[1], cycle=cycle)
        table.notes += [
            f"{content.path.name}: sheet '{s.name}' is not the template's and was not read"
            for s in visible
            if s is not found[0]
        ]
        return [table]
    record = read_record(record_sheet.rows, content.path.name)
    sheet, notes = form_sheet(content, record, visible)
    place = _Place(content, sheet)
    if record.layout == "region":
        table = _region_table(place, record)
    else:
        found = _find_template([sheet])
        if found is None:
            raise place.fail([place.problem("the table of outcomes is missing from the form")])
        table = _template_table(place, found[1], record)
    table.notes += notes
    return [table]


def _changed(
    place: _Place, record: FormRecord, label: Callable[[int, int], str | None]
) -> list[tuple[int, Problem]]:
    """``(row, problem)`` for each cell changed outside the entry cells (the first few, then a count)."""
    changes = list(record.changes(place.sheet.rows))
    found = []
    for ref, written, now in changes[:_MAX_CHANGED]:
        row, column = coordinate_to_tuple(ref)
        was = repr(canonical(written)) if canonical(written) else "blank"
        found.append(
            (
                row,
                place.problem(
                    f"the form was changed outside its entry cells: this cell was {was} when "
                    "the form was written",
                    row=row,
                    cell=ref,
                    column=label(row, column),
                    value=now if canonical(now) else "",
                    allowed="only the shaded entry cells filled in; write the form again if its "
                    "locked cells are wrong",
                ),
            )
        )
    if len(changes) > _MAX_CHANGED:
        more = place.problem(
            f"and {len(changes) - _MAX_CHANGED} more cells changed outside the entry cells",
            allowed="the form as written, with only its entry cells filled in",
        )
        found.append((0, more))
    return found


# ------------------------------------------------------------------ organisation layout


def _title_block(
    place: _Place, top: int, optional: tuple[str, ...] = ()
) -> dict[str, tuple[str, object, str]]:
    """Title-block entries above row ``top`` (0-based): meaning -> (label, value, cell).

    A value is the first filled cell to the right of its label, before the next label.
    Every entry of ``REQUIRED_TITLE`` but those in ``optional`` must be there.
    """
    block: dict[str, tuple[str, object, str]] = {}
    problems = []
    for r, cells in enumerate(place.sheet.rows[:top], start=1):
        for c, value in enumerate(cells, start=1):
            key = _title_key(value)
            if key is None:
                continue
            if key in block:
                label, _, ref = block[key]
                reason = f"the title block gives this twice (also '{label}' beside cell {ref})"
                allowed = "each label of the title block once"
                problems.append(
                    place.problem(reason, row=r, cell=cell_ref(r, c), value=value, allowed=allowed)
                )
                continue
            ref, found = cell_ref(r, c + 1), None
            for k in range(c, len(cells)):
                if _title_key(cells[k]) is not None:
                    break
                if not is_blank(cells[k]):
                    ref, found = cell_ref(r, k + 1), cells[k]
                    break
            block[key] = (str(value).strip(), found, ref)
    problems += [
        place.problem(
            f"the title block above the table of outcomes has no '{TITLE_LABELS[key][0]}'",
            allowed=f"a label ({', '.join(TITLE_LABELS[key])}) with its value to its right",
        )
        for key in REQUIRED_TITLE
        if key not in block and key not in optional
    ]
    if problems:
        raise place.fail(problems)
    return block


def _outcome_rows(place: _Place, header: int, column: int) -> dict[int, int]:
    """Outcome number -> 0-based row, for the rows below the header down to the first blank row."""
    grid = place.sheet.rows
    rows: dict[int, int] = {}
    problems = []
    index = header + 1
    while index < len(grid) and not all(is_blank(c) for c in grid[index]):
        value = grid[index][column] if column < len(grid[index]) else None
        match = _OUTCOME_CELL.match(canonical(value))
        number = int(match[1]) if match else None
        at = Where(row=index + 1, cell=cell_ref(index + 1, column + 1), value=value)
        if number not in OUTCOME_NUMBERS:
            allowed = "one row per outcome, 1 to 6 ('1', 'Outcome 1', 'Outcome 1: Access'), then a blank row"
            problems.append(place.problem("this is not an outcome", allowed=allowed, **at))
        elif number in rows:
            reason = f"outcome {number} has two rows (also row {rows[number] + 1})"
            problems.append(place.problem(reason, allowed="one row per outcome", **at))
        else:
            rows[number] = index
        index += 1
    missing = [str(n) for n in OUTCOME_NUMBERS if n not in rows]
    if missing and not problems:
        problems.append(
            place.problem(
                f"the table of outcomes has no row for outcome {', '.join(missing)}",
                row=header + 1,
                allowed="one row for each of the six outcomes, directly below the header",
            )
        )
    if problems:
        raise place.fail(problems)
    return rows


def _template_table(
    place: _Place, header: int, record: FormRecord | None = None, *, cycle: int | None = None
) -> FormTable:
    """One organisation's form, or national template workbook, as a one-row wide table.

    A template without a cycle label takes ``cycle`` (the run's), when given, with a note.
    """
    grid = place.sheet.rows
    head = grid[header]
    columns = _template_columns(head) or {}
    missing = [
        place.problem(
            "a required column is missing from the table of outcomes",
            row=header + 1,
            column=f"{word} level",
            allowed=f"a '{word} level' column (with an optional '{word} sub-level'), or one "
            f"'{word}' column holding both",
        )
        for a, word in (("self", "Self-evaluated"), ("validated", "Validated"))
        if not {f"{a} level", f"{a} combined"} & set(columns)
    ]
    if missing:
        raise place.fail(missing)
    block = _title_block(place, header, optional=("cycle",) if cycle is not None else ())
    taken = []
    if "cycle" not in block and cycle is not None:
        label = TITLE_LABELS["cycle"][0]
        block["cycle"] = (label, cycle, "")
        taken.append(
            f"{place.content.path.name}: the title block has no '{label}' label; "
            f"read as the run's cycle, {cycle}"
        )
    rows = _outcome_rows(place, header, columns["outcome"])
    form = FormRow(refs={})
    headers: list[str] = []
    cells: list[object] = []
    for key in ("org_code", "org_name", "region", "cycle", "submitted"):
        if key in block:
            label, value, ref = block[key]
            if ref:
                form.refs[label] = ref
            headers.append(label)
            cells.append(value)
    for key in _FORM_FIELDS:
        if key in block:
            form.labels[key], value, form.refs[key] = block[key]
            setattr(form, key, value)
    parts = [k for k in columns if k.split()[0] in ASSESSMENTS]
    for n in OUTCOME_NUMBERS:
        line = grid[rows[n]] + [None] * len(head)
        for key in parts:
            name = f"Outcome {n} {str(head[columns[key]]).strip()}"
            headers.append(name)
            cells.append(line[columns[key]])
            form.refs[name] = cell_ref(rows[n] + 1, columns[key] + 1)
        if "comment" in columns:
            title = f"Outcome {n} {str(head[columns['comment']]).strip()}"
            at = (rows[n] + 1, columns["comment"] + 1, title)
            _comment(form, place, n, line[columns["comment"]], *at)
    first = min(rows.values()) + 1
    name = place.content.path.name
    notes, faults = clean_cells([(first, cells)], headers, name, f"sheet '{place.sheet.name}' ")
    notes += taken
    ignored = [
        str(v).strip()
        for i, v in enumerate(head)
        if isinstance(v, str) and v.strip() and i not in columns.values()
        if hdr.normalise_header(v) not in _DESCRIPTIVE
    ]
    if ignored:
        notes.append(f"{name}: ignored column(s) not used by the analysis: {', '.join(ignored)}")
    end = max(rows.values()) + 1
    below = sum(not all(is_blank(c) for c in line) for line in grid[end:])
    if below:
        notes.append(f"{name}: {below} row(s) below the table of outcomes not read (notes)")
    if record is None:
        validated = [c for h, c in zip(headers, cells, strict=True) if " validated" in h.lower()]
        form.entered = any(not is_blank(v) for v in [*validated, form.validator, form.validated_on])
    else:
        form.entered = record.entered(grid)
        outcome_of = {r + 1: n for n, r in rows.items()}  # Excel row -> outcome

        def cell_label(row: int, column: int) -> str | None:
            title = head[column - 1] if column <= len(head) and row in outcome_of else None
            return None if is_blank(title) else f"Outcome {outcome_of[row]} {str(title).strip()}"

        form.problems += [p for _, p in _changed(place, record, cell_label)]
    return FormTable(
        file=name,
        path=place.content.path,
        sheet=place.sheet.name,
        header_row=header + 1,
        headers=headers,
        rows=[(first, cells)],
        notes=notes,
        has_faults=faults,
        form_rows={first: form},
    )


# ------------------------------------------------------------------ region layout


def _check_order(place: _Place, table: RawTable, record: FormRecord) -> None:
    """Refuse a region form whose rows were sorted, moved or deleted, naming the first row."""
    index = next(
        (i for i, h in enumerate(table.headers) if hdr.submission_column(h) == "org_code"), None
    )
    if index is None:
        return
    found = [(r, canonical(cells[index])) for r, cells in table.rows]
    written = list(record.organisations)
    codes = [code for _, code in found]
    if codes == written:
        return
    missing = [code for code in written if code not in codes]
    if missing:
        reason = (
            f"rows were deleted from the form: {', '.join(missing)} no longer "
            f"{'has a row' if len(missing) == 1 else 'have rows'}"
        )
        allowed = "one row per organisation, as written (write the form again if need be)"
        raise place.fail([place.problem(reason, allowed=allowed)])
    for (row, code), want in zip(found, written, strict=False):
        if code != want:
            moved = code in written
            reason = (
                f"the rows of the form were sorted or moved: this row was written for {want}"
                if moved
                else f"the rows of the form were changed: this row was written for {want}"
            )
            allowed = (
                "the rows in the order written, one per organisation (undo the sort or "
                "deletion, or write the form again and copy the validated levels into it)"
            )
            cell = cell_ref(row, index + 1)
            raise place.fail(
                [
                    place.problem(
                        reason,
                        row=row,
                        cell=cell,
                        column=table.headers[index],
                        value=code,
                        allowed=allowed,
                    )
                ]
            )


def _region_table(place: _Place, record: FormRecord) -> FormTable:
    """A region form: the wide layout plus comment, "Validated by" and "Date validated" columns."""
    table = locate_in(
        FileContent(place.content.path, place.content.kind, [place.sheet], [], []),
        hdr.looks_like_submissions_header,
        what="validation form",
        looked_for="the form's header row, as written",
    )
    keep: list[int] = []
    extra: dict[int, tuple[str, int]] = {}  # column -> ("comment", outcome) or (field, 0)
    for index, header in enumerate(table.headers):
        text = hdr.normalise_header(header)
        match = _OUTCOME_COMMENT.match(text)
        if _TITLE.get(text) in _FORM_FIELDS:
            extra[index] = (_TITLE[text], 0)
        elif match and match[2] in _COMMENT:
            extra[index] = ("comment", int(match[1]))
        else:
            keep.append(index)

    def label(row: int, column: int) -> str | None:
        return table.headers[column - 1] or None if column <= len(table.headers) else None

    _check_order(place, table, record)
    changed = _changed(place, record, label)
    data_rows = {r for r, _ in table.rows}
    if any(r not in data_rows for r, _ in changed):  # the title or header: the whole form
        problems = [p for _, p in changed]
        raise QioDataError(problems, summary=f"{place.content.path.name}: the form was changed")
    by_row: dict[int, list[Problem]] = defaultdict(list)
    for row, problem in changed:
        by_row[row].append(problem)
    rows = []
    forms = {}
    for r, cells in table.rows:
        refs = {h: cell_ref(r, i + 1) for i, h in enumerate(table.headers)}
        form = FormRow(refs=refs, problems=by_row[r])
        form.entered = record.entered(place.sheet.rows, range(r, r + 1))
        for index, (kind, outcome) in extra.items():
            if kind == "comment":
                _comment(form, place, outcome, cells[index], r, index + 1, table.headers[index])
            else:
                setattr(form, kind, cells[index])
                form.labels[kind] = table.headers[index]
                form.refs[kind] = refs[table.headers[index]]
        rows.append((r, [cells[i] for i in keep]))
        forms[r] = form
    return FormTable(
        file=table.file,
        path=table.path,
        sheet=table.sheet,
        header_row=table.header_row,
        headers=[table.headers[i] for i in keep],
        rows=rows,
        empty_rows=table.empty_rows,
        notes=table.notes,
        has_faults=table.has_faults,
        form_rows=forms,
    )

"""Validation forms as later submissions: checked, then superseding the export's rows.

:func:`check_forms` adds each form's own problems to its record (cells changed
outside the entry cells, no validator or date) and names the cell of every
problem. :class:`FormMerge` is the submissions reader's ``resolve`` step:
export rows are resolved as usual, then each form supersedes the export
row(s) of its organisation and cycle, with provenance, and lists what it
changed (``ReadResult.validations``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import replace

import pandas as pd

from qio_analysis.errors import CellError, Problem, Where
from qio_analysis.framework import OUTCOME_NUMBERS, format_level, is_blank
from qio_analysis.io import headers as hdr
from qio_analysis.io.form_record import canonical
from qio_analysis.io.forms import FormRow, FormTable, cell_fault
from qio_analysis.io.locate import RawTable
from qio_analysis.io.parsers import Notes, parse_date
from qio_analysis.io.records import Record, resolve_resubmissions
from qio_analysis.io.results import ASSIGNMENT_COLUMNS, VALIDATION_COLUMNS, ReadResult, Resolved
from qio_analysis.schemas import SUBLEVEL_DTYPE
from qio_analysis.words.formats import format_date

#: A month and year without a day ("June 2025", "Jun-25", "06/2025").
_NO_DAY = re.compile(
    r"(?:[A-Za-z]{3,9}\.?[\s,/-]*(?:\d{4}|\d{2})|(?:\d{4})[\s,/-]*[A-Za-z]{3,9}|\d{1,2}[/.-]\d{4})"
)


def form_row(rec: Record) -> FormRow | None:
    """The form behind a record, or None for an export row."""
    table = rec.table
    return table.form_rows.get(rec.row) if isinstance(table, FormTable) else None


def check_forms(records: list[Record]) -> None:
    """Add each form's own problems to its record, check who and when, and name every cell."""
    for rec in records:
        form = form_row(rec)
        if form is None:
            continue
        rec.problems.extend(form.problems)
        if form.entered:
            _check_provenance(rec, form)
        rec.problems = [_locate(p, form) for p in rec.problems]


def _check_provenance(rec: Record, form: FormRow) -> None:
    """A form with anything entered says who validated it, and when (not before its cycle)."""

    def bad(key: str, exc: CellError) -> None:
        value, label = getattr(form, key), form.labels[key]
        if key not in form.refs:  # a template whose title block lacks the label
            reason = f"{exc.reason}: the title block has no '{label}'"
            problem = rec.table.problem(
                reason, allowed=f"'{label}' with {exc.allowed} to its right"
            )
        else:
            problem = rec.table.problem(
                exc.reason,
                column=label,
                value="" if is_blank(value) else value,
                allowed=exc.allowed,
                **form.at(key),
            )
        rec.problems.append(problem)

    fault = cell_fault(form.validator)
    if fault is not None:
        bad("validator", CellError(fault.reason, "the validator's name typed as text"))
    elif not form.who:
        reason = "the form has validated levels entered but does not say who validated them"
        bad("validator", CellError(reason, "the validator's name"))
    try:
        form.date = _validation_date(rec, form.validated_on)
    except CellError as exc:
        form.date = None
        bad("validated_on", exc)


_DATE_EXAMPLE = "the day the levels were validated, e.g. 02/06/2025"


def _validation_date(rec: Record, value: object, today: dt.date | None = None) -> pd.Timestamp:
    """The date validated: a whole date, in the cycle or later, not before the organisation
    submitted and not after ``today`` (the day the form is read)."""
    fault = cell_fault(value)
    if fault is not None:
        raise CellError(fault.reason, _DATE_EXAMPLE)
    if isinstance(value, str) and _NO_DAY.fullmatch(value.strip()):
        raise CellError("this date has no day: a month is not read as its first day", _DATE_EXAMPLE)
    date = parse_date(value)
    if date is None:
        raise CellError(
            "the form has validated levels entered but no date validated", _DATE_EXAMPLE
        )
    today = today or dt.date.today()
    if date.normalize() > pd.Timestamp(today):
        raise CellError(
            f"the date validated is after today ({format_date(today)}): it has not happened yet",
            _DATE_EXAMPLE,
        )
    cycle = rec.key[1] if len(rec.key) > 1 else None
    if isinstance(cycle, int) and date.year < cycle:
        raise CellError(
            f"the date validated is before the {cycle} cycle began", f"a date in {cycle} or later"
        )
    if rec.submitted is not None and date.normalize() < rec.submitted.normalize():
        raise CellError(
            "the date validated is before the organisation submitted "
            f"({format_date(rec.submitted)})",
            f"a date on or after {format_date(rec.submitted)}",
        )
    return date


def _locate(problem: Problem, form: FormRow) -> Problem:
    if problem.cell is not None or problem.column is None:
        return problem
    where = form.at(problem.column)
    return replace(problem, **where) if where else problem


def _levels(recs: list[Record], assessment: str) -> dict[int, tuple[int | None, str | None]]:
    """Outcome -> (level, sub-level) of one assessment, across records."""
    return {
        t["outcome"]: (t["level"], t["sublevel"])
        for r in recs
        for t in r.tidy
        if t["assessment"] == assessment
    }


def _column(form: FormRow, outcome: int, assessment: str) -> str | None:
    """The header of the form's level cell for one outcome and assessment."""
    for header in form.refs:
        col = hdr.outcome_column(header)
        if col is None or (col.outcome, col.assessment) != (outcome, assessment):
            continue
        if col.part in {"level", "combined"}:
            return header
    return None


class FormMerge:
    """Resolve resubmissions when forms are read: a form outranks the export row it validates.

    The submissions export's ``merge`` (see :class:`~qio_analysis.io.results.Merge`):
    made from every record, it first adds each form's own problems
    (:func:`check_forms`). Export rows are resolved as usual first. Then each form with anything
    entered supersedes the export row(s) of its organisation and cycle; a form
    with nothing entered is superseded by them. These are problems: two forms
    for one organisation and cycle; a form whose self-evaluation differs from
    the export's; and, when exports are read with the forms, a form for an
    organisation or cycle they do not hold. Forms read on their own load as
    submissions.
    """

    def __init__(self, records: list[Record], tables: list[RawTable], notes: Notes) -> None:
        check_forms(records)
        self.notes = notes
        self.export_keys = {r.key for r in records if form_row(r) is None}
        self.exports_read = any(not isinstance(t, FormTable) for t in tables)
        self.applied: list[tuple[Record, list[Record]]] = []
        self.assignments = self._assignments(records)

    def __call__(self, clean: list[Record], *, key_label: str) -> Resolved:
        exports = [r for r in clean if form_row(r) is None]
        kept, superseded, conflicts = resolve_resubmissions(exports, key_label=key_label)
        current: dict[tuple[object, ...], list[Record]] = defaultdict(list)
        for rec in kept:
            current[rec.key].append(rec)
        groups: dict[tuple[object, ...], list[Record]] = defaultdict(list)
        for rec in clean:
            if form_row(rec) is not None:
                groups[rec.key].append(rec)
        blank = 0
        for key, group in groups.items():
            rec, replaced = group[0], current.get(key, [])
            form = form_row(rec)
            assert form is not None
            if len(group) > 1:
                self._two_forms(group)
                conflicts.extend(group)
            elif not (self._matches(rec, form, replaced) if replaced else self._alone(rec, form)):
                conflicts.append(rec)
            elif replaced and not form.entered:
                blank += 1
                reason = "nothing was entered on the form: the export's levels stand"
                superseded.append((rec, replaced[0], reason))
            else:
                reason = (
                    f"validated on a form by {form.who} on {form.date:%d/%m/%Y}"
                    if form.date is not None
                    else "replaced by a form"
                )
                for old in replaced:
                    kept.remove(old)
                    superseded.append((old, rec, reason))
                kept.append(rec)
                if form.entered:
                    self.applied.append((rec, replaced))
        if groups:
            read = sum(len(g) for g in groups.values())
            self.notes.add(
                f"validation forms: {read} read"
                + (f", {blank} with nothing entered" if blank else "")
            )
        return kept, superseded, conflicts

    def _id_problem(self, rec: Record, form: FormRow, reason: str, allowed: str) -> None:
        label = next((k for k in form.refs if hdr.submission_column(k) == "org_code"), "")
        where = form.at(label) or Where(row=rec.row)
        rec.problems.append(
            rec.table.problem(
                reason, column=label or None, value=rec.key[0], allowed=allowed, **where
            )
        )

    def _two_forms(self, group: list[Record]) -> None:
        where = "; ".join(r.where for r in group)
        for rec in group:
            form = form_row(rec)
            assert form is not None
            code, cycle = rec.key
            reason = f"two forms for {code} in {cycle} ({where})"
            self._id_problem(rec, form, reason, "one form per organisation and cycle")

    def _alone(self, rec: Record, form: FormRow) -> bool:
        """True when a form with no export row to supersede may load by itself (no exports read)."""
        code, cycle = rec.key
        if rec.key in self.export_keys:
            reason = (
                f"the submission for {code} in {cycle} that this form validates was rejected, "
                "so the form cannot be checked against it"
            )
        elif self.exports_read:
            reason = (
                f"this form is for {code} in {cycle}, but the submissions read with it hold no "
                f"self-evaluation for {code} in {cycle}"
            )
        else:
            return True
        allowed = "forms for the organisations and cycles in the submissions read with them"
        self._id_problem(rec, form, reason, allowed)
        return False

    def _matches(self, rec: Record, form: FormRow, replaced: list[Record]) -> bool:
        """True when the form's self-evaluation is the export's (else a problem per outcome)."""
        mine, theirs = _levels([rec], "self"), _levels(replaced, "self")
        matches = True
        for n in OUTCOME_NUMBERS:
            got, want = mine.get(n, (None, None)), theirs.get(n, (None, None))
            if got == want:
                continue
            matches = False
            column = _column(form, n, "self")
            rec.problems.append(
                rec.table.problem(
                    "the self-evaluation differs from the submission this form validates "
                    f"({replaced[0].where} has {format_level(*want)}): the form was written "
                    "from another export",
                    column=column,
                    value=format_level(*got),
                    allowed="a form written from the current export (qio validation-forms)",
                    **(form.at(column) if column else Where(row=rec.row)),
                )
            )
        return matches

    def finish(self, result: ReadResult) -> None:
        """Give the result the list of what the forms set (``.validations``) and of who is
        assigned to validate each organisation, by when (``.assignments``)."""
        result.validations = self.validations()
        result.assignments = self.assignments

    def _assignments(self, records: list[Record]) -> pd.DataFrame:
        """The validator assigned and the due date written on each form read."""
        rows = []
        for rec in records:
            form = form_row(rec)
            if form is None or (is_blank(form.assigned) and is_blank(form.due)):
                continue
            try:
                due = parse_date(form.due)
            except CellError:
                due = None  # a changed due date is already a problem (a locked cell)
            code, cycle = rec.key if len(rec.key) == 2 else (None, None)
            rows.append(
                {
                    "org_code": code,
                    "cycle": cycle,
                    "assigned_to": canonical(form.assigned).strip() or None,
                    "due": due,
                }
            )
        frame = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
        frame["due"] = pd.to_datetime(frame["due"])
        return frame.drop_duplicates(["org_code", "cycle"], keep="last", ignore_index=True)

    def validations(self) -> pd.DataFrame:
        """One row per outcome of every form applied (see ``VALIDATION_COLUMNS``)."""
        rows = []
        for rec, replaced in self.applied:
            form = form_row(rec)
            assert form is not None
            ident = rec.tidy[0]
            mine, before = _levels([rec], "validated"), _levels(replaced, "validated")
            own = _levels([rec], "self")
            for n in OUTCOME_NUMBERS:
                to, was = mine.get(n, (None, None)), before.get(n, (None, None))
                me = own.get(n, (None, None))
                column = _column(form, n, "validated")
                rows.append(
                    {
                        **{k: ident[k] for k in ("org_code", "org_name", "region", "cycle")},
                        "outcome": n,
                        "self_level": me[0],
                        "self_sublevel": me[1],
                        "from_level": was[0],
                        "from_sublevel": was[1],
                        "to_level": to[0],
                        "to_sublevel": to[1],
                        "changed": to != was,
                        "validator": form.who or None,
                        "validated_on": form.date,
                        "comment": form.comments.get(n),
                        "source_file": rec.table.file,
                        "source_sheet": rec.table.sheet,
                        "cell": form.refs.get(column) if column else None,
                        "comment_cell": form.comment_refs.get(n),
                    }
                )
        levels = dict.fromkeys(["self_level", "from_level", "to_level"], "Int64")
        subs = dict.fromkeys(["self_sublevel", "from_sublevel", "to_sublevel"], SUBLEVEL_DTYPE)
        frame = pd.DataFrame(rows, columns=VALIDATION_COLUMNS).astype(
            {**levels, **subs, "changed": "bool"}
        )
        frame["validated_on"] = pd.to_datetime(frame["validated_on"])
        return frame.sort_values(["org_code", "cycle", "outcome"], ignore_index=True)

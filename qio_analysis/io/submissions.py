"""Read QIOF submission exports (wide or long) into the tidy submissions table."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, replace
from functools import partial

import pandas as pd

from qio_analysis.aliases import Row
from qio_analysis.errors import CellError, Problem, QioConfigError, QioDataError, QioLevelError
from qio_analysis.framework import (
    ASSESSMENTS,
    OUTCOME_NUMBERS,
    format_level,
    is_blank,
    parse_cycle,
    parse_level,
    parse_sublevel,
    score,
)
from qio_analysis.io import headers as hdr
from qio_analysis.io.form_merge import FormMerge
from qio_analysis.io.forms import claim_forms
from qio_analysis.io.locate import RawTable, Source
from qio_analysis.io.parsers import Notes
from qio_analysis.io.records import Record, organisation_identity
from qio_analysis.io.results import Export, ReadResult, read_records
from qio_analysis.reference import ALLOWED_REGIONS, region_name
from qio_analysis.schemas import (
    SUBMISSION_COLUMNS,
    SubmissionsSchema,
    typed_table,
    validate_submissions,
)

_LOOKED_FOR = (
    "an 'Organisation code' column and a 'Cycle' column, with either 'Outcome N self-evaluated "
    "level' style columns (wide) or 'Outcome', 'Assessment' and 'Level' columns (long); or, "
    "for one organisation per workbook, the national template layout: a title block with "
    "'Organisation code', then a table with 'Outcome', 'Self-evaluated level' and 'Validated "
    "level' columns"
)


@dataclass
class _Layout:
    ids: dict[str, int]
    outcome_cols: dict[tuple[int, str, str], int]
    long: bool

    @property
    def used(self) -> list[int]:
        """Indices of every column the analysis reads (only consulted on tables with faults)."""
        return [*self.ids.values(), *self.outcome_cols.values()]


def _layout(table: RawTable, notes: Notes) -> _Layout:
    """Map header cells to meanings; structural problems raise at once."""
    problems: list[Problem] = []
    # Each meaning's column: identity columns by name, outcome columns by
    # (outcome, assessment, part).
    claimed: dict[str | tuple[int, str, str], int] = {}
    ignored: list[str] = []
    for index, header in enumerate(table.headers):
        canon = hdr.submission_column(header)
        col = hdr.outcome_column(header)
        key: str | tuple[int, str, str]
        if canon is not None:
            key = canon
        elif col is not None:
            if col.outcome not in OUTCOME_NUMBERS:
                problems.append(
                    table.problem(
                        "this column names an outcome that does not exist",
                        row=table.header_row,
                        column=header,
                        value=col.outcome,
                        allowed="outcomes 1 to 6",
                    )
                )
                continue
            key = (col.outcome, col.assessment, col.part)
        elif header:
            ignored.append(header)
            continue
        else:
            if any(not is_blank(cells[index]) for _, cells in table.rows):
                ignored.append(f"(column {index + 1}, no header)")
            continue
        if key in claimed:
            problems.append(table.same_meaning(header, claimed[key]))
        claimed[key] = index
    ids = {k: v for k, v in claimed.items() if isinstance(k, str)}
    outcome_cols = {k: v for k, v in claimed.items() if isinstance(k, tuple)}
    long = not outcome_cols
    if ignored:
        notes.add(table.ignored_note(ignored))
    required = list(hdr.REQUIRED_SUBMISSION_ID)
    if long:
        required += ["outcome", "assessment", "level"]
    problems += [
        table.missing_column(hdr.SUBMISSION_COLUMNS[canon])
        for canon in required
        if canon not in ids
    ]
    if not long:
        problems += _check_wide_columns(table, outcome_cols)
    if problems:
        raise QioDataError(problems, summary=f"{table.file}: the columns cannot be used")
    return _Layout(ids, outcome_cols, long)


def _check_wide_columns(table: RawTable, cols: dict[tuple[int, str, str], int]) -> list[Problem]:
    problems = []
    for n in OUTCOME_NUMBERS:
        for a in ASSESSMENTS:
            label = f"Outcome {n} {'self-evaluated' if a == 'self' else 'validated'}"
            has = {part for (o, asm, part) in cols if o == n and asm == a}
            if "combined" in has and has & {"level", "sublevel"}:
                reason = "both a combined column and separate level columns were found"
            elif not has & {"level", "combined"}:
                reason = "a required column is missing"
            else:
                continue
            problems.append(
                table.problem(
                    reason,
                    row=table.header_row,
                    column=f"{label} level",
                    allowed=f"either '{label} level' (with optional '{label} sub-level') "
                    f"or one combined '{label}' column",
                )
            )
    return problems


def _identity(
    rec: Record, table: RawTable, cells: list[object], ids: dict[str, int], notes: Notes
) -> Row:
    """Parse the identifying cells of a row, recording problems on ``rec``."""

    def cell(canon: str) -> tuple[str, object]:
        index = ids[canon]
        return table.headers[index], cells[index]

    out: Row = organisation_identity(rec, cell("org_code"), cell("org_name"))
    column, value = cell("region")
    try:
        out["region"] = region_name(str(value)) if not is_blank(value) else None
        if out["region"] is None:
            raise QioConfigError("blank")
        if str(value).strip().upper() != out["region"].upper():
            notes.count(
                "region written as a code or in another case", f"{value!r} -> {out['region']!r}"
            )
    except QioConfigError:
        rec.bad(column, value, CellError("this is not an NHS England region", ALLOWED_REGIONS))
    column, value = cell("cycle")
    try:
        out["cycle"], changed = parse_cycle(value)
        if changed:
            notes.count("cycle given as a span", f"{value!r} -> {out['cycle']}")
    except CellError as exc:
        rec.bad(column, value, exc)
    if "submitted" in ids:
        rec.read_submitted(*cell("submitted"), notes)
    return out


def _level_cell(
    rec: Record, column: str, value: object, notes: Notes
) -> tuple[int | None, str | None]:
    try:
        level, sub = parse_level(value)
    except QioLevelError as exc:
        rec.bad(
            column, value, CellError("this is not a QIOF level", str(exc).split("Allowed: ")[-1])
        )
        return None, None
    if isinstance(value, str) and value.strip() not in {"", str(level)}:
        notes.count("level notation normalised", f"{value!r} -> {format_level(level, sub)}")
    return level, sub


def _sublevel_cell(
    rec: Record, column: str, value: object, *, level_value: object, level_sub: str | None
) -> str | None:
    """A separate sub-level cell; a sub-level also written in the level cell must agree with it."""
    try:
        separate = parse_sublevel(value)
    except QioLevelError:
        rec.bad(
            column, value, CellError("this is not a sub-level", "Low, Medium or High (or L, M, H)")
        )
        return None
    if separate is not None and level_sub is not None and separate != level_sub:
        rec.bad(
            column,
            value,
            CellError(
                f"the sub-level disagrees with the level column ({level_value!r})",
                "the same sub-level in both, or one left blank",
            ),
        )
    return separate


def _tidy(
    ident: Row,
    rec: Record,
    outcome: int,
    assessment: str,
    level: int | None,
    sub: str | None,
    column: str,
    raw: object,
) -> Row | None:
    if sub is not None and level is None:
        rec.bad(column, raw, CellError("a sub-level is given without a level", "a level 0-4 first"))
        return None
    return {
        **ident,
        "outcome": outcome,
        "assessment": assessment,
        "level": level,
        "sublevel": sub,
        "score": score(level, sub),
        "submitted": rec.submitted,
        "source_file": rec.table.file,
        "source_row": rec.row,
    }


def _wide_levels(
    rec: Record, cells: list[object], ident: Row, layout: _Layout, notes: Notes
) -> None:
    """A wide row's twelve levels (six outcomes, two assessments) as tidy rows of ``rec``."""
    table = rec.table
    for n in OUTCOME_NUMBERS:
        for a in ASSESSMENTS:
            cols = layout.outcome_cols
            index = cols.get((n, a, "combined"))
            if index is None:  # the layout has a combined or a level column for each
                index = cols[(n, a, "level")]
            column, value = table.headers[index], cells[index]
            level, sub = _level_cell(rec, column, value, notes)
            sub_index = cols.get((n, a, "sublevel"))
            if sub_index is not None:
                sub_column, sub_value = table.headers[sub_index], cells[sub_index]
                separate = _sublevel_cell(
                    rec, sub_column, sub_value, level_value=value, level_sub=sub
                )
                sub = sub or separate
                column, value = sub_column, sub_value
            tidy = _tidy(ident, rec, n, a, level, sub, column, value)
            if tidy is not None:
                rec.tidy.append(tidy)
    rec.key = rec.dup_key = (ident.get("org_code"), ident.get("cycle"))


def _outcome_number(value: object) -> int:
    allowed = "an outcome number from 1 to 6, e.g. 3 or 'Outcome 3'"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    else:
        text = hdr.normalise_header(value).removeprefix("outcome").strip()
        if not text.isdigit():
            raise CellError("this is not an outcome", allowed)
        number = float(text)
    if not number.is_integer() or int(number) not in OUTCOME_NUMBERS:
        raise CellError("this is not an outcome", allowed)
    return int(number)


def _long_levels(
    rec: Record, cells: list[object], ident: Row, layout: _Layout, notes: Notes
) -> None:
    """A long row's one level (an outcome and an assessment) as a tidy row of ``rec``."""
    table, ids = rec.table, layout.ids
    column, value = table.headers[ids["outcome"]], cells[ids["outcome"]]
    outcome = None
    try:
        outcome = _outcome_number(value)
    except CellError as exc:
        rec.bad(column, value, exc)
    column, value = table.headers[ids["assessment"]], cells[ids["assessment"]]
    assessment = hdr.assessment_of(value)
    if assessment is None:
        allowed = "self-evaluated (self-assessed, self) or validated (validation)"
        rec.bad(column, value, CellError("this is not an assessment", allowed))
    column, value = table.headers[ids["level"]], cells[ids["level"]]
    level, sub = _level_cell(rec, column, value, notes)
    if "sublevel" in ids:
        sub_column, sub_value = table.headers[ids["sublevel"]], cells[ids["sublevel"]]
        separate = _sublevel_cell(rec, sub_column, sub_value, level_value=value, level_sub=sub)
        if separate is not None:
            sub, column, value = separate, sub_column, sub_value
    if outcome is not None and assessment is not None:
        tidy = _tidy(ident, rec, outcome, assessment, level, sub, column, value)
        if tidy is not None:
            rec.tidy.append(tidy)
    rec.key = (ident.get("org_code"), ident.get("cycle"))
    rec.dup_key = (*rec.key, outcome, assessment)


def submissions_frame(rows: list[Row]) -> pd.DataFrame:
    """Tidy submissions frame, typed and in a stable order (also used by tests)."""
    frame = typed_table(SubmissionsSchema, pd.DataFrame(rows, columns=SUBMISSION_COLUMNS))
    order = ["org_code", "cycle", "outcome", "assessment"]
    return frame.sort_values(order, kind="stable", ignore_index=True)


def read_submissions(
    source: Source, *, errors: str = "raise", cycle: int | None = None
) -> ReadResult:
    """Read QIOF submission exports into the tidy submissions table.

    Validation forms (``qio validation-forms``) and workbooks in the national
    template layout may be among them: their validated levels supersede the
    export's row for the same organisation and cycle, and ``.validations``
    lists them with who entered them and when (see ``data/README.md``).

    Args:
        source: a ``.xlsx``/``.csv`` path, a folder of them, or a list.
        errors: ``"raise"`` (default) raises :class:`QioDataError` listing every
            problem; ``"report"`` loads the valid rows and puts bad ones in
            ``.rejected``. Unusable files or columns raise in both modes.
        cycle: the run's cycle, for workbooks in the national template layout
            whose title block has no cycle label (each such workbook gets a
            note); without it such a workbook is a problem.

    Returns:
        A :class:`ReadResult` with ``.data``, ``.rejected``, ``.superseded`` and ``.notes``.
    """
    export = _EXPORT if cycle is None else replace(_EXPORT, claim=partial(claim_forms, cycle=cycle))
    return read_records(source, export, errors=errors)


def _records(table: RawTable, notes: Notes) -> list[Record]:
    layout = _layout(table, notes)
    fill = _long_levels if layout.long else _wide_levels
    records = []
    for row, cells in table.rows:
        rec = Record(table, row, cells)
        cells = rec.take_faults(cells, layout.used)
        fill(rec, cells, _identity(rec, table, cells, layout.ids, notes), layout, notes)
        records.append(rec)
    return records


def _checked(rows: list[Row]) -> pd.DataFrame:
    return validate_submissions(submissions_frame(rows))


_HEADER = hdr.looks_like_submissions_header
_EXPORT = Export(
    "QIOF submissions",
    _HEADER,
    _LOOKED_FOR,
    "organisation and cycle",
    _records,
    _checked,
    claim=claim_forms,
    merge=FormMerge,
)


def load_submissions(source: Source) -> pd.DataFrame:
    """Strict shortcut: the tidy submissions table, raising on any problem."""
    return read_submissions(source).data

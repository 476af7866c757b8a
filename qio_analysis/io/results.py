"""What a reader returns: the tidy table, and where every input row went.

Every input row ends in exactly one of three places: loaded (``.data``),
rejected (``.rejected``, with its problems) or superseded (``.superseded``, a
resubmission replaced by a later one). :func:`read_records` runs a reader from
files to :class:`ReadResult`, and ``ReadResult.check_accounting`` proves
``rows_in == loaded + rejected + superseded``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from qio_analysis.aliases import Row
from qio_analysis.errors import Problem, QioConfigError, QioDataError, display_value
from qio_analysis.framework import is_blank
from qio_analysis.io.files import FileContent
from qio_analysis.io.locate import RawTable, Source, iter_tables
from qio_analysis.io.parsers import Notes
from qio_analysis.io.records import Record, fmt_key, resolve_resubmissions

#: How readers treat bad rows: ``"raise"`` a :class:`QioDataError` listing every
#: problem, or ``"report"`` them (load the valid rows, list the rest).
ERRORS_MODES = ("raise", "report")


def check_errors_mode(errors: str) -> None:
    """Raise :class:`QioConfigError` unless ``errors`` is one of :data:`ERRORS_MODES`."""
    if errors not in ERRORS_MODES:
        raise QioConfigError(f"errors must be 'raise' or 'report', not {errors!r}.")


#: Columns of ``ReadResult.superseded``: each replaced row and what replaced it.
SUPERSEDED_COLUMNS = [
    "source_file",
    "source_sheet",
    "source_row",
    "key",
    "submitted",
    "superseded_by",
    "reason",
]
#: Columns of ``ReadResult.validations``: each outcome of each validation form loaded,
#: the validated level it replaces (``from_``) and the one entered (``to_``), by whom and when.
VALIDATION_COLUMNS = [
    "org_code",
    "org_name",
    "region",
    "cycle",
    "outcome",
    "self_level",
    "self_sublevel",
    "from_level",
    "from_sublevel",
    "to_level",
    "to_sublevel",
    "changed",
    "validator",
    "validated_on",
    "comment",
    "source_file",
    "source_sheet",
    "cell",
    "comment_cell",
]


#: Columns of ``ReadResult.assignments``: the validator assigned to each organisation and
#: cycle on its form (``qio validation-forms --validator --due``), and the date it is due.
ASSIGNMENT_COLUMNS = ["org_code", "cycle", "assigned_to", "due"]


@dataclass
class ReadResult:
    """What a reader made of its input.

    Attributes:
        data: the tidy, schema-validated table.
        rejected: one row per rejected input row, with its problems (``errors="report"``).
        superseded: one row per input row replaced by a resubmission or duplicate.
        notes: the normalisations applied, in plain English.
        rows_in: non-empty data rows read from the input files.
        rows_loaded: input rows behind ``data``.
        problems: every problem behind ``rejected``.
        files: per input file: ``file``, ``sheet``, ``rows_in``, ``loaded``,
            ``rejected``, ``superseded`` and ``empty_rows`` (blank rows skipped).
        validations: validated levels entered on validation forms (submissions
            only; see :data:`VALIDATION_COLUMNS`), empty when no form was read.
        assignments: who is assigned to validate each organisation and by when, as
            written on the forms read (see :data:`ASSIGNMENT_COLUMNS`).
        left_out: the problems of every form file that could not be read at all and
            was left out (``errors="report"``; with ``"raise"`` they stop the read).
    """

    data: pd.DataFrame
    rejected: pd.DataFrame
    superseded: pd.DataFrame
    notes: list[str]
    rows_in: int
    rows_loaded: int
    problems: list[Problem]
    files: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FILE_COLUMNS))
    validations: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=VALIDATION_COLUMNS)
    )
    left_out: list[Problem] = field(default_factory=list)
    assignments: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=ASSIGNMENT_COLUMNS)
    )

    def check_accounting(self) -> None:
        """Raise if any input row is unaccounted for (a bug, never expected)."""
        accounted = self.rows_loaded + len(self.rejected) + len(self.superseded)
        if accounted != self.rows_in:
            raise AssertionError(
                f"{self.rows_in} rows in but {self.rows_loaded} loaded + {len(self.rejected)} "
                f"rejected + {len(self.superseded)} superseded = {accounted}"
            )
        per_file = self.files[["loaded", "rejected", "superseded"]].sum(axis=1)
        if (
            not (per_file == self.files["rows_in"]).all()
            or self.files["rows_in"].sum() != self.rows_in
        ):
            raise AssertionError(f"per-file accounting does not add up:\n{self.files}")

    def summary(self) -> str:
        """One line: rows in and where they went."""
        return (
            f"{self.rows_in:,} rows in: {self.rows_loaded:,} loaded, "
            f"{len(self.rejected):,} rejected, {len(self.superseded):,} superseded"
        )


Resolved = tuple[list[Record], list[tuple[Record, Record, str]], list[Record]]


class Merge(Protocol):
    """How an export with later kinds of submission (validation forms) keeps its rows.

    Made from every record, table and the notes; called like
    :func:`resolve_resubmissions` on the rows without problems; then
    ``finish`` adds what it found to the result.
    """

    def __call__(self, clean: list[Record], *, key_label: str) -> Resolved: ...

    def finish(self, result: ReadResult) -> None: ...


@dataclass(frozen=True)
class Export:
    """A kind of export a reader reads, and how to read it."""

    #: What the export is called in messages ("QIOF submissions").
    what: str
    #: Whether a row of cells is the export's header row.
    recognise: Callable[[list[object]], bool]
    #: What the header row needs, said when no file has one.
    looked_for: str
    #: What one return is keyed by, for resubmissions ("organisation and cycle").
    key_label: str
    #: One table's rows as records (its columns read from its header).
    parse: Callable[[RawTable, Notes], list[Record]]
    #: The tidy, checked table of the kept rows.
    to_frame: Callable[[list[Row]], pd.DataFrame]
    #: Files read in their own way (validation forms) as tables; None for the rest.
    claim: Callable[[FileContent], list[RawTable] | None] | None = None
    #: How rows are kept when some outrank others; None: :func:`resolve_resubmissions`.
    merge: Callable[[list[Record], list[RawTable], Notes], Merge] | None = None


def read_records(source: Source, export: Export, *, errors: str) -> ReadResult:
    """Find the export's table in every file of ``source``, parse its rows and build the result.

    See :func:`build_result` for ``errors``.
    """
    notes = Notes()
    left_out: list[Problem] | None = [] if errors == "report" else None
    tables = list(
        iter_tables(
            source,
            export.recognise,
            what=export.what,
            looked_for=export.looked_for,
            claim=export.claim,
            left_out=left_out,
        )
    )
    records = [record for table in tables for record in export.parse(table, notes)]
    merge = None if export.merge is None else export.merge(records, tables, notes)
    result = build_result(
        records,
        key_label=export.key_label,
        errors=errors,
        to_frame=export.to_frame,
        notes=notes,
        tables=tables,
        what=export.what,
        resolve=resolve_resubmissions if merge is None else merge,
    )
    if merge is not None:
        merge.finish(result)
    if left_out:
        result.left_out = left_out
        files = sorted({p.file for p in left_out if p.file})
        result.notes.append(
            f"{len(files)} form file(s) could not be read and were left out: {', '.join(files)}"
        )
    return result


def build_result(
    records: list[Record],
    *,
    key_label: str,
    errors: str,
    to_frame: Callable[[list[Row]], pd.DataFrame],
    notes: Notes,
    tables: list[RawTable],
    what: str,
    resolve: Callable[..., Resolved] = resolve_resubmissions,
) -> ReadResult:
    """Resolve resubmissions, apply ``errors``, and assemble a :class:`ReadResult`.

    ``resolve`` splits the rows without problems into kept, superseded and
    conflicting (see :class:`Merge`).
    """
    check_errors_mode(errors)
    bad = [r for r in records if r.problems]
    clean = [r for r in records if not r.problems]
    kept, superseded, conflicts = resolve(clean, key_label=key_label)
    rejected = bad + conflicts
    problems = [p for r in rejected for p in r.problems]
    if problems and errors == "raise":
        rows = len(rejected)
        raise QioDataError(
            problems,
            summary=f"{len(problems)} problem(s) in {rows} row(s) of the {what} input; "
            "fix them, or read with errors='report' to load the valid rows",
        )
    rejected.sort(key=lambda r: (r.table.file, r.row))
    data = to_frame([t for r in kept for t in r.tidy])
    files = _files_frame(tables, records, kept, rejected, [r for r, _, _ in superseded])
    result = ReadResult(
        data=data,
        rejected=_rejected_frame(rejected),
        superseded=_superseded_frame(superseded),
        notes=[n for t in tables for n in t.notes] + notes.lines(),
        rows_in=len(records),
        rows_loaded=len(kept),
        problems=problems,
        files=files,
    )
    result.check_accounting()
    return result


FILE_COLUMNS: list[str] = [
    "file",
    "sheet",
    "rows_in",
    "loaded",
    "rejected",
    "superseded",
    "empty_rows",
]


def _files_frame(
    tables: list[RawTable],
    records: list[Record],
    kept: list[Record],
    rejected: list[Record],
    superseded: list[Record],
) -> pd.DataFrame:
    def count(items: list[Record]) -> Counter[int]:
        return Counter(id(r.table) for r in items)

    counts = {
        name: count(items)
        for name, items in (
            ("rows_in", records),
            ("loaded", kept),
            ("rejected", rejected),
            ("superseded", superseded),
        )
    }
    rows = [
        {
            "file": t.file,
            "sheet": t.sheet,
            **{name: c[id(t)] for name, c in counts.items()},
            "empty_rows": t.empty_rows,
        }
        for t in tables
    ]
    return pd.DataFrame(rows, columns=FILE_COLUMNS).astype(dict.fromkeys(FILE_COLUMNS[2:], "int64"))


def _source(rec: Record) -> dict[str, object]:
    return {"source_file": rec.table.file, "source_sheet": rec.table.sheet, "source_row": rec.row}


_OUTCOME_LABEL = re.compile(r"^Outcome (\d+) (.+)$")


def _short(p: Problem) -> str:
    """A problem in a line: on a form, its cell and the form's own labels."""
    column = p.column
    if p.cell and column and (match := _OUTCOME_LABEL.match(column)):
        column = f"{match[2]}, outcome {match[1]}"
    if p.cell:
        text = p.reason + f" in cell {p.cell}" + (f" ({column})" if column else "")
    else:
        text = p.reason + (f" in '{column}'" if column else "")
    if not is_blank(p.value):
        text += f" (found {display_value(p.value)!r})"
    return text


def _rejected_frame(records: list[Record]) -> pd.DataFrame:
    rows = [
        {
            **_source(r),
            "problems": "; ".join(_short(p) for p in r.problems),
            **{k: None if is_blank(v) else display_value(v) for k, v in r.raw.items()},
        }
        for r in records
    ]
    base = ["source_file", "source_sheet", "source_row", "problems"]
    return pd.DataFrame(rows, columns=base + _raw_columns(records))


def _superseded_frame(items: list[tuple[Record, Record, str]]) -> pd.DataFrame:
    rows = [
        {
            **_source(rec),
            "key": fmt_key(rec.key),
            "submitted": rec.submitted,
            "superseded_by": winner.where,
            "reason": reason,
        }
        for rec, winner, reason in sorted(items, key=lambda t: (t[0].table.file, t[0].row))
    ]
    return pd.DataFrame(rows, columns=SUPERSEDED_COLUMNS)


def _raw_columns(records: list[Record]) -> list[str]:
    seen: dict[str, None] = {}
    for r in records:
        seen.update(dict.fromkeys(r.raw))
    return list(seen)

"""Shared reader machinery: records, resubmissions and the result (parsers: ``io.parsers``).

Every input row ends in exactly one of three places: loaded (``.data``),
rejected (``.rejected``, with its problems) or superseded (``.superseded``, a
resubmission replaced by a later one). ``ReadResult.check_accounting`` proves
``rows_in == loaded + rejected + superseded``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from qio_analysis.errors import CellError, Problem, QioConfigError, QioDataError
from qio_analysis.framework import is_blank
from qio_analysis.io.parsers import Notes, parse_date, parse_org_code, parse_text
from qio_analysis.io.tables import RawTable, Source, iter_tables
from qio_analysis.io.xlsx_cells import CellFault

#: How readers treat bad rows: ``"raise"`` a :class:`QioDataError` listing every
#: problem, or ``"report"`` them (load the valid rows, list the rest).
ERRORS_MODES = ("raise", "report")


def check_errors_mode(errors: str) -> None:
    """Raise :class:`QioConfigError` unless ``errors`` is one of :data:`ERRORS_MODES`."""
    if errors not in ERRORS_MODES:
        raise QioConfigError(f"errors must be 'raise' or 'report', not {errors!r}.")


# --------------------------------------------------------------------- records

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


@dataclass
class Record:
    """One input row, parsed: where it came from and what it becomes."""

    table: RawTable
    row: int
    cells: list[object]
    key: tuple[Any, ...] = ()
    dup_key: tuple[Any, ...] = ()
    submitted: pd.Timestamp | None = None
    tidy: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    faulted: set[str] = field(default_factory=set)

    @property
    def raw(self) -> dict[str, object]:
        """The row's cells by header, as read (built only for rejected rows)."""
        return dict(zip(self.table.headers, self.cells, strict=True))

    @property
    def where(self) -> str:
        sheet = f" sheet '{self.table.sheet}'" if self.table.sheet else ""
        return f"{self.table.file}{sheet} row {self.row}"

    def content(self) -> tuple[Any, ...]:
        """What two duplicates must share to be the same submission."""
        return tuple(
            tuple(sorted((k, _cmp(v)) for k, v in r.items() if not k.startswith("source_")))
            for r in self.tidy
        )

    def take_faults(self, cells: list[object], used: Iterable[int]) -> list[object]:
        """Report error-value and uncalculated-formula cells in the ``used`` columns.

        Returns the cells with those faults blanked; later problems in the same
        column are not added (the fault already explains them).
        """
        if not self.table.has_faults:
            return cells
        faulty = [i for i in used if isinstance(cells[i], CellFault)]
        if not faulty:
            return cells
        cells = list(cells)
        for index in faulty:
            fault = cells[index]
            assert isinstance(fault, CellFault)
            column = self.table.headers[index] or f"column {index + 1}"
            self.problems.append(
                self.table.problem(
                    fault.reason,
                    row=self.row,
                    column=column,
                    value=fault.text,
                    allowed="a value (or a documented word for missing, such as N/A)",
                )
            )
            self.faulted.add(column)
            cells[index] = None
        return cells

    def read_submitted(self, column: str, value: object, notes: Notes) -> None:
        """The row's ``Submitted`` date, which decides between resubmissions."""
        try:
            self.submitted = parse_date(value, notes)
        except CellError as exc:
            self.bad(column, value, exc)

    def bad(self, column: str, value: object, exc: CellError) -> None:
        if column in self.faulted:
            return
        if is_blank(value):
            value = ""
        self.problems.append(
            self.table.problem(
                exc.reason, row=self.row, column=column, value=value, allowed=exc.allowed
            )
        )


def organisation_identity(
    rec: Record, code: tuple[str, object], name: tuple[str, object]
) -> dict[str, object]:
    """A row's organisation code and name from their ``(column, value)`` cells; problems go on ``rec``."""
    out: dict[str, object] = {}
    column, value = code
    try:
        out["org_code"] = parse_org_code(value)
    except CellError as exc:
        rec.bad(column, value, exc)
    column, value = name
    out["org_name"] = parse_text(value)
    if out["org_name"] is None:
        rec.bad(
            column, value, CellError("the organisation name is blank", "the organisation's name")
        )
    return out


def _cmp(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


# --------------------------------------------------------------------- resubmissions


def resolve_resubmissions(
    records: list[Record], *, key_label: str
) -> tuple[list[Record], list[tuple[Record, Record, str]], list[Record]]:
    """Split records into kept, superseded ``(record, winner, reason)`` and conflicting.

    Rule: within one ``key`` (organisation and cycle, or service and year),
    the rows with the latest ``Submitted`` date win and earlier ones are
    superseded. Rows left sharing a ``dup_key`` must be identical (the extras
    are superseded as exact duplicates); otherwise every one of them is a
    conflict: without a later date we cannot tell which is right.
    """
    groups: dict[tuple[Any, ...], list[Record]] = defaultdict(list)
    for rec in records:
        groups[rec.key].append(rec)
    kept: list[Record] = []
    superseded: list[tuple[Record, Record, str]] = []
    conflicts: list[Record] = []
    for group in groups.values():
        if len(group) == 1:
            kept.extend(group)
            continue
        dated = [r for r in group if r.submitted is not None]
        latest = max((r.submitted for r in dated), default=None)
        current = group
        if latest is not None:
            current = [r for r in group if r.submitted is None or r.submitted == latest]
            winner = next(r for r in current if r.submitted == latest)
            for rec in group:
                if rec.submitted is not None and rec.submitted < latest:
                    superseded.append(
                        (rec, winner, f"replaced by a later submission ({latest:%Y-%m-%d %H:%M})")
                    )
        by_dup: dict[tuple[Any, ...], list[Record]] = defaultdict(list)
        for rec in current:
            by_dup[rec.dup_key].append(rec)
        for dups in by_dup.values():
            first = dups[0]
            if len(dups) == 1:
                kept.append(first)
            elif all(d.content() == first.content() for d in dups[1:]):
                kept.append(first)
                superseded.extend((d, first, "exact duplicate") for d in dups[1:])
            else:
                others = "; ".join(d.where for d in dups)
                for rec in dups:
                    rec.problems.append(
                        rec.table.problem(
                            f"conflicting duplicate rows for {key_label} {_fmt_key(rec.key)} "
                            f"with no later Submitted date to choose between them ({others})",
                            row=rec.row,
                            column="Submitted",
                            value=None if rec.submitted is None else str(rec.submitted),
                            allowed="one row per "
                            + key_label
                            + ", or a later Submitted date on the resubmission",
                        )
                    )
                conflicts.extend(dups)
    return kept, superseded, conflicts


def _fmt_key(key: tuple[Any, ...]) -> str:
    return " ".join(str(k) for k in key)


# --------------------------------------------------------------------- result


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
    """

    data: pd.DataFrame
    rejected: pd.DataFrame
    superseded: pd.DataFrame
    notes: list[str]
    rows_in: int
    rows_loaded: int
    problems: list[Problem]
    files: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FILE_COLUMNS))

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
    to_frame: Callable[[list[dict[str, Any]]], pd.DataFrame]


def read_records(source: Source, export: Export, *, errors: str) -> ReadResult:
    """Find the export's table in every file of ``source``, parse its rows and build the result.

    See :func:`build_result` for ``errors``.
    """
    notes = Notes()
    tables = list(
        iter_tables(source, export.recognise, what=export.what, looked_for=export.looked_for)
    )
    records = [record for table in tables for record in export.parse(table, notes)]
    return build_result(
        records,
        key_label=export.key_label,
        errors=errors,
        to_frame=export.to_frame,
        notes=notes,
        tables=tables,
        what=export.what,
    )


def build_result(
    records: list[Record],
    *,
    key_label: str,
    errors: str,
    to_frame: Callable[[list[dict[str, Any]]], pd.DataFrame],
    notes: Notes,
    tables: list[RawTable],
    what: str,
) -> ReadResult:
    """Resolve resubmissions, apply ``errors``, and assemble a :class:`ReadResult`."""
    check_errors_mode(errors)
    bad = [r for r in records if r.problems]
    clean = [r for r in records if not r.problems]
    kept, superseded, conflicts = resolve_resubmissions(clean, key_label=key_label)
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


FILE_COLUMNS = ["file", "sheet", "rows_in", "loaded", "rejected", "superseded", "empty_rows"]


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


def _short(p: Problem) -> str:
    text = p.reason + (f" in '{p.column}'" if p.column else "")
    if not is_blank(p.value):
        text += f" (found {str(p.value)!r})"
    return text


def _rejected_frame(records: list[Record]) -> pd.DataFrame:
    rows = [
        {
            **_source(r),
            "problems": "; ".join(_short(p) for p in r.problems),
            **{k: None if is_blank(v) else str(v) for k, v in r.raw.items()},
        }
        for r in records
    ]
    base = ["source_file", "source_sheet", "source_row", "problems"]
    return pd.DataFrame(rows, columns=base + _raw_columns(records))


def _superseded_frame(items: list[tuple[Record, Record, str]]) -> pd.DataFrame:
    rows = [
        {
            **_source(rec),
            "key": _fmt_key(rec.key),
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

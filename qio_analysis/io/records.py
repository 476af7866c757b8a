"""Input rows as records: where each came from, what it becomes, and which resubmission wins.

Cell parsers are :mod:`~qio_analysis.io.parsers`; a reader's result is
:mod:`~qio_analysis.io.results`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from qio_analysis.aliases import Row
from qio_analysis.errors import CellError, Problem
from qio_analysis.framework import is_blank
from qio_analysis.io.locate import RawTable
from qio_analysis.io.parsers import Notes, parse_date, parse_org_code, parse_text
from qio_analysis.io.xlsx_cells import CellFault

# --------------------------------------------------------------------- records


@dataclass
class Record:
    """One input row, parsed: where it came from and what it becomes."""

    table: RawTable
    row: int
    cells: list[object]
    key: tuple[object, ...] = ()
    dup_key: tuple[object, ...] = ()
    submitted: pd.Timestamp | None = None
    tidy: list[Row] = field(default_factory=list)
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

    def content(self) -> tuple[object, ...]:
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
    groups: dict[tuple[object, ...], list[Record]] = defaultdict(list)
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
        latest = max((r.submitted for r in dated if r.submitted is not None), default=None)
        current = group
        if latest is not None:
            current = [r for r in group if r.submitted is None or r.submitted == latest]
            winner = next(r for r in current if r.submitted == latest)
            for rec in group:
                if rec.submitted is not None and rec.submitted < latest:
                    superseded.append(
                        (rec, winner, f"replaced by a later submission ({latest:%Y-%m-%d %H:%M})")
                    )
        by_dup: dict[tuple[object, ...], list[Record]] = defaultdict(list)
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
                            f"conflicting duplicate rows for {key_label} {fmt_key(rec.key)} "
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


def fmt_key(key: tuple[object, ...]) -> str:
    """A record's key as people read it: ``ZA07 2025``."""
    return " ".join(str(k) for k in key)

"""A validation form's record of itself, so that edits outside its entry cells are found.

A form written by ``qio validation-forms`` carries a very hidden sheet,
``qio_form``, that lists the form's layout, cycle, organisations and entry
cells, and the value of every cell on the form sheet as written, under a
SHA-256 fingerprint of all of it. When the form is read back, each cell
outside the entry cells is compared with its record: a change is a problem
naming the cell, what it was and what it is now. The fingerprint catches a
record changed by hand. This guards against mistakes, such as a level typed
over the self-evaluation or a form copied for another organisation. It is
not a seal against forgery.

The record is metadata about the form, not data: it is read only to check
the form, and "hidden sheets are never read" still holds for data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

from qio_analysis.errors import Problem, QioDataError

RECORD_SHEET = "qio_form"
RECORD_TITLE = "qio-analysis validation form record"
RECORD_VERSION = 1
#: One organisation per workbook (the national template layout) or one row per organisation.
LAYOUTS = ("organisation", "region")
_FIELDS = ("layout", "cycle", "sheet", "organisations", "entry cells", "fingerprint")
_CELLS_HEADER = ["Cell", "Value as written"]


def canonical(value: object) -> str:
    """A cell value as comparable text, the same whether written by openpyxl or read back.

    >>> canonical(2), canonical(2.0), canonical(None), canonical("  "), canonical(dt.date(2025, 6, 1))
    ('2', '2', '', '', '2025-06-01')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Real):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(getattr(value, "text", value))  # a CellFault shows its error text
    return text if text.strip() else ""


def cell_ref(row: int, column: int) -> str:
    """An A1 reference from 1-based row and column numbers.

    >>> cell_ref(14, 5)
    'E14'
    """
    return f"{get_column_letter(column)}{row}"


@dataclass(frozen=True)
class FormRecord:
    """What a form was written with: layout, cycle, sheet, organisations, entry cells, cell values."""

    layout: str
    cycle: int
    sheet: str
    organisations: tuple[str, ...]
    entry: tuple[str, ...]  # cell ranges such as "B8:B9" or "E12:G17"
    cells: Mapping[str, object]  # every cell with a value, entry cells included: ref -> value

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}, not {self.layout!r}")

    def _boxes(self) -> list[tuple[int, int, int, int]]:
        return [range_boundaries(r) for r in self.entry]  # (min_col, min_row, max_col, max_row)

    def is_entry(self, row: int, column: int) -> bool:
        """True for a cell the validator fills in (1-based row and column)."""
        return any(c1 <= column <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in self._boxes())

    def fingerprint(self) -> str:
        """SHA-256 of everything in the record, values compared as :func:`canonical` text."""
        payload = {
            "version": RECORD_VERSION,
            "layout": self.layout,
            "cycle": int(self.cycle),
            "sheet": self.sheet,
            "organisations": list(self.organisations),
            "entry": list(self.entry),
            "cells": sorted((ref, canonical(v)) for ref, v in self.cells.items() if canonical(v)),
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def rows(self) -> list[list[object]]:
        """The record sheet's rows, fingerprint included."""
        head: list[list[object]] = [
            [RECORD_TITLE, RECORD_VERSION],
            ["layout", self.layout],
            ["cycle", int(self.cycle)],
            ["sheet", self.sheet],
            ["organisations", ";".join(self.organisations)],
            ["entry cells", " ".join(self.entry)],
            ["fingerprint", self.fingerprint()],
            [],
            list(_CELLS_HEADER),
        ]
        ordered = sorted(self.cells.items(), key=lambda item: coordinate_to_tuple(item[0]))
        return head + [[ref, value] for ref, value in ordered if canonical(value)]

    def changes(self, grid: list[list[object]]) -> Iterator[tuple[str, object, object]]:
        """``(cell, as written, as found)`` for every cell outside the entry cells that changed."""
        for ref, written in self.cells.items():
            row, column = coordinate_to_tuple(ref)
            if self.is_entry(row, column):
                continue
            found = _at(grid, row, column)
            if canonical(found) != canonical(written):
                yield ref, written, found
        for r, cells in enumerate(grid, start=1):
            for c, found in enumerate(cells, start=1):
                ref = cell_ref(r, c)
                if ref not in self.cells and canonical(found) and not self.is_entry(r, c):
                    yield ref, None, found

    def entered(self, grid: list[list[object]], rows: range | None = None) -> bool:
        """True when any entry cell (in ``rows``, 1-based, if given) differs from the form as written."""
        for c1, r1, c2, r2 in self._boxes():
            for row in range(r1, r2 + 1):
                if rows is not None and row not in rows:
                    continue
                for column in range(c1, c2 + 1):
                    written = self.cells.get(cell_ref(row, column))
                    if canonical(_at(grid, row, column)) != canonical(written):
                        return True
        return False


def _at(grid: list[list[object]], row: int, column: int) -> object:
    if row - 1 < len(grid) and column - 1 < len(grid[row - 1]):
        return grid[row - 1][column - 1]
    return None


def read_record(rows: list[list[object]], file: str) -> FormRecord:
    """The record on a form's ``qio_form`` sheet, checked against its fingerprint."""

    def damaged(reason: str) -> QioDataError:
        return QioDataError(
            [
                Problem(
                    file=file,
                    sheet=RECORD_SHEET,
                    reason=f"the form's hidden record {reason}",
                    allowed="a form as written by qio validation-forms: write the form again "
                    "and copy the validated levels into it",
                )
            ]
        )

    padded = [[*r, None, None] for r in rows]
    if not padded or canonical(padded[0][0]) != RECORD_TITLE:
        raise damaged("is not a qio-analysis form record")
    if canonical(padded[0][1]) != str(RECORD_VERSION):
        raise damaged(f"has version {canonical(padded[0][1])!r}, not {RECORD_VERSION}")
    fields = {canonical(r[0]): r[1] for r in padded[1:7]}
    if set(fields) != set(_FIELDS):
        raise damaged("is incomplete")
    start = next(
        (i for i, r in enumerate(padded) if [canonical(v) for v in r[:2]] == _CELLS_HEADER), None
    )
    if start is None:
        raise damaged("has no list of cells")
    try:
        record = FormRecord(
            layout=canonical(fields["layout"]),
            cycle=int(canonical(fields["cycle"])),
            sheet=canonical(fields["sheet"]),
            organisations=tuple(c for c in canonical(fields["organisations"]).split(";") if c),
            entry=tuple(canonical(fields["entry cells"]).split()),
            cells={canonical(r[0]): r[1] for r in padded[start + 1 :] if canonical(r[0])},
        )
        record.fingerprint()
        record._boxes()
        for ref in record.cells:
            coordinate_to_tuple(ref)
    except (ValueError, TypeError) as exc:
        raise damaged(f"cannot be read ({exc})") from exc
    if record.fingerprint() != canonical(fields["fingerprint"]):
        raise damaged("was changed after the form was written (its fingerprint does not match)")
    return record

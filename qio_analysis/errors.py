"""The package's one error family, and the root of its warnings.

``QioError`` is the root of every error raised on purpose. ``QioDataError``
carries every problem found in an input at once, each naming the file, sheet,
Excel row, column, value and what is allowed, so a non-programmer can go
straight to the cell and fix it. ``QioWarning`` is the root of every warning
the package issues, so a caller can filter them in one line.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TypedDict

_MAX_LISTED = 25


class QioError(Exception):
    """Root of every error raised on purpose by qio_analysis."""


def display_value(value: object) -> str:
    """A cell value as a person reads it: whole numbers without ``.0``, dates as dates.

    >>> display_value(2025.0), display_value(2.5), display_value(dt.date(2024, 12, 1))
    ('2025', '2.5', '01/12/2024')
    >>> display_value(dt.datetime(2025, 6, 2, 14, 30)), display_value("Level 2")
    ('02/06/2025 14:30', 'Level 2')
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        number = float(value)
        return str(int(number)) if number.is_integer() else str(number)
    if isinstance(value, dt.datetime):  # a pandas Timestamp too
        return f"{value:%d/%m/%Y}" if value.time() == dt.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


class Where(TypedDict, total=False):
    """Where a :class:`Problem` is and what was found there, for building several alike."""

    row: int | None
    column: str | None
    value: object
    cell: str | None


@dataclass(frozen=True)
class Problem:
    """One bad value in an input file.

    ``row`` is the row number as Excel (or a spreadsheet opening the CSV)
    shows it: the header row and any title rows above it count. ``cell``
    names the cell (``E14``) where a layout is not one row per record, such
    as a validation form.
    """

    file: str
    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None  # the cell as read: text, a number, a date, ...
    allowed: str | None = None
    cell: str | None = None

    def describe(self) -> str:
        """One plain-English line pointing at the cell."""
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.cell:
            where.append(f"cell {self.cell}")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + f": {self.reason}"
        blank = self.value is None or (isinstance(self.value, float) and self.value != self.value)
        blank = blank or (isinstance(self.value, str) and not self.value.strip())
        if not blank:
            shown = display_value(self.value)
            text += f" (found {shown!r})" if isinstance(self.value, str) else f" (found {shown})"
        elif (
            self.value is not None
            and self.row is not None
            and self.column
            and "blank" not in self.reason
        ):
            text += " (the cell is blank)"
        if self.allowed:
            text += f". Allowed: {self.allowed}"
        return text

    def to_dict(self) -> dict[str, str | int | None]:
        """Plain dict, for tables of rejected rows."""
        out = asdict(self)
        out["value"] = None if self.value is None else display_value(self.value)
        return out


class QioDataError(QioError, ValueError):
    """An input file broke the rules; ``.problems`` lists every bad cell."""

    def __init__(self, problems: Iterable[Problem], *, summary: str | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = summary or f"{n} problem{'s' if n != 1 else ''} found in the input"
        lines = [p.describe() for p in self.problems[:_MAX_LISTED]]
        if n > _MAX_LISTED:
            lines.append(f"... and {n - _MAX_LISTED} more (see the error's .problems list)")
        super().__init__(head + ":\n  - " + "\n  - ".join(lines) if lines else head)


class QioLevelError(QioError, ValueError):
    """A value that is not a QIOF level; the message quotes it."""


class QioConfigError(QioError, ValueError):
    """A run parameter (cycle, region, organisation, path) that cannot be used."""


class CellError(QioError, ValueError):
    """One cell value broke a rule; the reader adds the file, sheet, row and column.

    ``reason`` says what is wrong and ``allowed`` what would be accepted.
    """

    def __init__(self, reason: str, allowed: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.allowed = allowed


class OutputFolderError(QioError):
    """The output folder cannot be written (full, read-only, not a folder)."""


class QioWarning(UserWarning):
    """Root of every warning issued by qio_analysis."""

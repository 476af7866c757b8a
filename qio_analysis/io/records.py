"""Shared reader machinery: cell parsers, records, resubmissions and the result.

Every input row ends in exactly one of three places: loaded (``.data``),
rejected (``.rejected``, with its problems) or superseded (``.superseded``, a
resubmission replaced by a later one). ``ReadResult.check_accounting`` proves
``rows_in == loaded + rejected + superseded``.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from qio_analysis.errors import Problem, QioDataError
from qio_analysis.io.tables import RawTable, is_blank

ORG_CODE_PATTERN = r"^[A-Z0-9]{3,10}$"
_ORG_CODE_RE = re.compile(ORG_CODE_PATTERN)
FIRST_CYCLE, LAST_CYCLE = 2019, 2100


class CellError(ValueError):
    """A cell value broke a rule; the reader adds file, row and column."""

    def __init__(self, reason: str, allowed: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.allowed = allowed


# --------------------------------------------------------------------- parsers


def parse_text(value: object) -> str | None:
    """Stripped text with runs of whitespace collapsed; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_org_code(value: object) -> str:
    """ODS-style code: stripped and upper-cased.

    >>> parse_org_code("  r1a ")
    'R1A'
    """
    text = parse_text(value)
    if text is None:
        raise CellError("the organisation code is blank", "an ODS code such as RBT or R1A")
    code = text.upper().replace(" ", "")
    if not _ORG_CODE_RE.match(code):
        raise CellError("this is not an organisation code", "3 to 10 letters and digits, e.g. RBT")
    return code


_CYCLE_RE = re.compile(r"^(?P<y>\d{4})(?:\s*[/-]\s*(?P<next>\d{2}|\d{4}))?$")


def parse_cycle(value: object) -> tuple[int, bool]:
    """QIOF cycle as a year, and whether it was normalised (``2021/22`` -> 2021).

    >>> parse_cycle("2021/22"), parse_cycle(2023.0)
    ((2021, True), (2023, False))
    """
    allowed = f"a year from {FIRST_CYCLE}, e.g. 2021, or a span such as 2021/22"
    if is_blank(value):
        raise CellError("the cycle is blank", allowed)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise CellError("the cycle is not a whole year", allowed)
        year, changed = int(value), False
    else:
        match = _CYCLE_RE.match(str(value).strip())
        if match is None:
            raise CellError("this is not a cycle", allowed)
        year, changed = int(match["y"]), match["next"] is not None
    if not FIRST_CYCLE <= year <= LAST_CYCLE:
        raise CellError("the cycle year is out of range", allowed)
    return year, changed


_FY_RE = re.compile(r"^(?:fy\s*)?(?P<y>\d{4})\s*[/-]\s*(?P<next>\d{2}|\d{4})$", re.IGNORECASE)


def parse_financial_year(value: object) -> tuple[str, int]:
    """Financial year as ``("2023/24", 2023)``.

    Accepts ``2023/24``, ``2023-24``, ``2023-2024`` and ``FY2023/24``.

    >>> parse_financial_year("FY2023/24"), parse_financial_year("2023-2024")
    (('2023/24', 2023), ('2023/24', 2023))
    """
    allowed = "a financial year such as 2023/24, 2023-24, 2023-2024 or FY2023/24"
    text = parse_text(value)
    if text is None:
        raise CellError("the year is blank", allowed)
    match = _FY_RE.match(text)
    if match is None:
        raise CellError("this is not a financial year", allowed)
    start = int(match["y"])
    nxt = match["next"]
    end = int(nxt) if len(nxt) == 4 else (start // 100) * 100 + int(nxt)
    if end != start + 1 or not FIRST_CYCLE - 10 <= start <= LAST_CYCLE:
        raise CellError("the two years of a financial year must be consecutive", allowed)
    return f"{start}/{(start + 1) % 100:02d}", start


def parse_date(value: object) -> pd.Timestamp | None:
    """A submission date/time; None when blank. Day-first for text (UK)."""
    if is_blank(value):
        return None
    allowed = "a date such as 2023-05-31 or 31/05/2023 (optionally with a time)"
    if isinstance(value, dt.date | pd.Timestamp):
        return pd.Timestamp(value)
    if not isinstance(value, str):
        raise CellError("this is not a date", allowed)
    text = value.strip()
    iso = re.match(r"^\d{4}-\d{2}-\d{2}", text) is not None
    try:
        return pd.Timestamp(pd.to_datetime(text, dayfirst=not iso))
    except (ValueError, OverflowError) as exc:
        raise CellError("this is not a date", allowed) from exc


_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(value: object, *, whole: bool = False) -> float | int | None:
    """A non-negative number; None when blank.

    Text with thousands separators, a ``£`` sign or surrounding spaces is
    accepted (``'£1,234.50'``). Negative or non-numeric values are problems.

    >>> parse_number("1,234"), parse_number("\u00a3 2,500.50"), parse_number(" ")
    (1234, 2500.5, None)
    """
    allowed = "a whole number of 0 or more" if whole else "a number of 0 or more"
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("this is not a number", allowed)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
    else:
        text = str(value).strip().replace("\u00a3", "").replace(" ", "")
        if not text or _NUMBER_RE.match(text) is None or text in {"+", "-", "."}:
            raise CellError("this is not a number", allowed)
        number = float(text.replace(",", ""))
    if number < 0:
        raise CellError("negative values are not allowed", allowed)
    if whole:
        if not number.is_integer():
            raise CellError("this count is not a whole number", allowed)
        return int(number)
    return int(number) if number.is_integer() else number


# --------------------------------------------------------------------- records


@dataclass
class Record:
    """One input row, parsed: where it came from and what it becomes."""

    table: RawTable
    row: int
    raw: dict[str, object]
    key: tuple[Any, ...] = ()
    dup_key: tuple[Any, ...] = ()
    submitted: pd.Timestamp | None = None
    tidy: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

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

    def bad(self, column: str, value: object, exc: CellError) -> None:
        self.problems.append(
            self.table.problem(
                exc.reason, row=self.row, column=column, value=value, allowed=exc.allowed
            )
        )


def _cmp(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


class Notes:
    """Normalisation notes, counted by kind so they stay readable at scale."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._examples: dict[str, str] = {}
        self._lines: list[str] = []

    def add(self, line: str) -> None:
        self._lines.append(line)

    def count(self, kind: str, example: str) -> None:
        self._counts[kind] += 1
        self._examples.setdefault(kind, example)

    def lines(self) -> list[str]:
        counted = [
            f"{kind}: {n} value(s), e.g. {self._examples[kind]}" for kind, n in self._counts.items()
        ]
        return self._lines + counted


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
    """

    data: pd.DataFrame
    rejected: pd.DataFrame
    superseded: pd.DataFrame
    notes: list[str]
    rows_in: int
    rows_loaded: int
    problems: list[Problem]

    def check_accounting(self) -> None:
        """Raise if any input row is unaccounted for (a bug, never expected)."""
        accounted = self.rows_loaded + len(self.rejected) + len(self.superseded)
        if accounted != self.rows_in:
            raise AssertionError(
                f"{self.rows_in} rows in but {self.rows_loaded} loaded + {len(self.rejected)} "
                f"rejected + {len(self.superseded)} superseded = {accounted}"
            )

    def summary(self) -> str:
        """One line: rows in and where they went."""
        return (
            f"{self.rows_in:,} rows in: {self.rows_loaded:,} loaded, "
            f"{len(self.rejected):,} rejected, {len(self.superseded):,} superseded"
        )


def build_result(
    records: list[Record],
    *,
    key_label: str,
    errors: str,
    to_frame: Any,
    notes: Notes,
    tables: list[RawTable],
    what: str,
) -> ReadResult:
    """Resolve resubmissions, apply ``errors``, and assemble a :class:`ReadResult`."""
    if errors not in {"raise", "report"}:
        raise ValueError(f"errors must be 'raise' or 'report', not {errors!r}")
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
    result = ReadResult(
        data=data,
        rejected=_rejected_frame(rejected),
        superseded=_superseded_frame(superseded),
        notes=[n for t in tables for n in t.notes] + notes.lines(),
        rows_in=len(records),
        rows_loaded=len(kept),
        problems=problems,
    )
    result.check_accounting()
    return result


def _source(rec: Record) -> dict[str, object]:
    return {"source_file": rec.table.file, "source_sheet": rec.table.sheet, "source_row": rec.row}


def _rejected_frame(records: list[Record]) -> pd.DataFrame:
    rows = [
        {
            **_source(r),
            "problems": "; ".join(
                p.reason + (f" in '{p.column}'" if p.column else "") for p in r.problems
            ),
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
    cols = [
        "source_file",
        "source_sheet",
        "source_row",
        "key",
        "submitted",
        "superseded_by",
        "reason",
    ]
    return pd.DataFrame(rows, columns=cols)


def _raw_columns(records: list[Record]) -> list[str]:
    seen: dict[str, None] = {}
    for r in records:
        seen.update(dict.fromkeys(r.raw))
    return list(seen)

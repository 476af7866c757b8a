"""Cell parsers: each turns one raw cell into a value or raises :class:`~qio_analysis.errors.CellError`.

Cycles and financial years are QIOF domain values, parsed in :mod:`qio_analysis.framework`.

Readers add the file, sheet, row and column; :class:`Notes` counts every
normalisation so nothing changes silently.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections import Counter

import pandas as pd

from qio_analysis.errors import CellError
from qio_analysis.framework import is_blank
from qio_analysis.reference import ORG_CODE_PATTERN

_ORG_CODE_RE = re.compile(ORG_CODE_PATTERN)


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


_YMD_RE = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_DMY_RE = re.compile(
    r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4}|\d{2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_SERIAL_RANGE = (36526, 73051)  # Excel serials of 2000-01-01 and 2100-01-01
_DATE_ALLOWED = (
    "a date such as 31/05/2023 (day first), 2023-05-31 or 2023/05/31 (year first), "
    "optionally with a time"
)
UK_TIME = "Europe/London"


def parse_date(value: object, notes: Notes | None = None) -> pd.Timestamp | None:
    """A submission date/time (naive UK time); None when blank.

    Text is read day-first (``01/04/2024`` is 1 April) unless it starts with a
    four-digit year (``2024/04/01``, ``2024-04-01``). A date impossible as
    day-first (``12/25/2023``) is rejected, never read month-first. Excel date
    cells and bare Excel serials (``45383``) work; a timestamp with a time zone
    is converted to UK time (with a note) so it compares with naive ones.

    >>> parse_date("01/04/2024"), parse_date("2024/04/01"), parse_date(45383)
    (Timestamp('2024-04-01 00:00:00'), Timestamp('2024-04-01 00:00:00'), Timestamp('2024-04-01 00:00:00'))
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return _naive(pd.Timestamp(value), value, notes)
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _serial(float(value))
    if not isinstance(value, str):
        raise CellError("this is not a date", _DATE_ALLOWED)
    text = value.strip()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _serial(float(text))
    match = _YMD_RE.match(text) or _DMY_RE.match(text)
    if match is None:
        if not re.search(r"[A-Za-z]{3}", text):
            raise CellError("this is not a date", _DATE_ALLOWED)
        try:
            return _naive(pd.Timestamp(pd.to_datetime(text, dayfirst=True)), value, notes)
        except (ValueError, OverflowError) as exc:
            raise CellError("this is not a date", _DATE_ALLOWED) from exc
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None and k != "tz"}
    year = parts["y"] + (2000 if parts["y"] < 100 else 0)
    if match.re is _DMY_RE and parts["m"] > 12:
        raise CellError(
            f"this date is impossible read day-first (UK): there is no month {parts['m']}; "
            "dates are never read month-first",
            _DATE_ALLOWED,
        )
    try:
        stamp = pd.Timestamp(
            year, parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0), parts.get("S", 0)
        )
    except ValueError as exc:
        raise CellError("this date does not exist", _DATE_ALLOWED) from exc
    tz = match.groupdict().get("tz")
    if tz:
        offset = dt.UTC if tz.upper() == "Z" else _offset(tz)
        return _naive(stamp.tz_localize(offset), value, notes)
    return stamp


def _offset(text: str) -> dt.timezone:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _naive(stamp: pd.Timestamp, raw: object, notes: Notes | None) -> pd.Timestamp:
    if stamp.tzinfo is None:
        return stamp
    local = stamp.tz_convert(UK_TIME).tz_localize(None)
    if notes is not None:
        notes.count("time zone converted to UK time", f"{raw!r} -> {local}")
    return local


def _serial(number: float) -> pd.Timestamp:
    low, high = _SERIAL_RANGE
    if not low <= number < high:
        raise CellError("this number is not a plausible Excel date", _DATE_ALLOWED)
    return pd.Timestamp("1899-12-30") + pd.Timedelta(days=number)


_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
MAX_NUMBER = 10**12


def _explain_number_text(text: str, allowed: str) -> None:
    """Specific reasons for number-like text that is never guessed."""
    if text.startswith("(") and text.endswith(")"):
        raise CellError(
            "a number in brackets (an accounting negative) is not allowed; never guessed", allowed
        )
    if text.endswith("%"):
        raise CellError("a percentage is not allowed here; give the number itself", allowed)
    if re.fullmatch(r"[\u00a3$]?\s*[\d.,]+\s*[kKmMbB]n?", text):
        raise CellError(
            "abbreviated numbers (k, m, bn) are not allowed; give the full number", allowed
        )


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
    if isinstance(value, str):
        _explain_number_text(value.strip(), allowed)
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
    if not math.isfinite(number) or number > MAX_NUMBER:
        raise CellError(f"this number is implausibly large (over {MAX_NUMBER:,})", allowed)
    if number < 0:
        raise CellError("negative values are not allowed", allowed)
    if whole:
        if not number.is_integer():
            raise CellError("this count is not a whole number", allowed)
        return int(number)
    return int(number) if number.is_integer() else number


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

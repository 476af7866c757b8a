"""Raw table access: find the data in a messy export and keep Excel row numbers.

Files are opened by :mod:`qio_analysis.io.files` (any workbook format Excel or
LibreOffice saves, or CSV in any common delimiter and encoding). This module
finds the one sheet holding a recognised header row, cleans invisible
characters out of its text once, at read time (with a note), and marks cells
holding Excel error values so no reader mistakes them for "missing".
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from qio_analysis.errors import Problem, QioDataError
from qio_analysis.framework import is_blank
from qio_analysis.io.files import (
    FOLDER_SUFFIXES,
    SUPPORTED_SUFFIXES,
    FileContent,
    Sheet,
    read_file,
)
from qio_analysis.io.xlsx_cells import CellFault, text_fault
from qio_analysis.text import INVISIBLE, remove_invisible

Source = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]

HEADER_SCAN_ROWS = 30
_MAX_CELL_NOTES = 10


@dataclass
class RawTable:
    """The recognised table in one file: header cells and data rows as found.

    ``rows`` holds ``(excel_row, cells)`` for every non-empty row below the
    header; ``empty_rows`` counts the blank ones that were skipped.
    """

    file: str
    path: Path
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[object]]]
    empty_rows: int = 0
    notes: list[str] = field(default_factory=list)
    has_faults: bool = False  # any error-value or uncalculated-formula cell in ``rows``

    def problem(self, reason: str, **kw: object) -> Problem:
        """A :class:`Problem` located in this table."""
        return Problem(file=self.file, sheet=self.sheet, reason=reason, **kw)  # type: ignore[arg-type]

    def same_meaning(self, header: str, first: int) -> Problem:
        """The problem of a header meaning what the header at index ``first`` already means."""
        return self.problem(
            "two columns mean the same thing",
            row=self.header_row,
            column=header,
            value=self.headers[first],
            allowed="one column each",
        )

    def missing_column(self, accepted: Sequence[str]) -> Problem:
        """The problem of no header among ``accepted`` (the first is the one asked for)."""
        return self.problem(
            "a required column is missing",
            row=self.header_row,
            column=accepted[0],
            allowed="accepted headers: " + ", ".join(accepted),
        )

    def ignored_note(self, ignored: Sequence[str]) -> str:
        """The note listing columns the analysis does not use."""
        return f"{self.file}: ignored column(s) not used by the analysis: {', '.join(ignored)}"


def scan_sources(source: Source) -> tuple[list[Path], list[str]]:
    """File paths named by ``source`` and a note for every folder entry not read.

    Folders contribute their workbook (``.xlsx``, ``.xlsm``, ``.xlsb``, ``.xls``,
    ``.ods``), ``.csv``/``.tsv`` files and Excel "Unicode Text" ``.txt`` files
    (UTF-16 with a BOM) in name order. Nothing in a folder is
    skipped silently: every other entry gets an "ignored" note.
    """
    items = [source] if isinstance(source, str | os.PathLike) else list(source)
    paths: list[Path] = []
    notes: list[str] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = []
            for entry in sorted(path.iterdir()):
                if entry.name.startswith("~$"):
                    notes.append(
                        f"{entry.name}: ignored: an Excel lock file (the workbook is open)"
                    )
                elif entry.is_dir():
                    notes.append(f"{entry.name}: ignored: a folder (sub-folders are not read)")
                elif entry.suffix.lower() == ".txt" and _is_unicode_text(entry):
                    found.append(entry)
                elif entry.suffix.lower() not in FOLDER_SUFFIXES:
                    notes.append(f"{entry.name}: ignored: not a spreadsheet")
                else:
                    found.append(entry)
            if not found:
                raise QioDataError(
                    [
                        Problem(
                            file=str(path),
                            reason="this folder holds no spreadsheet exports",
                            allowed=", ".join(FOLDER_SUFFIXES),
                        )
                    ]
                )
            paths.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise QioDataError(
                    [
                        Problem(
                            file=str(path),
                            reason="unsupported file type",
                            value=path.suffix,
                            allowed=", ".join(SUPPORTED_SUFFIXES),
                        )
                    ]
                )
            paths.append(path)
        else:
            raise QioDataError([Problem(file=str(path), reason="no such file or folder")])
    if not paths:
        raise QioDataError([Problem(file="(no source)", reason="no input files were given")])
    return paths, notes


def _is_unicode_text(path: Path) -> bool:
    """True for Excel's "Unicode Text" export (UTF-16 with a BOM), read even in a folder."""
    with path.open("rb") as handle:
        return handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def expand_sources(source: Source) -> list[Path]:
    """File paths named by ``source``: a file, a folder of exports, or a list of either."""
    return scan_sources(source)[0]


def _find_header(rows: list[list[object]], recognise: Callable[[list[object]], bool]) -> int | None:
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if recognise(cells):
            return index
    return None


def _char_names(text: str) -> str:
    found = dict.fromkeys(INVISIBLE.findall(text))
    return ", ".join(f"U+{ord(c):04X} {_char_name(c)}" for c in found)


def _char_name(char: str) -> str:
    return unicodedata.name(char, "noncharacter" if char in "\ufffe\uffff" else "control character")


def clean_cells(
    rows: Iterable[tuple[int, list[object]]], headers: list[str], file: str, where: str
) -> tuple[list[str], bool]:
    """Remove invisible characters from text cells and mark error-value text, in place.

    Returns one note per changed cell (the first few) and a count, so nothing
    changes silently, and whether any cell is a :class:`CellFault`.
    """
    notes: list[str] = []
    changed = 0
    faults = False
    for row, cells in rows:
        for index, value in enumerate(cells):
            cls = value.__class__
            if cls is CellFault:
                faults = True
                continue
            if cls is not str or not value:
                continue
            value = cast("str", value)  # its class is str, checked above
            if value[0] in "#\t " and (fault := text_fault(value)) is not None:
                cells[index] = fault
                faults = True
                continue
            if INVISIBLE.search(value) is None:
                continue
            changed += 1
            if changed <= _MAX_CELL_NOTES:
                column = (
                    headers[index]
                    if index < len(headers) and headers[index]
                    else f"column {index + 1}"
                )
                notes.append(
                    f"{file}: {where}row {row}, column '{column}': removed invisible or control "
                    f"character(s) ({_char_names(value)}); read as {remove_invisible(value)!r}"
                )
            cells[index] = remove_invisible(value)
    if changed > _MAX_CELL_NOTES:
        notes.append(
            f"{file}: invisible or control characters removed from {changed} cells in all "
            f"(the first {_MAX_CELL_NOTES} are listed)"
        )
    return notes, faults


def _candidate(rows: list[list[object]]) -> tuple[int, list[str]]:
    best = 0
    cells: list[str] = []
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [str(c).strip() for c in row if isinstance(c, str) and c.strip()]
        if len(texts) > len(cells):
            best, cells = index, texts
    return best + 1, cells


def _no_header(
    path: Path,
    sheets: list[Sheet],
    hidden_hit: list[str],
    what: str,
    looked_for: str,
    recognise: Callable[[list[object]], bool],
) -> QioDataError:
    if hidden_hit:
        names = ", ".join(f"'{n}'" for n in hidden_hit)
        return QioDataError(
            [
                Problem(
                    file=path.name,
                    reason=f"the {what} table is on hidden sheet {names}; hidden sheets are "
                    "never read",
                    allowed="the data on a visible sheet (right-click the sheet tab > Unhide)",
                )
            ]
        )
    if all(all(_blank_cell(c) for c in row) for s in sheets for row in s.rows):
        return QioDataError(
            [Problem(file=path.name, reason="the file is empty (every cell is blank)")]
        )
    problems = []
    for sheet in sheets:
        row, cells = _candidate(sheet.rows)
        if not cells:
            continue
        shown = ", ".join(repr(c) for c in cells[:20]) + (" ..." if len(cells) > 20 else "")
        problems.append(
            Problem(
                file=path.name,
                sheet=sheet.name,
                row=row,
                reason=f"no {what} header row was found in the first {HEADER_SCAN_ROWS} rows; "
                f"the likeliest header row holds {shown}, and these headers could not be used",
                allowed=looked_for,
            )
        )
    return QioDataError(problems or [Problem(file=path.name, reason="no header row found")])


def _blank_cell(value: object) -> bool:
    return not isinstance(value, CellFault) and is_blank(value)


def locate_table(
    path: Path, recognise: Callable[[list[object]], bool], *, what: str, looked_for: str
) -> RawTable:
    """Find the one sheet holding a recognised header and return its rows.

    Title and blank rows above the header are skipped; sheets without a
    recognised header (notes, instructions) are ignored; hidden sheets are
    never read; two qualifying sheets are an error because we cannot tell
    which is the data.
    """
    return locate_in(read_file(path), recognise, what=what, looked_for=looked_for)


def locate_in(
    content: FileContent,
    recognise: Callable[[list[object]], bool],
    *,
    what: str,
    looked_for: str,
) -> RawTable:
    """:func:`locate_table` on a file already opened."""
    path = content.path
    notes = list(content.notes)
    sheets = [s for s in content.sheets if not s.hidden]
    found: list[tuple[str | None, int, list[list[object]]]] = []
    for candidate in sheets:
        index = _find_header(candidate.rows, recognise)
        if index is not None:
            found.append((candidate.name, index, candidate.rows))
    if not found:
        hits = [
            s.name or ""
            for s in content.sheets
            if s.hidden and _find_header(s.rows, recognise) is not None
        ]
        raise _no_header(path, sheets, hits, what, looked_for, recognise)
    if len(found) > 1:
        names = ", ".join(f"'{n}'" for n, _, _ in found)
        raise QioDataError(
            [
                Problem(
                    file=path.name,
                    reason=f"more than one sheet holds a {what} table ({names}); "
                    "keep the data on one sheet",
                )
            ]
        )
    sheet, index, rows = found[0]
    where = f"sheet '{sheet}' " if sheet else ""
    width = max(len(r) for r in rows[index:])
    header_cells = list(rows[index])
    header_notes, _ = clean_cells([(index + 1, header_cells)], [], path.name, where)
    headers = ["" if _blank_cell(c) else str(c).strip() for c in header_cells]
    headers += [""] * (width - len(headers))
    data: list[tuple[int, list[object]]] = []
    empty = 0
    for offset, cells in enumerate(rows[index + 1 :], start=index + 2):
        if all(_blank_cell(c) for c in cells):
            empty += 1
            continue
        data.append((offset, list(cells) + [None] * (width - len(cells))))
    data_notes, faults = clean_cells(data, headers, path.name, where)
    notes += header_notes + data_notes
    if index:
        notes.append(f"{path.name}: header found on {where}row {index + 1}; rows above it skipped")
    if len(sheets) > 1:
        ignored = [s.name for s in sheets if s.name != sheet]
        notes.append(f"{path.name}: read sheet '{sheet}'; ignored {', '.join(map(repr, ignored))}")
    if content.hidden:
        notes.append(
            f"{path.name}: hidden sheet(s) {', '.join(map(repr, content.hidden))} not read"
        )
    if empty:
        notes.append(f"{path.name}: {empty} empty row(s) ignored")
    if not data:
        notes.append(f"{path.name}: the header has no data rows below it (0 rows read)")
    return RawTable(path.name, path, sheet, index + 1, headers, data, empty, notes, faults)


def iter_tables(
    source: Source,
    recognise: Callable[[list[object]], bool],
    *,
    what: str,
    looked_for: str,
    claim: Callable[[FileContent], list[RawTable] | None] | None = None,
    left_out: list[Problem] | None = None,
) -> Iterator[RawTable]:
    """:func:`locate_table` for every file in ``source``, collecting all file errors.

    ``claim`` reads the files it recognises in its own way (validation forms)
    and returns ``None`` for the others. A claimed file that cannot be read
    stops the read, unless ``left_out`` is given: then its problems go there
    and the other files are read. Notes on folder entries that were not
    read go on the first table.
    """
    problems: list[Problem] = []
    tables: list[RawTable] = []
    paths, ignored = scan_sources(source)
    for path in paths:
        try:
            content = read_file(path)
            try:
                claimed = None if claim is None else claim(content)
            except QioDataError as exc:
                if left_out is None:
                    raise
                left_out.extend(exc.problems)
                continue
            if claimed is not None:
                tables.extend(claimed)
                continue
            tables.append(locate_in(content, recognise, what=what, looked_for=looked_for))
        except QioDataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise QioDataError(problems, summary=f"Some files could not be read as {what} exports")
    if tables:
        tables[0].notes[:0] = ignored
    yield from tables

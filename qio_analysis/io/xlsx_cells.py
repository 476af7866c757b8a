"""Cells that hold no usable value: Excel error values and formulas never calculated.

``python-calamine`` returns an empty string for both, which would load as
"missing". They are data errors instead, so :func:`mark_faults` finds them in
the ``.xlsx`` sheet XML and puts a :class:`CellFault` in their place. The XML
is only searched when it contains an error cell or a formula at all (a fast
byte search), so ordinary exports pay almost nothing. Text cells holding an
error value (``#N/A`` in a CSV saved from Excel) are faults too
(:func:`text_fault`).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class Sheet(Protocol):
    """What is marked: a sheet's name and its rows of values (``io.files.Sheet``)."""

    name: str | None
    rows: list[list[object]]


ERROR_VALUES = frozenset(
    {
        "#N/A",
        "#REF!",
        "#DIV/0!",
        "#VALUE!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_ERROR_RE = re.compile(
    rb'<c\b([^>]*\bt="e"[^>]*)>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>([^<]*)</v>'
)
_UNCACHED_RE = re.compile(
    rb"<c\b([^>]*)>(?:<f\b[^>]*/>|<f\b[^>]*>([^<]*)</f>)(<v\s*/>|<v>\s*</v>)?</c>"
)
_REF_RE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


class CellFault:
    """A cell with no usable value; ``reason`` says why, ``text`` is what Excel shows."""

    __slots__ = ("reason", "text")

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CellFault) and (self.text, self.reason) == (
            other.text,
            other.reason,
        )

    def __hash__(self) -> int:
        return hash((self.text, self.reason))


def error_fault(text: str) -> CellFault:
    return CellFault(text, f"the cell holds the Excel error {text}, not a value")


def text_fault(value: object) -> CellFault | None:
    """A fault for a text cell that is exactly an Excel error value (``#N/A``), else None."""
    if isinstance(value, str) and value.strip().upper() in ERROR_VALUES:
        return error_fault(value.strip().upper())
    return None


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    parts = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        rid = sheet.get(f"{{{_NS['r']}}}id")
        path = target.get(rid, "")
        path = path.lstrip("/") if path.startswith("/") else posixpath.normpath("xl/" + path)
        parts[sheet.get("name", "")] = path
    return parts


def mark_faults(path: Path, sheets: Sequence[Sheet]) -> list[str]:
    """Replace error and uncalculated-formula cells in ``sheets`` by :class:`CellFault`."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            for sheet in sheets:
                part = parts.get(sheet.name or "")
                if part is None or part not in archive.namelist():
                    continue
                xml = archive.read(part)
                if b't="e"' not in xml and b"<f" not in xml:
                    continue
                for row, col, fault in _faults(xml):
                    _put(sheet.rows, row, col, fault)
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
        return [f"{path.name}: error cells could not be checked ({exc})"]
    return []


def _faults(xml: bytes) -> list[tuple[int, int, CellFault]]:
    out = []
    if b't="e"' in xml:
        for m in _ERROR_RE.finditer(xml):
            ref = _REF_RE.search(m[1])
            if ref is not None:
                text = m[2].decode("utf-8", "replace") or "#VALUE!"
                out.append((int(ref[2]) - 1, _column_index(ref[1]), error_fault(text)))
    if b"<f" in xml:
        for m in _UNCACHED_RE.finditer(xml):
            ref = _REF_RE.search(m[1])
            if ref is None or (m[3] and b't="str"' in m[1]):
                continue  # an empty <v> on a text formula is a calculated empty string
            formula = (m[2] or b"").decode("utf-8", "replace")
            fault = CellFault(
                f"={formula}" if formula else "(formula)",
                "the formula has no saved result (it was never calculated): open the file in "
                "Excel, let it calculate and save it, or paste values",
            )
            out.append((int(ref[2]) - 1, _column_index(ref[1]), fault))
    return out


def _put(rows: list[list[object]], row: int, col: int, fault: CellFault) -> None:
    while len(rows) <= row:
        rows.append([])
    cells = rows[row]
    if len(cells) <= col:
        cells.extend([""] * (col + 1 - len(cells)))
    cells[col] = fault


_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}


def mark_ods_faults(path: Path, sheets: Sequence[Sheet]) -> list[str]:
    """:func:`mark_faults` for an OpenDocument spreadsheet (error cells only).

    LibreOffice marks a cell showing an error with ``calcext:value-type="error"``;
    the document is parsed only when that attribute occurs at all.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("content.xml")
        if b'value-type="error"' not in xml:
            return []
        root = ET.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
        return [f"{path.name}: error cells could not be checked ({exc})"]
    t, calc = "{" + _ODS["table"] + "}", "{" + _ODS["calcext"] + "}"
    by_name = {s.name: s for s in sheets}
    for table in root.iter(f"{t}table"):
        sheet = by_name.get(table.get(f"{t}name"))
        if sheet is None:
            continue
        row = 0
        for row_el in table.iter(f"{t}table-row"):
            col = 0
            for cell in row_el:
                span = int(cell.get(f"{t}number-columns-repeated", "1"))
                if cell.get(f"{calc}value-type") == "error":
                    text = "".join(cell.itertext()).strip() or "#VALUE!"
                    for offset in range(min(span, 1000)):
                        _put(sheet.rows, row, col + offset, error_fault(text))
                col += span
            row += int(row_el.get(f"{t}number-rows-repeated", "1"))
    return []

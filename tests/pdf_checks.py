"""The machine-checkable PDF/UA-1 rules our PDFs must pass, read with pypdf.

The same rules the ``pdfua`` package checks (see docs/accessibility.md), written
out here: pdfua needs pikepdf, which brings in lxml, and with lxml installed
openpyxl writes workbooks differently. Each problem names its rule.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, ContentStream, DictionaryObject

PAINTING = {b"Tj", b"TJ", b"'", b'"', b"Do", b"sh", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
PAINTING |= {b"S", b"s", b"EI"}


def is_true(value: object) -> bool:
    """Whether ``value`` is the PDF boolean true (pypdf's BooleanObject is not Python's True)."""
    return isinstance(value, BooleanObject) and value.value is True


def kids(element: DictionaryObject) -> list[DictionaryObject]:
    """The structure elements directly below ``element``."""
    k = element.get("/K")
    items = list(k) if isinstance(k, ArrayObject) else [k]
    out = []
    for item in items:
        item = item.get_object() if item is not None else None
        if isinstance(item, DictionaryObject) and "/S" in item:
            out.append(item)
    return out


def structure(reader: PdfReader) -> list[DictionaryObject]:
    """Every structure element, depth first."""
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    out, todo = [], kids(root.get_object()) if root is not None else []
    while todo:
        element = todo.pop(0)
        out.append(element)
        todo[:0] = kids(element)
    return out


def _marks_content(element: DictionaryObject) -> bool:
    k = element.get("/K")
    for item in list(k) if isinstance(k, ArrayObject) else [k]:
        item = item.get_object() if item is not None else None
        if isinstance(item, int):
            return True
        if isinstance(item, DictionaryObject) and (
            item.get("/Type") == "/MCR" or ("/S" in item and _marks_content(item))
        ):
            return True
    return False


def untagged_painting(reader: PdfReader) -> list[int]:
    """Pages (from 1) that paint something outside any marked-content sequence."""
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        depth = 0
        for _, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif depth == 0 and operator in PAINTING:
                pages.append(number)
                break
    return pages


def ua_problems(path: Path) -> list[str]:
    """What keeps ``path`` from passing the checkable rules (empty when it passes them all)."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    problems = []
    if "/StructTreeRoot" not in root:
        problems.append("UA-01-005 no structure tree")
    if not is_true(root.get("/MarkInfo", {}).get("/Marked")):
        problems.append("UA-01-002 MarkInfo/Marked is not true")
    problems += [f"UA-01-003 untagged content on page {n}" for n in untagged_painting(reader)]
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", str(root.get("/Lang", ""))):
        problems.append(f"UA-06-001 no natural language: {root.get('/Lang')!r}")
    elements = structure(reader)
    for element in elements:
        kind = element["/S"]
        if kind == "/Figure" and not (element.get("/Alt") or element.get("/ActualText")):
            problems.append("UA-13-004 a figure without alternative text")
        if kind == "/Table" and not any(k["/S"] == "/TR" for k in structure_below(element)):
            problems.append("UA-15-003 a table without rows")
        if kind == "/TR" and any(k["/S"] not in ("/TH", "/TD") for k in kids(element)):
            problems.append("UA-15-003 a table row with cells other than TH and TD")
        if re.fullmatch(r"/H\d?", kind) and not _marks_content(element):
            problems.append(f"UA-14-001 an empty heading {kind}")
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Popup" and not annotation.get("/Contents"):
                problems.append(
                    f"UA-18-001 an annotation ({annotation.get('/Subtype')}) without a description"
                )
    if not (reader.metadata and reader.metadata.title):
        problems.append("UA-07-001 no title")
    if not is_true(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")):
        problems.append("UA-07-002 the viewer is not asked to show the title")
    return problems


def structure_below(element: DictionaryObject) -> list[DictionaryObject]:
    """The structure elements below ``element``, depth first."""
    out = []
    for kid in kids(element):
        out += [kid, *structure_below(kid)]
    return out


def fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(name, embedded) for every font on every page, descendant fonts included."""
    found = []
    for page in reader.pages:
        resources = page.get("/Resources", {}).get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for f in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = f.get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    files = ("/FontFile", "/FontFile2", "/FontFile3")
                    found.append((str(f["/BaseFont"]), any(k in descriptor for k in files)))
    return found


def outline_titles(reader: PdfReader) -> list[str]:
    """The top level of the outline (bookmarks)."""
    return [item.title for item in reader.outline if not isinstance(item, list)]

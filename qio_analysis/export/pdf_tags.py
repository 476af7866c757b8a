"""Mark the page furniture of a tagged PDF printed by Chromium as artifacts (PDF/UA-1, 7.1).

Chromium's tagged PDF (``page.pdf(tagged=True, outline=True)``) has a
structure tree built from the page's accessibility tree: headings, lists,
tables with header cells, each chart a ``/Figure`` whose ``/Alt`` is its
description, an outline from the headings, ``/Lang`` from ``<html lang>``, the
``<title>`` as document title and ``/DisplayDocTitle``. What it leaves
untagged is the page furniture: the running header and footer, and boxes'
backgrounds and borders. PDF/UA wants each of those marked as an
``/Artifact``, so a screen reader skips it instead of reading it as loose text.

:func:`mark_artifacts` wraps every painting run outside marked content in
``/Artifact BMC ... EMC``. The new content streams are appended to the PDF
as an incremental update (ISO 32000-1, 7.5.6): the printed bytes stay as
they are and nothing else is rewritten, which costs a few milliseconds
where rewriting the whole file with its thousands of structure elements
cost about 60. The PDF is read with pypdf (pure Python: pikepdf would bring in
lxml, which changes how openpyxl writes the workbooks).
"""

from __future__ import annotations

import io
import re
import zlib

from pypdf import PdfReader
from pypdf.generic import ArrayObject, IndirectObject

#: Tokens end at white space or a delimiter; an operator starts after one (a name's ``/`` and
#: a hex string's ``<`` are not among them, so ``/S`` or ``<BDC0>`` is never an operator).
_BEFORE = rb"(?<![^\s>\])])"
_AFTER = rb"(?![^\s/<\[(%])"
_ENDS_BEFORE = frozenset(bytes([c]) for c in b" \t\r\n\f\x00>])")
_ENDS_AFTER = frozenset(bytes([c]) for c in b" \t\r\n\f\x00/<[(%")
#: The marked-content operators, which set the nesting (found fast, then checked whole).
_MARKS = re.compile(rb"[BE][DM]C")
#: Operators that paint something (text, paths, images, shadings, forms).
_PAINTS = re.compile(_BEFORE + rb"(?:Tj|TJ|'|\"|Do|sh|f\*?|F|B\*?|b\*?|S|s|EI)" + _AFTER)
_START_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_BEGIN = b"\n/Artifact BMC\n"
_END = b"\nEMC\n"


def mark_content(content: bytes, depth: int = 0) -> tuple[bytes | None, int]:
    """``content`` with each painting run outside marked content wrapped as an artifact.

    ``depth`` is the marked-content nesting at the start (for a page whose
    content is split over several streams). Returns the new content, or None
    when nothing needed marking, and the nesting at the end.

    >>> mark_content(b"BT <01> Tj ET /P <</MCID 0>> BDC BT <02> Tj ET EMC 0 0 9 9 re f")[0]
    b'\\n/Artifact BMC\\nBT <01> Tj ET \\nEMC\\n/P <</MCID 0>> BDC BT <02> Tj ET EMC\\n/Artifact BMC\\n 0 0 9 9 re f\\nEMC\\n'
    """
    if b"(" in content:
        return None, depth  # literal strings could hide operators; Chromium writes none
    inserts: list[tuple[int, bytes]] = []
    run_start = 0  # where the current stretch outside marked content began

    def close(end: int) -> None:
        if _PAINTS.search(content, run_start, end):
            inserts.extend(((run_start, _BEGIN), (end, _END)))

    for match in _MARKS.finditer(content):
        if not _whole(content, match) or match.group() == b"EDC":
            continue
        if match.group() == b"EMC":
            depth = max(0, depth - 1)
            if depth == 0:
                run_start = match.end()
            continue
        if depth == 0:
            close(_operands_start(content, match.start(), match.group()))
        depth += 1
    if depth == 0:
        close(len(content))
    if not inserts:
        return None, depth
    parts, at = [], 0
    for position, text in inserts:
        parts += [content[at:position], text]
        at = position
    parts.append(content[at:])
    return b"".join(parts), depth


def _whole(content: bytes, match: re.Match[bytes]) -> bool:
    """Whether ``match`` is a whole token (not part of a name, a word or a hex string)."""
    before = content[match.start() - 1 : match.start()] if match.start() else b" "
    after = content[match.end() : match.end() + 1] or b" "
    return before in _ENDS_BEFORE and after in _ENDS_AFTER


def _operands_start(content: bytes, operator: int, name: bytes) -> int:
    """Where the operands of the BDC or BMC at ``operator`` begin: its tag, then for a BDC
    a property dictionary (``<</MCID 3>>``, as Chromium writes) or a property name.
    """
    start = max(0, operator - 512)
    text = content[start:operator].rstrip()
    if name == b"BDC":
        properties = text.rfind(b"<<") if text.endswith(b">>") else text.rfind(b"/")
        text = text[:properties].rstrip()
    return start + max(0, text.rfind(b"/"))


def mark_artifacts(data: bytes) -> bytes:
    """``data`` (a tagged PDF from Chromium) with its page furniture marked as artifacts."""
    reader = PdfReader(io.BytesIO(data), strict=True)  # Chromium's PDFs need no repair pass
    changed: dict[int, bytes] = {}
    for page in reader.pages:
        contents = page.get("/Contents")
        refs = list(contents) if isinstance(contents, ArrayObject) else [contents]
        depth = 0
        for ref in refs:
            if not isinstance(ref, IndirectObject):
                continue
            new, depth = mark_content(ref.get_object().get_data(), depth)
            if new is not None:
                changed[ref.idnum] = new
    if not changed:
        return data
    trailer = {"/Size": b"%d" % reader.trailer["/Size"]}
    for key in ("/Root", "/Info"):
        ref = reader.trailer.raw_get(key) if key in reader.trailer else None
        if isinstance(ref, IndirectObject):
            trailer[key] = b"%d %d R" % (ref.idnum, ref.generation)
    if "/ID" in reader.trailer:
        ids = (bytes(getattr(i, "original_bytes", i)).hex() for i in reader.trailer["/ID"])
        trailer["/ID"] = b"[" + " ".join(f"<{i}>" for i in ids).encode() + b"]"
    return _append_update(data, changed, trailer)


def _append_update(data: bytes, streams: dict[int, bytes], trailer: dict[str, bytes]) -> bytes:
    """``data`` with new bodies for the content streams ``streams`` (object number -> content)."""
    found = _START_XREF.search(data[-64:])
    if found is None:
        raise ValueError("not a PDF with a startxref at its end")
    out = io.BytesIO()
    out.write(data)
    if not data.endswith(b"\n"):
        out.write(b"\n")
    offsets = {}
    for number, content in sorted(streams.items()):
        packed = zlib.compress(content, 1)  # fast: the streams are rewritten on every print
        offsets[number] = out.tell()
        out.write(
            b"%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n" % (number, len(packed))
        )
        out.write(packed + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for number, offset in offsets.items():
        out.write(b"%d 1\n%010d 00000 n \n" % (number, offset))
    fields = b"".join(key.encode() + b" " + value + b"\n" for key, value in trailer.items())
    out.write(b"trailer\n<<" + fields + b"/Prev " + found.group(1) + b">>\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()

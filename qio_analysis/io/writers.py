"""Writing files, always atomically: a temporary file in the same folder, then rename.

An interrupted run never leaves a half-written file under the final name.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd


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


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as CSV bytes (UTF-8, no index, LF line endings)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame | list[list[object]]]) -> bytes:
    """Workbook bytes written with openpyxl, deterministic for identical input.

    Each value is a frame (header row plus data) or a list of raw rows, which
    lets the demo generator add title rows above the header as real exports do.
    """
    from openpyxl import Workbook

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
        for row in rows:
            sheet.append(list(row))
    book.properties.created = pd.Timestamp(_FIXED_STAMP).to_pydatetime()
    book.properties.creator = "qio-analysis"
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic_zip(buffer.getvalue())


_FIXED_STAMP = "2025-01-01T00:00:00Z"


def _deterministic_zip(data: bytes) -> bytes:
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
                    rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def write_csv_atomic(path: str | os.PathLike[str], frame: pd.DataFrame) -> Path:
    """Write a frame as CSV atomically."""
    return write_bytes_atomic(path, csv_bytes(frame))

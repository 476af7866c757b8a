"""Shared fixtures: paths to hand-written data and a tiny workbook builder."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

DATA = Path(__file__).parent / "data"
SHARED_ETR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "etr.csv"

# Fixture notebooks under tests/data are inputs to tests, not notebooks to validate.
collect_ignore_glob = ["data/*", "artifacts/*"]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write literal rows to an .xlsx (the first sheet listed comes first)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def data_dir() -> Path:
    return DATA

"""End to end: ``qio reports --pdf --xlsx`` on the small report data set (real notebooks)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from qio_analysis.cli import main
from tests.conftest import reports_args

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() or shutil.which("pdftotext") is None,
    reason="needs Debian chromium and poppler-utils (apt-get install -y chromium poppler-utils)",
)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def test_organisation_pdf_and_workbook(reports_data, tmp_path):
    out = tmp_path / "out"
    assert main(reports_args(reports_data, out, "--org", "ZX1", "ZX2", "--pdf", "--xlsx")) == 0
    for code, name in (
        ("ZX1", "<script>alert(1)</script> & Co"),
        ("ZX2", "Quayview Hospitals NHS Trust"),
    ):
        pdf = out / f"2025/organisations/{code}.pdf"
        assert 1 <= _pages(pdf) <= 3
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert name in text  # escaped in HTML, printed as text
        assert f"Page 1 of {_pages(pdf)}" in text
        book = openpyxl.load_workbook(out / f"2025/organisations/{code}.xlsx")
        assert not any(c.data_type == "f" for ws in book for row in ws.iter_rows() for c in row)
    text = subprocess.run(
        ["pdftotext", str(out / "2025/organisations/ZX2.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Level 3" in text and "Level 2" in text
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2025/organisations/ZX2.pdf" in index and "2025/organisations/ZX2.xlsx" in index

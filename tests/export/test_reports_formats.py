"""End to end: ``qio reports --pdf --xlsx`` on the small report data set (real notebooks)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest

from qio_analysis.cli import main
from tests.conftest import reports_args

pytestmark = [pytest.mark.slow, pytest.mark.browser]


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


def test_pdfs_print_while_the_reports_are_built_and_only_once(reports_data, tmp_path, monkeypatch):
    from qio_analysis.export import pdf as pdf_module

    submitted, left = [], []
    real_submit, real_print = pdf_module.PdfPrinter.submit, pdf_module.print_pdfs

    def submit(self, job):
        submitted.append(job.pdf)
        return real_submit(self, job)

    def print_pdfs(jobs, **kwargs):
        left.extend(job.pdf for job in jobs)
        return real_print(jobs, **kwargs)

    monkeypatch.setattr(pdf_module.PdfPrinter, "submit", submit)
    monkeypatch.setattr(pdf_module, "print_pdfs", print_pdfs)
    out = tmp_path / "out"
    for extra in ((), ("--force",)):
        submitted.clear()
        assert main(reports_args(reports_data, out, "--org", "ZX1", "ZX2", "--pdf", *extra)) == 0
        # Each report's PDF went to the printer as its HTML was written; none was left over.
        reports = {
            p.relative_to(out).with_suffix("").as_posix()
            for p in out.rglob("*.html")
            if p.name not in {"index.html", "data_checks.html"}
        }
        assert {p.relative_to(out).with_suffix("").as_posix() for p in submitted} == reports
        assert left == []
        index = (out / "index.html").read_text(encoding="utf-8")
        for report in reports:
            assert (out / f"{report}.pdf").stat().st_size > 0
            assert f"{report}.pdf" in index
    # A rerun with nothing to build prints nothing: every PDF's record matches its HTML.
    submitted.clear()
    assert main(reports_args(reports_data, out, "--org", "ZX1", "ZX2", "--pdf")) == 0
    assert submitted == [] and left == []

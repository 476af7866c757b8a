"""Round trip: required actions typed on two organisations' forms reach every report made from them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from qio_analysis import cli
from qio_analysis.words.actions import NO_REQUIRED_ACTIONS
from tests.conftest import reports_args
from tests.forms import fill

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists() or shutil.which("pdftotext") is None,
        reason="needs Debian chromium and poppler-utils",
    ),
]

ACTIONS = {
    "ZX1": {2: "Publish the evidence search service standards & review them yearly"},
    "ZX2": {
        3: "Agree a <b>knowledge</b> needs analysis with the board",
        5: "Train two clinical librarians",
    },
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", text))


def _cells(path: Path, sheet: str) -> str:
    book = openpyxl.load_workbook(path)
    return " | ".join(str(c) for row in book[sheet].iter_rows(values_only=True) for c in row if c)


def test_required_actions_reach_html_pdf_workbooks_and_the_review(reports_data, tmp_path):
    forms = tmp_path / "forms"
    args = ["validation-forms", "--cycle", "2025", "--region", "London", "--out", str(forms)]
    args += ["--submissions", str(reports_data / "submissions.csv")]
    assert cli.main(args) == 0
    paths = {p.name[:3]: p for p in forms.rglob("*.xlsx")}
    assert sorted(paths) == ["ZX1", "ZX2"]
    for code, actions in ACTIONS.items():
        fill(
            paths[code], who="Jo Bloggs", cells={f"G{12 + n}": text for n, text in actions.items()}
        )
    out = tmp_path / "out"
    run = reports_args(reports_data, out, "--region", "London", "--run-date", "2025-06-02")
    run.insert(run.index("--submissions") + 2, str(forms))
    assert cli.main([*run, "--pdf", "--xlsx"]) == 0

    for code, actions in ACTIONS.items():
        page = _flat((out / f"2025/organisations/{code}.html").read_text())
        pdf = out / f"2025/organisations/{code}.pdf"
        printed = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        book = _cells(out / f"2025/organisations/{code}.xlsx", "Required_actions")
        assert "Required actions and recommendations for service improvement" in page
        assert "Jo Bloggs</td><td>2 June 2025" in page
        for text in actions.values():
            assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in page
            assert " ".join(text.split()[:4]) in " ".join(printed.split())
            assert text in book
        assert "<b>knowledge</b>" not in page
    review = _flat((out / "2025/regions/london-validation.html").read_text())
    regional = _cells(out / "2025/workbooks/london.xlsx", "Required_actions")
    for actions in ACTIONS.values():
        for text in actions.values():
            assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in review
            assert text in regional
    assert NO_REQUIRED_ACTIONS not in review

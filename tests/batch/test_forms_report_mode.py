"""``qio reports --errors report`` with a region form that was sorted: the form is named on the
data-checks page and left out, and every report is still built from the exports."""

from __future__ import annotations

import re

import openpyxl
import pytest

from qio_analysis import cli
from tests.conftest import reports_args

pytestmark = pytest.mark.slow


def test_a_sorted_region_form_is_listed_and_left_out_and_the_run_goes_on(
    reports_data, tmp_path, capsys
):
    forms = tmp_path / "forms"
    args = ["validation-forms", "--cycle", "2025", "--region", "London", "--layout", "region"]
    args += ["--out", str(forms), "--submissions", str(reports_data / "submissions.csv")]
    assert cli.main(args) == 0
    (path,) = forms.glob("*.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Validation"]
    first, second = ([c.value for c in sheet[r]] for r in (5, 6))
    for column, (a, b) in enumerate(zip(first, second, strict=True), start=1):
        sheet.cell(row=5, column=column, value=b)
        sheet.cell(row=6, column=column, value=a)
    book.save(path)
    out = tmp_path / "out"
    run = reports_args(reports_data, out, "--region", "London", "--errors", "report")
    run.insert(run.index("--submissions") + 2, str(forms))
    assert cli.main(run) == 0
    assert "--errors report" not in capsys.readouterr().err
    checks = re.sub(r"\s+", " ", (out / "data_checks.html").read_text())
    assert "1 validation form file(s) could not be read</strong> and were left out" in checks
    assert f"<td>{path.name}</td><td>Validation</td><td>A5</td>" in checks
    assert "the rows of the form were sorted or moved" in checks
    assert (out / "2025/regions/london-validation.html").exists()

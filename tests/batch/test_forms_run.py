"""A fresh ``qio reports`` builds everything from the exports and the returned validation forms."""

from __future__ import annotations

import re

import pytest

import qio_analysis as qa
from qio_analysis import cli
from qio_analysis.export.forms import validation_forms, write_validation_forms
from tests.conftest import reports_args
from tests.forms import CONTEXT, fill

pytestmark = pytest.mark.slow


def test_reports_show_the_levels_validators_entered_on_forms(reports_data, tmp_path):
    subs = qa.load_submissions(reports_data / "submissions.csv")
    forms = validation_forms(subs, 2025, CONTEXT, regions=["London"])
    paths = {p.name[:3]: p for p in write_validation_forms(forms, tmp_path / "forms")}
    assert sorted(paths) == ["ZX1", "ZX2"]
    fill(paths["ZX2"], {3: (1, None)}, who="Jo Bloggs")  # validated 2 in the export
    out = tmp_path / "out"
    args = reports_args(reports_data, out, "--region", "London", "--run-date", "2025-06-02")
    args.insert(args.index("--submissions") + 2, str(tmp_path / "forms"))
    assert cli.main(args) == 0
    checks = re.sub(r"\s+", " ", (out / "data_checks.html").read_text())
    assert "1 validated level from validation forms replaces the export's" in checks
    assert "Level 2</td><td>Level 1</td><td>Jo Bloggs</td><td>2 June 2025" in checks
    review = (out / "2025/regions/london-validation.html").read_text()
    review = re.sub(r"\s+", " ", re.sub(r">\s+<", "><", review))
    # Hand-worked: ZX1 lowered outcome 2 (3 to 2 High) and outcome 5 (2 to 1 High) in the
    # export; the form lowers ZX2's outcome 3 from 2 to 1. Twelve outcomes have both levels.
    assert "Validators changed 3 of the 12 outcomes they validated in London" in review
    assert (
        "Quayview Hospitals NHS Trust (ZX2)</td><td>3 Knowing needs</td><td>Level 2</td>" in review
    )
    assert "every 2025 submission in london has all six outcomes validated" in review.lower()

"""Shared fixtures: paths to hand-written data, a tiny workbook builder, shared frames and batch helpers.

Fixtures used by more than one test module live here (pytest finds them
without imports); modules import only plain helpers and constants.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

DATA = Path(__file__).parent / "data"
REPORTS = DATA / "reports"
TEST_NOTEBOOKS = DATA / "notebooks"
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


@pytest.fixture
def two_cycles():
    """Six organisations over two cycles: improved, lower score, declined, left, new, unscored."""
    from tests.metrics.helpers import both, subs

    none = (None, None)
    rows = []
    rows += both("A", "London", 2021, 1, (1, None), (1, None))
    rows += both("A", "London", 2023, 1, (2, None), (2, None))  # improved (level and score)
    rows += both("B", "London", 2021, 1, (2, "High"), (2, "High"))
    rows += both("B", "London", 2023, 1, (2, "Low"), (2, "Low"))  # same level, lower score
    rows += both("C", "South West", 2021, 1, (3, None), (3, None))
    rows += both("C", "South West", 2023, 1, (2, None), (2, None))  # declined
    rows += both("D", "South West", 2021, 1, (2, None), (2, None))  # left
    rows += both("E", "South West", 2023, 1, (1, None), (1, None))  # new
    rows += both("F", "London", 2021, 1, (2, None), (2, None))
    rows += both("F", "London", 2023, 1, (2, None), none)  # unscored
    return subs(rows)


LONG_SUBMISSIONS_HEADER = "Org code,Org name,Region,Cycle,Submitted,Outcome,Assessment,Level\n"


@pytest.fixture
def inputs_dir(tmp_path):
    """A submissions folder (a superseded, two rejected and a bidi-override row) and an organisations table."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.csv").write_text(
        LONG_SUBMISSIONS_HEADER
        + "ZQ1,Quayside NHS Trust,London,2023,2023-05-01,1,self,2\n"  # superseded by row 4
        + "ZQ2,<script>alert(1)</script> NHS Trust,London,2023,,1,self,9\n"  # rejected: level 9
        + "ZQ1,Quayside NHS Trust,London,2023,2023-06-01,1,self,3\n"  # loaded
        + "ZQ3,Riverton NHS Trust,London,2023/21,,1,self,1\n",  # rejected: cycle
        encoding="utf-8",
    )
    (subs / "b.csv").write_text(
        LONG_SUBMISSIONS_HEADER + "ZQ4,Hill\u202e NHS Trust,London,2023,,1,validated,2\n"
    )
    (subs / "notes.docx").write_bytes(b"PK")
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "Organisation code,Organisation name,Organisation type,Region,LKS service code\n"
        "ZQ1,Quayside NHS Trust,Acute,London,\n"
    )
    return subs, orgs


# --------------------------------------------------------------------- batch


@pytest.fixture
def reports_data(tmp_path) -> Path:
    """A private copy of the small report data set (tests may change it)."""
    folder = tmp_path / "data"
    shutil.copytree(REPORTS, folder)
    return folder


def reports_args(data: Path, out: Path, *extra: str, jobs: int = 1) -> list[str]:
    """``qio reports`` arguments for the small report data set."""
    return [
        "reports",
        "--cycle",
        "2025",
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--quiet",
        "--submissions",
        str(data / "submissions.csv"),
        "--statistics",
        str(data / "statistics.csv"),
        "--organisations",
        str(data / "organisations.csv"),
        *extra,
    ]


@pytest.fixture
def warm_kernel():
    """A fresh warm kernel for this test, stopped afterwards."""
    from qio_analysis.batch import kernel

    kernel.shutdown_kernels()
    yield kernel.warm_kernel("python3")
    kernel.shutdown_kernels()

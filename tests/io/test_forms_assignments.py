"""Who is to validate, and by when: written on the forms, read back with them, and shown on the
worklist with days overdue (fixture: tests/io/test_forms.py; only ZN02 is validated)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis.export.forms import Assignment, validation_forms, write_validation_forms
from qio_analysis.export.validation import validator_workbook
from qio_analysis.report.tables import worklist_table
from tests.forms import CONTEXT, EXPORT

DUE = dt.date(2025, 6, 30)


def _write(folder, layout):
    subs = qa.read_submissions(EXPORT).data
    forms = validation_forms(
        subs, 2025, CONTEXT, regions=["North West"], layout=layout,
        assignment=Assignment("Sam Patel", DUE),
    )  # fmt: skip
    return write_validation_forms(forms, folder)


@pytest.mark.parametrize(
    ("layout", "cells"), [("organisation", ("E4", "E5")), ("region", ("AL5", "AM5"))]
)
def test_the_assignment_is_written_on_the_form_and_read_back(tmp_path, layout, cells):
    paths = _write(tmp_path, layout)
    sheet = openpyxl.load_workbook(paths[0])["Validation"]
    assert (sheet[cells[0]].value, sheet[cells[1]].value) == ("Sam Patel", dt.datetime(2025, 6, 30))
    res = qa.read_submissions([EXPORT, *paths])
    got = res.assignments.sort_values("org_code")
    assert got["org_code"].tolist() == [f"ZN0{i}" for i in range(1, 9)]
    assert set(got["assigned_to"]) == {"Sam Patel"} and set(got["due"]) == {pd.Timestamp(DUE)}
    assert res.notes == [n for n in res.notes if "ignored column" not in n]


def test_the_worklist_shows_owner_due_date_and_days_overdue(tmp_path):
    res = qa.read_submissions([EXPORT, *_write(tmp_path, "organisation")])
    worklist = qa.validation_worklist(
        res.data, None, 2025, run_date="2025-07-05", assignments=res.assignments
    )
    nw = worklist[worklist.region == "North West"].set_index("org_code")
    assert nw.loc["ZN01", ["status", "assigned_to", "days_overdue"]].tolist() == [
        "awaiting validation",
        "Sam Patel",
        5,
    ]
    assert pd.isna(nw.loc["ZN02", "days_overdue"])  # validated: nothing overdue
    assert pd.isna(worklist.set_index("org_code").loc["ZL01", "assigned_to"])  # no form
    shown = worklist_table(worklist[worklist.org_code == "ZN01"])
    assert shown[["Assigned to", "Due", "Days overdue"]].values.tolist() == [
        ["Sam Patel", "30 June 2025", "5"]
    ]
    early = qa.validation_worklist(
        res.data, None, 2025, run_date="2025-06-01", assignments=res.assignments
    )
    assert early.set_index("org_code").loc["ZN01", "days_overdue"] == 0
    book = validator_workbook(
        res.data, None, 2025, "North West", CONTEXT, run_date="2025-07-05",
        assignments=res.assignments,
    )  # fmt: skip
    rows = list(book["Worklist"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Organisation code")
    zn01 = next(r for r in rows[header:] if r[0] == "ZN01")
    named = dict(zip(rows[header], zn01, strict=True))
    assert (named["Assigned to"], named["Days overdue"]) == ("Sam Patel", 5)

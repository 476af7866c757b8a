"""Nothing a validator typed is lost or guessed: each way of filling a form in that cannot be
read as typed is refused with its cell named, or read with a note saying how.

The fixture export and the organisation form's cells are described in tests/io/test_forms.py
and tests/forms.py (B9 "Validated by", B10 "Date validated", G13 + N the required actions of
outcome N + 1).
"""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

import qio_analysis as qa
from qio_analysis.export.validation import validator_workbook
from qio_analysis.export.workbooks import organisation_workbook, save_workbook
from tests.forms import CONTEXT, EXPORT, fill, write_forms


def _form(tmp_path, code="ZN01"):
    return next(p for p in write_forms(tmp_path / "forms") if p.name.startswith(code))


def _problems(*sources, **kw):
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(list(sources), **kw)
    return info.value.problems


def test_entries_on_a_copy_of_the_form_sheet_are_read_with_a_note(tmp_path):
    path = _form(tmp_path)
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["Validation"])
    copy.title = "Validation (2)"
    copy["E13"], copy["B9"], copy["B10"] = 1, "Jo Bloggs", dt.date(2025, 6, 2)
    book.create_sheet("My notes")["A1"] = "call the trust"
    book.save(path)
    res = qa.read_submissions([EXPORT, path])
    (row,) = res.validations[res.validations.changed].itertuples()
    assert (row.org_code, row.outcome, row.to_level, row.source_sheet) == (
        "ZN01",
        1,
        1,
        "Validation (2)",
    )
    assert (
        f"{path.name}: the entries were read from sheet 'Validation (2)', a copy of the form's "
        "sheet 'Validation', which has nothing entered" in res.notes
    )
    assert f"{path.name}: sheet 'My notes' is not part of the form and was not read" in res.notes


def test_entries_on_a_copy_and_on_the_form_are_refused_naming_the_copy(tmp_path):
    path = _form(tmp_path)
    fill(path, {1: (2, None)})
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["Validation"])
    copy.title = "Validation (2)"
    copy["E13"] = 1
    book.save(path)
    (problem,) = _problems(EXPORT, path)
    assert problem.sheet == "Validation (2)"
    assert problem.reason == (
        "entries were made on 'Validation (2)', a copy of the form's sheet 'Validation', which "
        "has entries too: which sheet holds the validation cannot be told"
    )
    assert problem.allowed.startswith("the entries on the 'Validation' sheet only")


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (dt.date(2052, 6, 2), "the date validated is after today"),
        ("June 2025", "this date has no day: a month is not read as its first day"),
        ("02/06/2052", "the date validated is after today"),
    ],
)
def test_an_impossible_date_validated_is_refused_with_its_cell(tmp_path, when, reason):
    path = _form(tmp_path)
    fill(path, {1: (2, None)}, when=when)
    (problem,) = _problems(EXPORT, path)
    assert (problem.cell, problem.column) == ("B10", "Date validated")
    assert problem.reason.startswith(reason)


def test_a_date_validated_before_the_organisation_submitted_is_refused(tmp_path):
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    dated = [lines[0] + ",Submitted"] + [line + ",14/05/2025" for line in lines[1:]]
    export = tmp_path / "export.csv"
    export.write_text("\n".join(dated) + "\n", encoding="utf-8")
    path = next(p for p in write_forms(tmp_path / "f", source=export) if "ZN01" in p.name)
    fill(path, {1: (2, None)}, when=dt.date(2025, 5, 1))
    (problem,) = _problems(export, path)
    assert problem.cell == "B10"
    assert problem.reason == "the date validated is before the organisation submitted (14 May 2025)"
    assert "(found 01/05/2025)" in problem.describe()


def test_an_uncalculated_formula_or_error_value_is_a_problem_naming_the_cell(tmp_path):
    path = _form(tmp_path)
    fill(
        path,
        {1: (2, None)},
        who='=HYPERLINK("https://example.org","Jo Bloggs")',
        cells={"G15": "#NAME?"},
    )
    found = {p.cell: p for p in _problems(EXPORT, path)}
    assert set(found) == {"B9", "G15"}
    assert str(found["B9"].value) == '=HYPERLINK("https://example.org","Jo Bloggs")'
    assert "never calculated" in found["B9"].reason
    assert (found["G15"].value, found["G15"].column) == (
        "#NAME?",
        "Outcome 3 Required actions and recommendations",
    )
    assert found["G15"].reason == "the cell holds the Excel error #NAME?, not a value"


def test_a_region_form_saved_as_csv_is_refused_never_read_as_an_export(tmp_path):
    (path,) = write_forms(tmp_path / "forms", layout="region")
    sheet = openpyxl.load_workbook(path)["Validation"]
    saved = tmp_path / "north-west-validation-2025.csv"
    with saved.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            ["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)
        )
    (problem,) = _problems(EXPORT, saved)
    assert problem.file == saved.name and problem.row == 1
    assert problem.reason.startswith("this is a validation form saved as CSV")
    assert "qio validation-forms" in problem.allowed
    res = qa.read_submissions([EXPORT, saved], errors="report")  # left out, the export loads
    assert [p.file for p in res.left_out] == [saved.name]
    assert (res.rows_in, res.rows_loaded, len(res.superseded)) == (9, 9, 0)


@pytest.mark.parametrize("kind", ["organisation", "region"])
def test_a_report_workbook_given_as_a_form_points_to_validation_forms(tmp_path, kind):
    subs = qa.read_submissions(EXPORT).data
    if kind == "organisation":
        book = organisation_workbook(subs, "ZN01", 2025, CONTEXT)
        path = save_workbook(book, tmp_path / "ZN01.xlsx")
    else:
        book = validator_workbook(subs, None, 2025, "North West", CONTEXT, run_date="2025-06-02")
        path = save_workbook(book, tmp_path / "north-west.xlsx")
    (problem,) = _problems(EXPORT, path)
    assert (problem.file, problem.sheet) == (path.name, "Cover")
    assert problem.reason.startswith("this is a report workbook made by qio reports")
    assert "qio validation-forms --cycle 2025" in problem.allowed


def test_a_sorted_region_form_in_report_mode_is_named_and_the_rest_loads(tmp_path):
    (path,) = write_forms(tmp_path / "forms", layout="region")
    book = openpyxl.load_workbook(path)
    sheet = book["Validation"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=12)]
    for offset, values in enumerate(reversed(rows)):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=5 + offset, column=column, value=value)
    book.save(path)
    (problem,) = _problems(EXPORT, path)
    assert (problem.sheet, problem.cell, problem.value) == ("Validation", "A5", "ZN08")
    assert problem.reason == (
        "the rows of the form were sorted or moved: this row was written for ZN01"
    )
    res = qa.read_submissions([EXPORT, path], errors="report")
    assert [p.cell for p in res.left_out] == ["A5"]
    assert (res.rows_in, res.rows_loaded, len(res.rejected)) == (9, 9, 0)


def test_a_region_form_with_a_row_deleted_names_the_organisation(tmp_path):
    (path,) = write_forms(tmp_path / "forms", layout="region")
    book = openpyxl.load_workbook(path)
    book["Validation"].delete_rows(7)  # ZN03
    book.save(path)
    (problem,) = _problems(EXPORT, path)
    assert problem.reason == "rows were deleted from the form: ZN03 no longer has a row"
    res = qa.read_submissions([EXPORT, path], errors="report")
    assert [p.reason for p in res.left_out] == [problem.reason]


def test_a_form_whose_hidden_record_was_changed_is_left_out_in_report_mode(tmp_path):
    path = _form(tmp_path)
    book = openpyxl.load_workbook(path)
    book["qio_form"]["B3"] = 2023
    book.save(path)
    res = qa.read_submissions([EXPORT, path], errors="report")
    (problem,) = res.left_out
    assert (problem.file, problem.sheet) == (path.name, "qio_form")
    assert "hidden record was changed after the form was written" in problem.reason
    assert (res.rows_in, res.rows_loaded) == (9, 9)

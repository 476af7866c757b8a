"""Validation forms as written: locked self-evaluation, entry cells with drop-downs, the record,
the workbook conventions, no formulas, the command, and text from the data kept inert."""

from __future__ import annotations

import openpyxl
import pytest

import qio_analysis as qa
from qio_analysis.cli import main
from qio_analysis.export.forms import form_path, validation_forms, write_validation_forms
from qio_analysis.export.workbooks import WorkbookContext
from qio_analysis.io.form_record import RECORD_SHEET
from qio_analysis.io.writers import SpreadsheetTextWarning
from tests.conftest import DATA

EXPORT = DATA / "forms" / "export_2025.csv"
CONTEXT = WorkbookContext(sources=["export_2025.csv"], version="9.9", demo=True, made="1 May 2025")


@pytest.fixture(scope="module")
def subs():
    return qa.load_submissions(EXPORT)


def _saved(tmp_path, subs, **kw):
    forms = validation_forms(subs, 2025, CONTEXT, **kw)
    paths = write_validation_forms(forms, tmp_path)
    return {p.name: openpyxl.load_workbook(p) for p in paths}


def _rules(sheet):
    return {str(dv.sqref): (dv.type, dv.formula1) for dv in sheet.data_validations.dataValidation}


def test_organisation_form_is_laid_out_like_the_national_template(tmp_path, subs):
    book = _saved(tmp_path, subs, org_codes=["ZN02"])["ZN02-validation-2025.xlsx"]
    assert book.sheetnames == [
        "Cover",
        "Contents",
        "Notes",
        "Instructions",
        "Validation",
        RECORD_SHEET,
    ]
    sheet = book["Validation"]
    assert book.active.title == "Validation"
    block = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value for r in range(4, 11)
    }
    assert block == {
        "Organisation name": "Brookfield NHS Trust",
        "Organisation code": "ZN02",
        "Region": "North West",
        "Cycle": 2025,
        "Date submitted": None,  # the export has no Submitted column
        "Validated by": None,
        "Date validated": None,
    }
    assert [c.value for c in sheet[12]] == [
        "Outcome",
        "Outcome statement",
        "Self-evaluated level",
        "Self-evaluated sub-level",
        "Validated level",
        "Validated sub-level",
        "Required actions and recommendations",
    ]
    # Hand-worked from the export: self 3 High then 3; validated 3 Medium then 3, filled in.
    assert [sheet.cell(row=r, column=1).value for r in (13, 18)] == [
        "Outcome 1: Access",
        "Outcome 6: Impact",
    ]
    assert [[c.value for c in row] for row in sheet["C13:F14"]] == [
        [3, "High", 3, "Medium"],
        [3, None, 3, None],
    ]
    assert sheet["B13"].value.startswith("All NHS organisations enable their workforce")


def test_self_evaluation_is_locked_and_entry_cells_have_drop_downs(tmp_path, subs):
    book = _saved(tmp_path, subs, org_codes=["ZN01"])["ZN01-validation-2025.xlsx"]
    sheet = book["Validation"]
    assert sheet.protection.sheet
    assert book.security.lockStructure
    entry = ["B9", "B10", *[f"{c}{r}" for c in "EFG" for r in range(13, 19)]]
    assert all(not sheet[ref].protection.locked for ref in entry)
    locked = ["A1", "B4", "B5", "B7", "B8", "C13", "D13", "C18", "A12", "E12", "H13", "B11", "A19"]
    assert all(sheet[ref].protection.locked for ref in locked)
    rules = _rules(sheet)
    assert rules["E13:E18"] == ("list", '"0,1,2,3,4"')
    assert rules["F13:F18"] == ("list", '"Low,Medium,High"')
    assert rules["B10"] == ("date", "45658")  # 1 January 2025 as an Excel date
    assert rules["B9"][0] == rules["G13:G18"][0] == "textLength"
    assert all(
        dv.showErrorMessage and dv.showInputMessage for dv in sheet.data_validations.dataValidation
    )
    assert book[RECORD_SHEET].sheet_state == "veryHidden"


def test_forms_follow_the_workbook_conventions_and_hold_no_formula(tmp_path, subs):
    books = _saved(tmp_path, subs, regions=["North West"], layout="region")
    (book,) = books.values()
    cover = [c.value for c in book["Cover"]["A"]]
    assert cover[0] == "QIOF validation form: North West, 2025"
    assert any("Synthetic demo data" in str(v) for v in cover)
    assert any("qio-analysis 9.9" in str(v) for v in cover)
    contents = [c.value for c in book["Contents"]["A"]][3:]
    assert contents == ["Notes", "Instructions", "Validation"]
    notes = [c.value for c in book["Notes"]["B"] if c.value][1:]
    assert len(notes) == 3 and "very hidden sheet" in notes[2]
    assert book.properties.language == "en-GB"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), sheet.title


def test_region_form_has_a_row_per_organisation_of_the_region(tmp_path, subs):
    (book,) = _saved(tmp_path, subs, regions=["north west"], layout="region").values()
    sheet = book["Validation"]
    codes = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
    assert codes == [f"ZN0{i}" for i in range(1, 9)]
    header = [c.value for c in sheet[4]]
    assert header[7:10] == [
        "Outcome 1 validated level",
        "Outcome 1 validated sub-level",
        "Outcome 1 required actions and recommendations",
    ]
    assert header[-2:] == ["Validated by", "Date validated"]
    assert not sheet["H5"].protection.locked and sheet["F5"].protection.locked
    levels = [ref for ref, rule in _rules(sheet).items() if rule == ("list", '"0,1,2,3,4"')]
    assert levels == ["H5:H12 M5:M12 R5:R12 W5:W12 AB5:AB12 AG5:AG12"]
    assert sheet.freeze_panes == "C5"


def test_unknown_organisation_and_existing_forms_are_refused(tmp_path, subs):
    with pytest.raises(qa.QioConfigError, match="No submission for 2025 from ZQ99"):
        validation_forms(subs, 2025, CONTEXT, org_codes=["ZQ99"])
    forms = validation_forms(subs, 2025, CONTEXT, org_codes=["ZN01"])
    write_validation_forms(forms, tmp_path)
    with pytest.raises(qa.QioConfigError, match="may hold a validator's work"):
        write_validation_forms(forms, tmp_path)
    assert write_validation_forms(forms, tmp_path, replace=True)


def test_form_file_names_are_safe():
    assert form_path("organisation", 2025, "ZN01") == "ZN01-validation-2025.xlsx"
    assert form_path("region", 2025, "North East and Yorkshire") == (
        "north-east-and-yorkshire-validation-2025.xlsx"
    )
    with pytest.raises(qa.QioConfigError):
        form_path("organisation", 2025, "../ZN01")


def test_text_from_the_data_stays_inert_and_reads_back_unchanged(tmp_path):
    export = tmp_path / "export.csv"
    text = EXPORT.read_text(encoding="utf-8").replace(
        "Ashby NHS Trust", '"=HYPERLINK(""http://x"",""a"") \u202eTrust"'
    )
    export.write_text(text, encoding="utf-8")
    subs = qa.load_submissions(export)
    forms = validation_forms(subs, 2025, CONTEXT, org_codes=["ZN01"])
    with pytest.warns(SpreadsheetTextWarning, match="cell B4: text '=HYPERLINK"):
        (path,) = write_validation_forms(forms, tmp_path / "forms")
    cell = openpyxl.load_workbook(path)["Validation"]["B4"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    res = qa.read_submissions([export, path])  # nothing entered: no edit is reported
    assert res.superseded.reason.tolist() == [
        "nothing was entered on the form: the export's levels stand"
    ]


def test_validation_forms_command(tmp_path, capsys):
    out = tmp_path / "forms"
    args = ["validation-forms", "--cycle", "2025", "--submissions", str(EXPORT), "--out", str(out)]
    assert main([*args, "--org", "ZN01", "ZL01"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "ZL01-validation-2025.xlsx",
        "ZN01-validation-2025.xlsx",
    ]
    assert "wrote 2 validation forms" in capsys.readouterr().out
    assert main([*args, "--region", "London", "--layout", "region"]) == 0
    assert (out / "london-validation-2025.xlsx").exists()
    assert main([*args, "--org", "ZN01"]) == 2
    assert "already in" in capsys.readouterr().err


def test_forms_print_readably_and_carry_one_rule_per_kind_of_entry(tmp_path):
    from tests.forms import write_forms

    (region,) = write_forms(tmp_path / "r", layout="region")
    sheet = openpyxl.load_workbook(region)["Validation"]
    rules = sheet.data_validations.dataValidation
    assert len(rules) == 5  # level, sub-level, required actions, name, date
    level = next(r for r in rules if r.promptTitle == "Validated level")
    assert str(level.sqref).split() == [
        "H5:H12",
        "M5:M12",
        "R5:R12",
        "W5:W12",
        "AB5:AB12",
        "AG5:AG12",
    ]
    setup = sheet.page_setup
    assert (setup.orientation, setup.scale) == ("landscape", 80)
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.print_title_cols, sheet.print_title_rows) == ("$A:$B", "$4:$4")
    organisation = write_forms(tmp_path / "o")[0]
    sheet = openpyxl.load_workbook(organisation)["Validation"]
    assert len(sheet.data_validations.dataValidation) == 5
    assert all(sheet.row_dimensions[r].height >= 30 for r in range(13, 19))
    assert sheet.page_setup.fitToWidth == 1

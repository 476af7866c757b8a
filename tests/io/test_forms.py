"""The validator's round trip: forms written for a region, filled in with openpyxl as a
validator would, read back with the export they were written from.

Hand-worked fixture (tests/data/forms/export_2025.csv): North West ZN01-ZN08 and London
ZL01, 2025. ZN01, ZN07, ZN08 self-evaluated 2 on every outcome; ZN02 3 High then 3 and
already validated 3 Medium then 3; ZN03-ZN06 1 Low. Only ZN02 has validated levels.
The organisation form's cells are described in tests/forms.py.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis.io.form_record import RECORD_SHEET
from tests.forms import EXPORT, FORMS, ON, fill, write_forms


def validated(df, org):
    rows = df[(df.org_code == org) & (df.assessment == "validated")].sort_values("outcome")
    return [
        (None if pd.isna(r.level) else int(r.level), None if pd.isna(r.sublevel) else r.sublevel)
        for r in rows.itertuples()
    ]


@pytest.fixture
def filled(tmp_path):
    """The region's forms, filled in with one mistake of each kind (see the test)."""
    folder = tmp_path / "forms"
    paths = {p.name[:4]: p for p in write_forms(folder)}
    assert sorted(paths) == [f"ZN0{i}" for i in range(1, 9)]  # North West only, not ZL01
    fill(
        paths["ZN01"],
        {1: (2, None), 2: (2, "High"), 3: (1, None), 4: (2, None), 5: (2, None)},
        cells={"G15": "A needs analysis is due"},
    )
    fill(paths["ZN02"], {2: (2, None)}, who="Ali Khan", when=dt.datetime(2025, 6, 9))
    fill(paths["ZN03"], {1: (1, "Low"), 2: (5, None)})  # 5 is not a level
    fill(paths["ZN04"], {1: (1, "Low"), 3: (None, "High")})  # a sub-level without a level
    # Last cycle's form for ZN05, returned with this cycle's: no 2023 row in the export.
    (stale,) = write_forms(tmp_path / "old", source=FORMS / "export_2023.csv", cycle=2023)
    fill(stale, {1: (1, None)}, when=dt.date(2023, 6, 1))
    shutil.copy(stale, folder / stale.name)
    fill(paths["ZN06"], {1: (1, None)})
    twin = shutil.copy(paths["ZN06"], folder / "ZN06 copy.xlsx")  # two forms for one organisation
    fill(twin, {1: (2, None)}, who="Sam Patel")
    fill(paths["ZN07"], {1: (2, None)}, cells={"C13": 3})  # typed over a locked cell
    # ZN05's 2025 form and ZN08's are returned with nothing entered.
    return folder


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_round_trip_names_each_wrong_cell(filled):
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions([EXPORT, filled])
    found = {(p.file, p.cell, p.value): p.reason for p in info.value.problems}
    assert set(found) == {
        ("ZN03-validation-2025.xlsx", "E14", 5),
        ("ZN04-validation-2025.xlsx", "F15", "High"),
        ("ZN05-validation-2023.xlsx", "B5", "ZN05"),
        ("ZN06-validation-2025.xlsx", "B5", "ZN06"),
        ("ZN06 copy.xlsx", "B5", "ZN06"),
        ("ZN07-validation-2025.xlsx", "C13", 3),
    }
    reasons = {file: reason for (file, _, _), reason in found.items()}
    assert reasons["ZN03-validation-2025.xlsx"] == "this is not a QIOF level"
    assert reasons["ZN04-validation-2025.xlsx"] == "a sub-level is given without a level"
    assert "hold no self-evaluation for ZN05 in 2023" in reasons["ZN05-validation-2023.xlsx"]
    assert reasons["ZN06 copy.xlsx"].startswith("two forms for ZN06 in 2025")
    assert (
        "changed outside its entry cells: this cell was '2'" in reasons["ZN07-validation-2025.xlsx"]
    )
    text = str(info.value)
    assert "ZN03-validation-2025.xlsx, sheet 'Validation', cell E14" in text
    assert "column 'Outcome 2 Validated level'" in text


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_round_trip_loads_exactly_the_levels_entered(filled):
    res = qa.read_submissions([EXPORT, filled], errors="report")
    df = res.data
    assert validated(df, "ZN01") == [
        (2, None),
        (2, "High"),
        (1, None),
        (2, None),
        (2, None),
        (None, None),
    ]
    assert validated(df, "ZN02") == [(3, "Medium"), (2, None)] + [(3, None)] * 4
    for org in ("ZN03", "ZN04", "ZN05", "ZN06", "ZN07", "ZN08", "ZL01"):  # the export's: none
        assert validated(df, org) == [(None, None)] * 6, org
    assert set(df.loc[df.org_code == "ZN01", "source_file"]) == {"ZN01-validation-2025.xlsx"}
    assert set(df.loc[df.org_code == "ZN03", "source_file"]) == {"export_2025.csv"}
    # 9 export rows and 10 forms: ZN01's and ZN02's forms replace their export rows, the two
    # forms with nothing entered give way to the export, and six forms are rejected.
    assert (res.rows_in, res.rows_loaded, len(res.rejected), len(res.superseded)) == (19, 9, 6, 4)
    replaced = res.superseded.set_index("source_file")["reason"]
    assert replaced["ZN05-validation-2025.xlsx"].startswith("nothing was entered")
    assert replaced["ZN08-validation-2025.xlsx"].startswith("nothing was entered")
    by = res.superseded.set_index("key")
    assert by.at["ZN01 2025", "reason"] == "validated on a form by Jo Bloggs on 02/06/2025"
    assert (
        by.at["ZN02 2025", "superseded_by"] == "ZN02-validation-2025.xlsx sheet 'Validation' row 13"
    )
    assert sorted(res.rejected.source_file) == [
        "ZN03-validation-2025.xlsx",
        "ZN04-validation-2025.xlsx",
        "ZN05-validation-2023.xlsx",
        "ZN06 copy.xlsx",
        "ZN06-validation-2025.xlsx",
        "ZN07-validation-2025.xlsx",
    ]


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_round_trip_lists_what_each_form_changed_with_who_and_when(filled):
    v = qa.read_submissions([EXPORT, filled], errors="report").validations
    assert len(v) == 12  # six outcomes of the two forms applied
    changed = v[v.changed]
    got = [
        (
            r.org_code,
            r.outcome,
            None if pd.isna(r.from_level) else int(r.from_level),
            None if pd.isna(r.to_level) else int(r.to_level),
            None if pd.isna(r.to_sublevel) else r.to_sublevel,
            r.validator,
        )
        for r in changed.itertuples()
    ]
    assert got == [
        ("ZN01", 1, None, 2, None, "Jo Bloggs"),
        ("ZN01", 2, None, 2, "High", "Jo Bloggs"),
        ("ZN01", 3, None, 1, None, "Jo Bloggs"),
        ("ZN01", 4, None, 2, None, "Jo Bloggs"),
        ("ZN01", 5, None, 2, None, "Jo Bloggs"),
        ("ZN02", 2, 3, 2, None, "Ali Khan"),
    ]
    zn01 = v[v.org_code == "ZN01"].set_index("outcome")
    assert zn01.at[3, "comment"] == "A needs analysis is due"
    assert zn01.at[3, "cell"] == "E15"
    assert zn01.at[3, "validated_on"] == pd.Timestamp("2025-06-02")
    assert int(zn01.at[3, "self_level"]) == 2


def test_forms_read_on_their_own_load_as_submissions(tmp_path):
    paths = {p.name[:4]: p for p in write_forms(tmp_path)}
    fill(paths["ZN01"], {1: (1, "High")})
    res = qa.read_submissions(tmp_path)
    assert (res.rows_in, res.rows_loaded) == (8, 8)
    assert validated(res.data, "ZN01")[0] == (1, "High")
    assert validated(res.data, "ZN02") == [(3, "Medium")] + [(3, None)] * 5  # as written
    assert res.validations.org_code.unique().tolist() == ["ZN01"]


def test_entered_levels_need_a_name_and_a_date(tmp_path):
    paths = {p.name[:4]: p for p in write_forms(tmp_path)}
    fill(paths["ZN01"], {1: (2, None)}, who=None, when=None)
    fill(paths["ZN03"], {1: (1, None)}, when="31/02/2025")
    fill(paths["ZN04"], {1: (1, None)}, when=dt.date(2024, 12, 31))
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions([EXPORT, tmp_path])
    found = {(p.file[:4], p.cell, p.column): p.reason for p in info.value.problems}
    assert found == {
        ("ZN01", "B9", "Validated by"): "the form has validated levels entered but does not say "
        "who validated them",
        ("ZN01", "B10", "Date validated"): "the form has validated levels entered but no date "
        "validated",
        ("ZN03", "B10", "Date validated"): "this date does not exist",
        ("ZN04", "B10", "Date validated"): "the date validated is before the 2025 cycle began",
    }


def test_a_form_from_an_older_export_is_refused_by_outcome(tmp_path):
    (path,) = [p for p in write_forms(tmp_path / "forms") if p.name.startswith("ZN01")]
    fill(path, {1: (2, None)})
    newer = tmp_path / "export.csv"
    text = EXPORT.read_text(encoding="utf-8").replace(
        "ZN01,Ashby NHS Trust,North West,2025,2,,,,2,",
        "ZN01,Ashby NHS Trust,North West,2025,2,,,,3,",
    )
    newer.write_text(text, encoding="utf-8")
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions([newer, path])
    (problem,) = info.value.problems
    assert (problem.cell, problem.value) == ("C14", "Level 2")
    assert "export.csv row 2 has Level 3" in problem.reason


def test_region_form_round_trip(tmp_path):
    (path,) = write_forms(tmp_path, layout="region")
    assert path.name == "north-west-validation-2025.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Validation"]
    # ZN01 on row 5: outcome 1 validated level H, sub-level I, comment J; name AJ, date AK.
    sheet["H5"], sheet["I5"], sheet["J5"] = 2, "Low", "Good"
    sheet["AJ5"], sheet["AK5"] = "Jo Bloggs", ON
    sheet["M7"], sheet["AJ7"], sheet["AK7"] = 7, "Jo Bloggs", ON  # ZN03, outcome 2: not a level
    sheet["F11"] = 4  # ZN07's outcome 1 self-evaluated level, a locked cell
    book.save(path)
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions([EXPORT, path])
    assert {(p.cell, p.value) for p in info.value.problems} == {("M7", 7), ("F11", 4)}
    res = qa.read_submissions([EXPORT, path], errors="report")
    assert validated(res.data, "ZN01") == [(2, "Low")] + [(None, None)] * 5
    assert (res.rows_in, res.rows_loaded, len(res.rejected), len(res.superseded)) == (17, 9, 2, 6)
    (row,) = res.validations[res.validations.changed].itertuples()
    assert (row.org_code, row.outcome, row.cell, row.comment) == ("ZN01", 1, "H5", "Good")


def test_region_form_with_its_title_changed_is_refused_whole(tmp_path):
    (path,) = write_forms(tmp_path, layout="region")
    book = openpyxl.load_workbook(path)
    book["Validation"]["A1"] = "My levels"
    book.save(path)
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions([EXPORT, path])
    (problem,) = info.value.problems
    assert (problem.cell, problem.value) == ("A1", "My levels")
    # In report mode the form is left out, named, and the export is read as if it were absent.
    res = qa.read_submissions([EXPORT, path], errors="report")
    (left,) = res.left_out
    assert (left.file, left.sheet, left.cell, left.value) == (
        path.name,
        "Validation",
        "A1",
        "My levels",
    )
    assert (res.rows_in, res.rows_loaded, len(res.rejected)) == (9, 9, 0)
    assert f"1 form file(s) could not be read and were left out: {path.name}" in res.notes


def test_a_changed_record_is_named(tmp_path):
    path = write_forms(tmp_path)[0]
    book = openpyxl.load_workbook(path)
    book[RECORD_SHEET]["B3"] = 2023
    book.save(path)
    with pytest.raises(
        qa.QioDataError, match="hidden record was changed after the form was written"
    ):
        qa.read_submissions(path)


def test_the_submitted_date_travels_with_the_form(tmp_path):
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    dated = [lines[0] + ",Submitted"] + [line + ",14/05/2025" for line in lines[1:]]
    export = tmp_path / "export.csv"
    export.write_text("\n".join(dated) + "\n", encoding="utf-8")
    (path,) = [p for p in write_forms(tmp_path / "forms", source=export) if "ZN01" in p.name]
    assert openpyxl.load_workbook(path)["Validation"]["B8"].value == dt.datetime(2025, 5, 14)
    fill(path, {1: (2, None)})
    res = qa.read_submissions([export, path])
    zn01 = res.data[res.data.org_code == "ZN01"]
    assert set(zn01.source_file) == {path.name}
    assert set(zn01.submitted) == {pd.Timestamp("2025-05-14")}

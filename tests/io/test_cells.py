"""Cell values: error cells, uncalculated formulas, missing words, dates, cycles, numbers, headers."""

from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd
import pytest

import qio_analysis as qa
from tests.conftest import write_workbook

LONG = ["Org code", "Org name", "Region", "Cycle", "Submitted", "Outcome", "Assessment", "Level"]
STATS = [
    "Service code",
    "Service name",
    "Region",
    "Year",
    "Submitted",
    "Enquiries",
    "Expenditure (£)",
]


def long_row(
    level: object = "2", *, org="ZQ1", cycle: object = "2023", submitted: object = "", outcome="1"
):
    return [org, "Quayside NHS Trust", "London", cycle, submitted, outcome, "self", level]


def csv_file(path, header, rows):
    text = "\n".join(",".join(str(c) for c in r) for r in [header, *rows]) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path, read=qa.read_submissions):
    with pytest.raises(qa.QioDataError) as info:
        read(path)
    return info.value.problems


# --------------------------------------------------------------------- error cells and formulas


def test_excel_error_cells_are_data_errors_by_cell(tmp_path):
    path = write_workbook(
        tmp_path / "levels.xlsx",
        {
            "Levels": [
                LONG,
                long_row("#N/A"),
                long_row("#REF!", outcome="2"),
                long_row("#DIV/0!", outcome="3"),
            ]
        },
    )
    found = problems(path)
    assert [(p.sheet, p.row, p.column, p.value) for p in found] == [
        ("Levels", 2, "Level", "#N/A"),
        ("Levels", 3, "Level", "#REF!"),
        ("Levels", 4, "Level", "#DIV/0!"),
    ]
    assert found[0].reason == "the cell holds the Excel error #N/A, not a value"


def test_error_value_text_in_a_csv_is_an_error_too(tmp_path):
    path = csv_file(tmp_path / "levels.csv", LONG, [long_row("#VALUE!")])
    (p,) = problems(path)
    assert (p.row, p.column, p.value) == (2, "Level", "#VALUE!")


def test_error_cell_in_an_unused_column_does_not_reject_the_row(tmp_path):
    path = write_workbook(
        tmp_path / "levels.xlsx", {"Levels": [[*LONG, "Comment"], [*long_row("3"), "#N/A"]]}
    )
    df = qa.load_submissions(path)
    assert df.level.tolist() == [3]


def _with_formulas(tmp_path, cached: bool):
    path = write_workbook(tmp_path / "f.xlsx", {"Levels": [LONG, long_row("=1+1")]})
    if cached:  # what Excel saves: the formula and its last result
        raw = path.read_bytes()
        with zipfile.ZipFile(path) as src:
            parts = {n: src.read(n) for n in src.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = parts[sheet].replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
        assert parts[sheet] != raw
        with zipfile.ZipFile(path, "w") as out:
            for name, data in parts.items():
                out.writestr(name, data)
    return path


def test_formula_without_a_saved_result_is_reported_by_cell(tmp_path):
    (p,) = problems(_with_formulas(tmp_path, cached=False))
    assert (p.row, p.column, p.value) == (2, "Level", "=1+1")
    assert "the formula has no saved result" in p.reason


def test_formula_with_a_saved_result_loads_its_value(tmp_path):
    df = qa.load_submissions(_with_formulas(tmp_path, cached=True))
    assert df.level.tolist() == [2]


# --------------------------------------------------------------------- missing words


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_missing_words_mean_the_same_in_xlsx_and_csv(tmp_path, kind):
    levels = ["n/a", "NULL", "None", "-", "not submitted"]
    data = [long_row(v, outcome=str(i + 1)) for i, v in enumerate(levels)]
    path = (
        write_workbook(tmp_path / "l.xlsx", {"Levels": [LONG, *data]})
        if kind == "xlsx"
        else csv_file(tmp_path / "l.csv", LONG, data)
    )
    res = qa.read_submissions(path, errors="report")
    # Only documented words mean missing: n/a (outcome 1) and not submitted (outcome 5).
    assert sorted(res.data.outcome) == [1, 5] and res.data.level.isna().all()
    assert sorted(res.rejected.source_row) == [3, 4, 5]


# --------------------------------------------------------------------- dates


def _resubmission(tmp_path, first, second, name="dates.csv"):
    return csv_file(
        tmp_path / name,
        LONG,
        [long_row("1", submitted=first), long_row("3", submitted=second)],
    )


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("02/03/2024", "2024/04/01"),  # 2 March (day first) < 1 April (year first)
        ("2024-03-02", "01/04/2024"),
        ("45353", "2024-04-01"),  # Excel serial 45353 = 2 March 2024
        (
            "2024-04-01T10:00:00+01:00",
            "2024-04-01 10:30",
        ),  # 10:00 BST = 10:00 UK, naive 10:30 later
    ],
)
def test_later_date_wins_whatever_the_notation(tmp_path, older, newer):
    res = qa.read_submissions(_resubmission(tmp_path, older, newer))
    assert res.data.level.tolist() == [3]
    assert res.superseded.source_row.tolist() == [2]


def test_year_first_slash_date_is_april_not_january(tmp_path):
    # 2024/04/01 is 1 April; 15/02/2024 is 15 February, so the 2024/04/01 row (level 3) wins.
    res = qa.read_submissions(_resubmission(tmp_path, "15/02/2024", "2024/04/01"))
    assert res.data.level.tolist() == [3]
    assert str(res.superseded.submitted.iloc[0]) == "2024-02-15 00:00:00"


def test_impossible_day_first_date_is_rejected_by_cell(tmp_path):
    (p,) = problems(_resubmission(tmp_path, "12/25/2023", "2024-01-01"))
    assert (p.row, p.column, p.value) == (2, "Submitted", "12/25/2023")
    assert "impossible read day-first" in p.reason and "never read month-first" in p.reason


def test_excel_date_cells_and_serials_in_a_workbook(tmp_path):
    path = write_workbook(
        tmp_path / "d.xlsx",
        {
            "L": [
                LONG,
                long_row("1", submitted=dt.datetime(2024, 3, 2)),
                long_row("3", submitted=45383),
            ]
        },
    )
    res = qa.read_submissions(path)  # 45383 = 1 April 2024, later than 2 March
    assert res.data.level.tolist() == [3]


def test_tz_aware_beside_naive_is_converted_with_a_note(tmp_path):
    res = qa.read_submissions(_resubmission(tmp_path, "2024-06-01T09:00:00Z", "2024-06-01 09:30"))
    # 09:00 UTC is 10:00 BST, later than 09:30 naive UK time: the first row wins.
    assert res.data.level.tolist() == [1]
    assert any(n.startswith("time zone converted to UK time: 1 value(s)") for n in res.notes)


# --------------------------------------------------------------------- cycles


@pytest.mark.parametrize(
    "cycle", ["2023", "2023.0", "2023/24", "2023-24", "2023/2024", "2023 - 24"]
)
def test_cycle_notations_mean_2023(tmp_path, cycle):
    df = qa.load_submissions(csv_file(tmp_path / "c.csv", LONG, [long_row(cycle=cycle)]))
    assert df.cycle.tolist() == [2023]


@pytest.mark.parametrize("cycle", ["2023/21", "2023/25", "2023-2025", "2023.5"])
def test_non_consecutive_spans_are_rejected(tmp_path, cycle):
    (p,) = problems(csv_file(tmp_path / "c.csv", LONG, [long_row(cycle=cycle)]))
    assert (p.row, p.column, p.value) == (2, "Cycle", cycle)


def test_same_cycle_in_two_notations_with_different_levels_is_a_conflict(tmp_path):
    path = csv_file(
        tmp_path / "c.csv", LONG, [long_row("1", cycle="2023"), long_row("2", cycle="2023/24")]
    )
    found = problems(path)
    assert [p.row for p in found] == [2, 3]
    assert all("conflicting duplicate rows" in p.reason for p in found)


def test_statistics_year_in_two_notations_is_a_conflict(tmp_path):
    path = csv_file(
        tmp_path / "s.csv",
        STATS,
        [
            ["ZS1", "Quayside LKS", "London", "2023/24", "", "100", "5"],
            ["ZS1", "Quayside LKS", "London", "2023-24", "", "120", "5"],
        ],
    )
    found = problems(path, qa.read_statistics)
    assert [p.row for p in found] == [2, 3]


# --------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12345678901234567890", "implausibly large"),
        ('"(1,234)"', "accounting negative"),
        ("45%", "a percentage is not allowed"),
        ("£1.2k", "abbreviated numbers"),
    ],
)
def test_count_values_never_guessed(tmp_path, value, reason):
    path = csv_file(
        tmp_path / "s.csv", STATS, [["ZS1", "Quayside LKS", "London", "2023/24", "", value, "5"]]
    )
    (p,) = problems(path, qa.read_statistics)
    assert (p.row, p.column) == (2, "Enquiries") and reason in p.reason


def test_twenty_digit_count_in_a_workbook_is_a_data_error(tmp_path):
    path = write_workbook(
        tmp_path / "s.xlsx",
        {"S": [STATS, ["ZS1", "Quayside LKS", "London", "2023/24", None, 1e20, 5]]},
    )
    (p,) = problems(path, qa.read_statistics)
    assert (p.row, p.column) == (2, "Enquiries") and "implausibly large" in p.reason


# --------------------------------------------------------------------- headers


def test_header_hints_in_brackets_are_recognised(tmp_path):
    header = ["Organisation code", "Organisation name", "Region", "Cycle"]
    for n in range(1, 7):
        for a in ("Self-evaluated", "Validated"):
            header += [f"Outcome {n} {a} Level (0-4)", f"Outcome {n} {a} sub-level (L/M/H)"]
    row = ["ZQ1", "Quayside NHS Trust", "London", "2023"] + ["2", "H"] * 12
    df = qa.load_submissions(csv_file(tmp_path / "w.csv", header, [row]))
    assert len(df) == 12 and set(df.score) == {2.75}


def test_unrecognised_header_row_is_listed(tmp_path):
    path = csv_file(tmp_path / "h.csv", ["Org", "Yr", "O1 SE"], [["ZQ1", "2023", "2"]])
    (p,) = problems(path)
    assert p.row == 1
    assert "the likeliest header row holds 'Org', 'Yr', 'O1 SE'" in p.reason
    assert "could not be used" in p.reason


def test_hidden_sheets_are_never_read(tmp_path):
    path = tmp_path / "h.xlsx"
    write_workbook(path, {"Levels": [LONG, long_row("2")], "Old": [LONG, long_row("4")]})
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Old"].sheet_state = "hidden"
    book.save(path)
    res = qa.read_submissions(path)
    assert res.data.level.tolist() == [2]
    assert "h.xlsx: hidden sheet(s) 'Old' not read" in res.notes


def test_error_about_data_on_a_hidden_sheet_says_it_is_hidden(tmp_path):
    path = tmp_path / "h.xlsx"
    write_workbook(path, {"Cover": [["QIOF export"]], "Data": [LONG, long_row("2")]})
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Data"].sheet_state = "hidden"
    book.save(path)
    (p,) = problems(path)
    assert "is on hidden sheet 'Data'; hidden sheets are never read" in p.reason


def test_blank_cell_is_reported_as_blank_not_nan(tmp_path):
    path = write_workbook(tmp_path / "b.xlsx", {"L": [LONG, long_row("2", org=None)]})
    (p,) = problems(path)
    text = p.describe()
    assert "nan" not in text
    assert "row 2, column 'Org code': the organisation code is blank" in text


def test_blank_cell_description_says_blank():
    p = qa.errors.Problem(file="f.csv", row=3, column="Enquiries", value=float("nan"), reason="bad")
    assert p.describe() == "f.csv, row 3, column 'Enquiries': bad (the cell is blank)"


def test_rejected_rows_show_the_value_found(tmp_path):
    res = qa.read_submissions(csv_file(tmp_path / "r.csv", LONG, [long_row("7")]), errors="report")
    assert res.rejected.problems.tolist() == ["this is not a QIOF level in 'Level' (found '7')"]
    assert isinstance(res.rejected, pd.DataFrame)


def test_ods_error_cell_is_a_data_error_by_cell():
    from tests.conftest import DATA

    (p,) = problems(DATA / "formats" / "error_cell.ods")
    assert (p.sheet, p.row, p.column, p.value) == ("Levels", 3, "Level", "#N/A")

"""Reading QIOF submission exports: layouts, tolerances, resubmissions, errors, accounting."""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from tests.conftest import DATA, write_workbook

SUBS = DATA / "submissions"


def cell(df, org, cycle, outcome, assessment):
    row = df[
        (df.org_code == org)
        & (df.cycle == cycle)
        & (df.outcome == outcome)
        & (df.assessment == assessment)
    ]
    assert len(row) == 1, f"expected one row for {org} {cycle} {outcome} {assessment}"
    r = row.iloc[0]
    level = None if pd.isna(r.level) else int(r.level)
    sub = None if pd.isna(r.sublevel) else str(r.sublevel)
    return level, sub, (None if pd.isna(r.score) else float(r.score)), int(r.source_row)


def test_wide_separate_columns_with_header_variants():
    res = qa.read_submissions(SUBS / "wide_separate.csv")
    df = res.data
    assert len(df) == 2 * 6 * 2
    assert cell(df, "ZQ1", 2021, 1, "self") == (2, "High", 2.75, 2)
    assert cell(df, "ZQ1", 2021, 1, "validated") == (2, "Medium", 2.5, 2)
    assert cell(df, "ZQ1", 2021, 3, "self") == (3, "Low", 3.25, 2)
    assert cell(df, "ZQ1", 2021, 3, "validated") == (2, "High", 2.75, 2)
    assert cell(df, "ZQ1", 2021, 4, "validated") == (0, None, 0.0, 2)
    assert cell(df, "ZQ1", 2021, 6, "self") == (None, None, None, 2)  # N/A is missing, not 0
    assert cell(df, "ZQ1", 2021, 6, "validated") == (None, None, None, 2)
    assert cell(df, "ZQ2", 2021, 5, "validated") == (1, "Medium", 1.5, 3)
    zq2 = df[df.org_code == "ZQ2"].iloc[0]
    assert (zq2.region, zq2.cycle) == ("South West", 2021)  # 'y58' and '2021/22'
    assert str(df["sublevel"].dtype) == "category" and df["sublevel"].cat.ordered
    assert list(df["sublevel"].cat.categories) == ["Low", "Medium", "High"]
    assert str(df["level"].dtype) == "Int64"
    assert any("2021/22" in n for n in res.notes)


def test_wide_combined_columns_below_a_title():
    df = qa.load_submissions(SUBS / "wide_combined.csv")
    expected = {
        (1, "self"): (2, "High"),
        (1, "validated"): (2, "High"),
        (2, "self"): (2, "High"),
        (2, "validated"): (1, "Medium"),
        (3, "self"): (3, "Low"),
        (3, "validated"): (2, "Medium"),
        (4, "self"): (3, "Low"),
        (4, "validated"): (2, None),
        (5, "self"): (2, None),
        (5, "validated"): (2, "High"),
        (6, "self"): (2, "High"),
        (6, "validated"): (None, None),
    }
    for (n, a), want in expected.items():
        level, sub, _, row = cell(df, "ZQ3", 2023, n, a)
        assert (level, sub) == want
        assert row == 4  # title row 1, blank row 2, header row 3
    assert set(df.region) == {"North West"}
    assert set(df.org_name) == {"Harbourne Hospitals NHS Trust"}


def test_long_layout_with_synonyms_and_a_blank_row():
    res = qa.read_submissions(SUBS / "long.csv")
    df = res.data
    assert len(df) == 4
    assert cell(df, "ZQ4", 2023, 1, "self") == (2, "High", 2.75, 2)
    assert cell(df, "ZQ4", 2023, 1, "validated") == (2, "Medium", 2.5, 3)
    assert cell(df, "ZQ4", 2023, 2, "self") == (3, None, 3.0, 4)
    assert cell(df, "ZQ4", 2023, 2, "validated") == (2, None, 2.0, 6)  # row 5 is blank
    assert res.rows_in == 4
    assert any("1 empty row" in n for n in res.notes)


def test_latest_submission_wins_and_exact_duplicates_are_superseded():
    res = qa.read_submissions(SUBS / "resubmission.csv")
    df = res.data
    assert set(df.org_code) == {"ZQ5", "ZQ6"}
    assert cell(df, "ZQ5", 2023, 4, "validated") == (2, None, 2.0, 3)  # 20/05 beats 2023-05-01
    assert cell(df, "ZQ6", 2023, 1, "self")[3] == 4  # first of two identical rows kept
    sup = res.superseded
    assert list(sup.source_row) == [2, 5]
    assert sup.reason.iloc[0].startswith("replaced by a later submission (2023-05-20")
    assert sup.reason.iloc[1] == "exact duplicate"
    assert (res.rows_in, res.rows_loaded, len(res.rejected), len(sup)) == (4, 2, 0, 2)


def test_conflicting_undated_duplicates_are_an_error_naming_both_rows():
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(SUBS / "conflict.csv")
    rows = sorted(p.row for p in info.value.problems)
    assert rows == [2, 3]
    assert "conflict.csv row 2; conflict.csv row 3" in info.value.problems[0].reason
    report = qa.read_submissions(SUBS / "conflict.csv", errors="report")
    assert set(report.data.org_code) == {"ZQ8"}
    assert list(report.rejected.source_row) == [2, 3]


def test_bad_values_are_all_reported_at_once_with_their_cells():
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(SUBS / "bad_values.csv")
    got = {(p.row, p.column, p.value) for p in info.value.problems}
    assert got == {
        (3, "Outcome 1 self-assessed", "5"),
        (4, "Organisation code", ""),
        (5, "Region", "Atlantis"),
        (6, "Cycle", "twenty"),
        (7, "Outcome 1 validation", "2 Very high"),
        (8, "Outcome 1 self-assessed", "three"),
        (8, "Outcome 1 validation", "-1"),
    }
    assert all(p.file == "bad_values.csv" and p.allowed for p in info.value.problems)
    message = str(info.value)
    assert (
        "bad_values.csv, row 5, column 'Region': "
        "this is not an NHS England region (found 'Atlantis')" in message
    )
    assert "London (Y56)" in message


def test_report_mode_loads_good_rows_and_accounts_for_every_row():
    res = qa.read_submissions(SUBS / "bad_values.csv", errors="report")
    assert sorted(set(res.data.org_code)) == ["ZQ1", "ZQ9"]
    assert list(res.rejected.source_row) == [3, 4, 5, 6, 7, 8]
    assert (
        res.rejected.loc[res.rejected.source_row == 8, "problems"].iloc[0].count("not a QIOF level")
        == 2
    )
    assert res.rows_in == 8 == res.rows_loaded + len(res.rejected) + len(res.superseded)
    assert res.summary() == "8 rows in: 2 loaded, 6 rejected, 0 superseded"


def test_folder_and_list_sources_combine_files(tmp_path):
    both = [SUBS / "wide_separate.csv", SUBS / "long.csv"]
    df = qa.load_submissions(both)
    assert sorted(df.org_code.unique()) == ["ZQ1", "ZQ2", "ZQ4"]
    assert set(df.source_file) == {"wide_separate.csv", "long.csv"}
    folder = tmp_path / "exports"
    folder.mkdir()
    for path in both:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "~$lock.xlsx").write_bytes(b"lock file")
    (folder / "readme.txt").write_text("not an export")
    assert len(qa.load_submissions(folder)) == len(df)


def _wide_rows(first="Outcome {n} self-evaluated", second="Outcome {n} validated"):
    header = ["Organisation code", "Organisation name", "Region", "Cycle"]
    for n in range(1, 7):
        header += [first.format(n=n), second.format(n=n)]
    return header, ["ZQ1", "Quayside NHS Trust", "London", 2025] + [2, "3 Low"] * 6


def test_workbook_title_rows_notes_sheet_and_excel_row_numbers(tmp_path):
    header, row = _wide_rows()
    path = write_workbook(
        tmp_path / "export.xlsx",
        {
            "Read me": [["Notes about this export"], ["Levels are 0-4"]],
            "Levels": [["QIOF levels 2025"], [], [], header, row],
        },
    )
    res = qa.read_submissions(path)
    assert cell(res.data, "ZQ1", 2025, 6, "validated") == (3, "Low", 3.25, 5)
    assert any("ignored 'Read me'" in n for n in res.notes)
    assert any("row 4" in n for n in res.notes)


def test_two_sheets_with_data_is_an_error(tmp_path):
    header, row = _wide_rows()
    path = write_workbook(tmp_path / "two.xlsx", {"A": [header, row], "B": [header, row]})
    with pytest.raises(
        qa.QioDataError, match="more than one sheet holds a QIOF submissions table \\('A', 'B'\\)"
    ):
        qa.read_submissions(path)


def test_no_recognised_header_names_the_file(tmp_path):
    path = write_workbook(tmp_path / "empty.xlsx", {"Sheet": [["hello"], ["world"]]})
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(path)
    assert info.value.problems[0].file == "empty.xlsx"
    assert "no QIOF submissions header row" in info.value.problems[0].reason


def test_missing_outcome_columns_are_listed(tmp_path):
    header, row = _wide_rows()
    cut = header.index("Outcome 4 validated")
    path = tmp_path / "missing.csv"
    del header[cut], row[cut]
    path.write_text(",".join(header) + "\n" + ",".join(map(str, row)) + "\n")
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(path)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (1, "Outcome 4 validated level")


def test_outcome_seven_column_is_a_problem_not_ignored(tmp_path):
    header, row = _wide_rows()
    header += ["Outcome 7 self-evaluated"]
    row += [2]
    path = tmp_path / "seven.csv"
    path.write_text(",".join(header) + "\n" + ",".join(map(str, row)) + "\n")
    with pytest.raises(qa.QioDataError, match="outcome that does not exist"):
        qa.read_submissions(path)


def test_sublevel_column_disagreeing_with_level_column(tmp_path):
    header = ["Organisation code", "Organisation name", "Region", "Cycle"]
    values: list[object] = ["ZQ1", "Quayside NHS Trust", "London", 2025]
    for n in range(1, 7):
        for a in ("self-evaluated", "validated"):
            header += [f"Outcome {n} {a} level", f"Outcome {n} {a} sub-level"]
            values += ["2 High", "Low"] if (n, a) == (1, "self-evaluated") else ["2", ""]
    path = tmp_path / "disagree.csv"
    path.write_text(",".join(header) + "\n" + ",".join(map(str, values)) + "\n")
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(path)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.value) == (
        2,
        "Outcome 1 self-evaluated sub-level",
        "Low",
    )


def test_windows_1252_csv_is_read_and_noted(tmp_path):
    header, row = _wide_rows()
    row[1] = "Sant\u00e9 Hospitals NHS Trust"
    path = tmp_path / "cp1252.csv"
    path.write_bytes((",".join(header) + "\n" + ",".join(map(str, row)) + "\n").encode("cp1252"))
    res = qa.read_submissions(path)
    assert set(res.data.org_name) == {"Sant\u00e9 Hospitals NHS Trust"}
    assert any("Windows-1252" in n for n in res.notes)


def test_errors_argument_is_checked():
    with pytest.raises(ValueError, match="errors must be"):
        qa.read_submissions(SUBS / "long.csv", errors="ignore")

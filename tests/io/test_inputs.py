"""load_inputs: the demo default, errors="raise"|"report", and per-file accounting in Inputs.checks."""

from __future__ import annotations

import pytest

import qio_analysis as qa
from qio_analysis.io.inputs import load_inputs
from tests.conftest import DATA


def test_raise_is_the_default_and_names_the_cell(inputs_dir):
    subs, orgs = inputs_dir
    with pytest.raises(qa.QioDataError, match=r"a.csv, row 3, column 'Level'"):
        load_inputs(subs, None, orgs)


@pytest.mark.parametrize("mode", ["ignore", "strict"])  # "strict" was the old word for "raise"
def test_an_unknown_errors_mode_is_refused_with_the_words_to_use(inputs_dir, mode):
    subs, orgs = inputs_dir
    with pytest.raises(
        qa.QioConfigError, match=f"errors must be 'raise' or 'report', not '{mode}'"
    ):
        load_inputs(subs, None, orgs, errors=mode)


def test_report_mode_accounts_for_every_row_per_file(inputs_dir):
    subs, orgs = inputs_dir
    inputs = load_inputs(subs, None, orgs, errors="report")
    files = inputs.checks.files().set_index("file")
    # Hand-worked: a.csv has 4 rows: 1 loaded, 2 rejected, 1 superseded; b.csv 1 loaded.
    assert files.loc["a.csv", ["rows_in", "loaded", "rejected", "superseded"]].tolist() == [
        4,
        1,
        2,
        1,
    ]
    assert files.loc["b.csv", ["rows_in", "loaded", "rejected", "superseded"]].tolist() == [
        1,
        1,
        0,
        0,
    ]
    assert files.loc["orgs.csv", ["rows_in", "loaded"]].tolist() == [1, 1]
    assert inputs.checks.n_rejected == 2
    assert inputs.checks.rejected().source_row.tolist() == [3, 5]
    sup = inputs.checks.superseded()
    assert sup.source_row.tolist() == [2] and sup.superseded_by.tolist() == ["a.csv row 4"]
    notes = [n for _, n in inputs.checks.notes()]
    assert "notes.docx: ignored: not a spreadsheet" in notes
    assert any("U+202E" in n for n in notes)
    assert sorted(inputs.submissions.org_code) == ["ZQ1", "ZQ4"]


def test_load_inputs_demo_values_unchanged():
    inputs = load_inputs()
    assert inputs.checks.errors == "raise"
    direct = qa.load_submissions(DATA.parent.parent / "data" / "demo" / "qiof")
    assert inputs.submissions.equals(direct)


def test_each_caller_gets_its_own_copy_of_a_remembered_read(inputs_dir):
    subs, orgs = inputs_dir
    first = load_inputs(subs, None, orgs, errors="report")
    first.submissions.loc[0, "org_name"] = "changed"
    first.checks.results["submissions"].notes.append("changed")
    again = load_inputs(subs, None, orgs, errors="report")
    assert again.submissions.loc[0, "org_name"] == "Quayside NHS Trust"
    assert "changed" not in again.checks.results["submissions"].notes


def test_a_changed_file_is_read_again(inputs_dir):
    subs, orgs = inputs_dir
    before = load_inputs(subs, None, orgs, errors="report")
    (subs / "b.csv").write_text(
        "Org code,Org name,Region,Cycle,Submitted,Outcome,Assessment,Level\n"
        "ZQ4,Hill NHS Trust,London,2023,,1,validated,3\n"
        "ZQ5,Dale NHS Trust,London,2023,,1,validated,1\n"
    )
    after = load_inputs(subs, None, orgs, errors="report")
    assert sorted(before.submissions.org_code) == ["ZQ1", "ZQ4"]
    assert sorted(after.submissions.org_code) == ["ZQ1", "ZQ4", "ZQ5"]

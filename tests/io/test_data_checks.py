"""load_inputs(errors=...), Inputs.checks accounting, and the data-checks page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import qio_analysis as qa
from qio_analysis.report.data_checks import DataChecks, data_checks_html
from qio_analysis.report.inputs import load_inputs
from tests.conftest import DATA

LONG = "Org code,Org name,Region,Cycle,Submitted,Outcome,Assessment,Level\n"


@pytest.fixture
def inputs_dir(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.csv").write_text(
        LONG
        + "ZQ1,Quayside NHS Trust,London,2023,2023-05-01,1,self,2\n"  # superseded by row 4
        + "ZQ2,<script>alert(1)</script> NHS Trust,London,2023,,1,self,9\n"  # rejected: level 9
        + "ZQ1,Quayside NHS Trust,London,2023,2023-06-01,1,self,3\n"  # loaded
        + "ZQ3,Riverton NHS Trust,London,2023/21,,1,self,1\n",  # rejected: cycle
        encoding="utf-8",
    )
    (subs / "b.csv").write_text(LONG + "ZQ4,Hill\u202e NHS Trust,London,2023,,1,validated,2\n")
    (subs / "notes.docx").write_bytes(b"PK")
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "Organisation code,Organisation name,Organisation type,Region,LKS service code\n"
        "ZQ1,Quayside NHS Trust,Acute,London,\n"
    )
    return subs, orgs


def test_strict_is_the_default_and_names_the_cell(inputs_dir):
    subs, orgs = inputs_dir
    with pytest.raises(qa.QioDataError, match=r"a.csv, row 3, column 'Level'"):
        load_inputs(subs, None, orgs)


def test_unknown_errors_mode_is_a_config_error(inputs_dir):
    subs, orgs = inputs_dir
    with pytest.raises(qa.QioConfigError, match="errors must be one of strict, report"):
        load_inputs(subs, None, orgs, errors="ignore")


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


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_data_checks_page_is_escaped_accessible_and_complete(inputs_dir):
    subs, orgs = inputs_dir
    inputs = load_inputs(subs, None, orgs, errors="report")
    page = data_checks_html(inputs, version="9.9", demo=False)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page
    parsed = _Page()
    parsed.feed(page)
    text = " ".join(parsed.text)
    assert parsed.tags.count("h1") == 1 and parsed.tags.count("caption") == 3
    assert 'scope="col"' in page
    assert "2 input row(s) were rejected" in text and "--errors report" in text
    assert "6 rows read: 3 loaded, 2 rejected, 1 superseded" in re.sub(r"\s+", " ", text)
    assert "this is not a QIOF level in 'Level' (found '9')" in text
    assert "the two years of a span must be consecutive in 'Cycle' (found '2023/21')" in text
    assert "a.csv row 4" in text  # what replaced the superseded row
    assert "Org name: &lt;script&gt;" in page  # the rejected row's own values, escaped
    assert not re.search(r"\bnan\b", text)
    assert "notes.docx: ignored: not a spreadsheet" in text
    assert "qio-analysis 9.9" in text and "Demonstration data" not in text


def test_data_checks_page_for_clean_demo_data():
    inputs = load_inputs()
    page = data_checks_html(inputs.checks, version="1", demo=True)
    assert "Demonstration data" in page and "No input row was rejected." in page
    assert 'role="alert"' not in page


def test_empty_checks_render():
    assert "0 rows read" in data_checks_html(DataChecks())


def test_load_inputs_demo_values_unchanged():
    inputs = load_inputs()
    assert inputs.checks.errors == "strict"
    direct = qa.load_submissions(DATA.parent.parent / "data" / "demo" / "qiof")
    assert inputs.submissions.equals(direct)


def test_page_never_passes_bidi_overrides_through():
    import pandas as pd

    from qio_analysis.io.records import ReadResult

    empty = pd.DataFrame()
    result = ReadResult(empty, empty, empty, ["x.csv: note about \u202eevil"], 0, 0, [])
    page = data_checks_html(DataChecks(results={"submissions": result}))
    assert "\u202e" not in page and "x.csv: note about \ufffdevil" in page

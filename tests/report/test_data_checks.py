"""The data-checks page: escaped, accessible, complete, and never passing bidi overrides through."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest

from qio_analysis.io.inputs import DataChecks, load_inputs
from qio_analysis.io.results import ReadResult
from qio_analysis.report.data_checks import data_checks_html
from tests.forms import EXPORT, fill, write_forms


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
    page = data_checks_html(inputs.checks, version="9.9", demo=False)
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


def test_page_never_passes_bidi_overrides_through():
    empty = pd.DataFrame()
    result = ReadResult(empty, empty, empty, ["x.csv: note about \u202eevil"], 0, 0, [])
    page = data_checks_html(DataChecks(results={"submissions": result}))
    assert "\u202e" not in page and "x.csv: note about \ufffdevil" in page


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_data_checks_page_lists_what_validation_forms_change(tmp_path):
    paths = {p.name[:4]: p for p in write_forms(tmp_path)}
    fill(paths["ZN01"], {2: (2, "High")}, who="<b>Jo</b> Bloggs")
    fill(paths["ZN02"], {2: (2, None)}, who="Ali Khan")  # 3 in the export
    inputs = load_inputs([EXPORT, tmp_path])
    page = data_checks_html(inputs.checks)
    assert "<b>Jo</b>" not in page and "&lt;b&gt;Jo&lt;/b&gt; Bloggs" in page
    parsed = _Page()
    parsed.feed(page)
    text = re.sub(r"\s+", " ", " ".join(parsed.text))
    assert "2 validated levels from validation forms replace the export's" in text
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", page.split('id="forms"')[1].split("<h2")[0])
    cells = [r.split("</td><td") for r in rows]
    assert [[re.sub(r"^[^>]*>", "", c) for c in r] for r in cells] == [
        [
            "Ashby NHS Trust (ZN01)",
            "2025",
            "Outcome 2 (Evidence in decisions)",
            "not validated",
            "Level 2 (High)",
            "&lt;b&gt;Jo&lt;/b&gt; Bloggs",
            "2 June 2025",
            "ZN01-validation-2025.xlsx, cell E14",
        ],
        [
            "Brookfield NHS Trust (ZN02)",
            "2025",
            "Outcome 2 (Evidence in decisions)",
            "Level 3",
            "Level 2",
            "Ali Khan",
            "2 June 2025",
            "ZN02-validation-2025.xlsx, cell E14",
        ],
    ]


def test_a_bad_form_cell_is_named_with_its_own_labels_and_plain_values(tmp_path):
    paths = {p.name[:4]: p for p in write_forms(tmp_path)}
    fill(paths["ZN03"], {3: (7, None)})  # E15: not a level
    inputs = load_inputs([EXPORT, tmp_path], None, None, errors="report")
    page = re.sub(r"\s+", " ", data_checks_html(inputs.checks, version="9.9"))
    rejected = page.split('id="rejected"')[1].split("<h2")[0]
    assert (
        "this is not a QIOF level in cell E15 (Validated level, outcome 3) (found &#39;7&#39;)"
        in rejected
    )
    assert "Cycle: 2025 |" in rejected and "2025.0" not in rejected
    assert "datetime" not in page and "Timestamp" not in page


def test_a_form_left_out_in_report_mode_is_listed_with_its_cell(tmp_path):
    (path,) = write_forms(tmp_path, layout="region")
    book = openpyxl.load_workbook(path)
    book["Validation"]["A1"] = "My levels"
    book.save(path)
    inputs = load_inputs([EXPORT, path], None, None, errors="report")
    page = re.sub(r"\s+", " ", data_checks_html(inputs.checks, version="9.9"))
    assert "1 validation form file(s) could not be read</strong> and were left out" in page
    left = page.split('id="left-out"')[1].split("<h2")[0]
    assert f"<td>{path.name}</td><td>Validation</td><td>A1</td>" in left
    assert "My levels" in left and "the form was changed outside its entry cells" in left


def test_the_page_keeps_its_sections_in_reading_order():
    page = data_checks_html(DataChecks(), version="9.9", demo=True)
    sections = re.findall(r'<h2 id="([a-z-]+)">', page)
    assert sections == ["files", "rejected", "forms", "superseded", "notes"]
    banner, ok = page.index("Demonstration data"), page.index("No input row was rejected.")
    assert banner < ok < page.index("0 rows read") < page.index('id="files"')
    assert page.endswith(
        '<footer class="qio-footer">qio-analysis 9.9</footer></main></body></html>\n'
    )

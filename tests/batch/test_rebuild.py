"""Rerunning into one output folder after changing one thing, as a user would.

The small report data set is built once (with workbooks); each test changes
one input (the data, the organisations, the statistics, an option, a
notebook), deletes a file, withdraws an organisation or runs for one
organisation, reruns ``qio reports`` into the same folder, and checks that
nothing in the folder is listed as current unless its record matches. The
folder and the data are restored after each test.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from qio_analysis import cli
from qio_analysis.batch import parameters
from qio_analysis.config import NOTEBOOKS_DIR
from qio_analysis.io.files import file_digest
from tests.conftest import reports_args

pytestmark = pytest.mark.slow
N_REPORTS = 13  # 3 organisations, 2 regions x 3 (summary, improvement, validation), 4 national
ORGS = ["2025/organisations/ZX1", "2025/organisations/ZX2", "2025/organisations/ZX3"]
WORKBOOKS = [
    "2025/organisations/ZX1.xlsx",
    "2025/organisations/ZX2.xlsx",
    "2025/organisations/ZX3.xlsx",
    "2025/workbooks/england.xlsx",
    "2025/workbooks/london.xlsx",
    "2025/workbooks/south-west.xlsx",
]


@pytest.fixture(scope="module")
def first_build(built_reports):
    """The session's shared first build (with workbooks), in place: a run records the
    paths of its inputs, so a copy elsewhere would rebuild. Each test's changes are
    undone after it (:func:`folder`), so other readers see it as built."""
    base = built_reports[0].parent
    shutil.copytree(base / "data", base / "data.first")
    shutil.copytree(base / "out", base / "out.first")
    yield base
    for name in ("data.first", "out.first"):
        shutil.rmtree(base / name)


@pytest.fixture
def folder(first_build):
    """The first build's data and output folder; put back as they were after the test."""
    yield first_build / "data", first_build / "out"
    for name in ("data", "out"):
        shutil.rmtree(first_build / name)
        shutil.copytree(first_build / f"{name}.first", first_build / name)


def rerun(folder, capsys, *extra):
    data, out = folder
    code = cli.main(reports_args(data, out, *extra))
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def manifest(out):
    return {row["item"]: row for row in json.loads((out / "manifest.json").read_text())["items"]}


def statuses(out):
    return {item: row["status"] for item, row in manifest(out).items()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new))


def index_rows(out):
    """{row id: (status, details)} from the index."""
    page = (out / "index.html").read_text()
    return {
        item: (status, details)
        for item, status, details in re.findall(
            r"<tr id='([^']*)'><td>.*?</td><td[^>]*>([^<]*)</td><td[^>]*>[^<]*</td><td>(.*?)</td></tr>",
            page,
        )
    }


def assert_index_links_exist(out):
    page = (out / "index.html").read_text()
    links = re.findall(r"href='([^'#]+)'", page)
    assert links and [link for link in links if not (out / link).exists()] == []


def workbook_text(path):
    book = openpyxl.load_workbook(path)
    return " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value)


def test_nothing_changed_nothing_rebuilt(folder, capsys):
    out = folder[1]
    stamps = {name: (out / name).stat().st_mtime_ns for name in WORKBOOKS}
    code, printed = rerun(folder, capsys)
    assert code == 0 and f"0 built, {N_REPORTS} up to date, 0 failed" in printed
    assert set(statuses(out).values()) == {"skipped"}
    # Workbooks still match their reports: kept and linked, though --xlsx was not asked for.
    assert {name: (out / name).stat().st_mtime_ns for name in WORKBOOKS} == stamps
    assert "<a href='2025/workbooks/london.xlsx'>Workbook</a>" in (out / "index.html").read_text()
    assert_index_links_exist(out)


def test_a_data_change_rebuilds_every_report_and_no_older_workbook_stays(folder, capsys):
    data, out = folder
    # Southholm changes its name: every report and workbook naming it is out of date.
    for name in ("submissions.csv", "organisations.csv"):
        edit(data / name, "Southholm Community NHS Trust", "Southholm Coast NHS Trust")
    code, printed = rerun(folder, capsys)
    assert code == 0 and f"{N_REPORTS} built, 0 up to date" in printed
    assert "Removed 6 workbooks that no longer matched their reports" in printed
    assert not any((out / name).exists() for name in WORKBOOKS)
    status, details = index_rows(out)["2025/regions/south-west-validation"]
    assert status == "Built"
    assert "Workbook removed: it showed an older version of the report (--xlsx makes it again)" in (
        details
    )
    assert_index_links_exist(out)
    # Asked for, they come back, with the new name only.
    code, printed = rerun(folder, capsys, "--xlsx")
    assert code == 0 and f"0 built, {N_REPORTS} up to date" in printed
    text = workbook_text(out / "2025/workbooks/south-west.xlsx")
    assert "Southholm Coast NHS Trust" in text and "Southholm Community" not in text
    assert index_rows(out)["2025/regions/south-west-validation"][1].startswith(
        "<a href='2025/workbooks/south-west.xlsx'>Workbook</a>"
    )


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("organisations.csv", "Missingham Mental Health", "Missingham Minds"),
        ("statistics.csv", "2024/25,1,2000,150", "2024/25,1.5,2000,150"),
    ],
)
def test_a_change_to_any_data_file_rebuilds_from_it(folder, capsys, name, old, new):
    data, out = folder
    before = manifest(out)
    edit(data / name, old, new)
    code, printed = rerun(folder, capsys, "--xlsx")
    assert code == 0 and f"{N_REPORTS} built, 0 up to date" in printed
    after = manifest(out)
    for item, row in after.items():
        assert row["status"] == "built"
        assert row["inputs"]["data"] != before[item]["inputs"]["data"]
        assert row["inputs"]["notebook"] == before[item]["inputs"]["notebook"]
        assert row["input_hash"] != before[item]["input_hash"]


def test_an_option_rebuilds_only_the_reports_it_changes(folder, capsys):
    out = folder[1]
    before = manifest(out)
    code, printed = rerun(folder, capsys, "--min-group", "3")
    assert code == 0 and f"4 built, {N_REPORTS - 4} up to date" in printed
    after = manifest(out)
    # The smallest group shown applies to the organisations' context and the public headlines.
    changed = [*ORGS, "headlines/2024-25/annual_headlines"]
    assert sorted(item for item, row in after.items() if row["status"] == "built") == changed
    for item in changed:
        assert after[item]["inputs"]["options"] != before[item]["inputs"]["options"]
        assert after[item]["inputs"]["data"] == before[item]["inputs"]["data"]
    # The organisations' workbooks showed the old reports; the regions' still match.
    assert "Removed 3 workbooks" in printed
    assert not (out / "2025/organisations/ZX1.xlsx").exists()
    assert (out / "2025/workbooks/london.xlsx").exists()


def test_a_notebook_change_rebuilds_its_reports(folder, capsys, tmp_path, monkeypatch):
    out = folder[1]
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    monkeypatch.setattr(parameters, "NOTEBOOKS_DIR", notebooks)  # where a report finds its notebook
    path = notebooks / "regional_summary.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].append(
        {"cell_type": "markdown", "id": "a-note", "metadata": {}, "source": ["A note added."]}
    )
    path.write_text(json.dumps(nb))
    code, printed = rerun(folder, capsys)
    assert code == 0 and f"2 built, {N_REPORTS - 2} up to date" in printed
    rebuilt = sorted(item for item, status in statuses(out).items() if status == "built")
    assert rebuilt == ["2025/regions/london", "2025/regions/south-west"]
    assert "A note added." in (out / "2025/regions/london.html").read_text()


def test_a_deleted_report_or_workbook_is_rebuilt(folder, capsys):
    out = folder[1]
    (out / "2025/organisations/ZX2.html").unlink()
    (out / "2025/workbooks/london.xlsx").unlink()
    code, printed = rerun(folder, capsys, "--xlsx")
    assert code == 0 and f"1 built, {N_REPORTS - 1} up to date" in printed
    assert statuses(out)["2025/organisations/ZX2"] == "built"
    assert (out / "2025/organisations/ZX2.html").exists()
    assert (out / "2025/workbooks/london.xlsx").exists()
    assert_index_links_exist(out)
    # Deleted again and not asked for: not linked, and the index says why.
    (out / "2025/workbooks/london.xlsx").unlink()
    code, printed = rerun(folder, capsys)
    assert code == 0 and "Removed 1 workbook that no longer matched its report" in printed
    details = index_rows(out)["2025/regions/london-validation"][1]
    assert "Workbook removed: some of its files were missing" in details
    assert "london.xlsx" not in details
    assert_index_links_exist(out)


def test_a_deleted_shared_asset_is_restored(folder, capsys):
    out = folder[1]
    (asset,) = (out / "assets").glob("plotly-*.min.js")
    text = asset.read_bytes()
    asset.unlink()
    code, printed = rerun(folder, capsys)
    assert code == 0 and f"0 built, {N_REPORTS} up to date" in printed
    assert f"Restored assets/{asset.name}, which was missing." in printed
    assert asset.read_bytes() == text
    asset.write_text("/* truncated */")
    code, printed = rerun(folder, capsys)
    assert f"Restored assets/{asset.name}, which did not match its record." in printed
    assert asset.read_bytes() == text


def test_an_organisation_no_longer_in_the_data_is_withdrawn(folder, capsys):
    data, out = folder
    lines = (data / "submissions.csv").read_text().splitlines(keepends=True)
    (data / "submissions.csv").write_text(
        "".join(
            line
            for line in lines
            if not line.startswith("ZX2,Quayview Hospitals NHS Trust,London,2025")
        )
    )
    code, printed = rerun(folder, capsys, "--xlsx")
    assert code == 0
    assert (
        "Withdrawn (no longer in the data; files removed): Quayview Hospitals NHS Trust (ZX2)."
        in (printed)
    )
    row = manifest(out)["2025/organisations/ZX2"]
    assert row["status"] == "withdrawn" and row["renderings"] == {}
    assert not (out / "2025/organisations/ZX2.html").exists()
    assert not (out / "2025/organisations/ZX2.xlsx").exists()
    status, details = index_rows(out)["2025/organisations/ZX2"]
    assert status == "Withdrawn" and details.startswith("No longer in the data")
    assert "href='2025/organisations/ZX2" not in (out / "index.html").read_text()
    assert_index_links_exist(out)
    # It stays listed as withdrawn, and nothing else changes, on the next run.
    code, printed = rerun(folder, capsys, "--xlsx")
    assert code == 0 and "Withdrawn" not in printed
    assert statuses(out)["2025/organisations/ZX2"] == "withdrawn"


def test_an_organisation_left_out_by_errors_report_is_withdrawn_and_says_why(folder, capsys):
    data, out = folder
    edit(
        data / "submissions.csv",
        "ZX2,Quayview Hospitals NHS Trust,London,2025,3,3,",
        "ZX2,Quayview Hospitals NHS Trust,London,2025,9,3,",
    )
    assert rerun(folder, capsys, "--errors", "report")[0] == 0
    row = manifest(out)["2025/organisations/ZX2"]
    assert row["status"] == "withdrawn"
    assert row["error"].startswith("Its rows failed validation and were left out (--errors report")
    assert not (out / "2025/organisations/ZX2.html").exists()


def test_a_run_for_one_organisation_marks_the_reports_it_leaves_out(folder, capsys):
    data, out = folder
    edit(data / "submissions.csv", "South West,2025,1,1,1,1", "South West,2025,2,2,1,1")
    code, printed = rerun(folder, capsys, "--org", "ZX1")
    assert code == 0 and "1 built, 0 up to date, 0 failed" in printed
    others = N_REPORTS - 1
    assert f"{others} reports left out of this run no longer match their inputs" in printed
    after = statuses(out)
    assert after.pop("2025/organisations/ZX1") == "built"
    assert set(after.values()) == {"stale"}
    for item in after:
        page = (out / f"{item}.html").read_text()
        assert "<strong>Out of date.</strong> This report was built before the data changed" in page
        status, details = index_rows(out)[item]
        assert status == "Out of date"
        assert details.startswith("Built before the data changed; not rebuilt in this run.")
    assert "Some reports are out of date." in (out / "index.html").read_text()
    # No workbook of an out-of-date report is left: they showed the older data.
    assert not any((out / name).exists() for name in WORKBOOKS)
    assert "qio:stale" not in (out / "2025/organisations/ZX1.html").read_text()
    # The full run rebuilds them, and no page or index row says "out of date" any more.
    code, printed = rerun(folder, capsys)
    assert code == 0 and f"{others} built, 1 up to date" in printed
    assert set(statuses(out).values()) == {"built", "skipped"}
    assert not [p for p in out.rglob("*.html") if "qio:stale" in p.read_text()]
    assert "Out of date" not in (out / "index.html").read_text()


def test_a_report_that_matches_again_loses_its_notice(folder, capsys):
    data, out = folder
    original = (data / "submissions.csv").read_text()
    edit(data / "submissions.csv", "South West,2025,1,1,1,1", "South West,2025,2,2,1,1")
    assert rerun(folder, capsys, "--org", "ZX1")[0] == 0
    assert statuses(out)["2025/regions/london"] == "stale"
    (data / "submissions.csv").write_text(original)  # the change is undone
    assert rerun(folder, capsys, "--org", "ZX1")[0] == 0
    after = statuses(out)
    assert after["2025/regions/london"] == "skipped"
    assert "qio:stale" not in (out / "2025/regions/london.html").read_text()


@pytest.mark.browser
def test_a_pdf_never_outlives_the_report_it_printed(folder, capsys):
    data, out = folder
    pdf = out / "2025/organisations/ZX1.pdf"
    assert rerun(folder, capsys, "--org", "ZX1", "--pdf")[0] == 0
    record = manifest(out)["2025/organisations/ZX1"]["renderings"]["pdf"]
    assert record["source"] == file_digest(out / "2025/organisations/ZX1.html")
    assert pdf.exists()
    edit(data / "submissions.csv", "London,2025,2,2,3", "London,2025,3,3,3")
    code, printed = rerun(folder, capsys, "--org", "ZX1")
    assert (
        code == 0
        and "1 built" in printed
        and "Removed 1 PDF and 6 workbooks that no longer matched" in printed
    )
    assert not pdf.exists()
    details = index_rows(out)["2025/organisations/ZX1"][1]
    assert "PDF removed: it showed an older version of the report (--pdf makes it again)" in details
    code, printed = rerun(folder, capsys, "--org", "ZX1", "--pdf")
    assert code == 0 and "0 built" in printed and pdf.exists()
    record = manifest(out)["2025/organisations/ZX1"]["renderings"]["pdf"]
    assert record["source"] == file_digest(out / "2025/organisations/ZX1.html")
    assert "PDF removed" not in index_rows(out)["2025/organisations/ZX1"][1]


@pytest.mark.browser
def test_a_deleted_file_of_the_image_pack_is_made_again(folder, capsys):
    out = folder[1]
    pack = out / "headlines/2024-25"
    assert rerun(folder, capsys, "--images")[0] == 0
    svg = next((pack / "images").glob("*.svg"))
    (pack / "headline_figures.csv").unlink()
    svg.unlink()
    code, printed = rerun(folder, capsys, "--images")
    assert code == 0 and f"0 built, {N_REPORTS} up to date" in printed
    assert (pack / "headline_figures.csv").exists() and svg.exists()
    assert_index_links_exist(out)
    svg.unlink()
    code, printed = rerun(folder, capsys)
    assert "Removed 1 image pack" in printed
    assert not (pack / "images").exists() and not (pack / "alt_text.md").exists()
    details = index_rows(out)["headlines/2024-25/annual_headlines"][1]
    assert "Image pack removed: some of its files were missing (--images makes it again)" in details
    assert_index_links_exist(out)

"""The formats step D calls after the HTML: which files it writes and the links it returns."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from qio_analysis.batch.formats import build_formats
from qio_analysis.batch.outputs import ItemResult
from qio_analysis.io import load_statistics
from qio_analysis.report.html import export_html
from tests.export.helpers import report_notebook

STATS = Path(__file__).resolve().parents[1] / "data" / "statistics" / "returns.csv"
needs_browser = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(),
    reason="needs Debian chromium (apt-get install -y chromium)",
)


def _result(item: str, kind: str, status: str = "built", **parameters) -> ItemResult:
    return ItemResult(
        item=item,
        kind=kind,
        label=item.rsplit("/", 1)[-1],
        notebook="x.ipynb",
        parameters=parameters,
        status=status,
        output=f"{item}.html",
    )


def _results():
    rows = [
        _result("2025/organisations/ZZA", "organisation", org_code="ZZA", cycle=2025),
        _result("2025/organisations/ZZB", "organisation", "failed", org_code="ZZB", cycle=2025),
        _result("2025/regions/london-validation", "region-validation", region="London", cycle=2025),
        _result("2025/national/validation_review", "national", region=None, cycle=2025),
        _result("2025/national/completeness", "national", cycle=2025),
        _result("headlines/2023-24/annual_headlines", "headlines", year="2023/24"),
    ]
    return {r.item: r for r in rows}


def test_workbooks_for_built_items_only_with_links(london, tmp_path):
    inputs = SimpleNamespace(submissions=london, organisations=None, statistics=None, sources=["f"])
    stale = [tmp_path / "2025/organisations/ZZB.xlsx", tmp_path / "2025/organisations/ZZB.pdf"]
    for path in stale:  # from an earlier run, when ZZB's report still built
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"old")
    done = build_formats(
        tmp_path, _results(), inputs, 2025, xlsx=True, pdf=False, images=False, demo=True
    )
    assert done.errors == []
    assert done.links == {
        "2025/organisations/ZZA": {"xlsx": "2025/organisations/ZZA.xlsx"},
        "2025/regions/london-validation": {"xlsx": "2025/workbooks/london.xlsx"},
        "2025/national/validation_review": {"xlsx": "2025/workbooks/england.xlsx"},
    }
    assert not any(p.exists() for p in stale)  # its report failed: old files removed
    england = openpyxl.load_workbook(tmp_path / "2025/workbooks/england.xlsx")
    assert "Agreement" in england.sheetnames
    assert set(done.seconds) == {"xlsx"}


@needs_browser
def test_pdfs_and_image_pack_are_linked_and_skipped_when_up_to_date(london, tmp_path):
    results = _results()
    for key in ("2025/organisations/ZZA", "headlines/2023-24/annual_headlines"):
        html = tmp_path / results[key].output
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(export_html(report_notebook(london), self_contained=True))
    small = {
        k: results[k] for k in ("2025/organisations/ZZA", "headlines/2023-24/annual_headlines")
    }
    inputs = SimpleNamespace(
        submissions=london, organisations=None, statistics=load_statistics(STATS), sources=["f"]
    )
    done = build_formats(tmp_path, small, inputs, 2025, xlsx=False, pdf=True, demo=False, jobs=1)
    assert done.errors == []
    assert done.links["2025/organisations/ZZA"] == {"pdf": "2025/organisations/ZZA.pdf"}
    heads = done.links["headlines/2023-24/annual_headlines"]
    assert heads["images"] == "headlines/2023-24/images/"
    assert heads["pdf"] == "headlines/2023-24/annual_headlines.pdf"
    folder = tmp_path / "headlines/2023-24"
    assert (folder / "headline_figures.csv").exists() and (folder / "alt_text.md").exists()
    assert len(list((folder / "images").glob("*.png"))) >= 6
    stamp = (tmp_path / "2025/organisations/ZZA.pdf").stat().st_mtime_ns
    again = build_formats(tmp_path, small, inputs, 2025, xlsx=False, pdf=True, demo=False)
    assert again.links == done.links
    assert (tmp_path / "2025/organisations/ZZA.pdf").stat().st_mtime_ns == stamp  # up to date


def test_workbooks_up_to_date_are_linked_not_rebuilt(london, tmp_path):
    inputs = SimpleNamespace(submissions=london, organisations=None, statistics=None, sources=["f"])
    results = {k: v for k, v in _results().items() if k == "2025/organisations/ZZA"}
    html = tmp_path / "2025/organisations/ZZA.html"
    html.parent.mkdir(parents=True)
    html.write_text("<p>report</p>")
    first = build_formats(tmp_path, results, inputs, 2025, xlsx=True, pdf=False, demo=True)
    book = tmp_path / "2025/organisations/ZZA.xlsx"
    stamp = book.stat().st_mtime_ns
    again = build_formats(tmp_path, results, inputs, 2025, xlsx=True, pdf=False, demo=True)
    assert (
        again.links
        == first.links
        == {"2025/organisations/ZZA": {"xlsx": "2025/organisations/ZZA.xlsx"}}
    )
    assert book.stat().st_mtime_ns == stamp
    forced = build_formats(
        tmp_path, results, inputs, 2025, xlsx=True, pdf=False, demo=True, force=True
    )
    assert forced.links == first.links and book.stat().st_mtime_ns != stamp

"""The formats step after the HTML: which files it writes, what it records, and what it removes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from qio_analysis.batch.outputs import ItemResult, Rendering
from qio_analysis.batch.renderings import prune_renderings, update_renderings
from qio_analysis.io import DataChecks, load_statistics
from qio_analysis.io.files import file_digest
from qio_analysis.report.html import export_html
from tests.export.helpers import report_notebook

STATS = Path(__file__).resolve().parents[1] / "data" / "statistics" / "returns.csv"


def _result(item: str, kind: str, status: str = "built", **parameters) -> ItemResult:
    return ItemResult(
        item=item,
        kind=kind,
        label=item.rsplit("/", 1)[-1],
        notebook="x.ipynb",
        parameters=parameters,
        status=status,
        output=f"{item}.html",
        input_hash="inputs-1",
    )


def _links(results):
    return {
        key: {name: r.links for name, r in res.renderings.items()}
        for key, res in results.items()
        if res.renderings
    }


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
    inputs = SimpleNamespace(
        submissions=london, organisations=None, statistics=None, sources=["f"], checks=DataChecks()
    )
    stale = [tmp_path / "2025/organisations/ZZB.xlsx", tmp_path / "2025/organisations/ZZB.pdf"]
    for path in stale:  # from an earlier run, when ZZB's report still built
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"old")
    results = _results()
    done = update_renderings(tmp_path, results, inputs, asked={"xlsx"}, demo=True)
    assert done.errors == []
    assert _links(results) == {
        "2025/organisations/ZZA": {"xlsx": {"Workbook": "2025/organisations/ZZA.xlsx"}},
        "2025/regions/london-validation": {"xlsx": {"Workbook": "2025/workbooks/london.xlsx"}},
        "2025/national/validation_review": {"xlsx": {"Workbook": "2025/workbooks/england.xlsx"}},
    }
    record = results["2025/organisations/ZZA"].renderings["xlsx"]
    assert record.source == "inputs-1" and record.files == ["2025/organisations/ZZA.xlsx"]
    assert not any(p.exists() for p in stale)  # its report failed: old files removed
    assert results["2025/organisations/ZZB"].removed == {}  # the failure says enough
    england = openpyxl.load_workbook(tmp_path / "2025/workbooks/england.xlsx")
    assert "Agreement" in england.sheetnames
    assert set(done.seconds) == {"xlsx"} and done.made == {"xlsx": 3}


@pytest.mark.browser
def test_pdfs_and_image_pack_are_recorded_and_kept_while_they_match(london, tmp_path):
    results = _results()
    for key in ("2025/organisations/ZZA", "headlines/2023-24/annual_headlines"):
        html = tmp_path / results[key].output
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(export_html(report_notebook(london), self_contained=True))
    small = {
        k: results[k] for k in ("2025/organisations/ZZA", "headlines/2023-24/annual_headlines")
    }
    inputs = SimpleNamespace(
        submissions=london,
        organisations=None,
        statistics=load_statistics(STATS),
        sources=["f"],
        statistics_source="statistics.csv",
    )
    done = update_renderings(tmp_path, small, inputs, asked={"pdf", "images"}, demo=False)
    assert done.errors == []
    assert _links(small)["2025/organisations/ZZA"] == {"pdf": {"PDF": "2025/organisations/ZZA.pdf"}}
    heads = small["headlines/2023-24/annual_headlines"].renderings
    assert heads["pdf"].links == {"PDF": "headlines/2023-24/annual_headlines.pdf"}
    assert heads["images"].links == {
        "Images": "headlines/2023-24/images/",
        "Infographic (PDF)": "headlines/2023-24/infographic.pdf",
        "Infographic (SVG)": "headlines/2023-24/infographic.svg",
        "Infographic (PNG, print)": "headlines/2023-24/infographic.png",
        "Infographic (PNG, slide)": "headlines/2023-24/infographic_764x1080.png",
        "Figures (CSV)": "headlines/2023-24/headline_figures.csv",
        "Figures (Excel)": "headlines/2023-24/headline_figures.xlsx",
        "Alt text": "headlines/2023-24/alt_text.md",
    }
    folder = tmp_path / "headlines/2023-24"
    images = sorted(p.name for p in (folder / "images").iterdir())
    assert len([n for n in images if n.endswith(".png")]) >= 6
    assert heads["images"].files[: len(images)] == [f"headlines/2023-24/images/{n}" for n in images]
    html = tmp_path / "2025/organisations/ZZA.html"
    assert small["2025/organisations/ZZA"].renderings["pdf"].source == file_digest(html)
    stamp = (tmp_path / "2025/organisations/ZZA.pdf").stat().st_mtime_ns
    again = update_renderings(tmp_path, small, inputs, asked={"pdf", "images"}, demo=False)
    assert again.made == {} and again.removed == {}
    assert (tmp_path / "2025/organisations/ZZA.pdf").stat().st_mtime_ns == stamp  # up to date
    # One image of the pack deleted by hand: the pack is made again, whole.
    (folder / "images" / images[0]).unlink()
    assert update_renderings(tmp_path, small, inputs, asked={"images"}, demo=False).made == {
        "images": 1
    }
    assert (folder / "images" / images[0]).exists()


def test_a_rendering_that_no_longer_matches_is_made_again_or_removed(london, tmp_path):
    inputs = SimpleNamespace(
        submissions=london, organisations=None, statistics=None, sources=["f"], checks=DataChecks()
    )
    results = {k: v for k, v in _results().items() if k == "2025/organisations/ZZA"}
    html = tmp_path / "2025/organisations/ZZA.html"
    html.parent.mkdir(parents=True)
    html.write_text("<p>report</p>")
    update_renderings(tmp_path, results, inputs, asked={"xlsx"}, demo=True)
    book = tmp_path / "2025/organisations/ZZA.xlsx"
    stamp = book.stat().st_mtime_ns
    # Asked again, nothing changed: kept. Not asked, still matching: kept (and linked).
    for asked in ({"xlsx"}, set()):
        again = update_renderings(tmp_path, results, inputs, asked=asked, demo=True)
        assert again.made == again.removed == {} and book.stat().st_mtime_ns == stamp
    assert _links(results) == {
        "2025/organisations/ZZA": {"xlsx": {"Workbook": "2025/organisations/ZZA.xlsx"}}
    }
    forced = update_renderings(tmp_path, results, inputs, asked={"xlsx"}, demo=True, force=True)
    assert forced.made == {"xlsx": 1} and book.stat().st_mtime_ns != stamp
    # The report was rebuilt from other inputs: asked, the workbook is made again ...
    zza = results["2025/organisations/ZZA"]
    zza.input_hash = "inputs-2"
    assert update_renderings(tmp_path, results, inputs, asked={"xlsx"}, demo=True).made == {
        "xlsx": 1
    }
    assert zza.renderings["xlsx"].source == "inputs-2"
    # ... not asked, it is removed, and the report says why.
    zza.input_hash = "inputs-3"
    gone = update_renderings(tmp_path, results, inputs, asked=set(), demo=True)
    assert gone.removed == {"xlsx": 1} and not book.exists() and "xlsx" not in zza.renderings
    assert zza.removed == {"xlsx": "it showed an older version of the report"}
    # A PDF that nothing recorded (an older version's, or copied in) is not kept either.
    (tmp_path / "2025/organisations/ZZA.pdf").write_bytes(b"%PDF old")
    update_renderings(tmp_path, results, inputs, asked=set(), demo=True)
    assert not (tmp_path / "2025/organisations/ZZA.pdf").exists()
    assert zza.removed["pdf"] == "nothing recorded which version of the report it showed"


def test_a_rendering_whose_report_changed_since_is_never_listed(tmp_path):
    """The last check before the index: a PDF of an older HTML (say, a run stopped mid-print)."""
    res = _result("2025/organisations/ZZA", "organisation", org_code="ZZA", cycle=2025)
    html, pdf = tmp_path / res.output, tmp_path / "2025/organisations/ZZA.pdf"
    html.parent.mkdir(parents=True)
    html.write_text("<p>report, first version</p>")
    pdf.write_bytes(b"%PDF")
    res.renderings["pdf"] = Rendering(file_digest(html), [pdf.relative_to(tmp_path).as_posix()], {})
    assert prune_renderings(tmp_path, res) == 0 and pdf.exists()
    html.write_text("<p>report, second version</p>")
    assert prune_renderings(tmp_path, res) == 1
    assert not pdf.exists() and res.renderings == {}
    assert res.removed == {"pdf": "it showed an older version of the report"}

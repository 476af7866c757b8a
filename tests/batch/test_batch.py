"""qio reports end to end on a handful of organisations, one engineered to fail."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest

from qio_analysis import cli
from qio_analysis.batch import runner
from qio_analysis.batch.items import ReportItem
from tests.conftest import DATA

REPORTS = DATA / "reports"
pytestmark = pytest.mark.slow


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(REPORTS, folder)
    return folder


@pytest.fixture
def with_broken_item(monkeypatch):
    """Add one organisation report whose notebook fails in a cell (no such organisation)."""
    planned = runner.plan_items

    def plan(*args, **kwargs):
        items = planned(*args, **kwargs)
        broken = ReportItem(
            "2025/organisations/ZXBAD",
            "organisation",
            "Broken organisation (ZXBAD)",
            "trust_profile.ipynb",
            {**items[0].parameters, "org_code": "ZXBAD"},
        )
        return [*items, broken]

    monkeypatch.setattr(runner, "plan_items", plan)


def _args(data, out, *extra):
    return [
        "reports",
        "--cycle",
        "2025",
        "--out",
        str(out),
        "--jobs",
        "1",
        "--quiet",
        "--submissions",
        str(data / "submissions.csv"),
        "--statistics",
        str(data / "statistics.csv"),
        "--organisations",
        str(data / "organisations.csv"),
        *extra,
    ]


def _manifest(out):
    return {row["item"]: row for row in json.loads((out / "manifest.json").read_text())["items"]}


def test_batch_isolates_failure_skips_and_forces(data_copy, tmp_path, with_broken_item, capsys):
    out = tmp_path / "out"
    stale = out / "2025" / "organisations" / "ZXBAD.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an old report that must not survive a failure")

    assert cli.main(_args(data_copy, out)) == 1  # non-zero: something failed
    printed = capsys.readouterr()
    assert "10 built, 0 up to date, 1 failed" in printed.out
    assert f"Open the index: {out / 'index.html'}" in printed.out
    assert "FAILED 2025/organisations/ZXBAD: QioConfigError" in printed.err

    first = _manifest(out)
    assert len(first) == 11
    broken = first["2025/organisations/ZXBAD"]
    assert (
        broken["status"] == "failed"
        and "no submissions for organisation 'ZXBAD'" in broken["error"]
    )
    assert not stale.exists()
    executed = nbformat.read(out / broken["debug_notebook"], as_version=4)
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]
    assert errors and errors[0]["ename"] == "QioConfigError"
    assert executed.metadata.papermill.parameters["org_code"] == "ZXBAD"
    assert executed.metadata.papermill.exception is True
    for item, row in first.items():
        if item != "2025/organisations/ZXBAD":
            assert row["status"] == "built", item
            assert (out / row["output"]).exists() and row["input_hash"]
            assert row["duration_s"] > 0
    assert (out / "manifest.csv").read_text().count("\n") == 12  # header + 11 rows
    index = (out / "index.html").read_text()
    assert "11 reports: 10 built, 1 failed" in index
    assert "href='2025/organisations/ZX2.html'" in index
    assert f"href='{broken['debug_notebook']}'" in index
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co (ZX1)" in index
        and "<script>alert" not in index
    )
    assert (out / "assets").glob("plotly-*.min.js")

    # Second run, nothing changed: every good report is skipped; the failure is retried.
    assert cli.main(_args(data_copy, out)) == 1
    second = _manifest(out)
    assert sum(r["status"] == "skipped" for r in second.values()) == 10
    assert second["2025/organisations/ZXBAD"]["status"] == "failed"
    assert (
        second["2025/organisations/ZX1"]["input_hash"]
        == first["2025/organisations/ZX1"]["input_hash"]
    )

    # --force rebuilds everything.
    assert cli.main(_args(data_copy, out, "--force")) == 1
    assert sum(r["status"] == "built" for r in _manifest(out).values()) == 10

    # Changing a data file changes every hash and rebuilds.
    with (data_copy / "statistics.csv").open("a") as handle:
        handle.write("ZXS2,Southholm LKS,ZX3,ZX3,South West,2023/24,1,1900,140,25,50\n")
    assert cli.main(_args(data_copy, out)) == 1
    fourth = _manifest(out)
    assert sum(r["status"] == "built" for r in fourth.values()) == 10
    assert (
        fourth["2025/organisations/ZX1"]["input_hash"]
        != first["2025/organisations/ZX1"]["input_hash"]
    )


def test_reports_content_and_escaping(data_copy, tmp_path):
    out = tmp_path / "out"
    assert cli.main(_args(data_copy, out)) == 0
    html = (out / "2025" / "organisations" / "ZX1.html").read_text()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co: QIOF levels 2025" in html
    assert "Synthetic demo data" not in html  # real (non-demo) paths: no banner
    assert "Harbourside LKS serves this organisation" in html
    assert "Quayview Hospitals NHS Trust" not in html and "ZX2" not in html  # confidentiality
    assert 'src="../../assets/plotly-' in html
    charts = {
        path.relative_to(out).as_posix(): path.read_text().count('class="qio-plot-data"')
        for path in out.rglob("*.html")
        if path.name != "index.html"
    }
    assert charts == {
        "2025/organisations/ZX1.html": 2,
        "2025/organisations/ZX2.html": 2,
        "2025/organisations/ZX3.html": 2,
        "2025/regions/london.html": 3,
        "2025/regions/south-west.html": 3,
        "2025/regions/london-validation.html": 3,
        "2025/regions/south-west-validation.html": 3,
        "2025/national/year_on_year.html": 8,
        "2025/national/validation_review.html": 2,
        "headlines/2024-25/annual_headlines.html": 3,
    }
    for path in out.rglob("*.html"):
        text = path.read_text()
        for ref in re.findall(r"""(?:src|href)=["']([^"'#]+)""", text):
            assert "://" not in ref and not ref.startswith("//"), f"{path}: {ref}"
            assert (path.parent / ref).resolve().is_relative_to(out.resolve()), (
                f"{path}: {ref} leaves the output folder"
            )
            assert (path.parent / ref).exists(), f"{path}: {ref} is missing"

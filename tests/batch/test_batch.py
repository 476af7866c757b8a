"""qio reports end to end on a handful of organisations, one engineered to fail."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from qio_analysis import cli
from qio_analysis.batch import plan
from qio_analysis.batch.plan import ReportItem
from tests.conftest import reports_args

pytestmark = pytest.mark.slow
N_REPORTS = 13


@pytest.fixture
def with_broken_item(monkeypatch):
    """Add one organisation report whose notebook fails in a cell (no such organisation)."""
    planned = plan.plan_items

    def plan_with_broken(*args, **kwargs):
        items = planned(*args, **kwargs)
        broken = ReportItem(
            "2025/organisations/ZXBAD",
            "organisation",
            "Broken organisation (ZXBAD)",
            "trust_profile.ipynb",
            {**items[0].parameters, "org_code": "ZXBAD"},
        )
        return [*items, broken]

    monkeypatch.setattr(plan, "plan_items", plan_with_broken)


def _args(data, out, *extra):
    return reports_args(data, out, *extra)


def _manifest(out):
    return {row["item"]: row for row in json.loads((out / "manifest.json").read_text())["items"]}


def test_batch_isolates_failure_skips_and_forces(reports_data, tmp_path, with_broken_item, capsys):
    out = tmp_path / "out"
    stale = out / "2025" / "organisations" / "ZXBAD.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an old report that must not survive a failure")

    assert cli.main(_args(reports_data, out)) == 1  # non-zero: something failed
    printed = capsys.readouterr()
    assert f"{N_REPORTS} built, 0 up to date, 1 failed" in printed.out
    assert f"Open the index: {out / 'index.html'}" in printed.out
    assert "FAILED 2025/organisations/ZXBAD: QioConfigError" in printed.err

    first = _manifest(out)
    assert len(first) == N_REPORTS + 1
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
    assert (out / "manifest.csv").read_text().count("\n") == N_REPORTS + 2  # header + rows
    index = (out / "index.html").read_text()
    assert f"{N_REPORTS + 1} reports: {N_REPORTS} built, 1 failed" in index
    assert "href='2025/organisations/ZX2.html'" in index
    assert f"href='{broken['debug_notebook']}'" in index
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co (ZX1)" in index
        and "<script>alert" not in index
    )
    assert [p.name for p in (out / "assets").glob("plotly-*.min.js")] != []
    # Each report records the inputs it was built from, as the manifest does.
    zx2 = (out / "2025" / "organisations" / "ZX2.html").read_text()
    recorded = re.search(r'<meta name="qio-input-hash" content="(\w+)">', zx2)
    assert recorded and recorded.group(1) == first["2025/organisations/ZX2"]["input_hash"]
    run = json.loads((out / "manifest.json").read_text())["run"]
    assert run["state"] == "complete" and "Run in progress" not in index

    # Second run, nothing changed: every good report is skipped; the failure is retried.
    assert cli.main(_args(reports_data, out)) == 1
    second = _manifest(out)
    assert sum(r["status"] == "skipped" for r in second.values()) == N_REPORTS
    assert second["2025/organisations/ZXBAD"]["status"] == "failed"
    assert (
        second["2025/organisations/ZX1"]["input_hash"]
        == first["2025/organisations/ZX1"]["input_hash"]
    )

    # --force rebuilds everything.
    assert cli.main(_args(reports_data, out, "--force")) == 1
    forced = _manifest(out)
    assert sum(r["status"] == "built" for r in forced.values()) == N_REPORTS
    assert forced["2025/organisations/ZXBAD"]["status"] == "failed"
    # A change to a data file rebuilds every report: tests/batch/test_rebuild.py.


def test_reports_content_and_escaping(built_reports):
    _, out = built_reports
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
        if path.name not in {"index.html", "data_checks.html"}
    }
    assert charts == {
        "2025/national/completeness.html": 1,
        "2025/organisations/ZX1.html": 2,
        "2025/organisations/ZX2.html": 2,
        "2025/organisations/ZX3.html": 2,
        "2025/regions/london.html": 3,
        "2025/regions/south-west.html": 3,
        "2025/regions/london-validation.html": 3,
        "2025/regions/south-west-validation.html": 3,
        "2025/regions/london-improvement.html": 1,
        "2025/regions/south-west-improvement.html": 1,
        "national/year_on_year.html": 8,
        "2025/national/validation_review.html": 2,
        "headlines/2024-25/annual_headlines.html": 2,  # the tiles are HTML, not a chart
    }
    for path in out.rglob("*.html"):
        text = path.read_text()
        for ref in re.findall(r"""(?:src|href)=["']([^"'#]+)""", text):
            assert "://" not in ref and not ref.startswith("//"), f"{path}: {ref}"
            assert (path.parent / ref).resolve().is_relative_to(out.resolve()), (
                f"{path}: {ref} leaves the output folder"
            )
            assert (path.parent / ref).exists(), f"{path}: {ref} is missing"


@pytest.mark.browser  # --pdf starts the printer's Chromium while the reports build
def test_other_formats_are_built_once_after_the_html_and_linked(
    reports_data, tmp_path, monkeypatch, capsys
):
    """The formats step runs once, after the HTML, with what was asked; its records reach the index."""
    from qio_analysis.batch import renderings
    from qio_analysis.batch.outputs import Rendering
    from qio_analysis.io.files import file_digest

    calls = []

    def fake_update(out_dir, results, inputs, *, asked, selected, outcome, **kw):
        calls.append((sorted(results), sorted(asked), sorted(selected)))
        assert all((out_dir / r.output).exists() for r in results.values())  # HTML first
        pdf = "2025/organisations/ZX1.pdf"
        (out_dir / pdf).write_bytes(b"%PDF")
        html = out_dir / results["2025/organisations/ZX1"].output
        record = Rendering(file_digest(html), [pdf], {"PDF": pdf})
        results["2025/organisations/ZX1"].renderings["pdf"] = record
        outcome.errors.append("2025/organisations/ZX1 workbook: disk on fire")
        return outcome

    monkeypatch.setattr(renderings, "check_formats", lambda **kw: None)
    monkeypatch.setattr(renderings, "update_renderings", fake_update)
    out = tmp_path / "out"
    assert cli.main(_args(reports_data, out, "--org", "ZX1", "--pdf")) == 1
    assert calls == [(["2025/organisations/ZX1"], ["pdf"], ["2025/organisations/ZX1"])]
    assert "FAILED 2025/organisations/ZX1 workbook: disk on fire" in capsys.readouterr().err
    record = _manifest(out)["2025/organisations/ZX1"]["renderings"]["pdf"]
    assert record == {
        "source": file_digest(out / "2025/organisations/ZX1.html"),
        "files": [pdf := "2025/organisations/ZX1.pdf"],
        "links": {"PDF": pdf},
    }
    assert f"<a href='{pdf}'>PDF</a>" in (out / "index.html").read_text()


def test_errors_report_builds_from_the_valid_rows_and_says_so(reports_data, tmp_path):
    path = reports_data / "submissions.csv"
    lines = path.read_text().splitlines()
    assert lines[3].startswith("ZX2,") and ",2023," in lines[3]
    lines[3] = lines[3].replace(
        "ZX2,Quayview Hospitals NHS Trust,London,2023,2,",
        "ZX2,Quayview Hospitals NHS Trust,London,2023,9,",
    )
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    assert cli.main(_args(reports_data, out, "--org", "ZX1")) == 2  # errors=raise: nothing built
    assert not (out / "2025").exists()
    assert cli.main(_args(reports_data, out, "--org", "ZX1", "--errors", "report")) == 0
    index = (out / "index.html").read_text()
    assert "Built with --errors report." in index
    assert index.count("href='data_checks.html'") == 2
    checks = (out / "data_checks.html").read_text()
    assert "submissions.csv" in checks
    assert _manifest(out)["2025/organisations/ZX1"]["parameters"]["errors"] == "report"


def test_a_piped_run_logs_one_line_per_stage(reports_data, tmp_path, monkeypatch, capsys):
    """Piped (no terminal), as a scheduled job runs it: no progress bars, a few lines.

    In process, stderr is pytest's capture, not a terminal, as a pipe is not; one
    organisation, with its workbook, gives every stage a line."""
    monkeypatch.delenv("CI", raising=False)
    args = _args(reports_data, tmp_path / "out", "--xlsx", "--org", "ZX1")
    assert cli.main([a for a in args if a != "--quiet"]) == 0
    printed = capsys.readouterr()
    log = (printed.out + printed.err).splitlines()
    assert "\r" not in printed.out + printed.err  # no bar redrawn into the log
    assert [line.split(":")[0] for line in log[:3]] == ["Data", "Reports", "Workbooks"]
    assert re.fullmatch(r"Reports: 1 built, 0 failed, 0 up to date \(\d+\.\d s\)", log[1])
    assert re.fullmatch(r"Workbooks: 1 written \(\d+\.\d s\)", log[2])
    assert log[3].startswith("1 built, 0 up to date, 0 failed in ")
    assert log[4].startswith("Open the index: ") and len(log) == 5

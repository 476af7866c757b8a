"""Manifest, index and the plain-sentence errors of the output folder (no notebooks run)."""

from __future__ import annotations

import csv
import errno
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from qio_analysis import cli
from qio_analysis.batch.index import IndexPage, render_index
from qio_analysis.batch.outputs import (
    ItemResult,
    Rendering,
    describe_os_error,
    read_manifest,
    write_manifest,
)
from qio_analysis.batch.render import suppressed_groups
from tests.conftest import reports_args


def _result(item, status="built", **kw):
    return ItemResult(
        item=item,
        kind=kw.pop("kind", "organisation"),
        label=kw.pop("label", item.rsplit("/", 1)[-1]),
        notebook="trust_profile.ipynb",
        parameters={},
        status=status,
        output=f"{item}.html",
        **kw,
    )


def _rows(page_html):
    """(label, linked?, status) for every report row of the index."""
    return [
        (label, href != "", status)
        for href, label, status in re.findall(
            r"<tr id='[^']*'><td>(?:<a href='([^']*)'>)?([^<]*)(?:</a>)?</td><td[^>]*>([^<]*)</td>",
            page_html,
        )
    ]


def test_index_marks_every_status_and_the_run_state():
    results = {
        r.item: r
        for r in [
            _result("2025/organisations/A1"),
            _result("2025/organisations/A2", "skipped"),
            _result("2025/organisations/A3", "stale", error="built from older inputs"),
            _result("2025/organisations/A4", "not built"),
            _result("2025/organisations/A5", "failed", error="boom"),
        ]
    }
    page = render_index(results, IndexPage(version="9", demo=False, state="interrupted"))
    assert _rows(page) == [
        ("A1", True, "Built"),
        ("A2", True, "Up to date"),
        ("A3", True, "Out of date"),
        ("A4", False, "Not built yet"),
        ("A5", False, "Failed"),
    ]
    assert "data-state='interrupted'" in page and "Run interrupted." in page
    assert "5 reports: 1 built, 1 up to date, 1 failed, 1 out of date, 1 not built yet" in page
    complete = render_index(results, IndexPage(version="9", demo=False))
    assert "data-state" not in complete and "Synthetic demo data" not in complete


def test_index_links_other_formats_suppressions_checks_and_empty_regions():
    built = _result(
        "2025/organisations/A1",
        extra={"suppressed": [{"group": "<b>Small ICS</b>", "n": 3, "reason": "fewer than 5"}]},
        renderings={
            "xlsx": Rendering(
                "h", ["2025/organisations/A1.xlsx"], {"Workbook": "2025/organisations/A1.xlsx"}
            ),
            "pdf": Rendering(
                "h", ["2025/organisations/A1.pdf"], {"PDF": "2025/organisations/A1.pdf"}
            ),
        },
    )
    failed = _result(
        "2025/organisations/A2",
        "failed",
        renderings={"pdf": Rendering("h", ["old.pdf"], {"PDF": "old.pdf"})},
    )
    page = render_index(
        {built.item: built, failed.item: failed},
        IndexPage(
            version="9",
            demo=True,
            data_checks=True,
            errors_report=True,
            empty_regions=["North West", "Midlands"],
            cycle=2025,
        ),
    )
    assert (
        "<a href='2025/organisations/A1.pdf'>PDF</a> · "
        "<a href='2025/organisations/A1.xlsx'>Workbook</a>" in page
    )
    assert "old.pdf" not in page  # no links to other formats of a failed report
    assert "Suppressed (small numbers): &lt;b&gt;Small ICS&lt;/b&gt; (fewer than 5)" in page
    assert ">3<" not in page  # the size of a suppressed group is not shown
    assert page.count("href='data_checks.html'") == 2  # the link and the --errors report banner
    assert "Built with --errors report." in page
    assert "Regions with no submissions in 2025 (no reports): North West, Midlands." in page
    assert "Synthetic demo data." in page


def test_year_on_year_has_its_own_section_after_the_cycles():
    results = {
        r.item: r
        for r in [
            _result("national/year_on_year", kind="national"),
            _result("2025/national/validation_review", kind="national"),
            _result("headlines/2024-25/annual_headlines", kind="headlines"),
        ]
    }
    page = render_index(results, IndexPage(version="9", demo=False))
    headings = re.findall(r"<h2>([^<]*)</h2>", page)
    assert headings == ["QIOF cycle 2025", "Across cycles", "Headlines"]


def test_manifest_round_trip_keeps_the_run_state_and_the_records(tmp_path):
    results = {
        "a": _result(
            "a",
            extra={"suppressed": [{"group": "g", "n": 2, "reason": "r"}]},
            inputs={"data": "d1", "notebook": "n1"},
            renderings={"pdf": Rendering("s1", ["a.pdf"], {"PDF": "a.pdf"})},
            removed={"xlsx": "it showed an older version of the report"},
            duration_s=1.5,
        )
    }
    json_path, csv_path = write_manifest(tmp_path, results, run={"state": "interrupted"})
    assert read_manifest(json_path) == results
    assert '"state": "interrupted"' in json_path.read_text()
    (row,) = csv.DictReader(csv_path.read_text().splitlines())
    assert row["suppressed"] == "1" and row["formats"] == "pdf" and row["duration_s"] == "1.5"
    assert row["removed"] == "xlsx: it showed an older version of the report"


def test_os_errors_become_one_sentence_naming_the_folder():
    folder = Path("/reports/out")
    assert (
        describe_os_error(OSError(errno.ENOSPC, "No space left on device"), folder)
        == "Cannot write to the output folder /reports/out: the disk is full."
    )
    assert describe_os_error(PermissionError(errno.EACCES, "Permission denied"), folder).endswith(
        "you do not have permission to write there."
    )


def test_suppressed_groups_are_collected_from_output_metadata():
    cells = [
        new_code_cell(
            "x",
            outputs=[
                new_output("display_data", data={"text/html": "<p>a</p>"}, metadata={}),
                new_output(
                    "display_data",
                    data={"text/plain": ""},
                    metadata={"qio": {"suppressed": [{"group": "ICS 1", "n": 2, "reason": "r"}]}},
                ),
            ],
        ),
        new_code_cell("y", outputs=[new_output("stream", name="stdout", text="hi")]),
        new_code_cell(
            "z",
            outputs=[
                new_output(
                    "display_data",
                    data={"text/plain": ""},
                    metadata={"qio": {"suppressed": [{"group": "London", "n": 4, "reason": "r"}]}},
                )
            ],
        ),
    ]
    nb = nbformat.from_dict(new_notebook(cells=cells))
    assert [g["group"] for g in suppressed_groups(nb)] == ["ICS 1", "London"]


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_a_data_error_says_how_to_use_errors_report(reports_data, tmp_path, capsys):
    path = reports_data / "submissions.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(",2 High,", ",7 Enormous,")
    path.write_text("\n".join(lines) + "\n")
    assert cli.main(reports_args(reports_data, tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "7 Enormous" in err
    assert (
        err.rstrip()
        .splitlines()[-1]
        .startswith(
            "qio: to build the reports from the valid rows only, run again with --errors report"
        )
    )
    assert "Traceback" not in err


def test_index_shows_when_built_and_why_files_are_gone_not_durations():
    built = _result(
        "2025/organisations/A1",
        finished="2025-11-03T14:05:09",
        duration_s=12.5,
        removed={"pdf": "it showed an older version of the report"},
    )
    stale = _result(
        "2025/organisations/A2",
        "stale",
        finished="2025-10-01T09:00:00",
        error="Built before the data changed; not rebuilt in this run.",
        removed={"xlsx": "it showed an older version of the report"},
    )
    gone = _result(
        "2025/organisations/A3",
        "withdrawn",
        finished="2025-10-01T09:00:00",
        error="No longer in the data; its report and other files were removed.",
    )
    page = render_index(
        {r.item: r for r in (built, stale, gone)}, IndexPage(version="9", demo=False)
    )
    assert "Time (s)" not in page and "12.5" not in page
    headers = re.findall(r"<th scope='col'>([^<]*)</th>", page)
    assert headers == ["Report", "Status", "Built", "Details"]
    assert _rows(page) == [
        ("A1", True, "Built"),
        ("A2", True, "Out of date"),
        ("A3", False, "Withdrawn"),
    ]
    assert "<td class='when'>03 Nov 2025 14:05</td>" in page
    assert (
        "<td class='when'></td><td>No longer in the data;" in page
    )  # no date for a removed report
    # A current report says how to get its PDF back; an out-of-date one just loses it.
    assert "PDF removed: it showed an older version of the report (--pdf makes it again)" in page
    assert "Workbook removed: it showed an older version of the report<" in page
    assert "Some reports are out of date." in page
    assert "3 reports: 1 built, 1 out of date, 1 withdrawn." in page


def test_progress_is_lines_in_a_log_or_under_ci_and_bars_only_on_a_terminal(monkeypatch, capsys):
    from qio_analysis.batch import progress

    class Terminal:
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress.sys, "stderr", Terminal())
    assert progress.progress_style(True) == "bars"
    assert progress.progress_style(False) == "off"
    monkeypatch.setenv("CI", "true")
    assert progress.progress_style(True) == "lines"
    with progress.stage("Reports", 3, unit="report", style="lines") as bar:
        for _ in range(3):
            bar.advance()
        bar.summary = "3 built, 0 failed"
    assert re.fullmatch(r"Reports: 3 built, 0 failed \(\d+\.\d s\)\n", capsys.readouterr().out)
    with (
        pytest.raises(KeyboardInterrupt),
        progress.stage("PDFs", 5, unit="file", style="lines") as bar,
    ):
        bar.advance()
        raise KeyboardInterrupt
    assert re.fullmatch(r"PDFs: 1 done \(\d+\.\d s, interrupted\)\n", capsys.readouterr().out)

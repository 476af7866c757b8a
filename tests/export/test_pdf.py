"""PDFs printed by the system chromium: page count, text, header/footer and a look at the page."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from qio_analysis.batch.renderings import check_formats
from qio_analysis.config import chromium_path
from qio_analysis.errors import QioConfigError
from qio_analysis.export.browser import BrowserSession, shared_browser
from qio_analysis.export.pdf import (
    PrintJob,
    footer_template,
    header_template,
    print_pdfs,
)
from qio_analysis.report.html import export_html
from tests import pdf_checks
from tests.export.helpers import report_notebook
from tests.waiting import wait_for

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_missing_chromium_fails_at_the_start_with_an_install_message(monkeypatch):
    monkeypatch.setenv("QIO_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(QioConfigError, match="apt-get install -y chromium"):
        chromium_path()
    with pytest.raises(QioConfigError):
        check_formats(pdf=True, xlsx=True)
    check_formats(pdf=False, xlsx=True)  # workbooks need no browser


def test_running_header_escapes_names():
    job = PrintJob(Path("a.html"), Path("a.pdf"), "<b>Evil</b> & Co", "QIOF 2025")
    text = header_template(job)
    assert "<b>Evil" not in text and "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in text


def test_running_header_and_footer_cut_a_very_long_name_to_one_line():
    # A 300-character name from data used to run off the page, pushing the cycle and
    # "Page N of M" out of sight. 89 characters are kept, then an ellipsis.
    name = "<i>" + "L" * 297
    job = PrintJob(Path("a.html"), Path("a.pdf"), name, "QIOF 2025")
    kept = "&lt;i&gt;" + "L" * 86 + "\u2026"
    for text in (header_template(job), footer_template(job)):
        assert kept in text and "L" * 87 not in text and "<i>" not in text
        assert "white-space:nowrap" in text
    assert "QIOF 2025" in header_template(job)
    assert 'class="pageNumber"' in footer_template(job)


def test_running_header_in_the_page_margins_is_a_css_string_cut_to_one_line():
    from qio_analysis.export.pdf import page_style

    name = '<i>"' + "L" * 296 + "\\"
    style = page_style(PrintJob(Path("a.html"), Path("a.pdf"), name, "QIOF 2025"))
    # 89 characters are kept, <i>" and 85 Ls (the quote escaped as \22), then an ellipsis:
    # nothing can end the string early or start a new rule.
    kept = '"<i>\\22 ' + "L" * 85 + '\u2026"'
    assert style.count(kept) == 2  # header and footer
    assert "L" * 86 not in style and "\\5c" not in style
    assert 'content:"QIOF 2025"' in style
    assert 'content:"Page " counter(page) " of " counter(pages)' in style


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


@pytest.mark.browser
def test_reports_print_to_a4_with_levels_as_text(london, tmp_path):
    jobs = []
    for code in ("ZZA", "ZZB"):
        html = tmp_path / f"{code}.html"
        html.write_text(export_html(report_notebook(london, code), self_contained=True))
        jobs.append(
            PrintJob(html, tmp_path / f"{code}.pdf", f"Org {code[-1]} ({code})", "QIOF 2025")
        )
    results = print_pdfs(jobs, concurrency=2, timeout_s=60)
    assert results == {job.pdf: None for job in jobs}
    pdf = tmp_path / "ZZA.pdf"
    assert _pages(pdf) == 1
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "A4" in size
    text = _text(pdf)
    assert "Org A: QIOF levels 2025" in text
    assert "Org A (ZZA)" in text and "QIOF 2025" in text  # running header
    assert "Page 1 of 1" in text  # running footer
    # The radar's description and data, expanded on paper (its words may wrap across lines).
    assert "Level 2 (Medium)" in " ".join(text.split())
    assert "Data behind this chart" in text
    assert "Access" in text  # chart text is real text, not an image
    assert "Download plot" not in text  # no modebar
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    assert png.returncode == 0
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "page-1.png", ARTIFACTS / "export_pdf_page1.png")


@pytest.mark.browser
def test_pdf_is_tagged_with_outline_language_title_and_the_chart_as_a_figure(london, tmp_path):
    from pypdf import PdfReader

    nb = report_notebook(london, "ZZA")
    html = tmp_path / "ZZA.html"
    html.write_text(export_html(nb, self_contained=True))
    pdf_path = tmp_path / "ZZA.pdf"
    assert print_pdfs([PrintJob(html, pdf_path, "Org A (ZZA)", "QIOF 2025")]) == {pdf_path: None}
    alt = next(
        o["data"]["application/vnd.plotly.v1+json"]["layout"]["meta"]["alt_text"]
        for o in nb.cells[0].outputs
        if "application/vnd.plotly.v1+json" in o["data"]
    )
    reader = PdfReader(pdf_path)
    root = reader.trailer["/Root"]
    assert pdf_checks.is_true(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert pdf_checks.is_true(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Org A: QIOF levels 2025"
    assert pdf_checks.outline_titles(reader) == ["Org A: QIOF levels 2025"]
    elements = pdf_checks.structure(reader)
    assert [e["/S"] for e in elements].count("/H1") == 1
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [f["/Alt"] for f in figures] == [alt]  # the radar, described; nothing untitled
    assert "Radar chart" in alt and "Org A" in alt
    # The data behind the chart is a real table: a header row of 3 cells and 6 outcomes.
    tables = [e for e in elements if e["/S"] == "/Table"]
    assert len(tables) == 1
    rows = [e for e in pdf_checks.structure_below(tables[0]) if e["/S"] == "/TR"]
    cells = [[c["/S"] for c in pdf_checks.kids(row)] for row in rows]
    assert cells == [["/TH"] * 3] + [["/TD"] * 3] * 6
    fonts = pdf_checks.fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts), fonts


@pytest.mark.browser
def test_pdfs_pass_the_machine_checkable_pdf_ua_rules(london, tmp_path):
    """The rules the pdfua package checks; see docs/accessibility.md for the rest."""
    html = tmp_path / "ZZA.html"
    html.write_text(export_html(report_notebook(london, "ZZA"), self_contained=True))
    pdf = tmp_path / "ZZA.pdf"
    assert print_pdfs([PrintJob(html, pdf, "<b>Org A</b> (ZZA)", "QIOF 2025")]) == {pdf: None}
    assert pdf_checks.ua_problems(pdf) == []


@pytest.mark.browser
def test_swapping_reports_into_one_tab_prints_what_loading_each_page_prints(london, tmp_path):
    jobs = {}
    for code in ("ZZA", "ZZB"):
        html = tmp_path / f"{code}.html"
        html.write_text(export_html(report_notebook(london, code), self_contained=True))
        for method in ("swap", "navigate"):
            jobs.setdefault(method, []).append(
                PrintJob(html, tmp_path / f"{code}.{method}.pdf", f"Org ({code})", "QIOF 2025")
            )
    for method, method_jobs in jobs.items():
        results = print_pdfs(method_jobs, concurrency=1, method=method)
        assert set(results.values()) == {None}, results
    for code in ("ZZA", "ZZB"):
        swapped, loaded = tmp_path / f"{code}.swap.pdf", tmp_path / f"{code}.navigate.pdf"
        assert _pages(swapped) == _pages(loaded) == 1
        # The same words in the same order (the header's spacing differs: page-margin boxes
        # here, header templates there); B's report shows nothing of A's.
        assert _text(swapped).split() == _text(loaded).split()


@pytest.mark.browser
def test_printer_takes_jobs_while_it_prints(london, tmp_path):
    """The pipeline's API: jobs handed over from another thread as their HTML is written."""
    import threading
    import time

    from qio_analysis.export.pdf import PdfPrinter

    done: list[str] = []
    printer = PdfPrinter(
        tmp_path, concurrency=2, on_done=lambda job, error: done.append(job.header_left)
    )

    def write_and_submit() -> None:
        for code in ("ZZA", "ZZB", "ZZA"):
            html = tmp_path / f"{code}-{len(done)}-{time.monotonic_ns()}.html"
            html.write_text(export_html(report_notebook(london, code), self_contained=True))
            printer.submit(PrintJob(html, html.with_suffix(".pdf"), html.stem))
            time.sleep(0.3)

    with printer:
        feeder = threading.Thread(target=write_and_submit)
        feeder.start()
        feeder.join()
    assert len(printer.results) == 3 and set(printer.results.values()) == {None}
    assert sorted(done) == sorted(p.stem for p in printer.results)
    for pdf in printer.results:
        assert _pages(pdf) == 1


@pytest.mark.browser
def test_a_failing_caller_stops_the_printer_and_its_browser_at_once(london, tmp_path):
    import psutil

    from qio_analysis.export.pdf import PdfPrinter

    def browsers() -> set[psutil.Process]:
        return {p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()}

    html = tmp_path / "ZZA.html"
    html.write_text(export_html(report_notebook(london, "ZZA"), self_contained=True))
    already = browsers()  # the worker's shared browser, which this printer does not use
    printer = PdfPrinter(tmp_path, concurrency=1)
    with shared_browser(None), pytest.raises(RuntimeError, match="caller failed"), printer:
        for n in range(20):
            printer.submit(PrintJob(html, tmp_path / f"{n}.pdf", "Org A"))
        wait_for(lambda: browsers() - already, timeout=60, what="the printer's own browser")
        raise RuntimeError("caller failed")
    assert len(printer.results) < 20  # the rest were dropped, not printed
    assert psutil.wait_procs(browsers() - already, timeout=10)[1] == []


@pytest.mark.browser
def test_a_broken_report_is_reported_not_fatal(london, tmp_path):
    good = tmp_path / "good.html"
    good.write_text(export_html(report_notebook(london), self_contained=True))
    jobs = [
        PrintJob(good, tmp_path / "good.pdf", "Good"),
        PrintJob(tmp_path / "missing.html", tmp_path / "missing.pdf", "Missing"),
    ]
    results = print_pdfs(jobs, concurrency=2, timeout_s=20)
    assert results[tmp_path / "good.pdf"] is None
    assert results[tmp_path / "missing.pdf"]
    assert not (tmp_path / "missing.pdf").exists()


def test_qio_reports_pdf_without_chromium_stops_before_any_report(
    monkeypatch, reports_data, tmp_path, capsys
):
    from qio_analysis.cli import main
    from tests.conftest import reports_args

    monkeypatch.setenv("QIO_CHROMIUM", "/nonexistent/chromium")
    out = tmp_path / "out"
    assert main(reports_args(reports_data, out, "--org", "ZX2", "--pdf")) == 2
    assert "apt-get install -y chromium" in capsys.readouterr().err
    assert not list(out.rglob("*.html"))


@pytest.mark.browser
def test_page_budget_prints_tighter_and_counts_pages_right(tmp_path):
    from qio_analysis.export.pdf import pdf_page_count

    body = "".join(f"<p>Paragraph {i}: {'words ' * 40}</p>" for i in range(60))
    html = tmp_path / "long.html"
    html.write_text(
        f"<!DOCTYPE html><html><body><main class='qio-report'>{body}</main></body></html>"
    )
    loose, tight = tmp_path / "loose.pdf", tmp_path / "tight.pdf"
    results = print_pdfs(
        [PrintJob(html, loose, "Long"), PrintJob(html, tight, "Long", max_pages=1)],
        concurrency=1,
    )
    assert set(results.values()) == {None}
    assert pdf_page_count(loose.read_bytes()) == _pages(loose) > 1
    assert pdf_page_count(tight.read_bytes()) == _pages(tight) < _pages(loose)


def test_report_server_serves_only_its_folder_under_its_secret(tmp_path):
    import urllib.error
    import urllib.request

    from qio_analysis.export.serve import ReportServer

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("hello")
    (tmp_path / "secret.txt").write_text("outside")
    with ReportServer(tmp_path / "site") as server:
        url = server.url(tmp_path / "site" / "a.html")
        assert url.startswith("http://127.0.0.1:") and url.endswith("/a.html")
        with urllib.request.urlopen(url) as response:
            assert response.read() == b"hello"
        assert server.url(tmp_path / "secret.txt") is None
        origin = url.split("/", 3)
        guesses = [
            f"{origin[0]}//{origin[2]}/a.html",  # without the secret prefix
            server.base + "../secret.txt",
            server.base,  # a folder listing
        ]
        for guess in guesses:
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(guess)
        forged = urllib.request.Request(url, headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(forged)


#: A 1x1 white PNG: the report's own file, which must load.
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
)


@pytest.mark.browser
@pytest.mark.parametrize("browser", ["shared", "own"])
def test_printing_loads_nothing_but_the_reports_own_files_and_runs_no_report_script(
    tmp_path, browser, worker_browser
):
    """Offline: the report's own image loads; other hosts, IPs and loopback ports never do,
    whether the browser is shared (the proxy set on the printer's context) or its own
    (set at launch)."""
    import http.server
    import threading

    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    port = other.server_address[1]
    (tmp_path / "own.png").write_bytes(_PNG)
    (tmp_path / "t.html").write_text(
        f"""<!DOCTYPE html><html lang="en-GB"><head><title>t</title>
<style>body{{background:url(http://127.0.0.1:{port}/css.png)}}</style></head><body>
<p id="o">No script ran.</p>
<img src="own.png" alt="" width="60" height="60"
 onload="document.getElementById('o').textContent = 'A HANDLER RAN'">
<img src="http://127.0.0.1:{port}/ip.png" alt=""><img src="http://localhost:{port}/host.png" alt="">
<img src="http://93.184.215.14/far.png" alt=""><img src="http://example.com/name.png" alt="">
<script>document.getElementById('o').textContent = 'A SCRIPT RAN';
new Image().src = 'http://127.0.0.1:{port}/script.png';</script></body></html>"""
    )
    job = PrintJob(tmp_path / "t.html", tmp_path / "t.pdf", "t")
    try:
        with shared_browser(worker_browser if browser == "shared" else None):
            result = print_pdfs([job], concurrency=1)
    finally:
        other.shutdown()
        other.server_close()
    assert result == {tmp_path / "t.pdf": None}
    text = _text(tmp_path / "t.pdf")
    assert "No script ran." in text and "RAN" not in text
    assert hits == []
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "t.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(images) == 1  # own.png, and nothing else


@pytest.mark.browser
def test_printers_in_a_shared_session_use_one_browser_and_fresh_contexts(london, tmp_path):
    """Two runs and an image pack in one session: one browser launch, each run's PDFs right,
    and nothing of one run (its server, its cache) seen by the next."""
    import qio_analysis as qa
    from qio_analysis.export.images import credits_for, pack_files, render_files
    from qio_analysis.metrics.headline_pack import headline_pack

    html = tmp_path / "ZZA.html"
    html.write_text(export_html(report_notebook(london, "ZZA"), self_contained=True))
    with BrowserSession() as session, shared_browser(session):
        for run in ("first", "second"):
            pdf = tmp_path / f"{run}.pdf"
            assert print_pdfs([PrintJob(html, pdf, f"Org A {run}", "QIOF 2025")]) == {pdf: None}
            assert f"Org A {run}" in _text(pdf) and "Org A: QIOF levels 2025" in _text(pdf)
        pack = headline_pack(qa.load_statistics(qa.config.DEMO_STATISTICS))
        files = [f for f in pack_files(pack, credits_for(pack, [], demo=True)) if f.kind == "pdf"]
        drawn = render_files(files, chromium_path())
        assert drawn["infographic.pdf"].startswith(b"%PDF")
        assert session.launches == 1
        contexts = session.run(_contexts(session))
    assert contexts == 0  # each printer and pack closed its own
    assert session.launches == 1


async def _contexts(session: BrowserSession) -> int:
    return len((await session.browser()).contexts)

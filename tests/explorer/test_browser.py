"""``qio explore`` in a real browser: Voila on localhost, Debian chromium through Playwright.

One server (one preheated kernel) serves every test in this module; every wait is bounded.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, launch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 120_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    qio = Path(sys.executable).parent / "qio"
    process = subprocess.Popen(
        [str(qio), "explore", "--port", str(port), "--pool-size", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first_line = process.stdout.readline()
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "voila/static/voila.js", timeout=2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.5)
    else:
        pytest.fail("qio explore did not start within 90 s")
    yield url, first_line
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = launch(p)
        yield instance
        instance.close()


def open_page(browser, url: str, origin: str):
    """A page with console errors and off-origin requests recorded."""
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.errors, page.external = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            page.external.append(r.url)
            if not r.url.startswith((origin, origin.replace("http", "ws"), "data:", "blob:"))
            else None
        ),
    )
    page.goto(url, timeout=WAIT_MS, wait_until="commit")
    page.wait_for_selector(".qio-explorer svg.main-svg", timeout=WAIT_MS)
    return page


def control(page, label: str):
    return page.locator(".widget-dropdown", has=page.locator("label", has_text=label)).locator(
        "select"
    )


def chart_text(page) -> str:
    return page.evaluate(
        "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
        ".map(s => s.textContent).join(' ')"
    )


def test_explorer_follows_the_region_dropdown(server, browser):
    url, first_line = server
    assert first_line.startswith("QIOF explorer: http://localhost:")
    origin = url.rstrip("/")
    page = open_page(browser, url, origin)
    table = page.locator(".qio-explorer .qio-table")
    page.wait_for_function(
        "() => document.querySelector('.qio-explorer .qio-table')", timeout=WAIT_MS
    )
    assert "London" in table.inner_text() and "Midlands" in table.inner_text()
    control(page, "Region").select_option(label="Midlands")
    page.wait_for_function(
        "() => { const t = document.querySelector('.qio-explorer .qio-table');"
        " return t && !t.innerText.includes('London') && t.innerText.includes('Midlands'); }",
        timeout=WAIT_MS,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
        ".some(s => s.textContent.includes('Midlands'))",
        timeout=WAIT_MS,
    )
    rows = table.locator("tbody tr")
    regions = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-midlands.png"), full_page=True)
    assert regions == {"Midlands", "England"}
    assert "London" not in chart_text(page)
    assert page.errors == [], page.errors
    assert page.external == [], page.external


def test_a_link_opens_the_same_view_and_the_url_follows_the_controls(server, browser):
    url, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=heatmap&cycle=2023&region=London&outcome=3", origin)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
        ".some(s => s.textContent.includes('2023'))",
        timeout=WAIT_MS,
    )
    assert control(page, "Region").input_value() == control(page, "Region").locator(
        "option", has_text="London"
    ).get_attribute("value")
    assert control(page, "Cycle").locator("option:checked").inner_text() == "2023"
    assert control(page, "Outcome").locator("option:checked").inner_text().startswith("3.")
    pressed = page.locator(".qio-explorer .widget-toggle-buttons .mod-active").inner_text()
    assert "Organisations" in pressed
    control(page, "Outcome").select_option(index=2)  # "2. ..."
    page.wait_for_function("() => location.search.includes('outcome=2')", timeout=WAIT_MS)
    assert "view=heatmap" in page.url and "region=London" in page.url and "cycle=2023" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-link.png"), full_page=False)
    assert page.external == [], page.external


def test_no_share_button_and_no_modebar_button_leaves_the_machine(server, browser):
    url, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=staffing&org=ZA07", origin)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
        ".some(s => s.textContent.includes('Staff ratio'))",
        timeout=WAIT_MS,
    )
    plot = page.locator(".qio-explorer .js-plotly-plot").first
    plot.hover()
    buttons = page.locator(".qio-explorer .modebar-btn")
    titles = [buttons.nth(i).get_attribute("data-title") or "" for i in range(buttons.count())]
    assert titles, "the chart has a modebar"
    assert not any("share" in t.lower() or "cloud" in t.lower() for t in titles), titles
    assert page.locator("a[href*='plotly.com'], a[href*='chart-studio']").count() == 0
    for i in range(buttons.count()):
        plot.hover()
        buttons.nth(i).click(force=True, timeout=10_000)
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)
    assert page.external == [], page.external


def test_organisation_search_picks_the_single_match_on_enter(server, browser):
    url, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=radar", origin)
    page.wait_for_function(
        "() => document.querySelector('.qio-explorer .qio-message')", timeout=WAIT_MS
    )
    box = page.locator(".qio-explorer .widget-text input[list]")
    box.fill("za07")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('org=ZA07')", timeout=WAIT_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
        ".some(s => s.textContent.includes('Claybridge'))",
        timeout=WAIT_MS,
    )
    assert "(ZA07)" in box.input_value()
    box.fill("No such trust anywhere")
    box.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer .qio-message')]"
        ".some(m => m.innerText.includes('No organisation matches'))",
        timeout=WAIT_MS,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
        ".some(s => s.textContent.includes('Choose an organisation'))",
        timeout=WAIT_MS,
    )
    assert "Claybridge" not in chart_text(page)  # never the previous organisation's chart
    page.wait_for_function("() => !location.search.includes('org=')", timeout=WAIT_MS)
    assert page.external == [], page.external

"""``qio explore`` in a real browser: Voila on localhost, Debian chromium through Playwright."""

from __future__ import annotations

import os
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server():
    port = free_port()
    qio = Path(sys.executable).parent / "qio"
    process = subprocess.Popen(
        [str(qio), "explore", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.5)
    else:
        pytest.fail("qio explore did not start within 60 s")
    yield url, process
    os.kill(process.pid, signal.SIGTERM)  # qio explore execs Voila: this PID is the server
    process.wait(timeout=30)


def test_explorer_follows_the_region_dropdown(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    url, process = server
    first_line = process.stdout.readline()
    assert first_line.startswith("QIOF explorer: http://localhost:")
    ARTIFACTS.mkdir(exist_ok=True)
    errors, external = [], []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "request",
            lambda r: (
                external.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                else None
            ),
        )
        page.goto(url, timeout=120_000)
        page.wait_for_selector(".qio-explorer svg.main-svg", timeout=120_000)
        region = page.locator(
            ".widget-dropdown", has=page.locator("label", has_text="Region")
        ).locator("select")
        table = page.locator(".qio-explorer .qio-table")
        assert "London" in table.inner_text() and "Midlands" in table.inner_text()
        region.select_option(label="Midlands")
        page.wait_for_function(
            "() => { const t = document.querySelector('.qio-explorer .qio-table');"
            " return t && !t.innerText.includes('London') && t.innerText.includes('Midlands'); }",
            timeout=30_000,
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
            ".some(s => s.textContent.includes('Midlands'))",
            timeout=30_000,
        )
        chart_text = page.evaluate(
            "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')].map(s => s.textContent).join(' ')"
        )
        rows = table.locator("tbody tr")
        regions = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
        page.screenshot(path=str(ARTIFACTS / "explorer-midlands.png"), full_page=True)
        browser.close()
    assert regions == {"Midlands", "England"}
    assert "Midlands" in chart_text and "London" not in chart_text
    assert errors == [], errors
    assert external == [], external

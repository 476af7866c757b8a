"""No stranded tab: a page that connects late still gets its kernel, and a page whose
kernel is gone says so with a reload button.

One ``qio explore`` for the module, with its timers shortened: a page has
``CONNECT_WAIT`` seconds from the hand-out of its kernel to connect (330 s by default).
The old rule shut a never-connected kernel down a fixed time after the culler first
noticed it; ``OLD_LIMIT`` stands for that time here, and a held page connects after it.
"""

from __future__ import annotations

import time

import pytest

from tests.browser import launch
from tests.explorer import serving
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONNECT_WAIT = 25.0  # long enough for a loaded machine to draw a page that connects late
OLD_LIMIT = 3.0
WAIT_MS = 120_000


@pytest.fixture(scope="module")
def server():
    process, port = serving.start(
        "--pool-size", "1", "--connect-wait", str(CONNECT_WAIT), "--close-grace", "2"
    )
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        serving.stop(process)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = launch(p)
        yield instance
        instance.close()


def open_held(browser, url: str, hold: float):
    """A page whose ``voila.js`` (the script that connects to the kernel) is held back
    ``hold`` seconds after the page's kernel was handed out (the page's first answer)."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    held = []
    page.route("**/voila/static/voila.js", lambda route: held.append(route))
    page.goto(url, timeout=WAIT_MS, wait_until="commit")
    handed_out = time.monotonic()

    def asked() -> bool:
        page.wait_for_timeout(100)  # keeps the browser's events flowing
        return bool(held)

    def held_long_enough() -> bool:
        page.wait_for_timeout(100)
        return time.monotonic() - handed_out >= hold

    wait_for(asked, 60, "the page to ask for voila.js")
    wait_for(held_long_enough, hold + 30, "the hold to pass")
    held[0].continue_()
    page.unroute("**/voila/static/voila.js")  # a reload is not held
    return page, handed_out


def test_a_page_that_connects_after_the_old_limit_still_draws(server, browser):
    url, _ = server
    page, handed_out = open_held(browser, url, hold=OLD_LIMIT + 3)
    page.wait_for_selector(".qio-explorer svg.main-svg", timeout=WAIT_MS)
    assert time.monotonic() - handed_out > OLD_LIMIT + 3
    assert page.locator(".qio-kernel-gone").count() == 0
    page.close(run_before_unload=True)


def test_a_page_whose_kernel_is_gone_says_so_with_a_reload_button(server, browser):
    url, process = server
    page, _ = open_held(browser, url, hold=CONNECT_WAIT + 10)  # the culler looks every 8 s
    notice = page.wait_for_selector(".qio-kernel-gone", timeout=WAIT_MS)
    assert notice.get_attribute("role") == "alert"
    assert "lost its connection" in notice.inner_text()
    assert "no page connected" in serving.output(process)
    button = page.locator(".qio-kernel-gone button")
    assert button.inner_text() == "Reload the page"
    button.click()  # a new visit, a new kernel: the explorer draws and the notice is gone
    page.wait_for_selector(".qio-explorer svg.main-svg", timeout=WAIT_MS)
    assert page.locator(".qio-kernel-gone").count() == 0
    page.close(run_before_unload=True)


def test_a_page_whose_widgets_never_arrived_says_so_with_a_reload_button(server, browser):
    """The widget manager writes "Error displaying widget" for good when it could not fetch a
    widget in time (seen on busy machines); the page says so instead of leaving it there."""
    url, _ = server
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    held = []
    page.route("**/voila/static/voila.js", lambda route: held.append(route))
    page.goto(url + "?view=heatmap", timeout=WAIT_MS, wait_until="commit")
    page.wait_for_selector("#rendered_cells", state="attached", timeout=WAIT_MS)
    assert page.locator(".qio-kernel-gone").count() == 0
    page.evaluate(
        """() => { const node = document.createElement('div');
                   node.className = 'jupyter-widgets';
                   node.textContent = 'Error displaying widget: model not found';
                   document.querySelector('#rendered_cells').appendChild(node); }"""
    )
    notice = page.wait_for_selector(".qio-kernel-gone", timeout=WAIT_MS)
    assert notice.get_attribute("role") == "alert"
    assert "did not load on this page" in notice.inner_text()
    assert page.locator(".qio-kernel-gone button").inner_text() == "Reload the page"
    for route in held:  # the held script is let go before its route is removed
        route.abort()
    page.unroute("**/voila/static/voila.js")
    page.close(run_before_unload=True)

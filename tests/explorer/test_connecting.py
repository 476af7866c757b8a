"""No stranded tab: a page that connects late still gets its kernel, and a page whose
kernel is gone says so with a reload button.

One ``qio explore`` for the module, with its timers shortened: a page has
``CONNECT_WAIT`` seconds from the hand-out of its kernel to connect (330 s by default).
The old rule shut a never-connected kernel down a fixed time after the culler first
noticed it; ``OLD_LIMIT`` stands for that time here, and a held page connects after it.
The page whose kernel goes has a server of its own with a shorter wait
(``SHORT_CONNECT_WAIT``), and is held until that server says it shut the kernel down.
One Chromium for the module; each test opens its pages in fresh contexts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.browser import FreshContexts, chromium_session
from tests.explorer import serving
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONNECT_WAIT = 25.0  # long enough for a loaded machine to draw a page that connects late
#: The wait of the server whose page does not connect in time: still long enough for the
#: reloaded page to connect, short enough that its culler looks every 2 s.
SHORT_CONNECT_WAIT = 8.0
OLD_LIMIT = 3.0
WAIT_MS = 120_000
GONE = "no page connected"


@pytest.fixture(scope="module")
def server():
    with serving.running(
        "--pool-size", "1", "--connect-wait", str(CONNECT_WAIT), "--close-grace", "2"
    ) as served:
        yield served


@pytest.fixture
def short_wait_server():
    """A server of the test's own, whose only page that never connects is the test's
    (two preheated kernels: one for the page, one for its reload)."""
    with serving.running(
        "--pool-size", "2", "--connect-wait", str(SHORT_CONNECT_WAIT), "--close-grace", "2"
    ) as served:
        yield served


@pytest.fixture(scope="module")
def chromium():
    with chromium_session() as instance:
        yield instance


@pytest.fixture
def browser(chromium):
    """The test's pages, each in a new context of the module's Chromium, closed after the test."""
    contexts = FreshContexts(chromium)
    yield contexts
    contexts.close()


def open_held(browser, url: str, hold: float, until: Callable[[], bool] = lambda: True):
    """A page whose ``voila.js`` (the script that connects to the kernel) is held back
    ``hold`` seconds after the page's kernel was handed out (the page's first answer),
    and until ``until()`` is true."""
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
        return time.monotonic() - handed_out >= hold and until()

    wait_for(asked, 60, "the page to ask for voila.js")
    wait_for(held_long_enough, hold + 60, "the hold to pass")
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


def test_a_page_whose_kernel_is_gone_says_so_with_a_reload_button(short_wait_server, browser):
    url, process = short_wait_server
    page, handed_out = open_held(
        browser, url, hold=SHORT_CONNECT_WAIT, until=lambda: GONE in serving.output(process)
    )
    assert time.monotonic() - handed_out >= SHORT_CONNECT_WAIT
    notice = page.wait_for_selector(".qio-kernel-gone", timeout=WAIT_MS)
    assert notice.get_attribute("role") == "alert"
    assert "lost its connection" in notice.inner_text()
    assert serving.output(process).count(GONE) == 1  # the page's kernel, not the pool's
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

"""``qio explore`` in a real browser: Voila on localhost, Debian chromium through Playwright.

One server serves every test in this module, with two preheated kernels (the next test's
page finds one ready while the last one's is replaced); every wait is bounded. One Chromium
too: each test opens its pages in fresh contexts.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly
import pytest

from tests.browser import ARTIFACTS, FreshContexts, chromium_session
from tests.explorer import serving
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 120_000


@pytest.fixture(scope="module")
def server():
    with serving.running("--pool-size", "2") as (url, process):
        yield url, serving.line_starting(process, "QIOF explorer:"), process


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for the module; each test opens its pages in fresh contexts."""
    with chromium_session() as instance:
        yield instance


@pytest.fixture
def browser(chromium):
    """The test's pages, each in a new context of the module's Chromium, closed after the test."""
    contexts = FreshContexts(chromium)
    yield contexts
    contexts.close()


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


def text_of(page, selector: str) -> str:
    """The text of every element matching ``selector`` in the explorer, joined."""
    return page.evaluate(
        "(s) => [...document.querySelectorAll('.qio-explorer ' + s)]"
        ".map(e => e.textContent).join(' ')",
        selector,
    )


def chart_text(page) -> str:
    return text_of(page, "svg.main-svg")


def wait_for_chart(page, text: str) -> None:
    """Wait until a drawn chart shows ``text``."""
    page.wait_for_function(
        "(t) => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
        ".some(s => s.textContent.includes(t))",
        arg=text,
        timeout=WAIT_MS,
    )


def test_explorer_follows_the_region_dropdown(server, browser):
    url, first_line, _ = server
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
    wait_for_chart(page, "Midlands")
    rows = table.locator("tbody tr")
    regions = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-midlands.png"), full_page=True)
    assert regions == {"Midlands", "England"}
    assert "London" not in chart_text(page)
    assert page.errors == [], page.errors
    assert page.external == [], page.external


def test_a_link_opens_the_same_view_and_the_url_follows_the_controls(server, browser):
    url, _, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=heatmap&cycle=2023&region=London&outcome=3", origin)
    wait_for_chart(page, "2023")
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
    url, _, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=staffing&org=ZA07", origin)
    wait_for_chart(page, "Staff ratio")
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
    page.wait_for_load_state("networkidle", timeout=WAIT_MS)  # any request a click made is done
    assert page.external == [], page.external


def test_plotly_is_compiled_only_once_the_explorer_is_on_the_page(server, browser):
    """Compiling plotly.js while the page fetched its widgets made that fetch slow enough
    for some visits to show "model not found" instead of the explorer."""
    url, _, _ = server
    page = browser.new_page()
    # Note, as plotly.js's <script> is added, whether the explorer is already on the page.
    page.add_init_script(
        """new MutationObserver((records, observer) => {
             for (const record of records) {
               for (const node of record.addedNodes) {
                 if (node.tagName === 'SCRIPT' && (node.src || '').includes('/qio/plotly-')) {
                   window.qioPlotlyAfterExplorer = !!document.querySelector('.qio-explorer');
                   observer.disconnect();
                 }
               }
             }
           }).observe(document, {subtree: true, childList: true});"""
    )
    page.goto(url, timeout=WAIT_MS, wait_until="commit")
    page.wait_for_selector(".qio-explorer svg.main-svg", timeout=WAIT_MS)
    assert page.evaluate("() => window.qioPlotlyAfterExplorer") is True
    assert "model not found" not in page.inner_text("body")
    page.close(run_before_unload=True)


def test_a_chart_library_that_fails_to_load_is_tried_twice_then_named(server, browser):
    url, _, _ = server
    page = browser.new_page()
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    # The head's preload and the page's own tries ask for the same versioned file; the
    # page's tries are the <script> elements it adds.
    page.route(re.compile(r".*/qio/plotly(-[^/]+)?\.min\.js$"), refuse)
    page.add_init_script(
        """window.qioPlotlyTries = [];
           new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(node => {
             if (node.tagName === 'SCRIPT' && /plotly/.test(node.src || '')) {
               window.qioPlotlyTries.push(node.src);
             }
           }))).observe(document, {subtree: true, childList: true});"""
    )
    page.goto(url, timeout=WAIT_MS, wait_until="commit")
    note = page.wait_for_selector(".qio-explorer .qio-chart-failed", timeout=WAIT_MS)
    assert "could not be drawn" in note.inner_text() and note.get_attribute("role") == "alert"
    control(page, "Region").select_option(label="Midlands")  # a later change asks no more
    page.wait_for_function(
        "() => { const t = document.querySelector('.qio-explorer .qio-table');"
        " return t && !t.innerText.includes('London'); }",
        timeout=WAIT_MS,
    )
    tries = page.evaluate("() => window.qioPlotlyTries")
    assert len(tries) == 2 and all(f"/qio/plotly-{plotly.__version__}.min.js" in t for t in tries)
    assert set(refused) == set(tries) and len(refused) >= 2, refused  # every try was refused
    assert page.locator(".qio-explorer .qio-chart-failed").count() == 1
    page.close(run_before_unload=True)


def test_organisation_search_picks_the_single_match_on_enter(server, browser):
    url, _, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=radar", origin)
    page.wait_for_function(
        "() => document.querySelector('.qio-explorer .qio-message')", timeout=WAIT_MS
    )
    box = page.locator(".qio-explorer .widget-text input[list]")
    box.fill("za07")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('org=ZA07')", timeout=WAIT_MS)
    wait_for_chart(page, "Claybridge")
    assert "(ZA07)" in box.input_value()
    box.fill("No such trust anywhere")
    box.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer .qio-message')]"
        ".some(m => m.innerText.includes('No organisation matches'))",
        timeout=WAIT_MS,
    )
    wait_for_chart(page, "Choose an organisation")
    assert "Claybridge" not in chart_text(page)  # never the previous organisation's chart
    page.wait_for_function("() => !location.search.includes('org=')", timeout=WAIT_MS)
    assert page.external == [], page.external


#: Notes where the first-view picture is each time the page changes: on the page, then in the chart.
PICTURE_PLACES = """new MutationObserver(() => {
  const picture = document.querySelector('.qio-first-view');
  const places = window.qioPicturePlaces = window.qioPicturePlaces || [];
  const place = !picture ? null : picture.closest('.qio-explorer .qio-chart') ? 'chart' : 'page';
  if (place && places[places.length - 1] !== place) { places.push(place); }
}).observe(document, {subtree: true, childList: true});"""


def test_the_first_answer_holds_a_picture_of_the_default_view_until_the_live_chart_draws(
    server, browser
):
    url, _, process = server
    wait_for(lambda: "First view ready" in serving.output(process), 180, "the first-view picture")
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.add_init_script(PICTURE_PLACES)
    answers = []
    page.on("response", lambda r: answers.append(r) if r.url.split("?")[0] == url else None)
    page.goto(url, timeout=WAIT_MS, wait_until="commit")
    page.wait_for_selector(".qio-explorer .qio-plot svg.main-svg", timeout=WAIT_MS)
    page.wait_for_function("() => !document.querySelector('.qio-first-view')", timeout=WAIT_MS)
    first = answers[0].text()
    found = re.search(
        r'<figure class="qio-first-view"[^>]*>.*?<img src="data:image/svg\+xml;base64,[^"]{1000,}" '
        r'alt="([^"]+)"',
        first,
    )
    assert found, "the first answer holds the picture"
    assert first.index('<figure class="qio-first-view"') < first.index('id="rendered_cells"')
    live = page.locator(".qio-explorer .qio-plot").get_attribute("aria-label")
    assert html.unescape(found.group(1)) == live  # same title and alt text as the live chart
    assert page.evaluate("() => window.qioPicturePlaces") == ["page", "chart"]
    page.close(run_before_unload=True)
    link = browser.new_page()
    link.on("response", lambda r: answers.append(r) if r.url.split("?")[0] == url else None)
    link.goto(url + "?view=radar&org=ZA07", timeout=WAIT_MS, wait_until="commit")
    wait_for_chart(link, "Claybridge")
    assert '<figure class="qio-first-view"' not in answers[-1].text()  # a link: another view
    link.close(run_before_unload=True)


# ----------------------------------------------------------------- links, downloads, saved views


def test_a_hostile_link_gives_a_chart_and_a_short_clean_message(server, browser):
    url, _, _ = server
    origin = url.rstrip("/")
    hostile = (
        "?view=heatmap&region=%E2%80%AE%3Cimg%20src%3Dx%3E"
        + "&org="
        + "Z" * 5_000
        + "&sort=level" * 200
        + "&cycle=%E2%81%A6"
        + "9" * 300
    )
    page = open_page(browser, url + hostile, origin)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.qio-explorer .qio-message')]"
        ".some(m => m.textContent.includes('This link asked for'))",
        timeout=WAIT_MS,
    )
    text = text_of(page, ".qio-message")
    assert len(text) < 600, len(text)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b\x00-\x1f]", text)
    assert page.locator(".qio-explorer .qio-message img").count() == 0
    assert "Only its first 2,000 characters were read." in text
    assert page.locator(".qio-explorer svg.main-svg").count() > 0
    assert page.external == [], page.external


def test_one_click_downloads_the_table(server, browser, tmp_path):
    url, _, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=heatmap&region=London", origin)
    page.wait_for_function("() => location.search.includes('region=London')", timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as download:
        page.locator(".qio-explorer button", has_text="Table (CSV)").click()
    assert download.value.suggested_filename == "qio-heatmap-london-2025.csv"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    table = pd.read_csv(path)
    assert table.columns[0] == "Organisation" and len(table) > 0
    assert "<NA>" not in path.read_text(encoding="utf-8")
    assert page.external == [], page.external


def test_a_saved_view_opens_offline_with_its_chart_drawn(server, browser, tmp_path):
    url, _, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=staffing&org=ZA07", origin)
    wait_for_chart(page, "Staff ratio")
    with page.expect_download(timeout=WAIT_MS) as download:
        page.locator(".qio-explorer button", has_text="Save this view").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("qio-staffing-claybridge-")
    html = saved.read_text(encoding="utf-8")
    assert len(html) < 300_000, len(html)  # no plotly.js inside: the chart is its drawing
    assert "<script" not in html and "Content-Security-Policy" in html
    assert "Similar services: the " in html and "Made at " in html
    offline = browser.new_context(offline=True).new_page()
    requests = []
    offline.on("request", lambda r: requests.append(r.url))
    offline.goto(saved.as_uri())
    drawn = offline.evaluate(
        "() => { const i = document.querySelector('figure img'); return i.complete && i.naturalWidth; }"
    )
    assert drawn and drawn > 500
    assert requests == [saved.as_uri()], requests
    ARTIFACTS.mkdir(exist_ok=True)
    offline.screenshot(path=str(ARTIFACTS / "explorer-saved-view.png"), full_page=True)


# ----------------------------------------------------------------- accessibility


VIEW_BUTTONS = {
    "distribution": "Levels by region",
    "heatmap": "Organisations",
    "radar": "One organisation",
    "transitions": "Transitions",
    "agreement": "Validation agreement",
    "staffing": "Staffing",
    "activity": "Activity",
}


def test_every_view_has_no_serious_axe_violations(server, browser):
    from axe_playwright_python.sync_playwright import Axe

    from qio_analysis.explorer.views import VIEWS

    assert set(VIEW_BUTTONS) == set(VIEWS)
    url, _, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?org=ZA07&compare=2021", origin)
    found = {}
    for view, label in VIEW_BUTTONS.items():
        before = chart_text(page)
        page.locator(".qio-explorer .widget-toggle-button", has_text=label).click()
        if view != "distribution":
            page.wait_for_function(
                f"() => location.search.includes('view={view}')", timeout=WAIT_MS
            )
            page.wait_for_function(
                "(before) => { const t = [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
                ".map(s => s.textContent).join(' '); return t && t !== before; }",
                arg=before,
                timeout=WAIT_MS,
            )
        results = Axe().run(page)
        found[view] = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
            for v in results.response["violations"]
        ]
    serious = {
        view: [v for v in violations if v[1] in ("serious", "critical")]
        for view, violations in found.items()
    }
    assert all(not v for v in serious.values()), serious


def test_keyboard_focus_is_visible_and_follows_the_layout(server, browser):
    url, _, _ = server
    origin = url.rstrip("/")
    page = open_page(browser, url + "?view=heatmap", origin)
    page.wait_for_function("() => location.search.includes('view=heatmap')", timeout=WAIT_MS)
    page.locator(".qio-explorer .widget-toggle-button").first.focus()
    seen = []
    for _ in range(24):
        seen.append(
            page.evaluate(
                """() => {
                  const e = document.activeElement, s = getComputedStyle(e);
                  const box = e.closest('.widget-dropdown, .widget-text');
                  const label = box && box.querySelector('label');
                  return {
                    name: (label ? label.textContent : (e.getAttribute('aria-label') || e.textContent || '')).trim(),
                    ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                  };
                }"""
            )
        )
        page.keyboard.press("Tab")
    names = [s["name"] for s in seen]
    assert all(s["ring"] for s in seen), [s for s in seen if not s["ring"]]
    expected = [
        *VIEW_BUTTONS.values(),
        "Cycle",
        "Compare with",
        "Region",
        "Organisation type",
        "Outcome",
        "Assessment",
        "Sort by",
        "What the six outcomes mean",
    ]
    positions = [next(i for i, n in enumerate(names) if n.startswith(e)) for e in expected]
    assert positions == sorted(positions), names
    assert names.index("Chart") > names.index("What the six outcomes mean"), names

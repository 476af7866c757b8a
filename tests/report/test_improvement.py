"""The improvement report's tables: escaped, whole without scripts, sortable and filterable with them."""

from __future__ import annotations

import re

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from qio_analysis import metrics as m
from qio_analysis.report.html import export_html
from qio_analysis.report.improvement import improvement_table, organisation_movement_table
from tests.browser import ARTIFACTS, launch
from tests.metrics.helpers import subs

EVIL = "<script>alert(1)</script> & Co"


@pytest.fixture
def rows():
    data = []
    # ZZA: outcome 1 rises 1 -> 3 by 2025; ZZB: outcome 1 falls 3 -> 2; ZZC is new in 2025.
    for org, levels in (
        ("A", [(1, None), (2, None), (3, "Low")]),
        ("B", [(3, None), (3, None), (2, None)]),
    ):
        for cycle, (level, sub) in zip((2021, 2023, 2025), levels, strict=True):
            data.append((org, "London", cycle, 1, "validated", level, sub))
    data.append(("C", "London", 2025, 1, "validated", 2, None))
    frame = subs(data)
    frame = frame.assign(org_name=frame.org_name.where(frame.org_code != "ZZA", EVIL))
    return m.improvement(frame)


def test_table_is_escaped_whole_and_marked(rows):
    html = improvement_table(rows)
    assert (
        "<script>alert" not in html
        and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co (ZZA)" in html
    )
    assert html.count("<tr data-search=") == len(rows) == 18  # 3 organisations x 6 outcomes
    # Each table's filters are a search landmark named after the table, so two never clash.
    assert re.search(
        r'class="qio-table-controls" role="search" aria-label="Filter the table: [^"]+" hidden',
        html,
    )
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
    assert headers == [
        "Organisation",
        "Outcome",
        "Level 2021",
        "Level 2023",
        "Level 2025",
        "Movement since the 2021 baseline",
        "Movement since 2023",
    ]
    # ZZA outcome 1: up two levels since 2021, up one since 2023; ZZC did not take part in 2021.
    assert '<td data-sort="3">Level 3 (Low)</td><td data-sort="2">up two levels</td>' in html
    assert '<td data-sort="">not taking part in 2021</td>' in html
    summary = organisation_movement_table(m.improvement_summary(rows), 2021, 2023)
    assert (
        "up on 1 of 1 comparable outcome" in summary
        and "down on 1 of 1 comparable outcome" in summary
    )


def _page(rows, tmp_path):
    cells = [
        new_code_cell(
            "show_html(...)",
            outputs=[
                new_output("display_data", data={"text/html": "<h1>Who improved</h1>"}),
                new_output("display_data", data={"text/html": improvement_table(rows)}),
            ],
        )
    ]
    path = tmp_path / "improvement.html"
    path.write_text(export_html(new_notebook(cells=cells)))
    return path


def test_only_pages_with_such_a_table_get_the_script(rows, tmp_path):
    script = 'document.querySelectorAll("[data-qio-table]")'
    cell = new_code_cell("x", outputs=[new_output("display_data", data={"text/html": "<p>x</p>"})])
    assert script not in export_html(new_notebook(cells=[cell]))
    assert _page(rows, tmp_path).read_text().count(script) == 1


@pytest.mark.browser
def test_sort_and_filter_in_chromium_by_keyboard(rows, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    path = _page(rows, tmp_path)
    errors, requests = [], []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(offline=True).new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        status = page.locator(".qio-table-count")
        assert page.locator(".qio-table-controls").is_visible()
        assert status.inner_text() == "Showing all 18 rows."
        page.select_option("#improvement-table-outcome", "1")
        assert status.inner_text() == "Showing 3 of 18 rows."
        page.select_option("#improvement-table-moved", "up")
        assert status.inner_text() == "Showing 1 of 18 rows."
        assert "(ZZA)" in page.locator("tbody tr:not([hidden])").inner_text()
        page.select_option("#improvement-table-moved", "")
        page.fill("#improvement-table-search", "zzb")
        assert status.inner_text() == "Showing 1 of 18 rows."  # outcome 1 is still chosen
        page.fill("#improvement-table-search", "")
        # Sort by movement since the baseline with the keyboard: Tab to the button, press Enter.
        button = page.get_by_role("button", name="Movement since the 2021 baseline")
        button.focus()
        page.keyboard.press("Enter")
        header = page.locator("th", has=button)
        assert header.get_attribute("aria-sort") == "ascending"
        visible = page.locator("tbody tr:not([hidden])")
        assert [visible.nth(i).locator("td").nth(5).inner_text() for i in range(3)] == [
            "down one level",
            "up two levels",
            "not compared: not taking part in 2021",  # nothing to compare sorts last either way
        ]
        page.keyboard.press("Enter")
        assert header.get_attribute("aria-sort") == "descending"
        assert visible.nth(0).locator("td").nth(5).inner_text() == "up two levels"
        assert "Sorted by Movement since the 2021 baseline, descending." in status.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "improvement_table.png"), full_page=True)
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests)


@pytest.mark.browser
def test_without_scripts_the_whole_table_shows(rows, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    path = _page(rows, tmp_path)
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(offline=True, java_script_enabled=False).new_page()
        page.goto(path.as_uri())
        assert not page.locator(".qio-table-controls").is_visible()
        assert page.locator("tbody tr").count() == 18
        assert page.locator("tbody tr:visible").count() == 18
        assert page.locator("button.qio-sort").count() == 0
        browser.close()


def test_a_region_taken_from_a_larger_table_keeps_its_own_rows(rows):
    # Rows picked out of a bigger table keep their index labels; cells follow positions.
    later = rows.iloc[6:]
    html = improvement_table(later)
    assert html.count("<tr data-search=") == 12 and "(ZZA)" not in html
    assert '<td data-sort="2">Level 2</td><td data-sort="-1">down one level</td>' in html

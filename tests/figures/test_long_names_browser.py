"""Long organisation names stay inside their charts, drawn by plotly.js in a real browser."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs

import qio_analysis as qa
from qio_analysis.figures.template import plotly_config
from qio_analysis.schemas import submissions_table
from tests.browser import launch

pytestmark = pytest.mark.browser

LONG = (
    "The Royal Wolverhampton and Walsall Healthcare Teaching Hospitals, Community, Mental "
    "Health and Learning Disability Services Partnership, NHS Foundation Trust of the West Side and Districts."
)

#: Every text plotly draws: axis labels, panel titles, annotations, legend entries.
LABELS = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .annotation-text, .legendtext"


def _subs() -> pd.DataFrame:
    rows = []
    for code, name, levels in (("ZA01", LONG, (1, 3)), ("ZA02", "Brook NHS Trust", (2, 2))):
        for cycle, level in zip((2021, 2025), levels, strict=True):
            for outcome in range(1, 7):
                for assessment in ("self", "validated"):
                    rows.append(
                        {
                            "org_code": code,
                            "org_name": name,
                            "region": "London",
                            "cycle": cycle,
                            "outcome": outcome,
                            "assessment": assessment,
                            "level": level + (1 if assessment == "self" and outcome == 2 else 0),
                            "sublevel": None,
                        }
                    )
    return submissions_table(pd.DataFrame(rows))


def _outside(page, fig) -> list[str]:
    spec = json.loads(pio.to_json(fig, validate=False))
    page.set_content("<html><body><div id='c' style='width:900px'></div></body></html>")
    page.add_script_tag(content=get_plotlyjs())
    page.evaluate(
        "async ([data, layout, config]) => { await Plotly.newPlot('c', data, layout, config); }",
        [spec["data"], spec["layout"], plotly_config()],
    )
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector('#c .main-svg').getBoundingClientRect();
            return [...document.querySelectorAll('#c ' + selector)]
                .filter(t => t.textContent.trim())
                .filter(t => {
                    const r = t.getBoundingClientRect();
                    return r.left < box.left - 0.5 || r.right > box.right + 0.5
                        || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
                })
                .map(t => t.textContent);
        }""",
        LABELS,
    )


def test_every_label_stays_inside_its_chart_with_a_190_character_name():
    from playwright.sync_api import sync_playwright

    assert len(LONG) == 190
    subs = _subs()
    improvement = qa.fig_improvement(qa.improvement(subs), where="London")
    heatmap = qa.fig_heatmap(qa.paired_levels(subs, 2025))
    # The full name is in each chart's data table; the chart shows it shortened.
    assert any(LONG in str(v) for v in qa.figure_table(improvement).iloc[:, 0])
    assert any(LONG in str(v) for v in qa.figure_table(heatmap).iloc[:, 0])
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            for fig in (improvement, heatmap):
                assert _outside(page, fig) == []
                ticks = page.evaluate(
                    "() => [...document.querySelectorAll('#c .ytick text')].map(t => t.textContent)"
                )
                assert any(t.startswith("The Royal Wolverhampton") and "(ZA01)" in t for t in ticks)
                assert any("Brook NHS Trust (ZB02)" in t or "(ZA02)" in t for t in ticks)
        finally:
            browser.close()

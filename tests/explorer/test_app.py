"""The explorer, driven through its controls as an analyst would."""

from __future__ import annotations

import base64
import io
import json
import re

import pandas as pd
import pytest

import qio_analysis.explorer as ex
import qio_analysis.explorer.app as app
import qio_analysis.explorer.server as server
import qio_analysis.figures.template
from qio_analysis.errors import QioConfigError
from tests.metrics.helpers import both, subs

N = (None, None)


@pytest.fixture
def shown(monkeypatch):
    """What the explorer displays in its chart area (no kernel needed)."""
    bundles = []
    monkeypatch.setattr(app, "display", lambda obj, **kw: bundles.append(obj))
    return bundles


@pytest.fixture
def data():
    rows = []
    for org, region in (("A", "London"), ("B", "London"), ("C", "Midlands")):
        for n in range(1, 7):
            rows += both(org, region, 2023, n, (1, None), (1, None))
            rows += both(org, region, 2025, n, (3, None), (2, "High") if org == "B" else (3, None))
    rows += [r for n in range(1, 7) for r in both("D", "South West", 2023, n, (2, None), (2, None))]
    return subs(rows)


@pytest.fixture
def explorer(data, shown):
    return ex.LevelExplorer(data)


def test_starts_on_the_latest_cycle_distribution(explorer, shown):
    assert explorer.cycle.value == 2025
    assert [t.name for t in explorer.figure.data] == [f"Level {lv}" for lv in range(5)]
    assert len(explorer.table) == 6 * 3 * 5  # outcomes x (London, Midlands, England) x levels
    assert "application/vnd.plotly.v1+json" in shown[-1]
    assert "<table" in explorer.table_view.value
    assert explorer.last_update_s > 0


def test_region_and_outcome_filter_the_chart_and_table(explorer):
    explorer.region.value = "London"
    assert set(explorer.table["region"]) == {"London", "England"}
    explorer.outcome.value = 2
    table = explorer.table
    assert set(table["outcome"]) == {2}
    london = table[(table.region == "London")].set_index("level")["organisations"]
    assert london["Level 3"] == 1 and london["Level 2"] == 1  # ZZA at 3, ZZB at 2 (High)
    assert len(explorer.figure.data[3].x) == 2


def test_both_assessments_and_comparison_cycle(explorer):
    explorer.region.value = "London"
    explorer.assessment.value = "both"
    assert set(explorer.table["assessment"]) == {"self", "validated"}
    explorer.assessment.value = "validated"
    explorer.compare.value = 2023
    assert set(explorer.table["cycle"]) == {2023, 2025}


def test_heatmap_lists_the_region_organisations(explorer):
    explorer.view.value = "heatmap"
    explorer.region.value = "London"
    assert sorted(name[-4:-1] for name in explorer.table["Organisation"]) == ["ZZA", "ZZB"]
    assert explorer.figure.data[0].type == "heatmap"


def test_radar_needs_and_uses_the_organisation_search(explorer):
    explorer.view.value = "radar"
    assert "Type an organisation" in explorer.message.value
    assert not explorer.organisation.disabled and explorer.region.disabled
    assert "Org B (ZZB)" in explorer.organisation.options
    explorer.organisation.value = "Org B (ZZB)"
    assert explorer.figure.data[0].type == "scatterpolar"
    assert explorer.table["Validated 2025"].tolist() == ["Level 2 (High)"] * 6
    explorer.cycle.value = 2023
    explorer.organisation.value = "Org D (ZZD)"
    explorer.cycle.value = 2025
    assert "ZZD has no submission for 2025" in explorer.message.value


def test_transitions_and_agreement(explorer):
    explorer.view.value = "transitions"
    assert explorer.figure.data[0].name == "Improved"
    assert "Choose one outcome" in explorer.message.value
    explorer.outcome.value = 1
    assert explorer.figure.data[0].type == "sankey"
    explorer.view.value = "agreement"
    explorer.outcome.value = 0
    table = explorer.table.set_index("")
    assert table.loc["Self-evaluated 3", "Validated 2"] == 6  # ZZB, all six outcomes lowered
    assert table.loc["Self-evaluated 3", "Validated 3"] == 12


def test_empty_selection_shows_a_message_not_a_blank_chart(explorer):
    explorer.region.value = "Midlands"
    explorer.cycle.value = 2023
    explorer.region.value = "South West"
    explorer.cycle.value = 2025
    assert "No organisation in South West has submissions for 2025" in explorer.message.value
    assert "No organisation in South West" in explorer.figure.layout.annotations[0].text
    assert len(explorer.figure.data) == 0


def test_downloads(explorer, monkeypatch):
    explorer.region.value = "London"
    explorer._download_csv()
    encoded = re.search(r"base64,([^\"]+)", explorer.downloads.value).group(1)
    table = pd.read_csv(io.BytesIO(base64.b64decode(encoded)))  # a plain table, header first
    assert len(table) == len(explorer.table) and set(table["Region"]) == {"London", "England"}
    assert 'download="qio-distribution-london-2025.csv"' in explorer.downloads.value
    explorer._download_xlsx()
    encoded = re.search(r"base64,([^\"]+)", explorer.downloads.value).group(1)
    book = pd.read_excel(
        io.BytesIO(base64.b64decode(encoded)), sheet_name="Data", header=None, engine="openpyxl"
    )
    assert (book[0] == "Region").sum() == 1  # the header row, under the title and description
    monkeypatch.setenv("QIO_CHROMIUM", "/nonexistent/chromium")
    for draw in (explorer._download_png, explorer._download_svg, explorer._save_view):
        draw()
        assert "apt-get install -y chromium" in explorer.downloads.value
        assert "base64" not in explorer.downloads.value


def test_a_new_visit_reads_changed_exports_or_says_when_its_data_was_read(tmp_path, shown):
    import shutil

    from qio_analysis import config

    subs_dir = tmp_path / "qiof"
    shutil.copytree(config.DEMO_SUBMISSIONS, subs_dir)
    explorer = ex.LevelExplorer.from_files(subs_dir)
    assert "read at" in explorer.provenance.value and "qiof" in explorer.provenance.value
    before = len(explorer.subs)
    explorer.apply_query("?view=heatmap")  # a visit, files unchanged: nothing said
    assert "export files" not in explorer.message.value
    victim = sorted(subs_dir.iterdir())[0]
    victim.unlink()  # an export withdrawn under the running server
    explorer.apply_query("?view=heatmap")
    assert len(explorer.subs) < before
    assert "The export files changed after" in explorer.message.value
    (subs_dir / "broken.csv").write_text("not,a,submissions\nexport,at,all\n")
    explorer.apply_query("?view=heatmap")
    assert "cannot be read now" in explorer.message.value
    assert len(explorer.subs) < before  # still the data read last time


def _page_figure(explorer: ex.LevelExplorer) -> dict:
    """The figure JSON the page's plotly.js draws, read back from the hidden widget."""
    value = explorer.figure_json.value
    match = re.fullmatch(r'<script type="application/json">(.*)</script>', value, re.S)
    assert match, value[:80]
    return json.loads(match.group(1))


def test_page_mode_hands_the_figure_to_the_page_and_updates_it_in_place(data, shown):
    explorer = ex.LevelExplorer(data, draw="page")
    assert shown == []  # no plotly output: the page draws it (Plotly.react on one chart)
    first = _page_figure(explorer)
    assert [t["name"] for t in first["data"]] == [f"Level {lv}" for lv in range(5)]
    assert first["config"] == qio_analysis.figures.template.plotly_config()
    assert explorer.chart.children == ()  # the page's script owns what is inside the frame
    explorer.region.value = "Midlands"
    second = _page_figure(explorer)
    assert "Midlands" in json.dumps(second) and "London" not in json.dumps(second["data"])
    assert shown == []


def test_page_mode_json_cannot_end_its_script_or_carry_markup(shown):
    hostile = subs(
        [r for n in range(1, 7) for r in both("A", "London", 2025, n, (3, None), (3, None))]
    )
    hostile["org_name"] = "</script><img src=x onerror=alert(1)>&amp;"
    explorer = ex.LevelExplorer(hostile, draw="page")
    explorer.view.value = "heatmap"
    value = explorer.figure_json.value
    body = value.removeprefix('<script type="application/json">').removesuffix("</script>")
    assert not re.search(r"[<>&]", body), body[:200]
    names = _page_figure(explorer)["data"][0]["y"]
    # The name arrives as the figure's own (escaped) label text, never as page markup.
    assert names == ["&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp; (ZZA)"]


def test_draw_mode_comes_from_qio_explore_and_is_checked(data, shown, monkeypatch):
    monkeypatch.setenv(server.DRAW_ENV, "page")
    assert ex.LevelExplorer(data).draw == "page"
    monkeypatch.delenv(server.DRAW_ENV)
    assert ex.LevelExplorer(data).draw == "output"
    with pytest.raises(QioConfigError, match="draw must be"):
        ex.LevelExplorer(data, draw="svg")

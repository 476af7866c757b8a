"""Level figures: radar, distribution, heatmap, share trend."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from qio_analysis import figures as f
from qio_analysis import metrics as m
from tests.metrics.helpers import both, subs

N = (None, None)


@pytest.fixture
def two_orgs():
    rows = []
    levels_2023 = [(1, None), (2, "High"), (2, None), (1, None), (2, None), (0, None)]
    levels_2025 = [(2, None), (3, "Low"), N, (1, None), (3, None), (1, "Medium")]
    for n in range(1, 7):
        rows += both("A", "London", 2023, n, levels_2023[n - 1], levels_2023[n - 1])
        rows += both("A", "London", 2025, n, (levels_2025[n - 1][0] or 2, None), levels_2025[n - 1])
        rows += both("B", "South West", 2025, n, (3, None), (3, None))
    frame = subs(rows)
    return frame.assign(
        org_name=frame["org_name"].where(
            frame["org_code"] != "ZZA", "<script>alert(1)</script> & Co"
        )
    )


def test_radar_traces_axes_and_escaping(two_orgs):
    fig = f.fig_radar(m.level_profile(two_orgs, "ZZA", 2025))
    names = [t.name for t in fig.data]
    assert names == ["Validated 2023", "Self-evaluated 2025", "Validated 2025"]
    assert all(isinstance(t, go.Scatterpolar) for t in fig.data)
    validated = fig.data[-1]
    assert list(validated.r) == [2, 3, None, 1, 3, 1, 2]  # closed loop, gap for the missing outcome
    assert list(validated.theta)[:6] == [
        "Access",
        "Evidence in decisions",
        "Knowing needs",
        "Skill mix",
        "Quality improvement",
        "Impact",
    ]
    assert validated.line.color == "#005EB8" and validated.line.dash == "solid"
    assert {t.line.dash for t in fig.data} == {"solid", "dash", "dot"}  # not colour alone
    assert {t.marker.symbol for t in fig.data} == {"circle", "diamond", "square-open"}
    assert tuple(fig.layout.polar.radialaxis.range) == (0, 4)
    assert list(fig.layout.polar.radialaxis.ticktext) == [
        "Level 0",
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
    ]
    assert "All NHS decision making" in validated.customdata[1][1]
    assert "&lt;script&gt;" in fig.layout.title.text and "<script>" not in fig.layout.title.text
    assert "rose on 4 of 5 outcomes since 2023" in fig.layout.title.text.replace("<br>", " ")
    assert "Radar chart" in f.figure_alt_text(fig)
    table = f.figure_table(fig)
    assert table.loc[1, "Validated 2025"] == "Level 3 (Low)"
    assert table.loc[2, "Validated 2025"] == "No level"


def test_distribution_bars_stack_by_level_with_ordinal_colours(two_orgs):
    dist = m.level_distribution(two_orgs, 2025)
    fig = f.fig_level_distribution(dist)
    assert [t.name for t in fig.data] == [f"Level {lv}" for lv in range(5)]
    assert fig.layout.barmode == "stack"
    assert {t.orientation for t in fig.data} == {"h"}
    assert [t.marker.color for t in fig.data] == list(f.LEVEL_COLOURS)
    level3 = fig.data[3]
    outer, inner = level3.y
    assert list(outer[:3]) == ["1. Access"] * 3 and outer[-1] == "6. Impact"
    assert list(inner[:3]) == ["London", "South West", "England"]
    assert list(level3.x[:3]) == [0, 100, 50]  # outcome 1: ZZA is at 2, ZZB at 3
    assert len(level3.x) == 6 * 3
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert f.figure_table(fig).shape[0] == len(dist)
    assert "Share at Level 3 or above in England, 2025" in f.figure_alt_text(fig)


def test_distribution_empty_selection_is_a_message(two_orgs):
    dist = m.level_distribution(two_orgs, 2021)
    fig = f.fig_level_distribution(dist)
    assert "No organisation has a level" in fig.layout.annotations[0].text


def test_heatmap_labels_every_cell(two_orgs):
    pairs = m.paired_levels(two_orgs, 2025)
    fig = f.fig_heatmap(pairs)
    heat, text = fig.data
    assert isinstance(heat, go.Heatmap) and text.mode == "text"
    assert len(heat.y) == 2 and "&lt;script&gt;" in heat.y[0]
    assert list(heat.z[0]) == [2, 3, None, 1, 3, 1]
    assert list(text.text[:6]) == ["2", "3 L", "no level", "1", "3", "1 M"]
    assert (heat.zmin, heat.zmax) == (-0.5, 4.5)
    assert "(1 outcome without a level)" in fig.layout.title.text.replace("<br>", " ")


def test_share_trend_emphasises_england_and_highlight(two_orgs):
    summary = m.level_summary(m.level_distribution(two_orgs, [2023, 2025]))
    fig = f.fig_share_trend(summary, highlight="London")
    england = [t for t in fig.data if t.name == "England"]
    london = [t for t in fig.data if t.name == "London"]
    assert len(england) == 6 and england[0].line.width > london[0].line.width
    assert london[0].line.dash == "dash" and england[0].line.dash == "solid"
    assert england[0].text[-1] == "England"  # direct label at the last point
    assert tuple(fig.layout.yaxis.range) == (0, 100)

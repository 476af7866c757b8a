"""Level figures: radar, distribution, heatmap, share trend."""

from __future__ import annotations

import itertools

import pandas as pd
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
    *series, rings = fig.data
    names = [t.name for t in series]
    assert names == ["Validated 2023", "Self-evaluated 2025", "Validated 2025"]
    assert all(isinstance(t, go.Scatterpolar) for t in series)
    assert isinstance(rings, go.Barpolar) and rings.hoverinfo == "skip" and not rings.showlegend
    validated = series[-1]
    # Each level is the ring from n to n + 1: 3 Low sits a quarter of the way through ring 3
    # (3.25), 1 Medium half way through ring 1 (1.5), and a level with no sub-level in the
    # middle of its ring (2 is 2.5, not below 2 Low); a gap for the missing outcome.
    assert list(validated.r) == [2.5, 3.25, None, 1.5, 3.5, 1.5, 2.5]
    assert list(validated.theta)[:6] == [
        "Access",
        "Evidence in decisions",
        "Knowing needs",
        "Skill mix",
        "Quality improvement",
        "Impact",
    ]
    assert validated.line.color == "#005EB8" and validated.line.dash == "solid"
    assert {t.line.dash for t in series} == {"solid", "dash"}
    assert {t.marker.symbol for t in series} == {"circle", "diamond", "square-open"}
    assert tuple(fig.layout.polar.radialaxis.range) == (0, 5)
    assert list(fig.layout.polar.radialaxis.tickvals) == [0.5, 1.5, 2.5, 3.5, 4.5]
    assert list(fig.layout.polar.radialaxis.ticktext) == [
        "Level 0",
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
    ]
    assert "All NHS decision making" in validated.customdata[1][1]
    assert validated.customdata[2][0] == "not validated"
    assert "&lt;script&gt;" in fig.layout.title.text and "<script>" not in fig.layout.title.text
    # Whole levels: 2 High -> 3 Low is a rise, 1 -> 1 is not; outcome 3 has no 2025 level.
    assert "rose a level on 4 of 5 outcomes since 2023" in fig.layout.title.text.replace(
        "<br>", " "
    )
    assert "Radar chart" in f.figure_alt_text(fig)
    assert "a level given without a sub-level in the middle of its ring" in f.figure_alt_text(fig)
    table = f.figure_table(fig)
    assert table.loc[1, "Validated 2025"] == "Level 3 (Low)"
    assert table.loc[2, "Validated 2025"] == "not validated"


@pytest.mark.parametrize(
    ("level", "sub", "inner", "outer"),
    [(4, "High", 4, 5), (4, None, 4, 5), (0, "Low", 0, 1), (3, "Medium", 3, 4)],
)
def test_radar_points_sit_inside_their_own_level_ring(level, sub, inner, outer):
    rows = [
        r for n in range(1, 7) for r in both("A", "London", 2025, n, (level, sub), (level, sub))
    ]
    fig = f.fig_radar(m.level_profile(subs(rows), "ZZA", 2025))
    radius = fig.data[-2].r[0]
    assert inner < radius < outer  # Level 4 High inside the Level 4 ring, never beyond the edge
    assert radius <= fig.layout.polar.radialaxis.range[1]
    rings = fig.data[-1]
    assert sorted(set(rings.base)) == [0, 1, 2, 3, 4] and set(rings.r) == {1}


def test_radar_shows_every_cycle_older_ones_lighter_and_dashed():
    rows = []
    for n in range(1, 7):
        rows += both("A", "London", 2021, n, (1, None), (1, None))
        rows += both("A", "London", 2023, n, (2, None), (2, None) if n != 2 else N)
        rows += both("A", "London", 2025, n, (3, None), (3, "Low"))
    frame = subs(rows)
    profile = m.level_profile(frame, "ZZA", 2025)
    fig = f.fig_radar(profile, history=m.level_history(frame, "ZZA", 2025))
    names = [t.name for t in fig.data[:-1]]
    assert names == ["Validated 2021", "Validated 2023", "Self-evaluated 2025", "Validated 2025"]
    v2021, v2023, _self, v2025 = fig.data[:-1]
    assert v2021.line.dash == "dot" and v2023.line.dash == "dash" and v2025.line.dash == "solid"
    assert v2021.opacity < v2023.opacity < v2025.opacity  # older is lighter
    assert v2021.line.width < v2025.line.width
    assert list(v2023.r)[:2] == [2.5, None]
    table = f.figure_table(fig)
    assert list(table.columns) == ["Outcome", *names]
    assert table.loc[1, "Validated 2023"] == "not validated"
    alt = f.figure_alt_text(fig)
    assert "validated levels for 2021, 2023 and 2025 and the 2025 self-evaluation" in alt
    assert "since the 2021 baseline" in alt
    title = fig.layout.title.text.replace("<br>", " ")
    assert "rose a level on 6 of 6 outcomes since the 2021 baseline" not in title  # previous: 2023
    assert (
        "rose a level on 5 of 5 outcomes since 2023 and on 6 of 6 since the 2021 baseline" in title
    )
    only = f.fig_radar(profile, history=m.level_history(frame, "ZZA", 2025, cycles=[2021]))
    assert [t.name for t in only.data[:-1]] == [
        "Validated 2021",
        "Self-evaluated 2025",
        "Validated 2025",
    ]


def test_distribution_bars_stack_by_level_with_ordinal_colours(two_orgs):
    dist = m.level_distribution(two_orgs, 2025, by="region")
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


def heatmap_cell_text(fig: go.Figure) -> list[list[str]]:
    """Each cell's label as drawn: the heatmap traces' own text, one trace per text colour."""
    heats = [t for t in fig.data if isinstance(t, go.Heatmap)]
    assert all(t.texttemplate == "%{text}" for t in heats)
    grid = [["" for _ in row] for row in heats[0].z]
    for trace in heats:
        for i, row in enumerate(trace.text):
            for j, label in enumerate(row):
                if label:
                    assert not grid[i][j], f"cell {i},{j} labelled twice"
                    grid[i][j] = label
    return grid


def test_heatmap_labels_every_cell(two_orgs):
    pairs = m.paired_levels(two_orgs, 2025)
    fig = f.fig_heatmap(pairs)
    heat = fig.data[0]
    assert isinstance(heat, go.Heatmap)
    assert len(heat.y) == 2 and "&lt;script&gt;" in heat.y[0]
    assert list(heat.z[0]) == [2, 3, None, 1, 3, 1]
    # The validator gave outcomes 2 (3 to 3 Low) and 6 (1 to 1 Medium) a sub-level the
    # self-evaluation lacks: the same level, not comparable, so neither is marked as raised.
    assert heatmap_cell_text(fig)[0] == ["2", "3 L", "no level", "1", "3", "1 M"]
    assert (heat.zmin, heat.zmax) == (-0.5, 4.5)
    assert "(1 outcome without a level)" in fig.layout.title.text.replace("<br>", " ")


def test_heatmap_cell_text_contrasts_with_its_fill(two_orgs):
    fig = f.fig_heatmap(m.paired_levels(two_orgs, 2025))
    for trace in (t for t in fig.data if isinstance(t, go.Heatmap)):
        for z_row, text_row in zip(trace.z, trace.text, strict=True):
            for z, label in zip(z_row, text_row, strict=True):
                if label and label != "no level":
                    # The better of black and white on the cell's own fill, at least 4.5:1
                    # (WCAG AA for 12 px text; the palette is the template's, not the heatmap's).
                    fill = f.LEVEL_COLOURS[z]
                    other = (
                        "#FFFFFF" if trace.textfont.color != "#FFFFFF" else f.NHS_COLOURS["black"]
                    )
                    assert f.contrast_ratio(trace.textfont.color, fill) >= 4.5, (label, fill)
                    assert f.contrast_ratio(trace.textfont.color, fill) > f.contrast_ratio(
                        other, fill
                    ), (label, fill)


def test_heatmap_layout_is_in_pixels_whatever_the_number_of_rows(two_orgs):
    pairs = m.paired_levels(two_orgs, 2025)

    def copies(k: int) -> pd.DataFrame:
        return pd.concat(
            [pairs.assign(org_code=pairs.org_code + str(n)) for n in range(k)], ignore_index=True
        )

    small, big = f.fig_heatmap(copies(10)), f.fig_heatmap(copies(100))
    # Same top margin (title + outcome labels) and row height; fixed ranges, no padding.
    assert small.layout.margin.t == big.layout.margin.t
    row = (big.layout.height - small.layout.height) / (200 - 20)
    assert row == pytest.approx(26)
    assert tuple(big.layout.yaxis.range) == (199.5, -0.5) and big.layout.yaxis.autorange is False
    # The title sits 10 px below the top edge, above the outcome labels.
    assert (1 - big.layout.title.y) * big.layout.height == pytest.approx(10)
    assert big.layout.title.yref == "container" or big.layout.title.yref is None


def test_heatmap_marks_changes_by_shape_and_shows_both_values(two_orgs):
    pairs = m.paired_levels(two_orgs, 2025)
    # ZZA self-evaluated outcome 2 at 3 High; the validator gave 3 Low: a sub-level lowered within Level 3.
    pairs.loc[pairs.org_code.eq("ZZA") & pairs.outcome.eq(2), "self_sublevel"] = "High"
    self_only = f.fig_heatmap(pairs, assessment="self")
    assert heatmap_cell_text(self_only)[0] == ["2", "3 H", "2", "1", "3", "1"]
    both = f.fig_heatmap(pairs, assessment="both")
    # Outcome 6 (1, then 1 Medium) is not comparable but still shows both values.
    assert heatmap_cell_text(both)[0] == ["2", "3 H\u21923 L", "self 2", "1", "3", "1\u21921 M"]
    assert both.data[0].z[0][1] == 3  # coloured by the validated level
    validated = f.fig_heatmap(pairs)
    key = validated.layout.annotations[0].text
    assert key.split("<br>") == [
        "Outcomes: 1 Access, 2 Evidence in decisions,",
        "3 Knowing needs, 4 Skill mix,",
        "5 Quality improvement, 6 Impact",
        "\u25bd sub-level lowered by the validator",  # open: a sub-level, not a whole level
    ]
    assert list(validated.data[0].x) == ["1", "2", "3", "4", "5", "6"]  # numbered: never overlap
    assert heatmap_cell_text(validated)[0] == ["2", "3 L \u25bd", "no level", "1", "3", "1 M"]
    assert "changed 1 of 11 self-evaluated levels" in f.figure_alt_text(validated)
    table = f.figure_table(validated)
    assert list(table.columns)[:3] == [
        "Organisation",
        "1 Access: validated level",
        "2 Evidence in decisions: validated level",
    ]
    assert table.iloc[0, 2] == "3 (Low), sub-level lowered"
    assert table.iloc[0, 3] == "not validated"
    assert f.figure_table(both).iloc[0, 6] == "1 then 1 (Medium)"
    with pytest.raises(ValueError):
        f.fig_heatmap(pairs, assessment="all")


def test_share_trend_emphasises_england_and_highlight(two_orgs):
    summary = m.level_summary(m.level_distribution(two_orgs, [2023, 2025], by="region"))
    fig = f.fig_share_trend(summary, highlight="London")
    england = [t for t in fig.data if t.name == "England"]
    london = [t for t in fig.data if t.name == "London"]
    assert len(england) == 6 and england[0].line.width > london[0].line.width
    assert london[0].line.dash == "dash" and england[0].line.dash == "solid"
    labels = [a for a in fig.layout.annotations if a.showarrow]
    assert {a.text for a in labels} == {"England", "London", "South West"}  # every line named
    # Every line is named where it ends: London has no 2025 level on outcome 3, so its line
    # there ends, and is named, in 2023.
    assert len(labels) == 6 * 3
    ended = [a for a in labels if a.text == "London" and a.xref == "x3"]
    assert [a.x for a in ended] == [0]
    assert tuple(fig.layout.yaxis.range) == (0, 100)


def test_national_share_trend_tells_regions_apart_without_colour(two_orgs):
    summary = m.level_summary(m.level_distribution(two_orgs, [2023, 2025], by="region"))
    fig = f.fig_share_trend(summary)
    lines = [t for t in fig.data if t.showlegend]
    # Each region its own marker shape as well as colour; England thick and black.
    assert len({t.marker.symbol for t in lines}) == len(lines) == 3
    assert len({t.line.color for t in lines}) == 3
    first_panel = [a for a in fig.layout.annotations if a.showarrow and a.xref == "x"]
    assert sorted(a.text for a in first_panel) == ["England", "London", "South West"]
    # Labels sit at the last cycle (index 1 of 2023, 2025), pushed at least 9 points apart.
    assert {a.x for a in first_panel} == {1}
    heights = sorted(a.ay for a in first_panel)
    assert all(b - a >= 9 - 1e-9 for a, b in itertools.pairwise(heights))
    assert "Each line is named at its end" in f.figure_alt_text(fig)


def test_heatmap_draws_only_outcomes_present_and_sorts_by_level(two_orgs):
    pairs = m.paired_levels(two_orgs, 2025)
    one = f.fig_heatmap(pairs[pairs.outcome == 2])
    heat = one.data[0]
    assert len(heat.x) == 1 and heatmap_cell_text(one) == [["3 L"], ["3"]]
    assert "outcome 2 in columns" in f.figure_alt_text(one)
    by_level = f.fig_heatmap(pairs, sort="level")
    # ZZB's mean whole level (3) is above ZZA's ((2 + 3 + 1 + 3 + 1) / 5 = 2.0): ZZB first.
    assert by_level.data[0].y[0].endswith("(ZZB)")
    # By name, "&lt;script..." (ZZA) sorts first.
    assert f.fig_heatmap(pairs).data[0].y[0].endswith("(ZZA)")
    with pytest.raises(ValueError):
        f.fig_heatmap(pairs, sort="size")

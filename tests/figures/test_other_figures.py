"""Change, validation and workforce figures."""

from __future__ import annotations

import plotly.graph_objects as go

from qio_analysis import figures as f
from qio_analysis import metrics as m
from tests.metrics.helpers import both, stats, subs


def test_sankey_counts_new_and_absent(two_cycles):
    fig = f.fig_sankey(m.transitions(two_cycles, 2021, 2023).matrix, outcome=1)
    (sankey,) = fig.data
    assert isinstance(sankey, go.Sankey)
    labels = list(sankey.node.label)
    assert "2021: Not taking part in 2021 (1)" in labels
    assert "2023: Not taking part in 2023 (1)" in labels
    assert "2023: No level in 2023 (1)" in labels
    assert sum(sankey.link.value) == 6
    assert "1 of 3 organisations in England moved up" in fig.layout.title.text.replace("<br>", " ")


def test_movement_bars_use_pattern_as_well_as_colour(two_cycles):
    fig = f.fig_movement(m.transitions(two_cycles, 2021, 2023).summary)
    assert [t.name for t in fig.data] == ["Improved", "Unchanged", "Declined"]
    assert fig.data[2].marker.pattern.shape == "/"
    assert [round(x) for x in fig.data[0].x] == [33]


def test_agreement_matrix_and_adjustments():
    rows = both("A", "London", 2025, 1, (2, None), (2, None)) + both(
        "B", "London", 2025, 1, (3, None), (2, None)
    )
    result = m.validation_agreement(subs(rows), 2025, by="region")
    fig = f.fig_agreement_matrix(result.confusion)
    heat, _labels = fig.data
    assert heat.z[3][2] == 1 and heat.z[2][2] == 1
    assert "50%" in fig.layout.title.text
    adj = f.fig_adjustments(result.summary)
    lowered, raised = adj.data
    # London and England: half lowered; every other region is listed with no submissions.
    assert list(lowered.y) == [
        "London",
        "South West",
        "South East",
        "Midlands",
        "East of England",
        "North West",
        "North East and Yorkshire",
        "<b>England</b>",
    ]
    assert [abs(x) for x in lowered.x] == [50, 0, 0, 0, 0, 0, 0, 50]
    assert list(raised.x) == [0] * 8
    assert lowered.text[0] == "50% lowered" and lowered.text[1] == "no submissions"
    assert "South West: no submissions" in f.figure_alt_text(adj)
    table = f.figure_table(adj)
    assert list(table.columns)[:4] == ["Region", "Outcome", "Outcomes compared", "Same level (%)"]
    assert not any("_" in c for c in table.columns)  # people's words, not column names
    assert table.iloc[0].tolist()[:5] == ["London", "All outcomes", 2, 50.0, 50.0]


def test_staff_ratio_target_line_and_labels():
    ratio = m.staff_ratio(
        stats(
            [
                {
                    "service_code": "ZS1",
                    "region": "London",
                    "year_start": 2024,
                    "qualified_wte": 6.0,
                    "nhs_wte": 7000.0,
                },
                {
                    "service_code": "ZS2",
                    "region": "Midlands",
                    "year_start": 2024,
                    "qualified_wte": 1.0,
                    "nhs_wte": 2000.0,
                },
            ]
        ),
        by="region",
    )
    fig = f.fig_staff_ratio(ratio)
    (bar,) = fig.data
    assert list(bar.text) == ["1:1,167", "1:2,000", "1:1,286"]
    assert fig.layout.shapes[0].x0 == 1250 and fig.layout.shapes[0].line.dash == "dash"
    assert fig.layout.title.text.replace("<br>", " ").startswith(
        "1 of 2 regions with a ratio meet the 1:1,250 staffing target in 2024/25"
    )
    assert bar.customdata[0][0] == "meets the target"
    assert "No staff ratio for South West, South East, East of England" in f.figure_alt_text(fig)
    table = f.figure_table(fig).set_index("region")
    assert table.loc["North West", "nhs_wte_per_qualified"] == "not reported"
    assert table.loc["North West", "note"] == "no return with both figures in 2024/25"


def test_headline_tiles_arrows_follow_better_not_up():
    s = stats(
        [
            {"service_code": "ZS1", "year_start": 2023, "qualified_wte": 2.0, "nhs_wte": 3000.0},
            {"service_code": "ZS1", "year_start": 2024, "qualified_wte": 2.5, "nhs_wte": 3000.0},
            {"service_code": "ZS2", "year_start": 2023, "qualified_wte": 9.0, "nhs_wte": 9000.0},
            {
                "service_code": "ZS1",
                "year_start": 2022,
                "qualified_wte": 1.0,
                "expenditure_gbp": 67_267_023.0,
            },
        ]
    )
    fig = f.fig_headline_tiles(
        m.headline_figures(s), measures=("qualified_wte", "nhs_wte_per_qualified")
    )
    staff, ratio = fig.data
    assert staff.value == 2.5 and staff.number.valueformat == ",.1f"
    green, pink = f.NHS_COLOURS["dark_green"], f.NHS_COLOURS["dark_pink"]
    # Like for like (ZS1 only): 2.0 -> 2.5 WTE is +25%, although the total fell from 11 to 2.5.
    assert "\u25b2 +25.0% better" in staff.title.text and green in staff.title.text
    assert "1 service in both years" in staff.title.text
    # The ratio fell 1,500 -> 1,200: a down arrow, green, and "lower is better" said on the tile.
    assert ratio.number.prefix == "1:"
    assert "\u25bc -20.0% better" in ratio.title.text and green in ratio.title.text
    assert pink not in ratio.title.text and "lower is better" in ratio.title.text
    alt = f.figure_alt_text(fig)
    assert "Qualified LKS staff (WTE): 2.5 from 1 return, +25.0% among the 1 service" in alt
    assert "(lower is better): 1:1,200 from 1 return" in alt
    table = f.figure_table(fig)
    # Totals stay totals: 2023/24 over both returns is 12,000 / 11 = 1:1,091.
    assert table.iloc[1]["2024/25"] == "1:1,200" and table.iloc[1]["2023/24"] == "1:1,091"


def test_headline_formatting_is_shared_by_tiles_alt_text_and_tables():
    s = stats(
        [
            {"service_code": "ZS1", "year_start": 2023, "expenditure_gbp": 60_000_000.0},
            {"service_code": "ZS1", "year_start": 2024, "expenditure_gbp": 67_267_023.0},
        ]
    )
    h = m.headline_figures(s)
    fig = f.fig_headline_tiles(h, measures=("expenditure_gbp",))
    (tile,) = fig.data
    assert tile.number.prefix == "\u00a3" and tile.number.suffix == "m"
    assert round(tile.value, 1) == 67.3
    assert "Expenditure: \u00a367.3m from 1 return" in f.figure_alt_text(fig)
    assert "67,267,023" not in f.figure_alt_text(fig)
    row = m.headline_table(h).set_index("Measure").loc["Expenditure"]
    assert (row["2024/25"], row["2023/24"]) == ("\u00a367.3m", "\u00a360.0m")
    assert (
        row["Change (like for like)"]
        == "+12.1% among the 1 service that returned in both years (better)"
    )

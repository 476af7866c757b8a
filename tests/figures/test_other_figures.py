"""Change, validation and workforce figures."""

from __future__ import annotations

import plotly.graph_objects as go

import qio_analysis as qa
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
    assert lowered.text[0] == "50% of levels lowered" and lowered.text[1] == "no submissions"
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
        "1 of the 2 regions shown meets the 1:1,250 staffing target in 2024/25"
    )
    assert bar.customdata[0][1] == "meets the target"
    assert "No staff ratio for South West, South East, East of England" in f.figure_alt_text(fig)
    table = f.figure_table(fig).set_index("Region")
    assert table.loc["London", "Meets 1:1,250"] == "Yes"
    assert table.loc["North West", "Staff ratio (1:N)"] == "no return with both figures"


def test_a_withheld_region_shows_why_instead_of_a_bar():
    import qio_analysis as qa

    data = qa.load_statistics(qa.config.DEMO_STATISTICS)
    london = data[(data["region"] == "London") & (data["year_start"] == 2024)]
    pack = qa.headline_pack(data.drop(index=london.index[2:]), 2024)
    fig = f.fig_staff_ratio(pack.regions)
    (bar,) = fig.data
    texts = dict(zip(bar.y, bar.text, strict=True))
    assert texts["London"] == "not shown: fewer than 5 services"
    assert sum(t.startswith("not shown") for t in texts.values()) == 2  # and the next smallest
    assert "London: not shown: fewer than 5 services" in f.figure_alt_text(fig)
    assert "1:" not in f.figure_table(fig).set_index("Region").loc["London", "Staff ratio (1:N)"]


def test_a_ratio_on_the_target_is_printed_precisely_enough_to_show_why_it_misses():
    ratio = m.staff_ratio(
        stats(
            [
                {
                    "service_code": "ZS1",
                    "region": "London",
                    "year_start": 2024,
                    "qualified_wte": 4.0,
                    "nhs_wte": 5001.6,
                },
            ]
        ),
        by="region",
    )
    fig = f.fig_staff_ratio(ratio)
    assert fig.data[0].text[0] == "1:1,250.4"
    assert fig.data[0].customdata[0][1] == "does not meet the target"
    assert not bool(ratio.set_index("region").loc["London", "meets_target"])


def test_headline_tiles_say_the_total_and_like_for_like_and_better_only_of_the_ratio():
    s = stats(
        [
            {"service_code": "ZS1", "year_start": 2023, "qualified_wte": 2.0, "nhs_wte": 3000.0},
            {"service_code": "ZS1", "year_start": 2024, "qualified_wte": 2.5, "nhs_wte": 3000.0},
            {"service_code": "ZS2", "year_start": 2023, "qualified_wte": 9.0, "nhs_wte": 9000.0},
        ]
    )
    fig = f.fig_headline_tiles(
        m.headline_figures(s), measures=("qualified_wte", "nhs_wte_per_qualified")
    )
    table = f.figure_table(fig).set_index("Figure")
    # The total fell from 11.0 to 2.5 WTE; like for like (ZS1 only) 2.0 -> 2.5 is +25%.
    staff = table.loc["2.5"]
    # The table says it in words (a screen reader would read an arrow aloud), with ZS2's leaving.
    assert staff["Change in the total"] == (
        "Total down 77.3% since 2023/24 (was 11.0 from 2 returns); 1 service that returned "
        "in 2023/24 did not return this year"
    )
    assert staff["Like-for-like change"].startswith("Like for like up 25.0% among the 1 service")
    assert "better" not in " ".join(staff)
    # The ratio fell 12,000 / 11 = 1:1,091 -> 1:1,200 in total (worse), 1,500 -> 1,200 like for like.
    ratio = table.loc["1:1,200"]
    assert ratio["Change in the total"].startswith("Total up 10.0% (worse)")
    assert ratio["Like-for-like change"].startswith("Like for like down 20.0% (better)")
    assert ratio["Against the target"] == "Target 1:1,250 met"
    alt = f.figure_alt_text(fig)
    assert "2.5 qualified library and knowledge staff" in alt and "(better)" in alt


def test_headline_formatting_is_shared_by_tiles_alt_text_and_tables():
    s = stats(
        [
            {"service_code": "ZS1", "year_start": 2023, "expenditure_gbp": 60_000_000.0},
            {"service_code": "ZS1", "year_start": 2024, "expenditure_gbp": 67_267_023.0},
        ]
    )
    h = m.headline_figures(s)
    fig = f.fig_headline_tiles(h, measures=("expenditure_gbp",))
    assert "\u00a367.3m spent on library and knowledge services" in f.figure_alt_text(fig)
    assert "67,267,023" not in f.figure_alt_text(fig)
    row = qa.headline_table(h).set_index("Measure").loc["Expenditure"]
    assert (row["2024/25"], row["2023/24"]) == ("\u00a367.3m", "\u00a360.0m")
    assert (row["Change in the total"], row["Like-for-like change"]) == ("+12.1%", "+12.1%")

"""Change, validation and workforce figures."""

from __future__ import annotations

import plotly.graph_objects as go

from qio_analysis import figures as f
from qio_analysis import metrics as m
from tests.metrics.change_fixtures import two_cycles  # noqa: F401
from tests.metrics.helpers import both, stats, subs


def test_sankey_counts_new_and_absent(two_cycles):  # noqa: F811
    fig = f.fig_sankey(m.transitions(two_cycles, 2021, 2023).matrix, outcome=1)
    (sankey,) = fig.data
    assert isinstance(sankey, go.Sankey)
    labels = list(sankey.node.label)
    assert "2021: Not taking part in 2021 (1)" in labels
    assert "2023: Not taking part in 2023 (1)" in labels
    assert "2023: No level in 2023 (1)" in labels
    assert sum(sankey.link.value) == 6
    assert "1 of 3 organisations in England moved up" in fig.layout.title.text.replace("<br>", " ")


def test_movement_bars_use_pattern_as_well_as_colour(two_cycles):  # noqa: F811
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
    assert list(lowered.x) == [-50, -50]  # London and England: half lowered
    assert list(raised.x) == [0, 0]
    assert lowered.text[0] == "50% lowered"


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
        "1 of 2 regions meet the 1:1,250 staffing target in 2024/25"
    )
    assert bar.customdata[0][0] == "meets the target"


def test_headline_tiles_arrows_follow_better_not_up():
    s = stats(
        [
            {"service_code": "ZS1", "year_start": 2023, "qualified_wte": 2.0, "nhs_wte": 3000.0},
            {"service_code": "ZS1", "year_start": 2024, "qualified_wte": 2.5, "nhs_wte": 3000.0},
        ]
    )
    fig = f.fig_headline_tiles(
        m.headline_figures(s), measures=("qualified_wte", "nhs_wte_per_qualified")
    )
    staff, ratio = fig.data
    assert staff.value == 2.5 and staff.delta.reference == 2.0
    assert staff.delta.increasing.color == f.NHS_COLOURS["dark_green"]
    assert ratio.number.prefix == "1:"
    assert ratio.delta.decreasing.color == f.NHS_COLOURS["dark_green"]  # a lower ratio is better
    assert ratio.delta.decreasing.symbol.startswith("\u25bc")

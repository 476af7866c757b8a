"""Staff ratio, activity rates, year-on-year change and headlines, hand-worked."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qio_analysis as qa
from qio_analysis import metrics as m
from tests.metrics.helpers import stats


@pytest.fixture
def returns():
    return stats(
        [
            {
                "service_code": "ZS1",
                "region": "London",
                "year_start": 2024,
                "qualified_wte": 2.0,
                "nhs_wte": 3000.0,
                "enquiries": 300,
                "registered_users": 100,
                "potential_users": 200,
            },
            {
                "service_code": "ZS2",
                "region": "London",
                "year_start": 2024,
                "qualified_wte": 4.0,
                "nhs_wte": 4000.0,
                "enquiries": 500,
                "potential_users": 400,
            },
            {
                "service_code": "ZS3",
                "region": "South West",
                "year_start": 2024,
                "qualified_wte": 0.0,
                "nhs_wte": 2000.0,
            },
            {
                "service_code": "ZS4",
                "region": "South West",
                "year_start": 2024,
                "qualified_wte": 1.0,
                "nhs_wte": 0.0,
            },
            {"service_code": "ZS5", "region": "South West", "year_start": 2024, "nhs_wte": 1000.0},
        ]
    )


def test_regional_ratio_sums_numerators_and_denominators(returns):
    r = m.staff_ratio(returns, by="region").set_index("region")
    # London: 7,000 / 6 = 1,166.7 (meets); averaging 1,500 and 1,000 would wrongly give 1,250.
    assert r.loc["London", "nhs_wte_per_qualified"] == pytest.approx(7000 / 6)
    assert bool(r.loc["London", "meets_target"]) is True
    assert r.loc["London", "qualified_wte_gap"] == 0
    # South West: ZS3 + ZS4 = 2,000 / 1 = 2,000; gap 2,000/1,250 - 1 = 0.6; ZS5 excluded.
    assert r.loc["South West", "nhs_wte_per_qualified"] == 2000
    assert r.loc["South West", "qualified_wte_gap"] == pytest.approx(0.6)
    assert r.loc["South West", "n_services"] == 2
    assert r.loc["South West", "note"] == "1 service return(s) without both figures excluded"
    # England: 9,000 / 7 = 1,285.7; gap 7.2 - 7 = 0.2.
    assert r.loc["England", "nhs_wte_per_qualified"] == pytest.approx(9000 / 7)
    assert bool(r.loc["England", "meets_target"]) is False
    assert r.loc["England", "qualified_wte_gap"] == pytest.approx(0.2)


def test_per_service_zero_and_missing_denominators_give_nan_with_a_note(returns):
    r = m.staff_ratio(returns, by="service_code").set_index("service_code")
    assert r.loc["ZS1", "nhs_wte_per_qualified"] == 1500 and r.loc[
        "ZS1", "qualified_wte_gap"
    ] == pytest.approx(0.4)
    for code, note in [
        ("ZS3", "no qualified LKS staff recorded: ratio not defined"),
        ("ZS4", "NHS staff WTE served is zero: ratio not defined"),
        ("ZS5", "no service reported both qualified WTE and NHS WTE"),
    ]:
        assert math.isnan(r.loc[code, "nhs_wte_per_qualified"]), code
        assert pd.isna(r.loc[code, "meets_target"])
        assert r.loc[code, "note"] == note
    assert not r["nhs_wte_per_qualified"].isin([math.inf]).any()


def test_target_is_a_parameter(returns):
    r = m.staff_ratio(returns, by=[], target=1300).iloc[0]
    assert r.target == 1300 and bool(r.meets_target) is True and r.qualified_wte_gap == 0
    with pytest.raises(qa.QioConfigError):
        m.staff_ratio(returns, target=0)


def test_activity_rates_use_paired_sums(returns):
    a = m.activity_rates(returns, by="region").set_index("region")
    assert a.loc["London", "enquiries"] == 800
    assert a.loc["London", "enquiries_per_1000_wte"] == pytest.approx(800 / 7000 * 1000)
    assert a.loc["London", "registered_users_pct"] == 50  # ZS2 has no registered users: not paired
    assert math.isnan(a.loc["South West", "enquiries_per_1000_wte"])


def test_year_on_year_and_headlines():
    s = stats(
        [
            {
                "service_code": "ZS1",
                "year_start": 2022,
                "qualified_wte": 2.0,
                "nhs_wte": 3000.0,
                "enquiries": 0,
            },
            {
                "service_code": "ZS1",
                "year_start": 2023,
                "qualified_wte": 2.0,
                "nhs_wte": 3000.0,
                "enquiries": 100,
            },
            {
                "service_code": "ZS1",
                "year_start": 2024,
                "qualified_wte": 2.5,
                "nhs_wte": 3000.0,
                "enquiries": 120,
            },
        ]
    )
    rates = m.year_on_year(m.activity_rates(s, by=[]), ["enquiries"])
    yoy = rates.set_index("year_start")["enquiries_yoy_pct"]
    assert math.isnan(yoy[2022])  # no earlier year
    assert math.isnan(yoy[2023])  # zero base
    assert yoy[2024] == pytest.approx(20.0)  # 100 -> 120
    h = m.headline_figures(s, "2024/25").set_index("measure")
    assert (h.loc["qualified_wte", "value"], h.loc["qualified_wte", "previous"]) == (2.5, 2.0)
    assert h.loc["qualified_wte", "change"] == pytest.approx(25.0)
    ratio = h.loc["nhs_wte_per_qualified"]
    assert (ratio.value, ratio.previous, ratio.direction, ratio.better) == (
        1200,
        1500,
        "down",
        "better",
    )
    # Activity goes up or down; only the staff ratio is better or worse.
    assert h.loc["enquiries", "direction"] == "up" and h.loc["enquiries", "better"] == ""
    with pytest.raises(qa.QioConfigError, match="no statistics for 2030/31"):
        m.headline_figures(s, 2030)


def test_by_means_the_same_as_in_every_metric(returns):
    england = m.staff_ratio(returns)
    assert len(england) == 1 and "region" not in england and "service_code" not in england
    assert england.iloc[0].nhs_wte_per_qualified == pytest.approx(9000 / 7)
    pd.testing.assert_frame_equal(england, m.staff_ratio(returns, by=[]))
    per_service = m.staff_ratio(returns, by="service_code")
    assert per_service.service_code.tolist() == ["ZS1", "ZS2", "ZS3", "ZS4", "ZS5"]
    assert per_service.service_name.iloc[0] == "ZS1 LKS"  # no England row per service
    regions = m.activity_rates(returns, by="region").region.tolist()
    assert regions == ["London", "South West", "England"]
    assert len(m.activity_rates(returns)) == 1
    assert m.activity_rates(returns, by="service_code").enquiries.tolist()[:2] == [300, 500]


@pytest.fixture
def three_services():
    """Three services over 2023/24 and 2024/25; ZS3 made no return in 2024/25."""

    def row(code, start, q, nhs, reg, pot, gbp):
        return {
            "service_code": code,
            "year_start": start,
            "qualified_wte": q,
            "nhs_wte": nhs,
            "registered_users": reg,
            "potential_users": pot,
            "expenditure_gbp": gbp,
        }

    return stats(
        [
            row("ZS1", 2023, 2.0, 3000.0, 100, 200, 1_000_000),
            row("ZS1", 2024, 3.0, 3000.0, 150, 200, 1_200_000),
            row("ZS2", 2023, 4.0, 4000.0, 100, 400, 500_000),
            row("ZS2", 2024, 4.0, 5000.0, 100, 400, 500_000),
            row("ZS3", 2023, 10.0, 6000.0, 500, 500, 2_000_000),
        ]
    )


def test_headlines_compare_like_with_like(three_services):
    h = m.headline_figures(three_services, "2024/25").set_index("measure")
    q = h.loc["qualified_wte"]
    # Totals stay totals: 7 WTE from 2 returns against 16 from 3 (a fall of 56% if compared).
    assert (q.value, q.n_returns, q.previous, q.n_previous_returns) == (7, 2, 16, 3)
    # Like for like, ZS1 and ZS2 only: 6 -> 7 WTE, up 16.7%.
    assert (q.n_both, q.previous_both, q.value_both) == (2, 6, 7)
    assert q.change == pytest.approx(100 / 6) and q.change_unit == "%"
    # The total fell (16 -> 7) while like for like rose: both are given, and "better" is
    # said only of the staff ratio, where policy sets a direction.
    assert q.total_change == pytest.approx(-900 / 16) and q.total_direction == "down"
    assert (q.direction, q.better, q.better_when) == ("up", "", "")
    assert (q.n_value, q.n_previous, q.n_value_both, q.n_previous_both) == (2, 3, 2, 2)
    # Ratio: 7,000 / 6 = 1,166.7 -> 8,000 / 7 = 1,142.9: down 1/49 = 2.04%, and lower is better.
    r = h.loc["nhs_wte_per_qualified"]
    assert r.value == pytest.approx(8000 / 7) and r.previous_both == pytest.approx(7000 / 6)
    assert r.change == pytest.approx(-100 / 49)
    assert (r.direction, r.better, r.better_when) == ("down", "better", "lower")
    # A percentage changes in percentage points: 200/600 = 33.3% -> 250/600 = 41.7%.
    u = h.loc["registered_users_pct"]
    assert u.change == pytest.approx(250 / 6 - 200 / 6) and u.change_unit == "percentage points"
    # Expenditure: £1.5m -> £1.7m like for like, +13.3%; the total beside it is £1.7m.
    e = h.loc["expenditure_gbp"]
    assert (e.value, e.previous_both) == (1_700_000, 1_500_000)
    assert e.change == pytest.approx(200 / 15)
    n = h.loc["n_services"]
    assert (n.value, n.previous, n.change, n.change_unit) == (2, 3, -1, "returns")


def test_headlines_of_a_first_year_have_no_change(three_services):
    h = m.headline_figures(three_services, "2023/24").set_index("measure")
    assert h.loc["qualified_wte", "value"] == 16
    assert h.direction.eq("n/a").all() and h.better.eq("").all()
    assert (h.n_both == 0).all()


wte = st.floats(min_value=0.5, max_value=50, allow_nan=False).map(lambda v: round(v, 1))


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(wte, wte), min_size=1, max_size=4),
    wte,
    st.sampled_from([2023, 2024]),
)
def test_like_for_like_change_ignores_a_service_missing_a_year(pairs, extra, extra_year):
    rows = []
    for i, (before, after) in enumerate(pairs):
        rows.append(
            {
                "service_code": f"ZS{i}",
                "year_start": 2023,
                "qualified_wte": before,
                "nhs_wte": 1000.0,
            }
        )
        rows.append(
            {
                "service_code": f"ZS{i}",
                "year_start": 2024,
                "qualified_wte": after,
                "nhs_wte": 1000.0,
            }
        )
    base = m.headline_figures(stats(rows), 2024).set_index("measure")
    rows.append(
        {"service_code": "ZSX", "year_start": extra_year, "qualified_wte": extra, "nhs_wte": 500.0}
    )
    more = m.headline_figures(stats(rows), 2024).set_index("measure")
    for measure in ("qualified_wte", "nhs_wte_per_qualified"):
        assert more.loc[measure, "change"] == pytest.approx(base.loc[measure, "change"])
        assert more.loc[measure, "n_both"] == len(pairs)
    # Totals stay totals: the extra service counts in its own year.
    total = sum(after for _, after in pairs) + (extra if extra_year == 2024 else 0)
    assert more.loc["qualified_wte", "value"] == pytest.approx(total)

"""Staff ratio, activity rates, year-on-year change and headlines, hand-worked."""

from __future__ import annotations

import math

import pandas as pd
import pytest

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
    r = m.staff_ratio(returns).set_index("service_code")
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
    assert h.loc["qualified_wte", "change_pct"] == pytest.approx(25.0)
    ratio = h.loc["nhs_wte_per_qualified"]
    assert (ratio.value, ratio.previous, ratio.direction, ratio.better) == (
        1200,
        1500,
        "down",
        True,
    )
    assert h.loc["enquiries", "direction"] == "up" and h.loc["enquiries", "better"] is True
    with pytest.raises(qa.QioConfigError, match="no statistics for 2030/31"):
        m.headline_figures(s, 2030)

"""The public headline pack under disclosure control, recomputed by hand from small fixtures.

Every published figure is a sum (or a ratio of sums) over some services. No
figure may come from fewer than ``min_group`` services, and no two published
figures of the same quantity may differ by fewer than ``min_group`` services,
or subtracting one from the other gives those services' figures back.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qio_analysis.metrics.headline_pack import headline_pack
from qio_analysis.reference import NATIONAL
from tests.metrics.helpers import stats

CONTINUING = 10


def _panel(new: int = 0, gone: int = 0) -> list[dict]:
    """Ten services in both years, ``new`` in 2024/25 only and ``gone`` in 2023/24 only.

    Qualified WTE: continuing service i has 2.0 + i/100 in 2023/24 and 3.0 + i/100
    in 2024/25 (totals 20.55 and 30.55); new service j has 1.0 + j/10 and a
    service that left has 4.0 + j/10. Every service serves 2,500 NHS WTE. Every
    continuing figure changes between the years, as real ones do (a difference
    between two years mixes the services' changes with any joiner's figures).
    """
    rows = []
    for i in range(1, CONTINUING + 1):
        for year, base in ((2023, 2.0), (2024, 3.0)):
            rows.append(
                {
                    "service_code": f"ZC{i:02d}",
                    "year_start": year,
                    "qualified_wte": base + i / 100,
                    "nhs_wte": 2500.0,
                    "expenditure_gbp": 100_000.0 * (year - 2021) + i,
                }
            )
    # (code prefix, year, count, base WTE, base spend): joiners in 2024/25, leavers in 2023/24.
    for prefix, year, count, wte, spend in (
        ("ZN", 2024, new, 1.0, 50_000.0),
        ("ZG", 2023, gone, 4.0, 70_000.0),
    ):
        for j in range(1, count + 1):
            rows.append(
                {
                    "service_code": f"{prefix}{j:02d}",
                    "year_start": year,
                    "qualified_wte": wte + j / 10,
                    "nhs_wte": 2500.0,
                    "expenditure_gbp": spend + j,
                }
            )
    return rows


# Worked by hand: 2024/25 qualified WTE is 30.55 from the ten plus 1.1, 1.2, ... from the new.
NEW_TOTALS = {1: 31.65, 2: 32.85, 4: 35.55, 5: 37.05, 6: 38.65}
# 2023/24: 20.55 from the ten plus 4.1, 4.2, ... from those that left.
GONE_TOTALS = {1: 24.65, 2: 28.85, 4: 37.55, 5: 42.05, 6: 46.65}


@pytest.mark.parametrize("new", [1, 2, 4, 5, 6])
def test_new_services_are_never_given_away_by_the_like_for_like_figures(new):
    pack = headline_pack(stats(_panel(new=new)), 2024, min_group=5)
    q = pack.row("qualified_wte")
    assert q["value"] == pytest.approx(NEW_TOTALS[new])
    assert q["previous"] == pytest.approx(20.55)
    assert int(q["n_both"]) == CONTINUING
    if new < 5:  # publishing 30.55 beside the total would give the new services' WTE
        assert math.isnan(q["value_both"]) and math.isnan(q["previous_both"])
        assert math.isnan(q["change"])
        assert "Only the totals" in q["withheld_reason"]
        assert pack.withheld["figure"].str.startswith("Qualified LKS staff").any()
    else:
        assert q["value_both"] == pytest.approx(30.55)
        assert q["change"] == pytest.approx((30.55 - 20.55) / 20.55 * 100)
        assert q["withheld_reason"] == ""
    assert q["total_change"] == pytest.approx((NEW_TOTALS[new] - 20.55) / 20.55 * 100)
    _no_single_service(pack, stats(_panel(new=new)), min_group=5)


@pytest.mark.parametrize("gone", [1, 2, 4, 5, 6])
def test_services_that_stopped_returning_are_never_given_away(gone):
    data = stats(_panel(gone=gone))
    pack = headline_pack(data, 2024, min_group=5)
    q = pack.row("qualified_wte")
    assert q["previous"] == pytest.approx(GONE_TOTALS[gone])
    withheld = gone < 5
    assert math.isnan(q["previous_both"]) == withheld
    assert math.isnan(q["change"]) == withheld
    _no_single_service(pack, data, min_group=5)


def _no_single_service(pack, data: pd.DataFrame, *, min_group: int) -> None:
    """No published figure, and no difference of two, equals one service's own figure."""
    rows = pack.headlines.set_index("measure")
    for measure in ("qualified_wte", "expenditure_gbp"):
        published = [
            float(v)
            for v in rows.loc[measure, ["value", "previous", "value_both", "previous_both"]]
            if not pd.isna(v)
        ]
        sums = published + [abs(a - b) for a in published for b in published if a != b]
        for own in data[measure].dropna():
            assert not any(math.isclose(own, s, abs_tol=1e-9) for s in sums), (measure, own)


def test_a_ratio_is_withheld_when_a_few_services_report_only_one_of_its_parts():
    rows = _panel()
    rows[1]["nhs_wte"] = None  # ZC01 in 2024/25: qualified WTE but no NHS WTE
    pack = headline_pack(stats(rows), 2024, min_group=5)
    ratio = pack.row("nhs_wte_per_qualified")
    # Published beside it: qualified WTE from 10 services and NHS WTE from 9. A ratio over
    # the 9 would give ZC01's qualified WTE as 30.55 - 22,500 / ratio.
    assert pack.row("qualified_wte")["value"] == pytest.approx(30.55)
    assert pack.row("nhs_wte")["value"] == pytest.approx(22_500)
    assert math.isnan(ratio["value"]) and math.isnan(ratio["value_both"])
    assert ratio["previous"] == pytest.approx(25_000 / 20.55)  # every service had both in 2023/24
    assert math.isnan(ratio["total_change"])
    assert "parts" in ratio["withheld_reason"]


def test_a_withheld_ratio_is_withheld_in_the_ratio_by_region_too():
    rows = _panel()
    rows[1]["nhs_wte"] = None  # ZC01 in 2024/25: 3.01 qualified WTE but no NHS WTE
    pack = headline_pack(stats(rows), 2024, min_group=5)
    regions = pack.regions.set_index("region")
    # Every service is in London, so London's ratio is England's: both are withheld.
    assert regions.loc[[NATIONAL, "London"], "suppressed"].all()
    assert regions.loc[[NATIONAL, "London"], "suppression"].eq("differencing").all()
    assert regions.loc[[NATIONAL, "London"], "nhs_wte_per_qualified"].isna().all()
    assert "Staff ratio, England, 2024/25" in set(pack.withheld["figure"])
    # No published ratio gives ZC01's qualified WTE back from the published totals.
    qualified, nhs = pack.row("qualified_wte")["value"], pack.row("nhs_wte")["value"]
    ratios = [pack.row("nhs_wte_per_qualified")["value"], *regions["nhs_wte_per_qualified"]]
    for ratio in (r for r in ratios if pd.notna(r)):
        assert not math.isclose(qualified - nhs / ratio, 3.01, abs_tol=1e-6)


def test_a_ratio_published_in_the_headlines_is_published_by_region_alike():
    pack = headline_pack(stats(_panel()), 2024, min_group=5)
    england = pack.regions.set_index("region").loc[NATIONAL]
    assert not england["suppressed"]
    assert england["nhs_wte_per_qualified"] == pytest.approx(25_000 / 30.55)
    assert england["nhs_wte_per_qualified"] == pack.row("nhs_wte_per_qualified")["value"]


def _regional(sizes: dict[str, int]) -> pd.DataFrame:
    rows, n = [], 0
    for region, size in sizes.items():
        for _ in range(size):
            n += 1
            rows.append(
                {
                    "service_code": f"ZR{n:02d}",
                    "region": region,
                    "year_start": 2024,
                    "qualified_wte": 1.0 + n / 10,
                    "nhs_wte": 1000.0 * n,
                }
            )
    return stats(rows)


def test_regions_of_one_two_and_four_services_are_not_shown():
    sizes = {"London": 1, "South West": 2, "South East": 4, "Midlands": 5, "East of England": 6}
    pack = headline_pack(_regional(sizes), 2024, min_group=5)
    regions = pack.regions.set_index("region")
    # The three small regions hide 7 services together, so no second region is needed.
    assert regions.loc[["London", "South West", "South East"], "suppressed"].all()
    assert regions.loc[["London", "South West", "South East"], "nhs_wte_per_qualified"].isna().all()
    shown = regions.loc[["Midlands", "East of England", NATIONAL]]
    assert not shown["suppressed"].any()
    # Midlands is services 8-12: NHS WTE 50,000 over qualified WTE 1.8 + ... + 2.2 = 10.0.
    assert regions.at["Midlands", "nhs_wte_per_qualified"] == pytest.approx(50_000 / 10.0)
    assert regions.loc[["North West", "North East and Yorkshire"], "n_services"].eq(0).all()
    assert {f"Staff ratio, {r}, 2024/25" for r in ("London", "South West", "South East")} <= set(
        pack.withheld["figure"]
    )


def test_one_small_region_takes_the_next_smallest_with_it():
    pack = headline_pack(
        _regional({"London": 1, "South West": 5, "South East": 6, "Midlands": 6}), 2024, min_group=5
    )
    regions = pack.regions.set_index("region")
    # England minus the regions shown would give London's one service: South West goes too.
    assert regions.at["London", "suppressed"] and regions.at["South West", "suppressed"]
    assert not regions.loc[["South East", "Midlands", NATIONAL], "suppressed"].any()


def test_activity_rates_are_withheld_when_a_few_services_lack_nhs_wte():
    rows = _panel()
    for row in rows:
        row["enquiries"] = 100
    rows[3]["nhs_wte"] = None  # ZC02 in 2024/25 has enquiries but no NHS WTE
    pack = headline_pack(stats(rows), 2024, min_group=5)
    trend = pack.trend.set_index("year")
    assert trend.at["2023/24", "enquiries_per_1000_wte"] == pytest.approx(1000 / 25_000 * 1000)
    assert math.isnan(trend.at["2024/25", "enquiries_per_1000_wte"])
    assert "Enquiries per 1,000 NHS WTE, 2024/25" in set(pack.withheld["figure"])


def test_the_demo_pack_withholds_nothing_and_says_so():
    import qio_analysis as qa

    pack = headline_pack(qa.load_statistics(qa.config.DEMO_STATISTICS))
    assert pack.withheld.empty
    assert pack.row("qualified_wte")["n_both"] == 132


# ------------------------------------------------------------------ the invariant

PARTS = {
    "nhs_wte_per_qualified": ("qualified_wte", "nhs_wte"),
    "registered_users_pct": ("registered_users", "potential_users"),
    "expert_searches_per_1000_wte": ("expert_searches", "nhs_wte"),
    "people_trained_per_1000_wte": ("people_trained", "nhs_wte"),
}
COLUMNS = ("qualified_wte", "nhs_wte", "expenditure_gbp", "expert_searches", "registered_users")


@st.composite
def panels(draw):
    rows = []
    for i in range(draw(st.integers(1, 16))):
        for year in (2023, 2024):
            if not draw(st.booleans()):
                continue
            row = {"service_code": f"ZS{i:02d}", "year_start": year}
            for column in COLUMNS:
                if draw(st.integers(0, 4)):  # mostly reported
                    row[column] = float(draw(st.integers(1, 40)))
            rows.append(row)
    return rows


def _sets(data: pd.DataFrame, measure: str) -> dict[str, set[str]]:
    """The services behind each figure of ``measure``, worked out from the returns."""
    parts = PARTS.get(measure, (measure,))
    have = data[list(parts)].notna().all(axis=1)
    now = set(data.loc[(data["year_start"] == 2024) & have, "service_code"])
    before = set(data.loc[(data["year_start"] == 2023) & have, "service_code"])
    both = set(data.loc[data["year_start"] == 2024, "service_code"]) & set(
        data.loc[data["year_start"] == 2023, "service_code"]
    )
    return {
        "value": now,
        "previous": before,
        "value_both": now & both,
        "previous_both": before & both,
    }


YEAR = {"value": 2024, "value_both": 2024, "previous": 2023, "previous_both": 2023}


@pytest.mark.slow  # seconds of examples or files: not the fast layer
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=panels(), min_group=st.integers(2, 6))
def test_no_published_figure_gives_away_fewer_than_min_group_services(rows, min_group):
    assume(any(r["year_start"] == 2024 for r in rows))
    data = stats(rows)
    pack = headline_pack(data, 2024, min_group=min_group)
    heads = pack.headlines.set_index("measure")

    def ok(n: int) -> bool:
        return n == 0 or n >= min_group

    published: dict[str, dict[str, set[str]]] = {}
    for measure in [*COLUMNS, *PARTS]:
        if measure not in heads.index:
            continue
        sets = _sets(data, measure)
        shown = {f: s for f, s in sets.items() if not pd.isna(heads.at[measure, f])}
        published[measure] = shown
        for f, members in shown.items():
            assert ok(len(members)), (measure, f, members)
        for a in shown:
            for b in shown:
                if YEAR[a] == YEAR[b] and shown[b] < shown[a]:
                    assert ok(len(shown[a] - shown[b])), (measure, a, b)
        if not pd.isna(heads.at[measure, "change"]):
            assert {"value_both", "previous_both"} <= set(shown)
    # The ratio by region repeats England's ratio (and a region holding every service repeats it).
    regions = pack.regions.set_index("region")
    # One figure, one decision: England's ratio is published by region exactly when it is nationally.
    assert pd.isna(regions.at[NATIONAL, "nhs_wte_per_qualified"]) == pd.isna(
        heads.at["nhs_wte_per_qualified", "value"]
    )
    years = dict(YEAR)
    ratio_now = _sets(data, "nhs_wte_per_qualified")["value"]
    for region, value in regions["nhs_wte_per_qualified"].items():
        if pd.isna(value):
            continue
        inside = data.loc[data["region"] == region, "service_code"] if region != NATIONAL else None
        members = ratio_now if inside is None else ratio_now & set(inside)
        published["nhs_wte_per_qualified"][f"value_{region}"] = members
        years[f"value_{region}"] = 2024
    for ratio, parts in PARTS.items():
        for part in parts:
            if ratio not in published or part not in published:
                continue
            for a, inner in published[ratio].items():
                for b, outer in published[part].items():
                    if years[a] == years[b] and inner <= outer:
                        assert ok(len(outer - inner)), (ratio, a, part, b)

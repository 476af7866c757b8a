"""Planning report items."""

from __future__ import annotations

import pytest

import qio_analysis as qa
from qio_analysis.batch.items import plan_items
from tests.conftest import DATA

REPORTS = DATA / "reports"


@pytest.fixture(scope="module")
def data():
    return qa.load_submissions(REPORTS / "submissions.csv"), qa.load_statistics(
        REPORTS / "statistics.csv"
    )


def test_full_plan(data):
    items = plan_items(*data, 2025)
    ids = [i.id for i in items]
    assert ids == [
        "2025/organisations/ZX1",
        "2025/organisations/ZX2",
        "2025/organisations/ZX3",
        "2025/regions/london",
        "2025/regions/london-validation",
        "2025/regions/south-west",
        "2025/regions/south-west-validation",
        "2025/national/year_on_year",
        "2025/national/validation_review",
        "headlines/2024-25/annual_headlines",
    ]
    assert items[0].parameters == {"org_code": "ZX1", "cycle": 2025}
    assert items[-1].parameters == {"year": "2024/25"}


def test_filters(data):
    assert [i.id for i in plan_items(*data, 2025, orgs=["zx2"])] == ["2025/organisations/ZX2"]
    by_region = [i.id for i in plan_items(*data, 2025, regions=["Y58"])]
    assert by_region == [
        "2025/organisations/ZX3",
        "2025/regions/south-west",
        "2025/regions/south-west-validation",
    ]


def test_unknown_org_and_cycle_are_clear_errors(data):
    with pytest.raises(qa.QioConfigError, match="No 2025 submission for organisation"):
        plan_items(*data, 2025, orgs=["ZZ9"])
    with pytest.raises(qa.QioConfigError, match=r"cycles in the data: \[2023, 2025\]"):
        plan_items(*data, 2021)

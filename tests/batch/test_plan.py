"""Planning report items, the options object and the skip decision."""

from __future__ import annotations

import pytest

import qio_analysis as qa
from qio_analysis.batch.outputs import ItemResult
from qio_analysis.batch.plan import (
    RunOptions,
    make_plan,
    plan_items,
    regions_without_submissions,
)
from qio_analysis.config import NOTEBOOKS_DIR
from tests.conftest import REPORTS


@pytest.fixture(scope="module")
def data():
    return qa.load_submissions(REPORTS / "submissions.csv"), qa.load_statistics(
        REPORTS / "statistics.csv"
    )


def test_full_plan(data):
    items = plan_items(*data, 2025)
    ids = [i.id for i in items]
    completeness = (
        ["2025/national/completeness"] if (NOTEBOOKS_DIR / "completeness.ipynb").exists() else []
    )
    assert ids == [
        "2025/organisations/ZX1",
        "2025/organisations/ZX2",
        "2025/organisations/ZX3",
        "2025/regions/london",
        "2025/regions/london-improvement",
        "2025/regions/london-validation",
        "2025/regions/south-west",
        "2025/regions/south-west-improvement",
        "2025/regions/south-west-validation",
        "2025/national/validation_review",
        *completeness,
        "national/year_on_year",
        "headlines/2024-25/annual_headlines",
    ]
    assert items[0].parameters == {"org_code": "ZX1", "cycle": 2025}
    assert items[-1].parameters == {"year": "2024/25"}


def test_completeness_is_planned_with_the_national_reports(data):
    planned = {i.id: i for i in plan_items(*data, 2025, data={"errors": "report"})}
    item = planned["2025/national/completeness"]
    assert item.notebook == "completeness.ipynb"
    assert item.parameters == {"cycle": 2025, "errors": "report"}


def test_common_parameters_and_min_group(data):
    items = plan_items(*data, 2025, data={"errors": "report"}, min_group=7)
    for item in items:
        assert item.parameters["errors"] == "report", item.id
        assert ("min_group" in item.parameters) == (item.kind == "organisation"), item.id
    assert items[0].parameters["min_group"] == 7


def test_filters(data):
    assert [i.id for i in plan_items(*data, 2025, orgs=["zx2"])] == ["2025/organisations/ZX2"]
    by_region = [i.id for i in plan_items(*data, 2025, regions=["Y58"])]
    assert by_region == [
        "2025/organisations/ZX3",
        "2025/regions/south-west",
        "2025/regions/south-west-improvement",
        "2025/regions/south-west-validation",
    ]
    # A region with no 2025 submissions gets no report (the index lists it instead).
    assert [i.id for i in plan_items(*data, 2025, regions=["North West"])] == []


def test_regions_without_submissions(data):
    subs = data[0]
    assert regions_without_submissions(subs, 2025) == [
        name for name in qa.REGIONS.values() if name not in {"London", "South West"}
    ]


def test_unknown_org_and_cycle_are_clear_errors(data):
    with pytest.raises(qa.QioConfigError, match="No 2025 submission for organisation"):
        plan_items(*data, 2025, orgs=["ZZ9"])
    with pytest.raises(qa.QioConfigError, match=r"cycles in the data: \[2023, 2025\]"):
        plan_items(*data, 2021)


def test_options_are_one_hashable_object():
    options = RunOptions(cycle=2025, orgs=["ZX1"], out_dir="out", submissions="s.csv")
    assert options.orgs == ("ZX1",) and options.out_dir.is_absolute()
    assert hash(options) == hash(
        RunOptions(cycle=2025, orgs=("ZX1",), out_dir="out", submissions="s.csv")
    )
    assert not options.demo and RunOptions(cycle=2025).demo
    with pytest.raises(qa.QioConfigError, match="errors must be 'raise' or 'report'"):
        RunOptions(cycle=2025, errors="ignore")
    with pytest.raises(qa.QioConfigError, match="min_group"):
        RunOptions(cycle=2025, min_group=0)


def test_skip_decision(tmp_path):
    files = {k: str(REPORTS / f"{k}.csv") for k in ("submissions", "statistics", "organisations")}
    options = RunOptions(cycle=2025, out_dir=tmp_path, **files)
    first = make_plan(options, {})
    assert len(first.tasks) == len(first.items) and not first.skipped
    item, digest = first.tasks[0]

    def previous(status, input_hash):
        return {
            item.id: ItemResult(
                item.id,
                item.kind,
                item.label,
                item.notebook,
                {},
                status,
                input_hash=input_hash,
                output=item.html_path,
            )
        }

    # Built with the same inputs but the report file is missing: rebuild.
    assert item in [t[0] for t in make_plan(options, previous("built", digest)).tasks]
    (tmp_path / item.html_path).parent.mkdir(parents=True)
    (tmp_path / item.html_path).write_text("report")
    assert item.id in make_plan(options, previous("built", digest)).skipped
    assert item.id not in make_plan(options, previous("built", "other")).skipped
    assert item.id not in make_plan(options, previous("failed", digest)).skipped
    assert item.id not in make_plan(options, previous("stale", digest)).skipped
    forced = RunOptions(cycle=2025, out_dir=tmp_path, force=True, **files)
    assert item.id not in make_plan(forced, previous("built", digest)).skipped
    # Another --min-group changes the organisation reports' hashes.
    other = make_plan(RunOptions(cycle=2025, out_dir=tmp_path, min_group=3, **files), {})
    assert other.hashes[item.id] != first.hashes[item.id]
    assert other.hashes["2025/regions/london"] == first.hashes["2025/regions/london"]

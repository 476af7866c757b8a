"""Planning report items, the options object and the skip decision."""

from __future__ import annotations

import dataclasses

import pytest

import qio_analysis as qa
from qio_analysis.batch.outputs import ItemResult
from qio_analysis.batch.plan import (
    RunOptions,
    make_plan,
    plan_items,
    regions_without_submissions,
)
from qio_analysis.batch.provenance import input_hash
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
        assert ("min_group" in item.parameters) == (item.kind in {"organisation", "headlines"})
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


def _files():
    return {k: str(REPORTS / f"{k}.csv") for k in ("submissions", "statistics", "organisations")}


def _built(item, inputs, status="built"):
    return ItemResult(
        item.id,
        item.kind,
        item.label,
        item.notebook,
        item.parameters,
        status,
        input_hash=input_hash(inputs),
        output=item.html_path,
        inputs=inputs,
    )


def _write_report(folder, item):
    (folder / item.html_path).parent.mkdir(parents=True, exist_ok=True)
    (folder / item.html_path).write_text("report")


def test_skip_decision(tmp_path):
    options = RunOptions(cycle=2025, out_dir=tmp_path, **_files())
    first = make_plan(options, {})
    assert len(first.tasks) == len(first.items) and not first.results
    item, digest = first.tasks[0]
    recorded = first.inputs_by_item[item.id]
    assert input_hash(recorded) == digest
    assert set(recorded) == {"data", "notebook", "options", "package", "assets"}

    def previous(status="built", inputs=recorded):
        return {item.id: _built(item, inputs, status)}

    # Built with the same inputs but the report file is missing: rebuild.
    assert item in [t[0] for t in make_plan(options, previous()).tasks]
    _write_report(tmp_path, item)
    assert make_plan(options, previous()).results[item.id].status == "skipped"
    other = {**recorded, "notebook": "other"}
    again = make_plan(options, previous(inputs=other))
    assert item.id not in again.results
    assert again.outdated == {item.id: "its notebook changed"}
    assert item.id not in make_plan(options, previous("failed")).results
    assert item.id not in make_plan(options, previous("stale")).results
    forced = RunOptions(cycle=2025, out_dir=tmp_path, force=True, **_files())
    assert item.id not in make_plan(forced, previous()).results
    # Another --min-group changes the organisation reports' options, and only theirs.
    more = make_plan(RunOptions(cycle=2025, out_dir=tmp_path, min_group=3, **_files()), {})
    assert more.hashes[item.id] != first.hashes[item.id]
    assert more.inputs_by_item[item.id]["options"] != recorded["options"]
    assert more.hashes["2025/regions/london"] == first.hashes["2025/regions/london"]


def test_reports_left_out_of_a_run_are_kept_marked_or_withdrawn(tmp_path):
    everything = make_plan(RunOptions(cycle=2025, out_dir=tmp_path, **_files()), {})
    items = {item.id: item for item in everything.items}
    zx1, london = items["2025/organisations/ZX1"], items["2025/regions/london"]
    for item in (zx1, london):
        _write_report(tmp_path, item)
    older = {**everything.inputs_by_item[london.id], "data": "older"}
    gone = dataclasses.replace(zx1, id="2025/organisations/ZX9", label="Gone (ZX9)")
    previous = {
        zx1.id: _built(zx1, everything.inputs_by_item[zx1.id]),
        london.id: _built(london, older),
        gone.id: _built(gone, older),
    }
    one = make_plan(RunOptions(cycle=2025, out_dir=tmp_path, orgs=["ZX2"], **_files()), previous)
    assert one.selected == {"2025/organisations/ZX2"}
    assert [item.id for item, _ in one.tasks] == ["2025/organisations/ZX2"]
    assert one.results[zx1.id].status == "skipped"  # not asked for, still matches its record
    assert one.results[london.id].status == "stale"
    assert one.results[london.id].error == "Built before the data changed; not rebuilt in this run."
    assert one.outdated == {london.id: "the data changed"}
    assert one.results[gone.id].status == "withdrawn"
    assert "No longer in the data" in one.results[gone.id].error
    assert "2025/regions/south-west" not in one.results  # never built here: not listed

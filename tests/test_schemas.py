"""Declared schemas (schemas.py) are enforced where a public metric takes a table (checks.py)."""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis import checks, schemas
from qio_analysis.errors import QioConfigError, QioDataError
from tests.metrics.helpers import both, stats, subs


def one_org() -> pd.DataFrame:
    return subs(
        [r for n in range(1, 7) for r in both("A", "London", 2025, n, (2, None), (2, None))]
    )


def test_a_value_outside_the_schema_is_a_data_error_naming_the_column_and_row():
    frame = one_org()
    # Row 3 moved to a region that does not exist (a new table, as .assign makes).
    bad = frame.assign(region=frame["region"].where(frame.index != 3, "Atlantis"))
    with pytest.raises(QioDataError) as raised:
        qa.level_profile(bad, "ZZA", 2025)
    problems = raised.value.problems
    assert {p.column for p in problems} == {"region"}
    # Row 3 of the frame came from fixture.csv row 5 (rows are numbered from 2).
    assert [(p.file, p.row) for p in problems] == [("fixture.csv", 5)]


def test_a_missing_column_is_named():
    with pytest.raises(QioDataError, match="column 'sublevel': this column is missing"):
        qa.paired_levels(one_org().drop(columns="sublevel"), 2025)


def test_a_wrong_dtype_is_named():
    bad = one_org().assign(cycle=lambda f: f["cycle"].astype(str))
    with pytest.raises(QioDataError) as raised:
        qa.level_distribution(bad, 2025)
    assert "cycle" in {p.column for p in raised.value.problems}


def test_a_schema_break_across_rows_is_caught_too():
    dup = pd.concat([one_org(), one_org().iloc[[0]]], ignore_index=True)  # one row twice
    with pytest.raises(QioDataError):
        qa.completeness(dup, None, 2025)


def test_statistics_and_organisations_are_checked_as_well():
    good = stats([{"service_code": "ZLKS001", "year_start": 2024, "nhs_wte": 1000.0}])
    bad = good.assign(nhs_wte=pd.array([-5.0], dtype="Float64"))
    with pytest.raises(QioDataError, match="nhs_wte"):
        qa.staff_ratio(bad)
    orgs = pd.DataFrame({"org_code": ["ZZA"], "org_name": ["Org A"], "region": ["London"]})
    with pytest.raises(QioDataError, match="org_type"):
        qa.submission_status(one_org(), orgs, 2025)


def test_not_a_table_is_a_config_error():
    with pytest.raises(QioConfigError, match="Expected the submissions table"):
        qa.level_profile([1, 2, 3], "ZZA", 2025)


def test_extra_columns_are_allowed_and_valid_tables_give_the_same_answer():
    frame = one_org()
    plain = qa.level_distribution(frame, 2025)
    extra = qa.level_distribution(frame.assign(note="added by a caller"), 2025)
    pd.testing.assert_frame_equal(plain, extra)


def test_each_content_is_checked_once_and_a_changed_table_again(monkeypatch):
    frame = one_org().copy()  # a copy: not the helper's validated table itself
    checked: list[int] = []
    real = checks.validate

    def counting(model, df, what):
        checked.append(len(df))
        return real(model, df, what)

    monkeypatch.setattr(checks, "validate", counting)
    checks._CHECKED.clear()
    qa.level_profile(frame, "ZZA", 2025)  # level_profile calls paired_levels: one check
    qa.level_history(frame.copy(), "ZZA", 2025)  # a copy with the same content: no new check
    assert checked == [12]
    changed = frame.copy()
    changed.loc[0, ["level", "score"]] = [3, 3.0]
    qa.level_history(changed, "ZZA", 2025)
    assert checked == [12, 12]


def test_column_lists_come_from_the_models():
    assert list(schemas.SubmissionsSchema.to_schema().columns) == schemas.SUBMISSION_COLUMNS
    assert schemas.STATISTICS_COLUMNS[:7] == [
        "service_code",
        "service_name",
        "lead_org_code",
        "organisations_served",
        "region",
        "year",
        "year_start",
    ]
    # The twelve measures, of which the eight counts are the whole-number ones.
    assert len(schemas.STATISTICS_MEASURES) == 12
    assert set(schemas.STATISTICS_MEASURES) - set(schemas.STATISTICS_COUNTS) == {
        "qualified_wte",
        "other_wte",
        "nhs_wte",
        "expenditure_gbp",
    }
    empty = schemas.empty_table(schemas.StatisticsSchema)
    assert list(empty.columns) == schemas.STATISTICS_COLUMNS and empty.empty
    checks.check_table(empty, schemas.StatisticsSchema)  # an empty table of the model is valid


def test_tables_valid_by_construction_are_not_checked_again(monkeypatch):
    inputs = qa.load_inputs()  # copies of the readers' checked tables
    checked: list[str] = []
    monkeypatch.setattr(checks, "validate", lambda model, df, what: checked.append(what))
    qa.level_profile(inputs.submissions, "ZA07", 2025)
    service = qa.service_statistics(inputs.statistics, "ZA07", inputs.organisations)
    qa.staff_ratio(service, by="service_code")  # a row subset of a checked table
    assert checked == []

"""Report parameters: typed per kind, read back from the manifest key by key."""

from __future__ import annotations

import json

import pytest

from qio_analysis.batch.parameters import (
    REPORT_KINDS,
    HeadlinesParameters,
    OrganisationParameters,
    RegionReviewParameters,
    cycle_of,
    min_group_of,
    notebook_parameters,
    read_parameters,
    region_of,
    report_kind,
    run_date_of,
    year_of,
)
from qio_analysis.errors import QioConfigError


def test_the_kinds_are_the_ones_the_index_groups_by():
    from qio_analysis.batch.index import _GROUPS

    assert set(REPORT_KINDS) == set(_GROUPS)
    assert report_kind("organisation") == "organisation"
    with pytest.raises(QioConfigError, match="'trust' is not a kind of report"):
        report_kind("trust")


def test_parameters_round_trip_through_json_unchanged():
    sent = OrganisationParameters(
        org_code="ZA07", cycle=2025, submissions=["/a.xlsx", "/b.xlsx"], errors="report"
    )
    sent["min_group"] = 7
    back = read_parameters(json.loads(json.dumps(sent)), item="2025/organisations/ZA07")
    assert back == sent
    assert list(back) == ["org_code", "cycle", "submissions", "errors", "min_group"]
    assert (cycle_of(back), min_group_of(back, 5), region_of(back), year_of(back)) == (
        2025,
        7,
        None,
        None,
    )


def test_accessors_give_none_or_the_default_where_a_kind_has_no_such_parameter():
    headlines = HeadlinesParameters(year="2024/25")
    assert (cycle_of(headlines), year_of(headlines), min_group_of(headlines, 5)) == (
        None,
        "2024/25",
        5,
    )
    review = RegionReviewParameters(region="London", cycle=2025, run_date="2025-07-01")
    assert (region_of(review), run_date_of(review)) == ("London", "2025-07-01")


def test_notebook_parameters_are_a_plain_copy():
    sent = HeadlinesParameters(year="2024/25", min_group=5)
    given = notebook_parameters(sent)
    given["year"] = "changed"
    assert sent["year"] == "2024/25" and type(given) is dict


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"cycle": "2025"}, r"'cycle' of 'x' should be int, not '2025'"),
        ({"min_group": True}, r"'min_group' of 'x' should be int, not True"),
        ({"region": 3}, r"'region' of 'x' should be str or NoneType, not 3"),
        (["cycle"], r"parameters of 'x' are not a mapping"),
    ],
)
def test_a_manifest_value_of_the_wrong_type_is_named(raw, message):
    with pytest.raises(QioConfigError, match=message):
        read_parameters(raw, item="x")


def test_keys_this_version_does_not_know_are_kept():
    assert read_parameters({"cycle": 2025, "new_option": [1]}, item="x") == {
        "cycle": 2025,
        "new_option": [1],
    }

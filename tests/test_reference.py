"""NHS England regions accepted by name (any case) or ODS code."""

import pytest

import qio_analysis as qa
from qio_analysis.reference import region_slug


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Y56", "London"),
        ("y63", "North East and Yorkshire"),
        ("south west", "South West"),
        ("  EAST  OF ENGLAND ", "East of England"),
        ("Midlands", "Midlands"),
    ],
)
def test_region_by_name_or_code(value, expected):
    assert qa.region_name(value) == expected


def test_unknown_region_lists_what_is_allowed():
    with pytest.raises(qa.QioConfigError, match=r"'Wales'.*London \(Y56\)"):
        qa.region_name("Wales")


def test_seven_regions_and_slugs():
    assert len(qa.REGIONS) == 7
    assert region_slug("North East and Yorkshire") == "north-east-and-yorkshire"

"""The ODS trust list (real file, read in place) and the analysis organisations table."""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from qio_analysis.io import ods_name_case
from tests.conftest import SHARED_ETR


@pytest.fixture(scope="module")
def trusts():
    if not SHARED_ETR.parent.parent.exists():
        pytest.skip(
            f"../shared is absent ({SHARED_ETR.parent.parent}); the real ODS file lives there"
        )
    return qa.read_ods_trusts(SHARED_ETR)


def test_real_ods_trust_list_counts(trusts):
    assert len(trusts) == 210
    assert (~trusts.is_open).sum() == 5
    assert sorted(trusts.loc[~trusts.is_open, "org_code"]) == ["R1C", "RAP", "RRP", "RY9", "RYK"]
    english_open = trusts[trusts.is_open & trusts.region.notna()]
    assert len(english_open) == 202
    assert english_open.region_code.value_counts().to_dict() == {
        "Y60": 39,
        "Y56": 32,
        "Y62": 31,
        "Y63": 31,
        "Y59": 28,
        "Y61": 22,
        "Y58": 19,
    }
    assert (trusts.region_code == "W00").sum() == 3 and trusts.loc[
        trusts.region_code == "W00", "region"
    ].isna().all()


def test_real_ods_names_and_fields(trusts):
    rbt = trusts.set_index("org_code").loc["RBT"]
    assert rbt.org_name == "Mid Cheshire Hospitals NHS Foundation Trust"
    assert rbt.region == "North West" and rbt.region_code == "Y62"
    assert str(trusts.open_date.dtype).startswith("datetime64")
    assert trusts.is_open.dtype == bool


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST",
            "King's College Hospital NHS Foundation Trust",
        ),
        ("ISLE OF WIGHT NHS TRUST", "Isle of Wight NHS Trust"),
        (
            "LANCASHIRE & SOUTH CUMBRIA NHS FOUNDATION TRUST",
            "Lancashire & South Cumbria NHS Foundation Trust",
        ),
        (
            "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
    ],
)
def test_name_casing(raw, expected):
    assert ods_name_case(raw) == expected


def test_malformed_ods_row_is_reported(tmp_path):
    path = tmp_path / "etr.csv"
    path.write_text('"ZZ1","SHORT ROW","Y56"\n')
    with pytest.raises(qa.QioDataError, match="row 1: an ODS row has 3 fields"):
        qa.read_ods_trusts(path)


def test_organisations_table(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "Organisation code,Organisation name,Organisation type,Region,LKS service code\n"
        "zq1,Quayside NHS Trust,acute,Y56,ZS1\n"
        "ZQ2,Riverton NHS Trust,Mental health,South West,\n"
    )
    orgs = qa.read_organisations(path)
    records = [
        {k: (None if pd.isna(v) else v) for k, v in r.items()} for r in orgs.to_dict("records")
    ]
    assert records == [
        {
            "org_code": "ZQ1",
            "org_name": "Quayside NHS Trust",
            "org_type": "Acute",
            "region": "London",
            "service_code": "ZS1",
        },
        {
            "org_code": "ZQ2",
            "org_name": "Riverton NHS Trust",
            "org_type": "Mental health",
            "region": "South West",
            "service_code": None,
        },
    ]


def test_organisations_table_bad_type_and_region(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "Organisation code,Organisation name,Organisation type,Region,LKS service code\n"
        "ZQ1,Quayside NHS Trust,Hospital,Atlantis,ZS1\n"
    )
    with pytest.raises(qa.QioDataError) as info:
        qa.read_organisations(path)
    assert {(p.row, p.column) for p in info.value.problems} == {
        (2, "Region"),
        (2, "Organisation type"),
    }

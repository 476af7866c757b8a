"""Reading LKS statistics returns: year styles, numbers as text, missing values, problems."""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from tests.conftest import DATA

STATS = DATA / "statistics"


def row(df, service, year):
    match = df[(df.service_code == service) & (df.year == year)]
    assert len(match) == 1
    return match.iloc[0]


def test_returns_with_synonyms_and_numbers_as_text():
    res = qa.read_statistics(STATS / "returns.csv")
    df = res.data
    assert len(df) == 4
    zs1 = row(df, "ZS1", "2023/24")
    assert zs1.year_start == 2023
    assert zs1.lead_org_code == "ZQ1"
    assert zs1.organisations_served == "ZQ1;ZQ2"
    assert zs1.nhs_wte == 7500.0
    assert zs1.enquiries == 1234
    assert zs1.expert_searches == 310  # 'Literature searches'
    assert zs1.people_trained == 450  # 'User education'
    assert zs1.inductions == 380  # 'User induction'
    assert zs1.document_supply == 900  # 'Items supplied'
    assert zs1.expenditure_gbp == 250000.5
    assert row(df, "ZS1", "2022/23").qualified_wte == 4.0
    zs2 = row(df, "ZS2", "2023/24")  # 'FY2023/24'
    assert pd.isna(zs2.other_wte) and pd.isna(zs2.potential_users) and pd.isna(zs2.expenditure_gbp)
    assert row(df, "ZS2", "2022/23").region == "South West"  # 'y58', year '2022-2023'
    assert str(df.enquiries.dtype) == "Int64" and str(df.nhs_wte.dtype) == "Float64"
    assert any("number written as text" in n for n in res.notes)


def test_bad_values_name_each_cell():
    with pytest.raises(qa.QioDataError) as info:
        qa.read_statistics(STATS / "bad_returns.csv")
    got = {(p.row, p.column, p.value) for p in info.value.problems}
    assert got == {
        (2, "Qualified LKS staff WTE", "-1"),
        (3, "Year", "2023"),
        (3, "Enquiries", "lots"),
        (4, "Year", "2023/25"),
        (4, "Enquiries", "12.5"),
    }
    reasons = {p.row: p.reason for p in info.value.problems if p.column == "Enquiries"}
    assert reasons[4] == "this count is not a whole number"
    res = qa.read_statistics(STATS / "bad_returns.csv", errors="report")
    assert list(res.data.service_code) == ["ZS4"]
    assert res.rows_in == 4 == res.rows_loaded + len(res.rejected) + len(res.superseded)


def test_windows_1252_pound_sign_and_absent_measures():
    res = qa.read_statistics(STATS / "returns_cp1252.csv")
    zs5 = res.data.iloc[0]
    assert zs5.service_name == "Bellevue Sant\u00e9 LKS"
    assert zs5.expenditure_gbp == 1000.0
    assert pd.isna(zs5.qualified_wte)
    assert any("Windows-1252" in n for n in res.notes)
    assert any("no column for qualified_wte" in n for n in res.notes)


def test_resubmitted_return_with_later_date_wins(tmp_path):
    path = tmp_path / "resub.csv"
    path.write_text(
        "Service code,Service name,Region,Year,Submitted,Enquiries\n"
        "ZS1,Quayside LKS,London,2023/24,2024-05-01,100\n"
        "ZS1,Quayside LKS,London,2023-24,2024-06-01,120\n"
    )
    res = qa.read_statistics(path)
    assert list(res.data.enquiries) == [120]
    assert list(res.superseded.source_row) == [2]

"""A folder of workbooks laid out like the national template loads, or fails naming what it needs.

Fixtures: tests/data/forms/template (made by tests/data/forms/make_fixtures.py).
Hand-worked from the fixture script:

ZT1 (Thornbury NHS Trust, North West, "2025/26" -> 2025), validated by Sam Patel on
14/07/2025, outcome rows 11-16: self 2 High, 3, 2, 2 Low, 1, 2; validated 2 Medium, 2,
2, 2 Low, 1, blank.
ZT2 (Upperby NHS Trust, "Y56" -> London, 2025), validated by Ali Khan on "14/07/2025",
combined columns, outcome rows 8-13: self 2 High, 3, 2, 1 Medium, 2, 0; validated
2 High, 2, 2, 1 Medium, 2, 0.
"""

from __future__ import annotations

import pandas as pd
import pytest

import qio_analysis as qa
from tests.conftest import DATA, write_workbook

TEMPLATE = DATA / "forms" / "template"


def levels(df, org, assessment):
    rows = df[(df.org_code == org) & (df.assessment == assessment)].sort_values("outcome")
    return [
        (None if pd.isna(r.level) else int(r.level), None if pd.isna(r.sublevel) else r.sublevel)
        for r in rows.itertuples()
    ]


def test_template_folder_loads_hand_worked_levels():
    res = qa.read_submissions(TEMPLATE)
    df = res.data
    assert (res.rows_in, res.rows_loaded) == (2, 2)
    assert levels(df, "ZT1", "self") == [
        (2, "High"),
        (3, None),
        (2, None),
        (2, "Low"),
        (1, None),
        (2, None),
    ]
    assert levels(df, "ZT1", "validated") == [
        (2, "Medium"),
        (2, None),
        (2, None),
        (2, "Low"),
        (1, None),
        (None, None),
    ]
    assert levels(df, "ZT2", "self") == [
        (2, "High"),
        (3, None),
        (2, None),
        (1, "Medium"),
        (2, None),
        (0, None),
    ]
    assert levels(df, "ZT2", "validated") == [
        (2, "High"),
        (2, None),
        (2, None),
        (1, "Medium"),
        (2, None),
        (0, None),
    ]
    ident = df.drop_duplicates("org_code").set_index("org_code")
    assert ident.loc["ZT1", ["org_name", "region", "cycle"]].tolist() == [
        "Thornbury NHS Trust",
        "North West",
        2025,
    ]
    assert ident.loc["ZT2", ["org_name", "region", "cycle"]].tolist() == [
        "Upperby NHS Trust",
        "London",
        2025,
    ]
    assert "ZT1.xlsx: 1 row(s) below the table of outcomes not read (notes)" in res.notes
    who = res.validations.drop_duplicates("org_code").set_index("org_code")
    assert who.loc["ZT1", "validator"] == "Sam Patel"
    assert who.loc["ZT2", "validated_on"] == pd.Timestamp("2025-07-14")
    zt1 = res.validations[res.validations.org_code == "ZT1"].set_index("outcome")
    assert zt1.at[2, "comment"] == "Show how evidence informs board decisions"
    assert zt1.at[2, "cell"] == "E12"


def test_template_supersedes_the_export_row_it_validates(tmp_path):
    export = tmp_path / "export.csv"
    header = "Organisation code,Organisation name,Region,Cycle," + ",".join(
        f"Outcome {n} self-evaluated,Outcome {n} validated" for n in range(1, 7)
    )
    export.write_text(
        header + "\nZT2,Upperby NHS Trust,London,2025,2 High,,3,,2,,1 Medium,,2,,0,\n",
        encoding="utf-8",
    )
    res = qa.read_submissions([export, TEMPLATE / "ZT2.xlsx"])
    assert levels(res.data, "ZT2", "validated")[1] == (2, None)
    assert res.superseded.reason.tolist() == ["validated on a form by Ali Khan on 14/07/2025"]
    changed = res.validations[res.validations.changed]
    assert changed.outcome.tolist() == [1, 2, 3, 4, 5, 6]  # all new: the export had none
    assert changed.from_level.isna().all()


def _template(path, title, header, rows):
    return write_workbook(path, {"Levels": [*title, [], header, *rows]})


TITLE = [
    ["Organisation code", "ZT3"],
    ["Organisation name", "Vale NHS Trust"],
    ["Region", "London"],
    ["Cycle", 2025],
    ["Validated by", "Jo Bloggs"],
    ["Date validated", "01/07/2025"],
]
HEADER = ["Outcome", "Self-evaluated level", "Validated level"]
ROWS = [[n, 2, 2] for n in range(1, 7)]


def test_a_template_with_nothing_missing_loads(tmp_path):
    path = _template(tmp_path / "ZT3.xlsx", TITLE, HEADER, ROWS)
    assert levels(qa.load_submissions(path), "ZT3", "validated") == [(2, None)] * 6


@pytest.mark.parametrize(
    ("title", "header", "rows", "expected"),
    [
        (
            TITLE[:2] + TITLE[3:],
            HEADER,
            ROWS,
            "the title block above the table of outcomes has no 'Region'",
        ),
        (
            TITLE,
            ["Outcome", "Self-evaluated level", "Comments"],
            ROWS,
            # Without a validated column the header is not recognised at all.
            "no QIOF submissions header row was found",
        ),
        (TITLE, HEADER, ROWS[:3] + ROWS[4:], "the table of outcomes has no row for outcome 4"),
        (
            TITLE,
            HEADER,
            [*ROWS[:3], ["Total", 6, 6], *ROWS[3:]],
            "cell A12: this is not an outcome",
        ),
        (TITLE, HEADER, [*ROWS, [2, 1, 1]], "outcome 2 has two rows (also row 10)"),
        (
            TITLE[:4],
            HEADER,
            ROWS,
            "does not say who validated them: the title block has no 'Validated by'",
        ),
    ],
)
def test_a_template_missing_something_names_it(tmp_path, title, header, rows, expected):
    path = _template(tmp_path / "ZT3.xlsx", title, header, rows)
    with pytest.raises(qa.QioDataError) as info:
        qa.read_submissions(path)
    assert expected in str(info.value)
    assert "ZT3.xlsx" in str(info.value)


def test_no_header_error_describes_the_template_layout(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", {"Levels": [["Outcome", "Level"], [1, 2]]})
    with pytest.raises(qa.QioDataError, match="the national template layout"):
        qa.read_submissions(path)


def test_a_template_without_a_cycle_takes_the_runs_cycle_and_says_so(tmp_path):
    no_cycle = [line for line in TITLE if line[0] != "Cycle"]
    path = _template(tmp_path / "ZT3.xlsx", no_cycle, HEADER, ROWS)
    with pytest.raises(
        qa.QioDataError, match="the title block above the table of outcomes has no 'Cycle'"
    ):
        qa.read_submissions(path)
    res = qa.read_submissions(path, cycle=2024)
    assert res.data["cycle"].unique().tolist() == [2024]
    assert levels(res.data, "ZT3", "validated") == [(2, None)] * 6
    assert (
        "ZT3.xlsx: the title block has no 'Cycle' label; read as the run's cycle, 2024" in res.notes
    )


def test_a_template_with_a_cycle_keeps_its_own_whatever_the_run(tmp_path):
    path = _template(tmp_path / "ZT3.xlsx", TITLE, HEADER, ROWS)
    res = qa.read_submissions(path, cycle=2023)
    assert res.data["cycle"].unique().tolist() == [2025]
    assert not [n for n in res.notes if "run's cycle" in n]


def test_load_inputs_passes_the_runs_cycle_to_template_folders(tmp_path):
    no_cycle = [line for line in TITLE if line[0] != "Cycle"]
    folder = tmp_path / "templates"
    folder.mkdir()
    _template(folder / "ZT3.xlsx", no_cycle, HEADER, ROWS)
    inputs = qa.load_inputs(folder, cycle=2025)
    assert inputs.submissions["cycle"].unique().tolist() == [2025]

"""Control, bidi and zero-width characters are removed at read time, with a note."""

from __future__ import annotations

import qio_analysis as qa
from tests.conftest import write_workbook

LONG = ["Org code", "Org name", "Region", "Cycle", "Outcome", "Assessment", "Level"]


def test_bidi_override_and_zero_width_removed_from_names_and_codes(tmp_path):
    path = tmp_path / "l.csv"
    # U+202E would display 'Trust NHS ...' reversed; U+200B hides inside the code.
    path.write_text(
        ",".join(LONG) + "\nZQ\u200b1,\u202eQuayside NHS Trust\u202c,London,2023,1,self,2\n",
        encoding="utf-8",
    )
    res = qa.read_submissions(path)
    row = res.data.iloc[0]
    assert (row.org_code, row.org_name) == ("ZQ1", "Quayside NHS Trust")
    assert (
        "l.csv: row 2, column 'Org code': removed invisible or control character(s) "
        "(U+200B ZERO WIDTH SPACE); read as 'ZQ1'"
    ) in res.notes
    assert any(
        "column 'Org name'" in n and "U+202E RIGHT-TO-LEFT OVERRIDE" in n and "U+202C" in n
        for n in res.notes
    )


def test_noncharacters_xml_forbids_are_removed_with_a_note(tmp_path):
    # U+FFFE/U+FFFF used to pass: the org workbook's docProps/core.xml and chart title
    # (which hold the name) were then not well-formed XML.
    path = tmp_path / "l.csv"
    path.write_text(
        ",".join(LONG) + "\nZQ1,Quay\ufffeside NHS\uffff Trust,London,2023,1,self,2\n",
        encoding="utf-8",
    )
    res = qa.read_submissions(path)
    assert res.data.org_name.tolist() == ["Quayside NHS Trust"]
    assert (
        "l.csv: row 2, column 'Org name': removed invisible or control character(s) "
        "(U+FFFE noncharacter, U+FFFF noncharacter); read as 'Quayside NHS Trust'"
    ) in res.notes


def test_invisible_fillers_and_tag_characters_are_removed(tmp_path):
    # Hangul fillers, the combining grapheme joiner and tag characters draw nothing, so
    # 'Quay\u3164side' would look like another organisation's name.
    path = tmp_path / "l.csv"
    name = "Quay\u3164side\u034f NHS\uffa0 Trust\U000e0041"
    path.write_text(",".join(LONG) + f"\nZQ1,{name},London,2023,1,self,2\n", encoding="utf-8")
    res = qa.read_submissions(path)
    assert res.data.org_name.tolist() == ["Quayside NHS Trust"]
    assert any(
        "U+3164 HANGUL FILLER" in n and "U+E0041 TAG LATIN CAPITAL LETTER A" in n for n in res.notes
    )


def test_control_characters_in_a_workbook_name(tmp_path):
    path = write_workbook(
        tmp_path / "l.xlsx",
        {"L": [LONG, ["ZQ1", "Quayside\u009b NHS\u2066 Trust", "London", 2023, 1, "self", 2]]},
    )
    res = qa.read_submissions(path)
    assert res.data.org_name.tolist() == ["Quayside NHS Trust"]
    assert any("sheet 'L' row 2, column 'Org name'" in n and "U+009B" in n for n in res.notes)


def test_many_cleaned_cells_are_counted(tmp_path):
    path = tmp_path / "l.csv"
    rows = [f"ZQ{i},Trust\u200e {i},London,2023,1,self,2" for i in range(1, 13)]
    path.write_text(",".join(LONG) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    res = qa.read_submissions(path)
    assert not res.data.org_name.str.contains("\u200e").any()
    assert (
        "l.csv: invisible or control characters removed from 12 cells in all (the first 10 are listed)"
        in res.notes
    )
    assert sum("removed invisible" in n for n in res.notes) == 10


def test_statistics_and_organisations_names_are_cleaned(tmp_path):
    stats = tmp_path / "s.csv"
    stats.write_text(
        "Service code,Service name,Region,Year,Enquiries\nZS1,Quay\u202eside LKS,London,2023/24,5\n",
        encoding="utf-8",
    )
    res = qa.read_statistics(stats)
    assert res.data.service_name.tolist() == ["Quayside LKS"]
    assert any("U+202E" in n for n in res.notes)
    orgs = tmp_path / "o.csv"
    orgs.write_text(
        "Organisation code,Organisation name,Organisation type,Region,LKS service code\n"
        "ZQ1,Quay\u202eside NHS Trust,Acute,London,ZS1\n",
        encoding="utf-8",
    )
    org = qa.io.read_organisations_result(orgs)
    assert org.data.org_name.tolist() == ["Quayside NHS Trust"]
    assert any("U+202E" in n for n in org.notes)

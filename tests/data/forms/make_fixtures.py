"""Write the national-template fixtures in ``template/`` (run once; the outputs are checked in).

Two workbooks laid out like the national self-evaluation and validated-levels
template (one organisation each), written the way people fill them in, not
by qio-analysis, so they carry no form record:

* ``ZT1.xlsx``: a title, then labels in column A with values in column B;
  separate level and sub-level columns; outcomes written "Outcome 1: Access";
  an outcome statement column; a signature line below the table.
* ``ZT2.xlsx``: two label/value pairs per row with other names for the
  labels ("ODS code", "Year", "Trust name", "NHS England region",
  "Validator", "Validation date"); combined columns ("Self-evaluated" holding
  "2 - High"); outcomes as numbers; the region as its ODS code; the date as text.

The hand-worked values are in ``tests/io/test_forms_template.py``.
``export_2025.csv`` and ``export_2023.csv`` beside this script are hand-written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent / "template"
OUTCOMES = [
    "Outcome 1: Access",
    "Outcome 2: Evidence in decisions",
    "Outcome 3: Knowing needs",
    "Outcome 4: Skill mix",
    "Outcome 5: Quality improvement",
    "Outcome 6: Impact",
]


def zt1() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Self-evaluation"
    sheet["A1"] = "Quality and Improvement Outcomes Framework: self-evaluation and validated levels"
    block = [
        ("Organisation name", "Thornbury NHS Trust"),
        ("Organisation code", "ZT1"),
        ("Region", "North West"),
        ("Cycle", "2025/26"),
        ("Validated by", "Sam Patel"),
        ("Date validated", dt.datetime(2025, 7, 14)),
    ]
    for row, (label, value) in enumerate(block, start=3):
        sheet.cell(row=row, column=1, value=label)
        sheet.cell(row=row, column=2, value=value)
    sheet.append([])
    sheet.append(
        [
            "Outcome",
            "Outcome statement",
            "Self-evaluated level",
            "Self-evaluated sub-level",
            "Validated level",
            "Validated sub-level",
            "Required actions and recommendations",
        ]
    )
    levels = [
        (2, "High", 2, "Medium", None),
        (3, None, 2, None, "Show how evidence informs board decisions"),
        (2, None, 2, None, None),
        (2, "Low", 2, "Low", None),
        (1, None, 1, None, None),
        (2, None, None, None, "Impact case studies not yet seen"),
    ]
    for name, (s, ss, v, vs, comment) in zip(OUTCOMES, levels, strict=True):
        sheet.append([name, "(the outcome statement)", s, ss, v, vs, comment])
    sheet.append([])
    sheet.append(["Signed off by the LKS Lead"])
    book.save(HERE / "ZT1.xlsx")


def zt2() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "QIOF"
    sheet["A1"] = "QIOF levels"
    sheet.append([])
    sheet.append(["ODS code", "ZT2", "Year", 2025])
    sheet.append(["Trust name", "Upperby NHS Trust", "NHS England region", "Y56"])
    sheet.append(["Validator", "Ali Khan", "Validation date", "14/07/2025"])
    sheet.append([])
    sheet.append(["Outcome number", "Self-evaluated", "Validated", "Comments"])
    levels = [
        ("2 - High", "2 - High"),
        ("L3", "2"),
        ("2", "2"),
        ("1M", "1 Medium"),
        ("2", "2"),
        ("0", "0"),
    ]
    for n, (s, v) in enumerate(levels, start=1):
        sheet.append([n, s, v, None])
    book.save(HERE / "ZT2.xlsx")


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    zt1()
    zt2()

"""Validation forms as a validator fills them in: write a region's forms, then type into them.

The fixture export (tests/data/forms/export_2025.csv) is described in
tests/io/test_forms.py. The organisation form puts the title block in A4:B10
(B8 "Date submitted", B9 "Validated by", B10 "Date validated"), the header on
row 12 and outcome N on row 12 + N: C/D self-evaluated level and sub-level,
E/F validated level and sub-level, G the comment.
"""

from __future__ import annotations

import datetime as dt

import openpyxl

import qio_analysis as qa
from qio_analysis.export.forms import validation_forms, write_validation_forms
from qio_analysis.export.workbooks import WorkbookContext
from tests.conftest import DATA

FORMS = DATA / "forms"
EXPORT = FORMS / "export_2025.csv"
CONTEXT = WorkbookContext(sources=["export_2025.csv"], version="9.9", demo=False, made="1 May 2025")
ON = dt.date(2025, 6, 2)


def write_forms(folder, *, layout="organisation", source=EXPORT, cycle=2025):
    """The North West's forms for ``cycle``, written from ``source`` into ``folder``."""
    subs = qa.read_submissions(source).data
    forms = validation_forms(subs, cycle, CONTEXT, regions=["North West"], layout=layout)
    return write_validation_forms(forms, folder)


def fill(path, levels=None, *, who="Jo Bloggs", when=ON, cells=None):
    """Enter validated levels {outcome: (level, sub-level)}, name, date and other cells."""
    book = openpyxl.load_workbook(path)
    sheet = book["Validation"]
    for outcome, (level, sub) in (levels or {}).items():
        sheet.cell(row=12 + outcome, column=5, value=level)
        sheet.cell(row=12 + outcome, column=6, value=sub)
    sheet["B9"], sheet["B10"] = who, when
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    book.save(path)

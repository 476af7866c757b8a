"""Spreadsheets laid out as the Analysis Function's guidance on releasing statistics asks.

A cover sheet, a contents sheet with links, a notes sheet (notes cited as
``[note 1]``), then one table per sheet: title in A1, a few lines of context,
then an Excel table with one header row, no merged cells, no blank rows,
frozen header, filters, the cursor in A1 and document properties set. Level
cells are formatted by level but always keep the number, so colour is never
the only carrier of meaning.

Built with openpyxl by hand rather than gptables: gptables writes its own
file through xlsxwriter, while every workbook the project writes must pass
through :func:`qio_analysis.io.writers.write_workbook_atomic`, which
neutralises formula-like text on an openpyxl ``Workbook``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from qio_analysis.errors import QioConfigError

#: Fill and font per level 0-4: a pale-to-navy ramp, text contrast >= 4.5:1 on each fill.
LEVEL_STYLES: dict[int, tuple[str, str]] = {
    0: ("E8EDEE", "231F20"),
    1: ("C6DBF0", "231F20"),
    2: ("8FB8E3", "231F20"),
    3: ("005EB8", "FFFFFF"),
    4: ("003087", "FFFFFF"),
}
_TITLE = Font(bold=True, size=14)
_HEADER = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class SheetTable:
    """One table on its own sheet.

    ``level_columns`` are formatted by level; ``formats`` maps a column to an
    Excel number format; ``wide`` columns wrap text.
    """

    sheet: str
    title: str
    frame: pd.DataFrame
    description: list[str] = field(default_factory=list)
    level_columns: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    wide: list[str] = field(default_factory=list)
    #: Columns kept in view when scrolling right (the organisation's code and name).
    frozen_columns: int = 0

    def header_row(self) -> int:
        """The worksheet row of the table's header (1-based)."""
        return 2 + len(self.description)


def table_name(text: str) -> str:
    """An Excel table name: letters, digits and underscores, starting with a letter."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return name if name[:1].isalpha() else f"T_{name}"


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _width(values: list[object], header: str) -> float:
    longest = max([len(str(v)) for v in values if v is not None] + [len(header) // 2 + 2, 6])
    return min(longest + 2, 60)


def write_table(sheet: Worksheet, spec: SheetTable) -> str:
    """Write ``spec`` on ``sheet``; returns the table's cell range (header included)."""
    sheet["A1"] = spec.title
    sheet["A1"].font = _TITLE
    for offset, line in enumerate(spec.description):
        sheet.cell(row=2 + offset, column=1, value=line)
    top = spec.header_row()
    frame = spec.frame
    columns = [str(c) for c in frame.columns]
    if len(set(columns)) != len(columns):
        raise QioConfigError(f"Table {spec.sheet!r} has duplicate column names: {columns}.")
    for j, name in enumerate(columns, start=1):
        cell = sheet.cell(row=top, column=j, value=name)
        cell.font = _HEADER
        cell.alignment = _WRAP
    rows = frame.astype(object).to_numpy().tolist()
    for i, row in enumerate(rows, start=top + 1):
        for j, value in enumerate(row, start=1):
            cell = sheet.cell(row=i, column=j, value=_cell_value(value))
            fmt = spec.formats.get(columns[j - 1])
            if fmt:
                cell.number_format = fmt
            if columns[j - 1] in spec.wide:
                cell.alignment = _WRAP
    bottom = top + max(len(rows), 1)
    if not rows:  # a table needs a data row: say there is nothing rather than leave it blank
        sheet.cell(row=top + 1, column=1, value="No rows")
    ref = f"A{top}:{get_column_letter(len(columns))}{bottom}"
    table = Table(displayName=table_name(spec.sheet), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    sheet.add_table(table)
    for j, name in enumerate(columns, start=1):
        values = frame.iloc[:, j - 1].tolist() if rows else []
        width = 60 if name in spec.wide else _width(values, name)
        sheet.column_dimensions[get_column_letter(j)].width = max(width, 10)
    for name in spec.level_columns:
        if name in columns and rows:
            letter = get_column_letter(columns.index(name) + 1)
            _level_formatting(sheet, f"{letter}{top + 1}:{letter}{bottom}")
    sheet.freeze_panes = f"{get_column_letter(spec.frozen_columns + 1)}{top + 1}"
    return ref


def _level_formatting(sheet: Worksheet, cells: str) -> None:
    for level, (fill, font) in LEVEL_STYLES.items():
        sheet.conditional_formatting.add(
            cells,
            CellIsRule(
                operator="equal",
                formula=[str(level)],
                fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid"),
                font=Font(color=font),
            ),
        )


def _prose(sheet: Worksheet, lines: list[tuple[str, str | None]]) -> None:
    """Cover text: ``(text, style)`` per row, style ``title``, ``heading`` or None."""
    sheet.column_dimensions["A"].width = 110
    for row, (text, style) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = _TITLE
        elif style == "heading":
            cell.font = _HEADER


def build_book(
    *,
    title: str,
    cover: list[tuple[str, str | None]],
    tables: list[SheetTable],
    notes: list[str],
    subject: str,
    keywords: str,
    extra_sheets: list[tuple[str, str]] = (),
) -> Workbook:
    """A workbook: Cover, Contents, Notes, one sheet per table, then ``extra_sheets``.

    ``cover`` is prose (see :func:`_prose`); ``notes`` are numbered in order,
    cited in titles and descriptions as ``[note N]``. ``extra_sheets`` are
    ``(name, description)`` pairs listed in the contents and created empty
    (for charts), for the caller to fill.
    """
    book = Workbook()
    cover_sheet = book.active
    cover_sheet.title = "Cover"
    _prose(cover_sheet, cover)
    contents = SheetTable(
        sheet="Contents",
        title="Table of contents",
        frame=pd.DataFrame(
            {
                "Sheet name": ["Notes", *[t.sheet for t in tables], *[e[0] for e in extra_sheets]],
                "Table description": [
                    "Notes used in this workbook",
                    *[t.title for t in tables],
                    *[e[1] for e in extra_sheets],
                ],
            }
        ),
        description=["This worksheet contains one table. Select a sheet name to go to it."],
        wide=["Table description"],
    )
    note_table = SheetTable(
        sheet="Notes",
        title="Notes",
        frame=pd.DataFrame(
            {
                "Note number": [f"[note {i}]" for i in range(1, len(notes) + 1)],
                "Note text": notes,
            }
        ),
        description=["This worksheet contains one table. Notes are cited as [note N]."],
        wide=["Note text"],
    )
    for spec in [contents, note_table, *tables]:
        sheet = book.create_sheet(spec.sheet)
        write_table(sheet, spec)
    for name, _ in extra_sheets:
        book.create_sheet(name)
    links = book["Contents"]
    top = contents.header_row()
    for i, name in enumerate(contents.frame["Sheet name"], start=top + 1):
        cell = links.cell(row=i, column=1)
        cell.hyperlink = f"#'{name}'!A1"
        cell.font = Font(color="005EB8", underline="single")
    for sheet in book.worksheets:
        _cursor_home(sheet)
    book.active = 0
    props = book.properties
    props.title = title
    props.subject = subject
    props.keywords = keywords
    props.creator = "qio-analysis"
    props.language = "en-GB"
    props.description = "QIOF levels. See the Cover and Notes sheets."
    return book


def _cursor_home(sheet: Worksheet) -> None:
    """Selection in A1 on every pane, so the workbook opens at the top."""
    for selection in sheet.sheet_view.selection:
        selection.activeCell = "A1"
        selection.sqref = "A1"

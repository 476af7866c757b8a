"""The headline figures as tables fit for release: ``headline_figures.csv`` and ``.xlsx``.

Laid out as the Analysis Function's guidance on releasing statistics in
spreadsheets asks, with the cover, contents and notes sheets of every
workbook the project writes (:func:`~qio_analysis.export.sheets.build_book`):
people's headers, units in the measure's name and its own column, numbers
stored as numbers (rounded as the notes say) with a display format, the
number of returns behind each figure and the like-for-like counts, and the
source and status of every row. The CSV is the main table with the same
columns and the same rounded values. Every figure comes from a
:class:`~qio_analysis.metrics.headline_pack.HeadlinePack`, so what disclosure
control withholds is an empty cell with a note saying why.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from qio_analysis.export.sheets import SheetTable, build_book
from qio_analysis.export.workbooks import WorkbookContext
from qio_analysis.metrics.headline_pack import HeadlinePack
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.words.formats import PER_1000, printed_change, printed_number
from qio_analysis.words.verdicts import meets_target

#: Per unit: the unit in words, decimal places kept, and the Excel display format.
UNITS: dict[str, tuple[str, int, str]] = {
    "count": ("number", 0, "#,##0"),
    "wte": ("whole-time equivalent (WTE)", 1, "#,##0.0"),
    "ratio": ("NHS WTE per qualified LKS WTE (the N in 1:N)", 0, "#,##0"),
    "percent": ("per cent", 1, '0.0"%"'),
    "rate": (PER_1000, 1, "#,##0.0"),
    "gbp": ("pounds (£)", 0, '"£"#,##0'),
}
CHANGE_FORMATS = {
    "%": '+0.0"%";-0.0"%";0.0"%"',
    "percentage points": "+0.0;-0.0;0.0",
    "returns": "+#,##0;-#,##0;0",
}
HEADLINE_SHEET = "Headline_figures"
REGIONS_SHEET = "Staff_ratio_by_region"
TREND_SHEET = "Activity_trend"
RATIO_COLUMN = "NHS WTE per qualified LKS WTE (N in 1:N)"
ROUNDING_NOTE = (
    "Every figure is rounded once, as it is printed in the report, the infographic and the "
    "images: counts and pounds to whole numbers; whole-time equivalents, percentages, rates "
    "per 1,000 NHS WTE and changes to one decimal place; the staff ratio (NHS WTE per "
    "qualified LKS WTE, the N in 1:N) to a whole number, or to one decimal place where the "
    "whole number would not show whether it meets the target (1:1,250.4 does not). A verdict "
    "against the target is judged on the ratio as printed. Changes are worked out before "
    "rounding, so they may differ slightly from changes worked out from the rounded figures."
)
BASIS_NOTE = (
    "Totals are over every return of the year. Like-for-like figures are over the services "
    "that made a return in both years, so a service that returned in one year only cannot "
    "make a measure look as if it rose or fell. Change in the total and like-for-like change "
    "are per cent, except for percentages (percentage points) and the number of returns."
)
RATIO_NOTE = (
    "The staff ratio is NHS staff WTE served for each qualified library and knowledge staff "
    "WTE, summed over the services that reported both. The policy target is 1:{target:,.0f} "
    "or lower (lower is better); a ratio meets it when the ratio as published is at or below "
    "the target."
)


def disclosure_note(pack: HeadlinePack) -> str:
    return (
        f"Disclosure control: no figure is published that comes from fewer than "
        f"{pack.min_group} services, or that could be subtracted from another published "
        f"figure to give the figures of fewer than {pack.min_group} services. A region with "
        f"fewer than {pack.min_group} services is not shown (and, when one is withheld, the "
        "next smallest too, so England's total cannot give it back)."
    )


def _status(withheld: bool, demo: bool) -> str:
    words = "Partly withheld (disclosure control)" if withheld else "Published"
    return f"{words}; synthetic demo data" if demo else words


def headline_frame(pack: HeadlinePack, *, source: str, demo: bool) -> pd.DataFrame:
    """The headline figures, one row per measure, with people's headers and rounded numbers."""
    year, previous = pack.year, pack.previous_year
    rows = []
    for r in pack.headlines.itertuples():
        unit = UNITS[r.unit][0]

        def held(value: object, unit: str = r.unit) -> float | int | None:
            return printed_number(value, unit, target=pack.target)

        rows.append(
            {
                "Measure": r.label,
                "Unit": unit,
                f"{year} total": held(r.value),
                f"{year} returns": int(r.n_value),
                f"{previous} total": held(r.previous),
                f"{previous} returns": int(r.n_previous),
                "Change in the total": printed_change(r.total_change, r.change_unit),
                "Services that returned in both years": int(r.n_both),
                f"{year}, like for like": held(r.value_both),
                f"{previous}, like for like": held(r.previous_both),
                "Like-for-like change": None
                if r.measure == "n_services"
                else printed_change(r.change, r.change_unit),
                "Change unit": r.change_unit,
                "Status": _status(bool(r.withheld), demo),
                "Note": r.withheld_reason,
                "Source": source,
            }
        )
    return pd.DataFrame(rows, dtype=object)


def regions_frame(pack: HeadlinePack) -> pd.DataFrame:
    """The staff ratio by region for the year, withheld regions saying why."""
    regions = pack.regions
    target = f"1:{pack.target:,.0f}"
    return pd.DataFrame(
        {
            "Region": regions["region"],
            "Year": regions["year"],
            "Services with both figures": regions["n_services"].astype(int),
            RATIO_COLUMN: [
                printed_number(v, "ratio", target=pack.target)
                for v in regions["nhs_wte_per_qualified"]
            ],
            f"Meets the {target} target": [
                None if pd.isna(v) else ("Yes" if meets_target(v, pack.target) else "No")
                for v in regions["nhs_wte_per_qualified"]
            ],
            "Note": regions["reason"],
        }
    )


def trend_frame(pack: HeadlinePack) -> pd.DataFrame:
    """Activity per 1,000 NHS WTE in England by year."""
    data = pack.trend.sort_values("year_start")
    out = pd.DataFrame(
        {"Year": data["year"], "Returns": data["n_services"].astype(int)}
    ).reset_index(drop=True)
    for measure, label in ACTIVITIES.items():
        out[f"{label} {PER_1000}"] = [
            printed_number(v, "rate") for v in data[f"{measure}_per_1000_wte"]
        ]
    return out


def csv_frame(pack: HeadlinePack, *, source: str, demo: bool) -> pd.DataFrame:
    """``headline_figures.csv``: the workbook's main table, same columns and values."""
    return headline_frame(pack, source=source, demo=demo)


def headline_workbook(pack: HeadlinePack, context: WorkbookContext, *, source: str) -> Workbook:
    """``headline_figures.xlsx``: cover, contents, notes and three tables."""
    notes = [
        ROUNDING_NOTE,
        BASIS_NOTE,
        RATIO_NOTE.format(target=pack.target),
        disclosure_note(pack),
    ]
    withheld = [f"Withheld: {r.figure}. {r.reason}" for r in pack.withheld.itertuples()]
    notes += withheld or [
        "No figure in this workbook was withheld by disclosure control for this year."
    ]
    if context.demo:
        notes.append(
            "Synthetic demo data: the services and figures in this workbook are fictional."
        )
    cite = "[note 1] [note 2]"
    main = headline_frame(pack, source=source, demo=context.demo)
    tables = [
        SheetTable(
            sheet=HEADLINE_SHEET,
            title=f"Headline figures for library and knowledge services in England, {pack.year} and {pack.previous_year} {cite} [note 4]",
            frame=main,
            description=[
                "This worksheet contains one table. Empty cells are figures withheld by "
                "disclosure control; the Note column says why.",
                f"Source: {source}.",
            ],
            wide=["Note"],
            frozen_columns=1,
        ),
        SheetTable(
            sheet=REGIONS_SHEET,
            title=f"Staff ratio by NHS England region, {pack.year} [note 1] [note 3] [note 4]",
            frame=regions_frame(pack),
            description=["This worksheet contains one table.", f"Source: {source}."],
            wide=["Note"],
            frozen_columns=1,
        ),
        SheetTable(
            sheet=TREND_SHEET,
            title=f"Activity {PER_1000} in England by year [note 1] [note 4]",
            frame=trend_frame(pack),
            description=["This worksheet contains one table.", f"Source: {source}."],
            formats={f"{label} {PER_1000}": "#,##0.0" for label in ACTIVITIES.values()},
            frozen_columns=1,
        ),
    ]
    title = f"Library and knowledge services in England: headline figures, {pack.year}"
    status = (
        "Status: synthetic demo data. The services and figures are fictional."
        if context.demo
        else "Status: figures from the LKS statistics returns, after disclosure control."
    )
    cover = context.cover(
        title,
        "National headline figures from the LKS workforce and activity statistics returns: "
        "totals for the year and the year before, the change in the total and the "
        "like-for-like change among services that returned in both years; the staff ratio "
        f"by region against the national target; activity {PER_1000} over the years.",
        [f"Source: {source}.", status],
    )
    cover.append(
        ("Contents: see the Contents sheet. Notes are on the Notes sheet, cited as [note N].", None)
    )
    book = build_book(
        title=title,
        cover=cover,
        tables=tables,
        notes=notes,
        subject=f"LKS headline figures {pack.year}",
        keywords=f"LKS, library and knowledge services, statistics, {pack.year}",
    )
    _formats(book[HEADLINE_SHEET], tables[0], pack)
    ratio = tables[1]
    column = list(ratio.frame.columns).index(RATIO_COLUMN) + 1
    for i in range(len(ratio.frame)):
        cell = book[REGIONS_SHEET].cell(row=ratio.header_row() + 1 + i, column=column)
        cell.number_format = _display(cell.value, "ratio")
    return book


def _display(value: object, unit: str) -> str:
    """The Excel display format of one figure: as many places as it is printed with."""
    if unit == "ratio":  # a whole number, or one place where the verdict needs it
        return "#,##0.0" if isinstance(value, float) else "#,##0"
    return UNITS[unit][2]


def _formats(sheet, spec: SheetTable, pack: HeadlinePack) -> None:
    """Each headline row's numbers in its own unit's display format."""
    columns = list(spec.frame.columns)
    values = [c for c in columns if c.endswith("total") or c.endswith("like for like")]
    changes = ["Change in the total", "Like-for-like change"]
    for i, r in enumerate(pack.headlines.itertuples(), start=spec.header_row() + 1):
        for name in values:
            cell = sheet.cell(row=i, column=columns.index(name) + 1)
            cell.number_format = _display(cell.value, r.unit)
        for name in changes:
            cell = sheet.cell(row=i, column=columns.index(name) + 1)
            cell.number_format = CHANGE_FORMATS.get(r.change_unit, "0.0")
        for name in columns:
            if "returns" in name or name.startswith("Services"):
                sheet.cell(row=i, column=columns.index(name) + 1).number_format = "#,##0"

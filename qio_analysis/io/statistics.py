"""Read LKS workforce and activity statistics returns into the tidy statistics table."""

from __future__ import annotations

import pandas as pd

from qio_analysis.aliases import Row
from qio_analysis.errors import CellError, Problem, QioConfigError, QioDataError
from qio_analysis.framework import is_blank, parse_financial_year
from qio_analysis.io import headers as hdr
from qio_analysis.io.locate import RawTable, Source
from qio_analysis.io.parsers import Notes, parse_number, parse_org_code, parse_text
from qio_analysis.io.records import Record
from qio_analysis.io.results import Export, ReadResult, read_records
from qio_analysis.reference import ALLOWED_REGIONS, region_name
from qio_analysis.schemas import (
    STATISTICS_COLUMNS,
    STATISTICS_COUNTS,
    STATISTICS_MEASURES,
    StatisticsSchema,
    typed_table,
    validate_statistics,
)

_LOOKED_FOR = (
    "a 'Service code' column, a 'Year' column and at least one measure such as 'Enquiries'"
)


def _columns(table: RawTable, notes: Notes) -> dict[str, int]:
    problems: list[Problem] = []
    cols: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(table.headers):
        canon = hdr.statistics_column(header)
        if canon is None:
            if header or any(not is_blank(c[index]) for _, c in table.rows):
                ignored.append(header or f"(column {index + 1}, no header)")
            continue
        if canon in cols:
            problems.append(table.same_meaning(header, cols[canon]))
        cols[canon] = index
    problems += [
        table.missing_column(hdr.STATISTICS_ID_COLUMNS[canon])
        for canon in hdr.REQUIRED_STATISTICS_ID
        if canon not in cols
    ]
    if problems:
        raise QioDataError(problems, summary=f"{table.file}: the columns cannot be used")
    absent = [m for m in STATISTICS_MEASURES if m not in cols]
    if absent:
        notes.add(f"{table.file}: no column for {', '.join(absent)}; those values are missing")
    if ignored:
        notes.add(table.ignored_note(ignored))
    return cols


def _codes_served(rec: Record, column: str, value: object) -> str | None:
    text = parse_text(value)
    if text is None:
        return None
    codes = []
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        try:
            codes.append(parse_org_code(part))
        except CellError as exc:
            rec.bad(
                column,
                value,
                CellError(f"'{part.strip()}' is not an organisation code", exc.allowed),
            )
    return ";".join(dict.fromkeys(codes)) or None


def _record(
    table: RawTable, row: int, cells: list[object], cols: dict[str, int], notes: Notes
) -> Record:
    rec = Record(table, row, cells)
    cells = rec.take_faults(cells, cols.values())
    out: Row = {}

    def cell(canon: str) -> tuple[str, object]:
        return table.headers[cols[canon]], cells[cols[canon]]

    column, value = cell("service_code")
    try:
        out["service_code"] = parse_org_code(value)
    except CellError as exc:
        rec.bad(
            column, value, CellError(exc.reason.replace("organisation", "service"), exc.allowed)
        )
    column, value = cell("service_name")
    out["service_name"] = parse_text(value)
    if out["service_name"] is None:
        rec.bad(column, value, CellError("the service name is blank", "the LKS service's name"))
    out["lead_org_code"] = None
    if "lead_org_code" in cols:
        column, value = cell("lead_org_code")
        if not is_blank(value):
            try:
                out["lead_org_code"] = parse_org_code(value)
            except CellError as exc:
                rec.bad(column, value, exc)
    out["organisations_served"] = None
    if "organisations_served" in cols:
        out["organisations_served"] = _codes_served(rec, *cell("organisations_served"))
    column, value = cell("region")
    try:
        out["region"] = region_name(str(value))
    except QioConfigError:
        rec.bad(column, value, CellError("this is not an NHS England region", ALLOWED_REGIONS))
    column, value = cell("year")
    try:
        out["year"], out["year_start"] = parse_financial_year(value)
        if str(value).strip() != out["year"]:
            notes.count("financial year normalised", f"{value!r} -> {out['year']!r}")
    except CellError as exc:
        rec.bad(column, value, exc)
    if "submitted" in cols:
        rec.read_submitted(*cell("submitted"), notes)
    for measure in STATISTICS_MEASURES:
        out[measure] = None
        if measure not in cols:
            continue
        column, value = cell(measure)
        try:
            out[measure] = parse_number(value, whole=measure in STATISTICS_COUNTS)
        except CellError as exc:
            rec.bad(column, value, exc)
            continue
        if isinstance(value, str) and not is_blank(value) and value.strip() != str(out[measure]):
            notes.count("number written as text", f"{value!r} -> {out[measure]}")
    out["source_file"], out["source_row"] = table.file, row
    rec.tidy.append(out)
    rec.key = rec.dup_key = (out.get("service_code"), out.get("year"))
    return rec


def statistics_frame(rows: list[Row]) -> pd.DataFrame:
    """Tidy statistics frame, typed and in a stable order (also used by tests)."""
    frame = typed_table(StatisticsSchema, pd.DataFrame(rows, columns=STATISTICS_COLUMNS))
    return frame.sort_values(["year_start", "service_code"], kind="stable", ignore_index=True)


def read_statistics(source: Source, *, errors: str = "raise") -> ReadResult:
    """Read LKS statistics returns (one row per service per financial year).

    ``source`` and ``errors`` work as in :func:`read_submissions`. Resubmissions of
    a service and year are resolved by an optional ``Submitted`` column.
    """
    return read_records(source, _EXPORT, errors=errors)


def _records(table: RawTable, notes: Notes) -> list[Record]:
    cols = _columns(table, notes)
    return [_record(table, row, cells, cols, notes) for row, cells in table.rows]


def _checked(rows: list[Row]) -> pd.DataFrame:
    return validate_statistics(statistics_frame(rows))


_HEADER = hdr.looks_like_statistics_header
_EXPORT = Export("LKS statistics", _HEADER, _LOOKED_FOR, "service and year", _records, _checked)


def load_statistics(source: Source) -> pd.DataFrame:
    """Strict shortcut: the tidy statistics table, raising on any problem."""
    return read_statistics(source).data

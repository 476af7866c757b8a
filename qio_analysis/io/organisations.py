"""Organisation reference tables: the ODS trust list and the analysis organisations table."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from qio_analysis.errors import CellError, Problem, QioConfigError, QioDataError
from qio_analysis.framework import is_blank
from qio_analysis.io.files import decode_text, split_csv
from qio_analysis.io.headers import normalise_header
from qio_analysis.io.locate import RawTable, locate_table
from qio_analysis.io.parsers import parse_org_code, parse_text
from qio_analysis.io.records import Record, organisation_identity
from qio_analysis.io.results import ReadResult
from qio_analysis.reference import ALLOWED_REGIONS, ORGANISATION_TYPES, REGIONS, region_name
from qio_analysis.schemas import validate_ods_trusts, validate_organisations
from qio_analysis.text import remove_invisible

_KEEP_UPPER = {"NHS", "UK", "ICB", "CIC", "LLP", "GP", "ICS"}
_SMALL = {"and", "of", "the", "for", "in", "on", "upon", "at", "by", "to"}
ODS_COLUMNS = 27


def _word(word: str, first: bool) -> str:
    core = word.strip(",.()")
    if core.upper() in _KEEP_UPPER:
        return word.upper()
    if not first and core.lower() in _SMALL:
        return word.lower()
    if core == "&":
        return word
    return "-".join(part.capitalize() for part in word.split("-"))


def ods_name_case(name: str) -> str:
    """Readable casing for upper-case ODS names.

    >>> ods_name_case("MID CHESHIRE HOSPITALS NHS FOUNDATION TRUST")
    'Mid Cheshire Hospitals NHS Foundation Trust'
    >>> ods_name_case("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST")
    "Guy's and St Thomas' NHS Foundation Trust"
    >>> ods_name_case("THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST")
    "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"
    """
    words = re.split(r"\s+", name.strip())
    return " ".join(_word(w, i == 0) for i, w in enumerate(words))


def _ods_date(value: str) -> pd.Timestamp | None:
    return pd.Timestamp(value) if value.strip() else None


def read_ods_trusts(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read the standard headerless ODS ``etr.csv`` (NHS trusts) into a tidy table.

    Columns: ``org_code``, ``org_name`` (readable case), ``region_code``
    (ODS national grouping), ``region`` (NHS England region name; missing for
    non-English groupings such as W00 Wales), ``icb_code``, ``postcode``,
    ``open_date``, ``close_date`` and ``is_open``.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QioDataError(
            [Problem(file=path.name, reason=f"cannot be opened ({exc.strerror})")]
        ) from exc
    text, _ = decode_text(data, path.name)
    if not text.strip():
        raise QioDataError([Problem(file=path.name, reason="the file is empty")])
    problems: list[Problem] = []
    rows = []
    for number, fields in enumerate(split_csv(remove_invisible(text), path.name, ","), start=1):
        cells = [str(c) for c in fields]
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < 12:
            problems.append(
                Problem(
                    file=path.name,
                    row=number,
                    reason=f"an ODS row has {len(cells)} fields",
                    allowed=f"the standard {ODS_COLUMNS}-field ODS layout (no header row)",
                )
            )
            continue
        try:
            opened, closed = _ods_date(cells[10]), _ods_date(cells[11])
        except ValueError:
            problems.append(
                Problem(
                    file=path.name,
                    row=number,
                    column="open/close date",
                    value=f"{cells[10]}/{cells[11]}",
                    reason="a date is not in YYYYMMDD form",
                    allowed="YYYYMMDD, or blank",
                )
            )
            continue
        rows.append(
            {
                "org_code": cells[0].strip().upper(),
                "org_name": ods_name_case(cells[1]),
                "region_code": cells[2].strip(),
                "region": REGIONS.get(cells[2].strip()),
                "icb_code": cells[3].strip() or None,
                "postcode": cells[9].strip() or None,
                "open_date": opened,
                "close_date": closed,
                "is_open": closed is None,
            }
        )
    if problems:
        raise QioDataError(problems, summary=f"{path.name} is not a standard ODS file")
    frame = pd.DataFrame(rows)
    frame = frame.assign(
        open_date=pd.to_datetime(frame["open_date"]),
        close_date=pd.to_datetime(frame["close_date"]),
        is_open=frame["is_open"].astype(bool),
    )
    return validate_ods_trusts(frame)


ORGANISATION_HEADERS = {
    "org_code": "Organisation code",
    "org_name": "Organisation name",
    "org_type": "Organisation type",
    "region": "Region",
    "service_code": "LKS service code",
}
_ORGANISATION_ALIASES = {
    "org_code": ("Organization code", "ODS code", "Org code"),
    "org_name": ("Organization name", "Org name"),
    "org_type": ("Organization type", "Org type", "Type"),
    "region": ("NHS England region",),
    "service_code": ("Service code",),
}
_ORG_LOOKUP = {
    normalise_header(h): canon
    for canon, first in ORGANISATION_HEADERS.items()
    for h in (first, *_ORGANISATION_ALIASES[canon])
}


def _looks_like_organisations_header(cells: list[object]) -> bool:
    names = {_ORG_LOOKUP.get(normalise_header(c)) for c in cells}
    return {"org_code", "region"} <= names and len(names - {None}) >= 3


#: Organisation types as written in the table, by their lower-case spelling.
_ORGANISATION_TYPES = {t.lower(): t for t in ORGANISATION_TYPES}


def read_organisations_result(path: str | os.PathLike[str]) -> ReadResult:
    """:func:`read_organisations` with its row accounting and normalisation notes.

    Every problem in the file is reported at once (a duplicate code together
    with a blank region, say); the table is a reference, so nothing is dropped.
    """
    path = Path(path)
    table = locate_table(
        path,
        _looks_like_organisations_header,
        what="organisations",
        looked_for="headers " + ", ".join(repr(h) for h in ORGANISATION_HEADERS.values()),
    )
    cols = _organisation_columns(table, path)
    problems: list[Problem] = []
    rows = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        rec = Record(table, row, cells)
        rows.append(_organisation_row(rec, rec.take_faults(cells, cols.values()), cols, seen))
        problems += rec.problems
    if problems:
        raise QioDataError(
            problems, summary=f"{len(problems)} problem(s) in the organisations table {path.name}"
        )
    frame = pd.DataFrame(rows, columns=list(ORGANISATION_HEADERS)).astype(
        {"org_code": "str", "org_name": "str", "org_type": "str", "region": "str"}
    )
    empty = pd.DataFrame(columns=["source_file", "source_sheet", "source_row", "problems"])
    files = pd.DataFrame(
        [
            {
                "file": table.file,
                "sheet": table.sheet,
                "rows_in": len(rows),
                "loaded": len(rows),
                "rejected": 0,
                "superseded": 0,
                "empty_rows": table.empty_rows,
            }
        ]
    )
    return ReadResult(
        data=validate_organisations(frame),
        rejected=empty,
        superseded=empty.drop(columns="problems"),
        notes=table.notes,
        rows_in=len(rows),
        rows_loaded=len(rows),
        problems=[],
        files=files,
    )


def _organisation_columns(table: RawTable, path: Path) -> dict[str, int]:
    """Each organisations column's position, or a :class:`QioDataError` naming those missing."""
    cols: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        canon = _ORG_LOOKUP.get(normalise_header(header))
        if canon is not None:
            cols.setdefault(canon, index)
    problems = [
        table.missing_column((header, *_ORGANISATION_ALIASES[canon]))
        for canon, header in ORGANISATION_HEADERS.items()
        if canon not in cols
    ]
    if problems:
        raise QioDataError(problems, summary=f"{path.name}: the columns cannot be used")
    return cols


def _organisation_row(
    rec: Record, cells: Sequence[object], cols: dict[str, int], seen: dict[str, int]
) -> dict[str, object]:
    """One organisation's values; each bad cell is recorded on ``rec``, a repeated code too."""
    headers = rec.table.headers

    def cell(canon: str) -> tuple[str, object]:
        return headers[cols[canon]], cells[cols[canon]]

    out = organisation_identity(rec, cell("org_code"), cell("org_name"))
    column, value = cell("org_type")
    text = parse_text(value)
    out["org_type"] = _ORGANISATION_TYPES.get((text or "").lower())
    if out["org_type"] is None:
        reason = "the organisation type is blank" if text is None else "unknown organisation type"
        rec.bad(column, value, CellError(reason, ", ".join(ORGANISATION_TYPES)))
    column, value = cell("region")
    try:
        if is_blank(value):
            raise QioConfigError("blank")
        out["region"] = region_name(str(value).strip())
    except QioConfigError:
        reason = "the region is blank" if is_blank(value) else "this is not an NHS England region"
        rec.bad(column, value, CellError(reason, ALLOWED_REGIONS))
    column, value = cell("service_code")
    out["service_code"] = None
    if not is_blank(value):
        try:
            out["service_code"] = parse_org_code(value)
        except CellError as exc:
            rec.bad(
                column, value, CellError(exc.reason.replace("organisation", "service"), exc.allowed)
            )
    code = out.get("org_code")
    if isinstance(code, str) and code in seen:
        rec.bad(
            headers[cols["org_code"]],
            code,
            CellError(
                f"this organisation code is listed twice (first on row {seen[code]})",
                "one row per organisation",
            ),
        )
    elif isinstance(code, str):
        seen[code] = rec.row
    return out


def read_organisations(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read the analysis organisations table (headers in ``data/README.md``).

    CSV in any common encoding and delimiter, or a workbook. Regions may be
    given as names or ODS codes; organisation types must be one of Acute,
    Mental health, Community, Ambulance or Combined. Every problem is
    reported at once.
    """
    return read_organisations_result(path).data

"""Organisation reference tables: the ODS trust list and the analysis organisations table."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pandas as pd

from qio_analysis.errors import Problem, QioConfigError, QioDataError
from qio_analysis.reference import ORGANISATION_TYPES, REGIONS, region_name
from qio_analysis.schemas import validate_ods_trusts, validate_organisations

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
    text = path.read_text(encoding="utf-8-sig")
    problems: list[Problem] = []
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
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


def read_organisations(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read the analysis organisations table (CSV with the headers in ``data/README.md``).

    Regions may be given as names or ODS codes; organisation types must be one
    of Acute, Mental health, Community, Ambulance or Combined.
    """
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rename = {v: k for k, v in ORGANISATION_HEADERS.items()}
    missing = [h for h in ORGANISATION_HEADERS.values() if h not in frame.columns]
    if missing:
        raise QioDataError(
            [
                Problem(file=path.name, row=1, column=h, reason="a required column is missing")
                for h in missing
            ]
        )
    frame = frame.rename(columns=rename)[list(ORGANISATION_HEADERS)]
    frame = frame.apply(lambda col: col.str.strip())
    problems = []
    regions = []
    for index, value in enumerate(frame["region"], start=2):
        try:
            regions.append(region_name(value))
        except QioConfigError as exc:
            problems.append(
                Problem(file=path.name, row=index, column="Region", value=value, reason=str(exc))
            )
            regions.append(value)
    types = {t.lower(): t for t in ORGANISATION_TYPES}
    for index, value in enumerate(frame["org_type"], start=2):
        if value.lower() not in types:
            problems.append(
                Problem(
                    file=path.name,
                    row=index,
                    column="Organisation type",
                    value=value,
                    reason="unknown organisation type",
                    allowed=", ".join(ORGANISATION_TYPES),
                )
            )
    if problems:
        raise QioDataError(problems)
    frame = frame.assign(
        org_code=frame["org_code"].str.upper(),
        region=regions,
        org_type=frame["org_type"].str.lower().map(types),
        service_code=frame["service_code"].str.upper().replace("", None),
    )
    return validate_organisations(frame)

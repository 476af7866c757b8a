"""One pandera model per tidy table: what is checked, kept apart from where it is checked.

Readers validate their output here, lazily, so every failing row is reported
at once; public metrics check the tables they are given with
:mod:`qio_analysis.checks`. Column lists such as :data:`SUBMISSION_COLUMNS`
are read from the models, never retyped, and :func:`submissions_table` and
:func:`statistics_table` make checked tables by hand (for examples and tests).
"""

from __future__ import annotations

import functools

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from qio_analysis.errors import Problem, QioDataError
from qio_analysis.framework import (
    ASSESSMENTS,
    FIRST_CYCLE,
    LAST_CYCLE,
    LEVELS,
    OUTCOME_NUMBERS,
    SUBLEVEL_OFFSET,
    SUBLEVELS,
    format_financial_year,
    score,
)
from qio_analysis.reference import ORG_CODE_PATTERN, ORGANISATION_TYPES, REGION_NAMES

SUBLEVEL_DTYPE = pd.CategoricalDtype(list(SUBLEVELS), ordered=True)
#: Marks a statistics column as a measure (a WTE, money or a count) rather than an identifier.
_MEASURE = {"measure": True}


class SubmissionsSchema(pa.DataFrameModel):
    """Tidy QIOF submissions: one row per organisation, cycle, outcome and assessment."""

    org_code: Series[str] = pa.Field(str_matches=ORG_CODE_PATTERN)
    org_name: Series[str] = pa.Field(str_length={"min_value": 1})
    region: Series[str] = pa.Field(isin=list(REGION_NAMES))
    cycle: Series[int] = pa.Field(ge=FIRST_CYCLE, le=LAST_CYCLE)
    outcome: Series[int] = pa.Field(isin=list(OUTCOME_NUMBERS))
    assessment: Series[str] = pa.Field(isin=list(ASSESSMENTS))
    level: Series[pd.Int64Dtype] = pa.Field(nullable=True, isin=list(LEVELS))
    sublevel: Series[pd.CategoricalDtype] = pa.Field(
        nullable=True, dtype_kwargs={"categories": list(SUBLEVELS), "ordered": True}
    )
    score: Series[float] = pa.Field(nullable=True, ge=0, lt=5)
    submitted: Series[pa.DateTime] = pa.Field(nullable=True)
    source_file: Series[str]
    source_row: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        ordered = True
        unique = ["org_code", "cycle", "outcome", "assessment"]

    @pa.dataframe_check(error="a sub-level needs a level")
    def sublevel_needs_level(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["sublevel"].notna() & df["level"].isna())

    @pa.dataframe_check(error="score must equal level plus the sub-level offset")
    def score_matches_level(cls, df: pd.DataFrame) -> Series[bool]:
        offset = df["sublevel"].astype(object).map(SUBLEVEL_OFFSET).astype("float64").fillna(0.0)
        expected = df["level"].astype("float64") + offset
        return ((expected - df["score"]).abs() < 1e-9) | (df["level"].isna() & df["score"].isna())


class StatisticsSchema(pa.DataFrameModel):
    """Tidy LKS statistics returns: one row per service per financial year."""

    service_code: Series[str] = pa.Field(str_matches=ORG_CODE_PATTERN)
    service_name: Series[str] = pa.Field(str_length={"min_value": 1})
    lead_org_code: Series[str] = pa.Field(nullable=True, str_matches=ORG_CODE_PATTERN)
    organisations_served: Series[str] = pa.Field(
        nullable=True, str_matches=r"^[A-Z0-9]{3,10}(;[A-Z0-9]{3,10})*$"
    )
    region: Series[str] = pa.Field(isin=list(REGION_NAMES))
    year: Series[str] = pa.Field(str_matches=r"^\d{4}/\d{2}$")
    year_start: Series[int] = pa.Field(ge=FIRST_CYCLE - 10, le=LAST_CYCLE)
    # Staff and staff served, whole-time equivalents.
    qualified_wte: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    other_wte: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    nhs_wte: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    # Users and activity: whole numbers.
    potential_users: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    registered_users: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    enquiries: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    expert_searches: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    evidence_summaries: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    people_trained: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    inductions: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    document_supply: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    # Money, in pounds.
    expenditure_gbp: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, metadata=_MEASURE)
    source_file: Series[str]
    source_row: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        ordered = True
        unique = ["service_code", "year"]


class OrganisationsSchema(pa.DataFrameModel):
    """Organisations in scope of the analysis and the LKS service that serves each."""

    org_code: Series[str] = pa.Field(str_matches=ORG_CODE_PATTERN, unique=True)
    org_name: Series[str] = pa.Field(str_length={"min_value": 1})
    org_type: Series[str] = pa.Field(isin=list(ORGANISATION_TYPES))
    region: Series[str] = pa.Field(isin=list(REGION_NAMES))
    service_code: Series[str] = pa.Field(nullable=True, str_matches=ORG_CODE_PATTERN)

    class Config:
        strict = True
        ordered = True


class OdsTrustsSchema(pa.DataFrameModel):
    """NHS trusts as listed in the ODS ``etr.csv`` file."""

    org_code: Series[str] = pa.Field(str_matches=ORG_CODE_PATTERN, unique=True)
    org_name: Series[str]
    region_code: Series[str]
    region: Series[str] = pa.Field(nullable=True, isin=list(REGION_NAMES))
    icb_code: Series[str] = pa.Field(nullable=True)
    postcode: Series[str] = pa.Field(nullable=True)
    open_date: Series[pa.DateTime] = pa.Field(nullable=True)
    close_date: Series[pa.DateTime] = pa.Field(nullable=True)
    is_open: Series[bool]

    class Config:
        strict = True
        ordered = True


# --------------------------------------------------------------------- column lists


@functools.cache
def _schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    return model.to_schema()


def columns_of(model: type[pa.DataFrameModel]) -> list[str]:
    """The model's columns, in order.

    >>> columns_of(OrganisationsSchema)
    ['org_code', 'org_name', 'org_type', 'region', 'service_code']
    """
    return list(_schema(model).columns)


def empty_table(model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """A table of the model with no rows, every column of its declared dtype."""
    columns = _schema(model).columns
    return pd.DataFrame({name: pd.Series(dtype=col.dtype.type) for name, col in columns.items()})


SUBMISSION_COLUMNS: list[str] = columns_of(SubmissionsSchema)
STATISTICS_COLUMNS: list[str] = columns_of(StatisticsSchema)
#: The statistics measures (WTE, counts and money), in column order.
STATISTICS_MEASURES: list[str] = [
    name for name, col in _schema(StatisticsSchema).columns.items() if col.metadata == _MEASURE
]
#: Measures that are counts (whole numbers); the rest are WTE or money.
STATISTICS_COUNTS: list[str] = [
    m for m in STATISTICS_MEASURES if str(_schema(StatisticsSchema).columns[m].dtype) == "Int64"
]


def typed_table(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s columns of the model, in the model's order, each cast to its declared dtype.

    Typing only: the values are not checked (see :func:`check_table`).
    """
    columns = _schema(model).columns
    return frame[list(columns)].astype({name: col.dtype.type for name, col in columns.items()})


def submissions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A checked tidy submissions table from the columns that carry meaning, for tables made by hand.

    ``frame`` has ``org_code``, ``org_name``, ``region``, ``cycle``, ``outcome``,
    ``assessment`` and ``level``, and optionally ``sublevel`` and ``submitted``. The ``score`` is
    worked out from level and sub-level, and each row is said to come from
    ``source_file`` (default ``"(made by hand)"``) at spreadsheet row 2, 3, ...

    >>> subs = submissions_table(pd.DataFrame({
    ...     "org_code": "ZA01", "org_name": "Ashby NHS Trust", "region": "London", "cycle": 2025,
    ...     "outcome": 1, "assessment": ["self", "validated"], "level": [3, 2],
    ...     "sublevel": ["High", None],
    ... }))
    >>> subs[["assessment", "level", "sublevel", "score", "source_row"]]
      assessment  level sublevel  score  source_row
    0       self      3     High   3.75           2
    1  validated      2      NaN   2.00           3
    """
    sublevels = frame["sublevel"] if "sublevel" in frame else pd.Series(None, index=frame.index)
    levels = frame["level"].astype("Int64")
    full = frame.assign(
        sublevel=sublevels,
        score=[
            score(None if pd.isna(lv) else int(lv), None if pd.isna(sub) else str(sub))
            for lv, sub in zip(levels, sublevels, strict=True)
        ],
        submitted=frame.get("submitted", pd.NaT),
        source_file=frame.get("source_file", "(made by hand)"),
        source_row=frame.get("source_row", range(2, len(frame) + 2)),
    )
    return validate_submissions(typed_table(SubmissionsSchema, full))


def statistics_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A checked tidy statistics table from the columns that carry meaning, for tables made by hand.

    ``frame`` has ``service_code``, ``region`` and ``year_start`` and any of the
    measures; the others are missing (not zero). ``year`` is the financial year
    of ``year_start``; a missing ``service_name`` is the code followed by
    ``LKS``; ``source_file`` and ``source_row`` are as in :func:`submissions_table`.

    >>> stats = statistics_table(pd.DataFrame({
    ...     "service_code": ["ZL01", "ZL02"], "region": "London", "year_start": 2024,
    ...     "qualified_wte": [4.0, 2.5], "nhs_wte": [5000.0, 2500.0],
    ... }))
    >>> stats[["service_name", "year", "qualified_wte", "nhs_wte", "enquiries"]]
      service_name     year  qualified_wte  nhs_wte  enquiries
    0     ZL01 LKS  2024/25            4.0   5000.0       <NA>
    1     ZL02 LKS  2024/25            2.5   2500.0       <NA>
    """
    full = frame.assign(
        service_name=frame.get("service_name", frame["service_code"] + " LKS"),
        lead_org_code=frame.get("lead_org_code"),
        organisations_served=frame.get("organisations_served"),
        year=frame["year_start"].map(format_financial_year),
        **{m: frame.get(m) for m in STATISTICS_MEASURES},
        source_file=frame.get("source_file", "(made by hand)"),
        source_row=frame.get("source_row", range(2, len(frame) + 2)),
    )
    return validate_statistics(typed_table(StatisticsSchema, full))


#: What each table is called in messages.
TABLE_NAMES: dict[type[pa.DataFrameModel], str] = {
    SubmissionsSchema: "submissions",
    StatisticsSchema: "statistics",
    OrganisationsSchema: "organisations",
    OdsTrustsSchema: "ODS trusts",
}


# --------------------------------------------------------------------- checking


def validate(schema: type[pa.DataFrameModel], df: pd.DataFrame, what: str) -> pd.DataFrame:
    """``df`` checked against ``schema`` in full, every failing cell reported at once as a
    :class:`QioDataError` naming the file, row and column when the table says where rows came from."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            index = case.index
            row = None
            file = f"(tidy {what} table)"
            if index is not None and index in df.index and "source_row" in df.columns:
                row = int(df.at[index, "source_row"])
                file = str(df.at[index, "source_file"])
            problems.append(
                Problem(
                    file=file,
                    row=row,
                    column=None if case.column is None else str(case.column),
                    value=case.failure_case,
                    reason=f"failed the {what} schema check {case.check}",
                )
            )
        raise QioDataError(problems, summary=f"The {what} table failed validation") from exc


def validate_submissions(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a tidy submissions table (raises :class:`QioDataError`)."""
    return validate(SubmissionsSchema, df, "submissions")


def validate_statistics(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a tidy statistics table (raises :class:`QioDataError`)."""
    return validate(StatisticsSchema, df, "statistics")


def validate_organisations(df: pd.DataFrame) -> pd.DataFrame:
    """Validate an organisations table (raises :class:`QioDataError`)."""
    return validate(OrganisationsSchema, df, "organisations")


def validate_ods_trusts(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a table read from an ODS trust list (raises :class:`QioDataError`)."""
    return validate(OdsTrustsSchema, df, "ODS trusts")

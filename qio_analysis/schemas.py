"""One pandera model per tidy table: what is checked, kept apart from where.

Readers validate their output here, lazily, so every failing row is reported
at once. Metrics and figures take these tables as input; their signatures use
``DataFrame[...]`` hints to name the schema they expect, but do not re-validate
on every call (the explorer re-computes on each click and must stay fast).
"""

from __future__ import annotations

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
)
from qio_analysis.reference import ORG_CODE_PATTERN, ORGANISATION_TYPES, REGION_NAMES

SUBLEVEL_DTYPE = pd.CategoricalDtype(list(SUBLEVELS), ordered=True)

SUBMISSION_COLUMNS = [
    "org_code",
    "org_name",
    "region",
    "cycle",
    "outcome",
    "assessment",
    "level",
    "sublevel",
    "score",
    "source_file",
    "source_row",
]

STATISTICS_MEASURES = [
    "qualified_wte",
    "other_wte",
    "nhs_wte",
    "potential_users",
    "registered_users",
    "enquiries",
    "expert_searches",
    "evidence_summaries",
    "people_trained",
    "inductions",
    "document_supply",
    "expenditure_gbp",
]
#: Measures that are counts (whole numbers); the rest are WTE or money.
STATISTICS_COUNTS = [
    "potential_users",
    "registered_users",
    "enquiries",
    "expert_searches",
    "evidence_summaries",
    "people_trained",
    "inductions",
    "document_supply",
]
STATISTICS_COLUMNS = [
    "service_code",
    "service_name",
    "lead_org_code",
    "organisations_served",
    "region",
    "year",
    "year_start",
    *STATISTICS_MEASURES,
    "source_file",
    "source_row",
]


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
    qualified_wte: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0)
    other_wte: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0)
    nhs_wte: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0)
    potential_users: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    registered_users: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    enquiries: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    expert_searches: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    evidence_summaries: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    people_trained: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    inductions: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    document_supply: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    expenditure_gbp: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0)
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


def _validate(schema: type[pa.DataFrameModel], df: pd.DataFrame, what: str) -> pd.DataFrame:
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
    return _validate(SubmissionsSchema, df, "submissions")


def validate_statistics(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a tidy statistics table (raises :class:`QioDataError`)."""
    return _validate(StatisticsSchema, df, "statistics")


def validate_organisations(df: pd.DataFrame) -> pd.DataFrame:
    """Validate an organisations table (raises :class:`QioDataError`)."""
    return _validate(OrganisationsSchema, df, "organisations")


def validate_ods_trusts(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a table read from an ODS trust list (raises :class:`QioDataError`)."""
    return _validate(OdsTrustsSchema, df, "ODS trusts")

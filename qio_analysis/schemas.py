"""One pandera model per tidy table: what is checked, kept apart from where it is checked.

Readers validate their output here, lazily, so every failing row is reported
at once. Public metrics declare the tables they take with ``DataFrame[...]``
hints, and :func:`enforce_schemas` makes those hints true: a frame that breaks
its declared schema raises :class:`~qio_analysis.errors.QioDataError` naming
the column, before any arithmetic. The full check runs once per table content
per process (see :func:`check_table`), so the explorer's clicks and the
batch's thousands of metric calls stay fast. Column lists such as
:data:`SUBMISSION_COLUMNS` are read from the models, never retyped.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import typing
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from qio_analysis.errors import Problem, QioConfigError, QioDataError
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
from qio_analysis.memo import Memo, UnhashableArgumentError, frame_fingerprint
from qio_analysis.reference import ORG_CODE_PATTERN, ORGANISATION_TYPES, REGION_NAMES

F = TypeVar("F", bound=Callable[..., Any])

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
    ``assessment`` and ``level``, and optionally ``sublevel``. The ``score`` is
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


_TABLE_NAMES: dict[type[pa.DataFrameModel], str] = {
    SubmissionsSchema: "submissions",
    StatisticsSchema: "statistics",
    OrganisationsSchema: "organisations",
    OdsTrustsSchema: "ODS trusts",
}


# --------------------------------------------------------------------- checking


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
    return mark_valid(_validate(SubmissionsSchema, df, "submissions"), SubmissionsSchema)


def validate_statistics(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a tidy statistics table (raises :class:`QioDataError`)."""
    return mark_valid(_validate(StatisticsSchema, df, "statistics"), StatisticsSchema)


def validate_organisations(df: pd.DataFrame) -> pd.DataFrame:
    """Validate an organisations table (raises :class:`QioDataError`)."""
    return mark_valid(_validate(OrganisationsSchema, df, "organisations"), OrganisationsSchema)


def validate_ods_trusts(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a table read from an ODS trust list (raises :class:`QioDataError`)."""
    return mark_valid(_validate(OdsTrustsSchema, df, "ODS trusts"), OdsTrustsSchema)


#: Table contents (by model and fingerprint) that passed their full check in this process.
_CHECKED = Memo(max_entries=256)
#: Table objects known to be valid without a check (by model and id), for as long as they live.
_KNOWN_VALID: dict[tuple[str, int], weakref.ref] = {}
#: True while a checked function runs: the tables it passes on were checked at its entry.
_INSIDE_CHECK: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "qio_inside_check", default=False
)


def mark_valid(df: pd.DataFrame, model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Record that ``df`` is valid for ``model`` without checking it again; returns ``df``.

    For tables that are valid by construction: a reader's validated output and
    copies of it, or a row subset of a valid table (every check of these models
    holds row by row, and rows of unique keys stay unique). Like every memo in
    the package, this assumes a table handed on is not changed in place.
    """
    key = (model.__name__, id(df))
    _KNOWN_VALID[key] = weakref.ref(df, lambda _: _KNOWN_VALID.pop(key, None))
    return df


def check_table(df: object, model: type[pa.DataFrameModel]) -> None:
    """Raise :class:`QioDataError` unless ``df`` holds the model's columns with valid values.

    Columns the model does not declare are allowed (a metric may be given a
    table with a column added, such as a peer group); the declared ones are
    checked in full: dtypes, allowed values, nulls, uniqueness and the table
    checks. A passing table is remembered by its content (values, index,
    names and dtypes), so the same data is checked once per process however
    many times it is passed, and a changed table is checked again.

    >>> bad = empty_table(OrganisationsSchema).drop(columns="region")
    >>> check_table(bad, OrganisationsSchema)
    Traceback (most recent call last):
    ...
    qio_analysis.errors.QioDataError: The organisations table is missing columns:
      - (organisations table), column 'region': this column is missing
    """
    known = _KNOWN_VALID.get((model.__name__, id(df)))
    if known is not None and known() is df:
        return
    what = _TABLE_NAMES.get(model, model.__name__)
    if not isinstance(df, pd.DataFrame):
        raise QioConfigError(f"Expected the {what} table (a DataFrame), not {type(df).__name__}.")
    columns = columns_of(model)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise QioDataError(
            [
                Problem(file=f"({what} table)", column=c, reason="this column is missing")
                for c in missing
            ],
            summary=f"The {what} table is missing columns",
        )
    try:
        key: tuple = (model.__name__, frame_fingerprint(df))
    except UnhashableArgumentError:
        _validate(model, df[columns], what)
        return
    _CHECKED.get(key, lambda: _validate(model, df[columns], what) is not None)


def _model_of(hint: object) -> type[pa.DataFrameModel] | None:
    """The model of a ``DataFrame[Model]`` (or ``DataFrame[Model] | None``) hint, else None."""
    if typing.get_origin(hint) is DataFrame:
        (model,) = typing.get_args(hint)
        return model
    for arg in typing.get_args(hint):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def enforce_schemas(func: F) -> F:
    """Check every ``DataFrame[Model]`` argument of ``func`` with :func:`check_table` on entry.

    A check happens where a caller hands a table to a public function: a
    checked function calling another runs no second check, as the tables it
    passes on come from the ones checked at its entry.
    """
    frames = {
        name: model
        for name, hint in typing.get_type_hints(inspect.unwrap(func)).items()
        if name != "return" and (model := _model_of(hint)) is not None
    }
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _INSIDE_CHECK.get():
            return func(*args, **kwargs)
        arguments = signature.bind(*args, **kwargs).arguments
        for name, model in frames.items():
            value = arguments.get(name)
            if value is not None:
                check_table(value, model)
        token = _INSIDE_CHECK.set(True)
        try:
            return func(*args, **kwargs)
        finally:
            _INSIDE_CHECK.reset(token)

    return wrapper  # type: ignore[return-value]

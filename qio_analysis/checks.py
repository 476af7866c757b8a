"""Where the schemas are enforced: every public metric checks the tables it is given.

Public metrics declare their tables with ``DataFrame[Model]`` hints and
:func:`enforce_schemas` makes those hints true: a table that breaks its
declared schema (:mod:`qio_analysis.schemas`) raises
:class:`~qio_analysis.errors.QioDataError` naming the column, before any
arithmetic. A check happens where a caller hands a table to the package, not
again inside it; the full check runs once per table content per process; and
tables valid by construction (copies of a reader's table, rows of a checked
table) are recorded with :func:`mark_valid` and not checked at all. So the
explorer's clicks and the batch's thousands of metric calls stay fast.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import typing
import weakref
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame

from qio_analysis.errors import Problem, QioConfigError, QioDataError
from qio_analysis.memo import Memo, UnhashableArgumentError, frame_fingerprint
from qio_analysis.schemas import TABLE_NAMES, columns_of, validate

P = ParamSpec("P")
R = TypeVar("R")

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

    >>> from qio_analysis.schemas import OrganisationsSchema, empty_table
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
    what = TABLE_NAMES.get(model, model.__name__)
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
        validate(model, df[columns], what)
        return
    _CHECKED.get(key, lambda: validate(model, df[columns], what) is not None)


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


def enforce_schemas(func: Callable[P, R]) -> Callable[P, R]:
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
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
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

    return wrapper

"""Memoise pure functions of DataFrames, so work shared by many reports is done once per process.

Every organisation report of a cycle needs the same national and regional
level distributions and national activity rates. ``qio reports`` runs
hundreds of them in a few long-lived kernels, so the functions computing
those tables are decorated with :func:`memoise_frames`: the first call in a
kernel computes, later calls with the same data return a copy of the result.

The key is the *content* of each DataFrame argument (values, index, column
names and dtypes, hashed with :func:`pandas.util.hash_pandas_object`) plus the
other arguments, so a changed input file can never be served a stale answer,
and results are handed out as copies (copy-on-write frames, new figure
objects) that callers may change freely. In JupyterLab nothing changes but
the speed of a re-run.
"""

from __future__ import annotations

import functools
import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

_MAX_ENTRIES = 64
_RESULTS: OrderedDict[tuple, Any] = OrderedDict()
_FINGERPRINTS: dict[int, tuple[weakref.ref, str]] = {}


class UnhashableArgumentError(Exception):
    """An argument cannot be fingerprinted: call the function without memoising."""


def frame_fingerprint(frame: pd.DataFrame | pd.Series) -> str:
    """A digest of a frame's content: values, index, column names and dtypes.

    Remembered per frame object (for as long as the object lives), so a frame
    passed to several memoised functions is hashed once.
    """
    known = _FINGERPRINTS.get(id(frame))
    if known is not None and known[0]() is frame:
        return known[1]
    try:
        values = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    except TypeError as exc:  # lists, dicts or other unhashable cells
        raise UnhashableArgumentError(str(exc)) from None
    digest = hashlib.sha256(values.tobytes())
    names = frame.columns if isinstance(frame, pd.DataFrame) else [frame.name]
    dtypes = frame.dtypes if isinstance(frame, pd.DataFrame) else [frame.dtype]
    digest.update(repr((list(names), [str(d) for d in dtypes], frame.index.names)).encode())
    fingerprint = digest.hexdigest()
    key = id(frame)
    _FINGERPRINTS[key] = (weakref.ref(frame, lambda _: _FINGERPRINTS.pop(key, None)), fingerprint)
    return fingerprint


def _key_part(value: Any) -> Any:
    if isinstance(value, pd.DataFrame | pd.Series):
        return ("frame", frame_fingerprint(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, *map(_key_part, value))
    try:
        hash(value)
    except TypeError:
        raise UnhashableArgumentError(type(value).__name__) from None
    return value


def _copy(value: Any) -> Any:
    """A copy the caller may change without touching the memoised result."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # copy-on-write: cheap, and safe to modify
    if hasattr(value, "to_plotly_json"):  # a plotly figure
        return type(value)(value)
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def memoise_frames(func: F) -> F:
    """Remember ``func``'s results by the content of its DataFrame arguments and the others.

    For pure functions only (same inputs, same result, no side effects).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            key = (
                func.__module__,
                func.__qualname__,
                _key_part(args),
                tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())),
            )
        except UnhashableArgumentError:
            return func(*args, **kwargs)
        if key in _RESULTS:
            _RESULTS.move_to_end(key)
        else:
            _RESULTS[key] = func(*args, **kwargs)
            while len(_RESULTS) > _MAX_ENTRIES:
                _RESULTS.popitem(last=False)
        return _copy(_RESULTS[key])

    wrapper.cache_clear = clear_memo  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def clear_memo() -> None:
    """Forget every memoised result."""
    _RESULTS.clear()

"""The package's one place for remembering results: work shared by many callers is done once.

:class:`Memo` is a small bounded store (least recently used entries go first).
Three callers use it, each with its own key: :func:`memoise_frames` (pure
functions of DataFrames, keyed by content), the run's input reader
(:mod:`qio_analysis.io.inputs`, keyed by file identity) and the explorer
(one metric result per selection, for the life of its tables).

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

import dataclasses
import functools
import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import ParamSpec, TypeVar, cast

import pandas as pd

T = TypeVar("T")
P = ParamSpec("P")


class Memo:
    """A bounded store of computed values: :meth:`get` computes a key once, then returns it.

    ``max_entries`` bounds it (the least recently used go first); None keeps
    everything. Values are returned as stored: callers hand out copies where
    their callers may change them.

    >>> memo = Memo(max_entries=2)
    >>> memo.get("a", lambda: 1), memo.get("a", lambda: 99), len(memo)
    (1, 1, 1)
    """

    def __init__(self, max_entries: int | None = None) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value stored under ``key``, computed by ``compute()`` the first time."""
        if key in self._values:
            self._values.move_to_end(key)
            # A key names one computation, so its value has the type ``compute`` returns.
            return cast("T", self._values[key])
        value = self._values[key] = compute()
        while self.max_entries is not None and len(self._values) > self.max_entries:
            self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every stored value."""
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


_RESULTS = Memo(max_entries=64)
_FINGERPRINTS: dict[int, tuple[weakref.ref[pd.DataFrame | pd.Series], str]] = {}


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


def _key_part(value: object) -> Hashable:
    if isinstance(value, pd.DataFrame | pd.Series):
        return ("frame", frame_fingerprint(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, *map(_key_part, value))
    try:
        hash(value)
    except TypeError:
        raise UnhashableArgumentError(type(value).__name__) from None
    return value


def copy_result(value: T) -> T:
    """A copy of a remembered value that the caller may change without touching the original.

    Frames are shallow copies (copy-on-write: cheap, and safe to modify),
    figures new figure objects, dataclasses (a reader's result) copied field
    by field, and containers copied with their contents.
    """
    # Each branch of _copy returns a value of its argument's own type.
    return cast("T", _copy(value))


def _copy(value: object) -> object:
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if hasattr(value, "to_plotly_json"):  # a plotly figure: its class copies it
        figure_class: Callable[[object], object] = type(value)
        return figure_class(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _copy(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **fields)
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def memoise_frames(func: Callable[P, T]) -> Callable[P, T]:
    """Remember ``func``'s results by the content of its DataFrame arguments and the others.

    For pure functions only (same inputs, same result, no side effects).
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            key = (
                func.__module__,
                func.__qualname__,
                _key_part(args),
                tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())),
            )
        except UnhashableArgumentError:
            return func(*args, **kwargs)
        return copy_result(_RESULTS.get(key, lambda: func(*args, **kwargs)))

    wrapper.cache_clear = clear_memo  # type: ignore[attr-defined]  # as functools.cache has
    return wrapper


def clear_memo() -> None:
    """Forget every memoised result."""
    _RESULTS.clear()

"""A small read cache keyed by file identity, for warm kernels that run many notebooks.

Safe because the key is every input file's path, size and modification time
(so a changed file is read again) and every hit returns a shallow copy: under
pandas copy-on-write a caller modifying its frame never touches the cached
one. A fresh kernel or JupyterLab just reads the files as usual.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd

from qio_analysis.io.records import ReadResult
from qio_analysis.io.tables import Source, expand_sources

_MAX_ENTRIES = 8
_CACHE: OrderedDict[tuple, object] = OrderedDict()


def file_identity(source: Source) -> tuple:
    """(path, size, mtime_ns) for every file named by ``source``."""
    out = []
    for path in expand_sources(source):
        stat = path.stat()
        out.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def _copy(value: object) -> object:
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if isinstance(value, ReadResult):
        return dataclasses.replace(value, data=value.data.copy(deep=False), notes=list(value.notes))
    return value


def cached_result(kind: str, source: Source, read: Callable[[Source], ReadResult]) -> ReadResult:
    """``read(source)`` once per file identity; a copy whose ``.data`` is a shallow copy."""
    key = (kind, file_identity(source))
    if key in _CACHE:
        _CACHE.move_to_end(key)
    else:
        _CACHE[key] = read(source)
        while len(_CACHE) > _MAX_ENTRIES:
            _CACHE.popitem(last=False)
    result = _copy(_CACHE[key])
    assert isinstance(result, ReadResult)
    return result


def cached(kind: str, source: Source, read: Callable[[Source], pd.DataFrame]) -> pd.DataFrame:
    """``read(source)`` once per file identity; a shallow (copy-on-write) copy on every call."""
    key = (kind, file_identity(source))
    if key in _CACHE:
        _CACHE.move_to_end(key)
    else:
        _CACHE[key] = read(source)
        while len(_CACHE) > _MAX_ENTRIES:
            _CACHE.popitem(last=False)
    frame = _CACHE[key]
    assert isinstance(frame, pd.DataFrame)
    return frame.copy(deep=False)


def clear_cache() -> None:
    """Forget every cached table."""
    _CACHE.clear()

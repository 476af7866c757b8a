"""Files kept between runs to save time, in the user's cache folder; never a source of truth.

An entry is named by a key that digests everything it was made from, so a
changed input never finds an old entry: it simply misses and is made again.
An entry that cannot be read is a miss, and one that cannot be written is
not kept; either way the caller makes the thing itself.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

#: Overrides the cache folder (tests point it at a temporary folder).
CACHE_ENV = "QIO_CACHE_DIR"
_KEY = re.compile(r"[0-9a-f]{16,128}")
_KIND = re.compile(r"[a-z][a-z0-9-]{0,40}")


def cache_dir() -> Path:
    """The user's cache folder for qio-analysis (``QIO_CACHE_DIR`` when set)."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_cache_dir("qio-analysis", appauthor=False))


def _entry(kind: str, key: str, suffix: str) -> Path:
    if not _KIND.fullmatch(kind) or not _KEY.fullmatch(key) or not _KIND.fullmatch(suffix):
        raise ValueError(f"not a cache entry name: {kind!r}, {key!r}, {suffix!r}")
    return cache_dir() / kind / f"{key}.{suffix}"


def read_cached(kind: str, key: str, suffix: str) -> bytes | None:
    """The entry's bytes, or ``None`` when there is none (or it cannot be read)."""
    try:
        return _entry(kind, key, suffix).read_bytes()
    except OSError:
        return None


def write_cached(kind: str, key: str, suffix: str, data: bytes) -> Path | None:
    """Keep ``data`` under its key (atomically); ``None`` when the folder cannot be written."""
    from qio_analysis.io.writers import write_bytes_atomic  # pandas: not needed to read

    try:
        return write_bytes_atomic(_entry(kind, key, suffix), data)
    except OSError:
        return None


def stamp(paths: Iterable[str | os.PathLike[str]], *parts: str) -> str:
    """A digest of files as they are now (path, size, modification time; folders' files too)
    and ``parts``: a key for an entry made from them, found without reading them."""
    digest = hashlib.sha256("\n".join(parts).encode())
    for given in paths:
        path = Path(given).resolve()
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                info = file.stat()
                digest.update(f"{file}\t{info.st_size}\t{info.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"{file}\tmissing\n".encode())
    return digest.hexdigest()

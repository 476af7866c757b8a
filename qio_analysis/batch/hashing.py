"""Input fingerprints: a report is rebuilt only when something it depends on changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from qio_analysis.config import PACKAGE_DIR


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """One digest for several files (names and contents), order-independent."""
    digest = hashlib.sha256()
    for path in sorted({p.resolve() for p in paths}):
        digest.update(path.name.encode())
        digest.update(file_digest(path).encode())
    return digest.hexdigest()


@cache
def package_digest() -> str:
    """The installed package version plus a digest of its source and templates.

    Including the source (not only the version) means a code change during
    development rebuilds the reports it could affect.
    """
    from qio_analysis import __version__

    files = [
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix in {".py", ".j2", ".json", ".css", ".js"}
    ]
    return f"{__version__}:{files_digest(files)}"


def item_hash(
    *, data: str, notebook: str, parameters: dict[str, Any], options: dict[str, Any]
) -> str:
    """Hash of everything a report depends on."""
    payload = json.dumps(
        {
            "data": data,
            "notebook": notebook,
            "package": package_digest(),
            "parameters": parameters,
            "options": options,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]

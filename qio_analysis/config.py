"""Paths, relative to the project root, in one place.

Run parameters (cycle, organisations, regions) are never set here: they are
passed to functions, notebooks and the ``qio`` command.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The project root (the folder holding pyproject.toml) for an editable
#: install; override with QIO_PROJECT_ROOT when the package is installed elsewhere.
PROJECT_ROOT = Path(os.environ.get("QIO_PROJECT_ROOT", PACKAGE_DIR.parent)).resolve()

DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"
STATIC_DIR = PACKAGE_DIR / "report" / "static"

#: The demo exports, as the generator writes them (see data/README.md).
DEMO_SUBMISSIONS = DEMO_DIR / "qiof"
DEMO_STATISTICS = DEMO_DIR / "lks_statistics_returns.xlsx"
DEMO_ORGANISATIONS = DEMO_DIR / "organisations.csv"

#: The national policy target: 1 qualified LKS WTE per this many NHS WTE.
STAFF_RATIO_TARGET = 1250


def is_demo_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is (inside) the bundled synthetic demo data."""
    try:
        Path(path).resolve().relative_to(DEMO_DIR)
    except ValueError:
        return False
    return True

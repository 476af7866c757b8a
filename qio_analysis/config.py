"""Paths, relative to the project root, in one place, and the one rule for finding Chromium.

Run parameters (cycle, organisations, regions) are never set here: they are
passed to functions, notebooks and the ``qio`` command.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from qio_analysis.errors import QioConfigError

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

#: Debian's chromium, which prints PDFs and draws images (no browser is ever downloaded).
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
#: An environment variable naming another Chromium binary.
CHROMIUM_ENV = "QIO_CHROMIUM"
_INSTALL_CHROMIUM = "Install it with `sudo apt-get install -y chromium`, then run again."

#: The national policy target: 1 qualified LKS WTE per this many NHS WTE.
STAFF_RATIO_TARGET = 1250


def is_demo_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is (inside) the bundled synthetic demo data."""
    try:
        Path(path).resolve().relative_to(DEMO_DIR)
    except ValueError:
        return False
    return True


def chromium_path() -> str:
    """The Chromium binary for PDFs, images and browser checks, found by one rule.

    ``QIO_CHROMIUM`` when set (a path, or a name on ``PATH``); else Debian's
    ``/usr/bin/chromium``; else ``chromium`` on ``PATH``. Anything else raises
    :class:`~qio_analysis.errors.QioConfigError` saying what to do.
    """
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        found = chosen if os.access(chosen, os.X_OK) else shutil.which(chosen)
        if not found:
            raise QioConfigError(
                f"{CHROMIUM_ENV} is set to {chosen}, which is not a Chromium binary that can be "
                f"run. Point {CHROMIUM_ENV} at one, or unset it to use Debian's chromium. "
                + _INSTALL_CHROMIUM
            )
        return found
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return str(DEFAULT_CHROMIUM)
    found = shutil.which("chromium")
    if not found:
        raise QioConfigError(
            f"Chromium was not found (looked for {DEFAULT_CHROMIUM} and chromium on PATH). "
            + _INSTALL_CHROMIUM
            + f" Or set {CHROMIUM_ENV} to a Chromium binary. No browser is downloaded."
        )
    return found

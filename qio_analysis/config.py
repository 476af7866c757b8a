"""Paths, relative to the project root, in one place, and the one rule for finding a browser.

Run parameters (cycle, organisations, regions) are never set here: they are
passed to functions, notebooks and the ``qio`` command.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from qio_analysis import platform_support
from qio_analysis.errors import QioConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
#: An environment variable naming the folder that holds notebooks/ and data/demo/.
PROJECT_ROOT_ENV = "QIO_PROJECT_ROOT"
#: The notebooks and demo data inside an installed package (copied there when it is built).
BUNDLED_DIR = PACKAGE_DIR / "_bundled"


def find_project_root(env: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """Where the notebooks and demo data are, by one rule, and whether that is a clone.

    ``QIO_PROJECT_ROOT`` when set; else the clone the package is run from (the
    package sits beside pyproject.toml and notebooks/); else the copy bundled
    inside the installed package.
    """
    env = os.environ if env is None else env
    chosen = env.get(PROJECT_ROOT_ENV)
    if chosen:
        return Path(chosen).resolve(), True
    clone = PACKAGE_DIR.parent
    if (clone / "pyproject.toml").is_file() and (clone / "notebooks").is_dir():
        return clone, True
    return BUNDLED_DIR, False


#: The folder holding notebooks/ and data/ (see :func:`find_project_root`).
PROJECT_ROOT, IN_CLONE = find_project_root()

DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
#: Where ``qio demo-data`` writes by default: the clone's data/demo/, or data/demo/ in the
#: folder the command is run from (never into an installed package).
DEMO_DATA_OUT = DEMO_DIR if IN_CLONE else Path("data") / "demo"
#: The file ``qio demo-data`` writes beside the exports it generates, and its first line.
SYNTHETIC_MARK = "SYNTHETIC.txt"
SYNTHETIC_TITLE = "SYNTHETIC DEMO DATA"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
#: Reports go to outputs/ in the clone; from an installed package, to outputs/ in
#: the folder the command is run from.
OUTPUTS_DIR = PROJECT_ROOT / "outputs" if IN_CLONE else Path("outputs")
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"
STATIC_DIR = PACKAGE_DIR / "report" / "static"

#: The demo exports, as the generator writes them (see data/README.md).
DEMO_SUBMISSIONS = DEMO_DIR / "qiof"
DEMO_STATISTICS = DEMO_DIR / "lks_statistics_returns.xlsx"
DEMO_ORGANISATIONS = DEMO_DIR / "organisations.csv"

#: An environment variable naming a Chromium-family browser (a path, or a name on PATH).
CHROMIUM_ENV = "QIO_CHROMIUM"

#: The national policy target: 1 qualified LKS WTE per this many NHS WTE.
STAFF_RATIO_TARGET = 1250


def is_demo_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is synthetic demo data, so every output made from it says so.

    That is the bundled demo data, or a folder ``qio demo-data`` wrote (anywhere, or a
    copy of one): its :data:`SYNTHETIC_MARK` sits in the folder given, beside the file
    given, or one folder up (the ``qiof/`` exports' folder).
    """
    resolved = Path(path).resolve()
    try:
        resolved.relative_to(DEMO_DIR)
    except ValueError:
        folders = [resolved] if resolved.is_dir() else []
        folders += [resolved.parent, resolved.parent.parent]
        return any(_has_synthetic_mark(folder) for folder in folders)
    return True


def _has_synthetic_mark(folder: Path) -> bool:
    mark = folder / SYNTHETIC_MARK
    try:
        with mark.open(encoding="utf-8") as text:
            return text.readline().strip() == SYNTHETIC_TITLE
    except (OSError, UnicodeDecodeError):
        return False


def _how_to_add_a_browser(platform: str) -> str:
    kind = platform_support.platform_name(platform)
    if kind == "linux":
        how = "Install one (on Debian: `sudo apt-get install -y chromium`)"
    elif kind == "windows":
        how = "Install Microsoft Edge or Google Chrome (no administrator rights needed for Chrome)"
    else:
        how = "Install Microsoft Edge, Google Chrome or Chromium"
    return f"{how}, or set {CHROMIUM_ENV} to the browser's program, then run again."


def browser_search(
    platform: str | None = None, env: Mapping[str, str] | None = None
) -> platform_support.BrowserSearch:
    """The one rule for a Chromium-family browser, and every place it looked.

    ``QIO_CHROMIUM`` when set (a path, or a name on ``PATH``); else, by
    platform (:func:`qio_analysis.platform_support.browser_places`): on Linux
    Debian's ``/usr/bin/chromium``, then chromium, chromium-browser,
    google-chrome, google-chrome-stable on ``PATH``; on Windows Microsoft Edge
    and Google Chrome under Program Files, Program Files (x86) and the user's
    local app data; on macOS Edge, Chrome and Chromium in /Applications and
    ~/Applications. No browser is ever downloaded.
    """
    platform = sys.platform if platform is None else platform
    env = os.environ if env is None else env
    chosen = env.get(CHROMIUM_ENV)
    if chosen:
        found = chosen if platform_support.is_runnable(chosen) else shutil.which(chosen)
        return platform_support.BrowserSearch(found, (f"{CHROMIUM_ENV}={chosen}",))
    return platform_support.find_browser(platform, env, platform_support.is_runnable, shutil.which)


def chromium_path() -> str:
    """The browser for PDFs, images and browser checks (:func:`browser_search`).

    None found raises :class:`~qio_analysis.errors.QioConfigError` saying
    every place it looked and how to point at one.
    """
    search = browser_search()
    if search.path:
        return search.path
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        raise QioConfigError(
            f"{CHROMIUM_ENV} is set to {chosen}, which is not a browser program that can be "
            f"run. Point {CHROMIUM_ENV} at Chromium, Google Chrome or Microsoft Edge, or unset "
            "it to look in the usual places. " + _how_to_add_a_browser(sys.platform)
        )
    raise QioConfigError(
        "No Chromium-family browser was found (looked at "
        + "; ".join(search.looked)
        + "). "
        + _how_to_add_a_browser(sys.platform)
        + " No browser is downloaded."
    )

"""Shared helpers for real-browser tests: Debian chromium driven by Playwright, never a download."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qio_analysis.export.browser import CHROMIUM_FLAGS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"  # git-ignored
FLAGS = list(CHROMIUM_FLAGS)  # the package's one list, as every run launches it


def chromium_path() -> str:
    """Path to Debian's chromium, or skip the test with a clear message."""
    found = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        pytest.skip(
            "Debian chromium is not installed (apt-get install -y chromium); .ci/run installs it in CI"
        )
    return str(found)


def launch(playwright):
    """A headless chromium from the system, with the flags that work in this environment."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=FLAGS)

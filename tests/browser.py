"""Shared helpers for real-browser tests: Debian chromium driven by Playwright, never a download."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from qio_analysis.export.browser import CHROMIUM_FLAGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

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


@contextmanager
def chromium_session() -> Iterator[Browser]:
    """One Playwright session and Chromium, for a module's tests to open fresh contexts in
    (skips, as :func:`chromium_path` does, when Playwright or Chromium is missing)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()


class FreshContexts:
    """A test's view of a shared Chromium: each page in a context of its own (no cookies,
    storage or cache from another test), every context closed when the test ends."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.opened: list[BrowserContext] = []

    def new_context(self, **options: Any) -> BrowserContext:
        context = self.browser.new_context(**options)
        self.opened.append(context)
        return context

    def new_page(self, **options: Any) -> Page:
        return self.new_context(**options).new_page()

    def close(self) -> None:
        for context in self.opened:
            context.close()
        self.opened.clear()

"""The guard that keeps the fast layer fast: costly things only in tests marked for them.

A test that starts Chromium must be marked ``browser``; one that runs the batch, a
kernel, a Voila server or ``qio reports`` in a subprocess must be marked ``slow``
(see docs/testing.md). :func:`install` wraps the real entry points once per session:
``subprocess.Popen`` (every browser, playwright driver, kernel and server starts
through it), the batch run itself and each use of the worker's shared browser.
:data:`GUARD` knows which test is running and its markers; an unmarked test that
reaches an entry point gets :class:`UnmarkedTestError`, and fails at teardown even
if the code under test caught that error.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

#: Programs (or ``python -m`` modules) by what starts them, and the marker each needs.
_PROGRAMS = [
    (("chromium", "chrome", "headless_shell"), "browser", "starts Chromium"),
    (("ipykernel_launcher", "ipykernel"), "slow", "starts a Jupyter kernel"),
    (("voila", "jupyter-server", "jupyter-lab", "papermill"), "slow", "starts a Jupyter server"),
]
#: ``qio`` commands that run the batch or a server.
_QIO_COMMANDS = {"reports": "runs `qio reports` in a subprocess", "explore": "starts the explorer"}


class UnmarkedTestError(RuntimeError):
    """A test without the marker its costly step needs."""


class LayerGuard:
    """The running test's id and markers, and what it did without them."""

    def __init__(self) -> None:
        self.test: str | None = None
        self.markers: frozenset[str] = frozenset()
        self.violations: list[str] = []

    def check(self, marker: str, what: str) -> None:
        """Refuse ``what`` unless the running test carries ``marker`` (outside a test, allow)."""
        if self.test is None or marker in self.markers:
            return
        message = (
            f"{self.test} {what} but is not marked @pytest.mark.{marker}; "
            f"mark it so that `make test-fast` leaves it out (docs/testing.md)"
        )
        self.violations.append(message)
        raise UnmarkedTestError(message)

    def start(self, test: str, markers: set[str]) -> None:
        """Guard ``test`` from its first fixture to its last teardown."""
        self.test, self.markers, self.violations = test, frozenset(markers), []

    def stop(self) -> None:
        self.test, self.markers = None, frozenset()

    @contextmanager
    def pretending(self, test: str, markers: set[str]) -> Iterator[list[str]]:
        """Guard as if ``test`` with ``markers`` were running (for the guard's own tests)."""
        saved = self.test, self.markers, self.violations
        self.start(test, markers)
        try:
            yield self.violations
        finally:
            self.test, self.markers, self.violations = saved


GUARD = LayerGuard()


def check_command(args: object) -> None:
    """Refuse a command line that starts a browser, kernel, server or ``qio reports`` run."""
    if isinstance(args, (str, bytes, os.PathLike)):
        words = os.fsdecode(args).split()
    elif isinstance(args, Sequence) and args:
        words = [os.fsdecode(a) if isinstance(a, (bytes, os.PathLike)) else str(a) for a in args]
    else:
        return
    programs = {Path(words[0]).name}
    if "-m" in words[:-1]:
        programs.add(words[words.index("-m") + 1])
    if "run-driver" in words:
        GUARD.check("browser", "starts Playwright's browser driver")
    for names, marker, what in _PROGRAMS:
        if any(program.startswith(names) for program in programs):
            GUARD.check(marker, what)
    if programs & {"qio", "qio_analysis.cli", "tests.batch.slow_run"}:
        for command, what in _QIO_COMMANDS.items():
            if command in words:
                GUARD.check("slow", what)
        if "reports" in words and {"--pdf", "--images"} & set(words):
            GUARD.check(
                "browser", "prints PDFs or images with Chromium in a `qio reports` subprocess"
            )


_installed = False


def install() -> None:
    """Wrap the entry points (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    popen_init = subprocess.Popen.__init__

    def guarded_popen(self, args, *rest, **kwargs):  # type: ignore[no-untyped-def]
        check_command(args)
        popen_init(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = guarded_popen  # type: ignore[method-assign]

    from qio_analysis.batch import run

    batch_run = run._Run.run

    def guarded_run(self):  # type: ignore[no-untyped-def]
        GUARD.check("slow", "runs the batch (qio reports)")
        return batch_run(self)

    run._Run.run = guarded_run  # type: ignore[method-assign]

    # The worker's shared Chromium (tests/conftest.py) starts no process once it runs:
    # every use of it is checked, not only the first.
    from qio_analysis.export.browser import BrowserSession

    session_browser = BrowserSession.browser

    async def guarded_browser(self):  # type: ignore[no-untyped-def]
        GUARD.check("browser", "prints or draws with Chromium")
        return await session_browser(self)

    BrowserSession.browser = guarded_browser  # type: ignore[method-assign]

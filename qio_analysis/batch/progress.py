"""How a run shows its progress: bars on a terminal, one line per stage in a log, or nothing.

On a terminal (standard error is a TTY and ``CI`` is not set) each stage
draws a tqdm bar. Piped, redirected or under CI a bar would be redrawn into
the log hundreds of times, so each stage instead prints one line when it
ends, with its counts and time::

    Reports: 228 built, 2 failed (140.2 s)

With progress off (``--quiet``) nothing is printed; the command's summary
is printed either way.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm.auto import tqdm

from qio_analysis.aliases import Untyped


def progress_style(enabled: bool) -> str:
    """``"bars"`` on a terminal, ``"lines"`` in a log or under CI, ``"off"`` when not wanted."""
    if not enabled:
        return "off"
    if os.environ.get("CI") or not sys.stderr.isatty():
        return "lines"
    return "bars"


class Stage:
    """One stage of a run (reading, reports, workbooks, PDFs...): a bar or a closing line."""

    def __init__(self, name: str, total: int, unit: str, style: str) -> None:
        self.name = name
        self.style = style
        self.summary = ""  # set by the caller: "228 built, 2 failed"
        self.done = 0
        self._started = time.perf_counter()
        self._bar: Untyped = None  # a tqdm bar (tqdm ships no types)
        if style == "bars" and total:
            self._bar = tqdm(total=total, unit=unit, desc=name, dynamic_ncols=True)

    def advance(self, n: int = 1, **postfix: int | str) -> None:
        self.done += n
        if self._bar is not None:
            if postfix:
                self._bar.set_postfix(postfix, refresh=False)
            self._bar.update(n)

    def close(self, *, interrupted: bool = False) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self.style != "lines" or not (self.summary or interrupted):
            return
        seconds = time.perf_counter() - self._started
        summary = self.summary or f"{self.done} done"
        stopped = ", interrupted" if interrupted else ""
        print(f"{self.name}: {summary} ({seconds:.1f} s{stopped})", flush=True)


@contextmanager
def stage(name: str, total: int, *, unit: str, style: str) -> Iterator[Stage]:
    """A :class:`Stage` that is closed (its line printed) however the block ends."""
    current = Stage(name, total, unit, style)
    interrupted = True
    try:
        yield current
        interrupted = False
    finally:
        current.close(interrupted=interrupted)

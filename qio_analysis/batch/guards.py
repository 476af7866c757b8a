"""What keeps one run of ``qio reports`` whole: its own output folder, and inputs that hold still.

- :func:`check_apart`: the output folder and the input files and folders are
  kept apart, so a run never reads its own outputs as exports nor writes over
  an export (refused at the start, in one sentence);
- :class:`FolderLock`: an operating-system lock on the output folder for the
  whole run, so two runs never write one folder (the second refuses, naming
  who holds it). The lock goes with the process, even when it is killed;
- :class:`InputWatch`: every input file's identity and content hash, taken
  before the data is read and checked while the run goes on, so a file
  replaced mid-run cannot give reports built from a mixture.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from qio_analysis.batch.outputs import describe_os_error
from qio_analysis.batch.provenance import files_digest
from qio_analysis.errors import OutputFolderError, QioConfigError, QioError
from qio_analysis.io.files import file_digest
from qio_analysis.platform_support import (
    WINDOWS_MAX_PATH,
    LockHeldError,
    OutputFolderLock,
    path_too_long,
    user_name,
)

LOCK_NAME = ".qio-lock"
#: Characters a run adds to the output folder's path at most, with room to spare
#: (``headlines/2024-25/images/<image>.png``, a temporary file's suffix while written).
OUTPUT_PATH_ROOM = 100


class FolderInUseError(QioError):
    """Another run holds the output folder."""


class InputChangedError(QioError):
    """An input file changed while the run was reading or using it."""


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_apart(out_dir: Path, inputs: Iterable[tuple[str, Path]]) -> None:
    """Refuse an output folder that is, holds, or sits inside an input (``inputs``: option, path).

    On Windows, also refuse one so deep that report paths would pass its 260-character limit.

    A folder input may not contain the output folder (its manifest would be read
    as an export) nor lie inside it; an input file may not lie inside the output
    folder (a run could overwrite or remove it).
    """
    out = out_dir.resolve()
    if path_too_long(out / ("x" * OUTPUT_PATH_ROOM)):
        raise QioConfigError(
            f"The output folder {out} is too deep for Windows: some report paths would pass "
            f"{WINDOWS_MAX_PATH} characters. Choose a shorter --out, such as C:\\qio-reports."
        )
    for option, given in inputs:
        path = given.resolve()
        if path.is_dir() and _within(out, path):
            raise QioConfigError(
                f"The output folder {out} is inside the {option} folder {path}; "
                "choose an --out outside the input folders."
            )
        if _within(path, out):
            what = "folder" if path.is_dir() else "file"
            raise QioConfigError(
                f"The {option} {what} {path} is inside the output folder {out}; "
                "choose an --out that holds no input."
            )


# --------------------------------------------------------------------- the lock


class FolderLock:
    """An exclusive lock on ``out_dir`` (on ``out_dir/.qio-lock``) for one run.

    Non-blocking: when another run holds it, :meth:`acquire` raises
    :class:`FolderInUseError` naming that run (process, user, machine, start
    time). The operating system releases it when the process ends, even when
    it is killed; the lock file is removed on release. How it locks on each
    platform: :class:`qio_analysis.platform_support.OutputFolderLock`.
    """

    def __init__(self, out_dir: Path, command: str = "qio reports") -> None:
        self.path = out_dir / LOCK_NAME
        self.command = command
        self._lock: OutputFolderLock | None = None

    def acquire(self) -> FolderLock:
        started = dt.datetime.now().isoformat(timespec="seconds")
        lock = OutputFolderLock(
            self.path,
            lambda: (
                f"{self.command}, process {os.getpid()} of {user_name()} on "
                f"{socket.gethostname()}, started {started}"
            ),
        )
        try:
            lock.acquire()
        except LockHeldError as held:
            raise FolderInUseError(
                f"Another run ({held.holder}) is writing to {self.path.parent}; "
                "wait for it to finish, or choose another --out."
            ) from None
        except OSError as exc:
            raise OutputFolderError(describe_os_error(exc, self.path.parent)) from None
        self._lock = lock
        return self

    def release(self) -> None:
        if self._lock is None:
            return
        with contextlib.suppress(OSError):
            self._lock.release()
        self._lock = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


# --------------------------------------------------------------------- the inputs


@dataclass(frozen=True)
class _Seen:
    """One input file as found: identity (device, inode, size, modification time) and content."""

    path: Path
    identity: tuple[int, int, int, int]
    sha256: str


def _identity(path: Path) -> tuple[int, int, int, int]:
    stat = path.stat()
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


class InputWatch:
    """The run's input files as they were when it started, to check that they hold still.

    ``list_files`` lists the files the run reads (folders expanded), so a file
    added to or removed from an input folder counts as a change too.
    """

    def __init__(self, list_files: Callable[[], Iterable[Path]]) -> None:
        self._list = list_files
        self.files = self._look()

    def _look(self) -> tuple[_Seen, ...]:
        seen = []
        for path in sorted({Path(p).resolve() for p in self._list()}):
            before = _identity(path)
            digest = file_digest(path)
            if _identity(path) != before:
                raise InputChangedError(
                    f"{path} changed while it was being read; run again once it is final."
                )
            seen.append(_Seen(path, before, digest))
        return tuple(seen)

    @property
    def digest(self) -> str:
        """One hash of every input file's name and content (what the reports are built from)."""
        return files_digest((s.path.name, s.sha256) for s in self.files)

    def changed(self) -> list[Path]:
        """Files whose identity changed since the start, plus files added or gone (cheap: stat only)."""
        try:
            now = {Path(p).resolve() for p in self._list()}
        except (OSError, QioError):
            return [s.path for s in self.files]
        before = {s.path: s for s in self.files}
        out = sorted(now ^ set(before))
        for path in sorted(now & set(before)):
            try:
                if _identity(path) != before[path].identity:
                    out.append(path)
            except OSError:
                out.append(path)
        return out

    def changed_content(self) -> list[Path]:
        """As :meth:`changed`, also comparing every file's content hash (for the end of a run)."""
        out = self.changed()
        for seen in self.files:
            if seen.path in out:
                continue
            try:
                if file_digest(seen.path) != seen.sha256:
                    out.append(seen.path)
            except OSError:
                out.append(seen.path)
        return out

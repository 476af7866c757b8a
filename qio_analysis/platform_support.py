"""Everything that differs between Windows, macOS and Linux, in one place.

The rest of the package uses :mod:`pathlib` and the standard library's
portable calls only; anything that exists on one platform only is here, and
each function says what it does on each:

- :class:`OutputFolderLock`: an exclusive lock on one file, held for a run and
  gone with the process (``filelock``: ``flock`` on Linux and macOS,
  ``LockFileEx`` on Windows);
- :func:`user_name`: who runs this (``getpass.getuser()``, which reads the
  environment first on every platform, with a fallback that never fails);
- :func:`kill_process_tree`: stop a kernel and anything it started at once
  (its process group with ``killpg`` on POSIX, where jupyter_client starts
  each kernel in its own session; ``taskkill /T /F`` on Windows, else
  ``TerminateProcess`` through :func:`os.kill`);
- :func:`die_with_parent`: ask Linux to kill a worker when its parent dies
  (``PR_SET_PDEATHSIG``); elsewhere nothing, and the worker's watchdog thread
  does the job;
- :func:`kernel_transport`: how a batch kernel talks to its worker (private
  IPC sockets on POSIX; TCP on 127.0.0.1 on Windows, where ZeroMQ has no IPC);
- :func:`find_browser`: where a Chromium-family browser is installed on each
  platform, as a pure function of the platform, environment and file system;
- :func:`portable_file_name`: a name taken from data made safe on Windows
  (reserved device names such as ``CON`` and ``NUL``, trailing dots and spaces).

Signals need nothing here: :data:`signal.SIGINT` and :data:`signal.SIGTERM`
exist on every platform (on Windows a handler for SIGTERM is only called
when the process signals itself); ``SIGKILL`` exists on POSIX only and is
only used below.
"""

from __future__ import annotations

import contextlib
import ctypes
import getpass
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

#: Windows refuses these as file names, with any extension (``CON.html`` too).
WINDOWS_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{stem}{n}" for stem in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
#: Characters Windows refuses in a file name.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
#: The classic Windows limit on a whole path (MAX_PATH, less the terminating NUL).
WINDOWS_MAX_PATH = 259


def platform_name(platform: str | None = None) -> str:
    """``windows``, ``macos`` or ``linux`` (any other POSIX counts as linux) for ``sys.platform``."""
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "cygwin", "msys")):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "linux"


# --------------------------------------------------------------------- user names


def user_name() -> str:
    """The name of the user running this, for messages (never fails).

    ``getpass.getuser()`` reads LOGNAME, USER, LNAME and USERNAME on every
    platform, then asks the password database on POSIX; where that fails too
    (a container user with no entry, or no ``pwd`` module), "an unknown user".
    """
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return "an unknown user"


# --------------------------------------------------------------------- the lock


class LockHeldError(Exception):
    """Another process holds the lock; ``holder`` is what it wrote in the lock file."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


class OutputFolderLock:
    """An exclusive, non-blocking lock on ``path``, with one line saying who holds it.

    ``filelock`` takes an operating-system lock: ``flock`` on Linux and macOS,
    ``LockFileEx`` on Windows; either is released when the process ends, even
    when it is killed. The holder's line is written into the locked file; on
    Windows another process may be unable to read it while it is locked, and
    the message then says less, never something wrong. Where the system has no
    such lock (a POSIX without ``fcntl``), filelock's own marker file is used,
    which it breaks when its holder's process is gone, and the holder's line
    goes in a file beside it. :meth:`release` removes the files.
    """

    def __init__(self, path: Path, describe: Callable[[], str]) -> None:
        from filelock import FileLock, SoftFileLock

        self.path = path
        self._describe = describe
        self._native = FileLock is not SoftFileLock
        self._holder_file = path if self._native else path.with_name(path.name + ".holder")
        if self._native:
            self._lock = FileLock(
                str(path), blocking=False, thread_local=False, on_acquired=self._write_holder
            )
        else:
            self._lock = SoftFileLock(str(path), blocking=False, thread_local=False)

    def _write_holder(self, fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, (self._describe() + "\n").encode())

    def acquire(self) -> None:
        """Take the lock, or raise :class:`LockHeldError` at once when another run holds it."""
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise LockHeldError(self._read_holder()) from None
        if not self._native:
            self._holder_file.write_text(self._describe() + "\n", encoding="utf-8")

    def release(self) -> None:
        """Remove the lock file, then unlock it.

        Removed while still locked: a run that opened the file just before sees,
        once it gets the lock, that its file has no name any more, and does not
        take an orphan for the folder's lock (filelock checks this). On Windows
        an open file cannot be removed, and filelock removes it after unlocking.
        """
        if not self._lock.is_locked:
            return
        with contextlib.suppress(OSError):
            (self.path if self._native else self._holder_file).unlink()
        self._lock.release()

    def _read_holder(self) -> str:
        try:
            text = self._holder_file.read_bytes()[:500].decode(errors="replace").strip()
        except OSError:
            text = ""
        return text or "a process that has just started"


# --------------------------------------------------------------------- processes


def kill_process_tree(pid: int) -> None:
    """Stop process ``pid`` and what it started, at once, without asking (errors ignored).

    POSIX: SIGKILL to its process group (jupyter_client starts each kernel as
    the leader of its own session). Windows: ``taskkill /T /F`` (every
    Windows has it), else ``TerminateProcess`` through :func:`os.kill`.
    """
    killpg = getattr(os, "killpg", None)
    if killpg is not None and hasattr(signal, "SIGKILL"):
        with contextlib.suppress(OSError):
            killpg(pid, signal.SIGKILL)
        return
    taskkill = shutil.which("taskkill")
    if taskkill:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [taskkill, "/T", "/F", "/PID", str(pid)],
                capture_output=True,
                timeout=10,
                check=False,
            )
            return
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGTERM)  # TerminateProcess on Windows


def die_with_parent() -> None:
    """Linux: have the kernel send this process SIGKILL when its parent dies.

    Elsewhere (macOS, Windows) there is no such call and this does nothing;
    callers also watch their parent from a thread.
    """
    if platform_name() != "linux" or not hasattr(signal, "SIGKILL"):
        return
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def kernel_transport(socket_dir: str) -> dict[str, str]:
    """The ``transport`` and ``ip`` for a batch kernel's ZeroMQ sockets.

    POSIX: IPC sockets in the private folder ``socket_dir`` (nothing listens on
    the network). Windows: TCP on 127.0.0.1, as ZeroMQ has no IPC there.
    """
    if platform_name() == "windows":
        return {"transport": "tcp", "ip": "127.0.0.1"}
    return {"transport": "ipc", "ip": str(Path(socket_dir) / "k")}


# --------------------------------------------------------------------- file names


def portable_file_name(name: str) -> str:
    """``name`` (one file name, no folders) as it can be written on Windows, Linux and macOS alike.

    Characters Windows refuses become ``_``; trailing dots and spaces go
    (Windows drops them silently, so two names could meet); a reserved
    device name (``CON``, ``NUL``, ``COM1``..., with or without an extension)
    gets a ``_`` after its stem. Names that are already safe come back as given.

    >>> portable_file_name("ZA07")
    'ZA07'
    >>> portable_file_name("CON"), portable_file_name("nul.html"), portable_file_name("LPT1")
    ('CON_', 'nul_.html', 'LPT1_')
    >>> portable_file_name("a:b?. ")
    'a_b_'
    """
    cleaned = _WINDOWS_FORBIDDEN.sub("_", name).rstrip(". ")
    if not cleaned:
        return "_"
    stem, dot, rest = cleaned.partition(".")
    if stem.rstrip(" ").upper() in WINDOWS_RESERVED_NAMES:
        return f"{stem}_{dot}{rest}"
    return cleaned


def path_too_long(path: Path, platform: str | None = None) -> bool:
    """True when ``path`` is longer than classic Windows programs can open (on Windows only)."""
    return platform_name(platform) == "windows" and len(str(path)) > WINDOWS_MAX_PATH


# --------------------------------------------------------------------- browsers


#: Chromium-family browsers on Linux, by name on PATH, after Debian's own.
LINUX_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LINUX_DEFAULT = "/usr/bin/chromium"
#: Under Program Files, Program Files (x86) and the user's local app data.
WINDOWS_BROWSERS = (
    ("Microsoft", "Edge", "Application", "msedge.exe"),
    ("Google", "Chrome", "Application", "chrome.exe"),
    ("Chromium", "Application", "chrome.exe"),
)
#: Under /Applications and ~/Applications.
MACOS_BROWSERS = (
    ("Microsoft Edge.app", "Contents", "MacOS", "Microsoft Edge"),
    ("Google Chrome.app", "Contents", "MacOS", "Google Chrome"),
    ("Chromium.app", "Contents", "MacOS", "Chromium"),
)


@dataclass(frozen=True)
class BrowserSearch:
    """What :func:`find_browser` found (``path`` None when nothing) and every place it looked."""

    path: str | None
    looked: tuple[str, ...]


def browser_places(platform: str, env: Mapping[str, str]) -> list[str]:
    """Where a Chromium-family browser is looked for on ``platform``, in order (QIO_CHROMIUM aside).

    Linux: Debian's /usr/bin/chromium, then chromium, chromium-browser,
    google-chrome and google-chrome-stable on PATH. Windows: Edge, Chrome and
    Chromium under Program Files, Program Files (x86) and the user's local app
    data. macOS: Edge, Chrome and Chromium in /Applications and ~/Applications.
    """
    kind = platform_name(platform)
    if kind == "windows":
        roots = [
            env.get("PROGRAMFILES") or r"C:\Program Files",
            env.get("PROGRAMFILES(X86)") or r"C:\Program Files (x86)",
        ]
        if env.get("LOCALAPPDATA"):
            roots.append(env["LOCALAPPDATA"])
        return [str(PureWindowsPath(root, *parts)) for parts in WINDOWS_BROWSERS for root in roots]
    if kind == "macos":
        roots = ["/Applications"]
        if env.get("HOME"):
            roots.append(str(PurePosixPath(env["HOME"], "Applications")))
        return [str(PurePosixPath(root, *parts)) for parts in MACOS_BROWSERS for root in roots]
    return [LINUX_DEFAULT, *LINUX_BROWSERS]


def find_browser(
    platform: str,
    env: Mapping[str, str],
    runnable: Callable[[str], bool],
    which: Callable[[str], str | None],
) -> BrowserSearch:
    """The first Chromium-family browser of :func:`browser_places` (a pure function, for tests).

    ``runnable(path)`` says whether a file is an executable program;
    ``which(name)`` finds a bare name on PATH. ``QIO_CHROMIUM`` is its
    caller's business (it is an order, not a place to look).
    """
    looked = []
    for place in browser_places(platform, env):
        if "/" in place or "\\" in place:
            looked.append(place)
            if runnable(place):
                return BrowserSearch(place, tuple(looked))
        else:
            looked.append(f"{place} on PATH")
            found = which(place)
            if found:
                return BrowserSearch(found, tuple(looked))
    return BrowserSearch(None, tuple(looked))


def is_runnable(path: str) -> bool:
    """True when ``path`` is a file this user can run."""
    return Path(path).is_file() and os.access(path, os.X_OK)

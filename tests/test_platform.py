"""The one platform module: browsers in fake Windows, macOS and Linux install trees, file names
Windows accepts, user names, kernel transport and stopping a process tree, with the platform faked."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qio_analysis import config, platform_support
from qio_analysis.batch.guards import check_apart
from qio_analysis.errors import QioConfigError
from qio_analysis.platform_support import (
    WINDOWS_RESERVED_NAMES,
    find_browser,
    portable_file_name,
)

WINDOWS_ENV = {
    "PROGRAMFILES": r"C:\Program Files",
    "PROGRAMFILES(X86)": r"C:\Program Files (x86)",
    "LOCALAPPDATA": r"C:\Users\ann\AppData\Local",
}
MACOS_ENV = {"HOME": "/Users/ann"}


def _windows_tree(root: Path, *installed: str) -> object:
    """Lay out ``installed`` Windows paths under ``root`` (C: is root/C); return a ``runnable``."""
    for path in installed:
        win = PureWindowsPath(path)
        local = root / win.drive.rstrip(":") / Path(*win.parts[1:])
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(b"MZ")

    def runnable(path: str) -> bool:
        win = PureWindowsPath(path)
        return (root / win.drive.rstrip(":") / Path(*win.parts[1:])).is_file()

    return runnable


def _posix_tree(root: Path, *installed: str) -> object:
    """Lay out ``installed`` absolute POSIX paths under ``root``; return a ``runnable``."""
    for path in installed:
        local = root / PurePosixPath(path).relative_to("/")
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(b"\x7fELF")
        local.chmod(0o755)
    return lambda path: platform_support.is_runnable(
        str(root / PurePosixPath(path).relative_to("/"))
    )


def _no_path(name: str) -> None:
    return None


EDGE_X86 = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"
CHROME_LOCAL = r"C:\Users\ann\AppData\Local\Google\Chrome\Application\chrome.exe"
CHROME_PF = r"C:\Program Files\Google\Chrome\Application\chrome.exe"


# --------------------------------------------------------------------- Windows


def test_windows_finds_edge_where_every_nhs_laptop_has_it(tmp_path):
    runnable = _windows_tree(tmp_path, EDGE_X86)
    found = find_browser("win32", WINDOWS_ENV, runnable, _no_path)
    assert found.path == EDGE_X86
    assert found.looked == (
        r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
        EDGE_X86,
    )


def test_windows_prefers_edge_then_chrome_and_finds_chrome_in_local_app_data(tmp_path):
    runnable = _windows_tree(tmp_path, CHROME_LOCAL, CHROME_PF)
    found = find_browser("win32", WINDOWS_ENV, runnable, _no_path)
    assert found.path == CHROME_PF  # Program Files before the user's own copy
    runnable = _windows_tree(tmp_path / "user-only", CHROME_LOCAL)
    assert find_browser("win32", WINDOWS_ENV, runnable, _no_path).path == CHROME_LOCAL
    runnable = _windows_tree(tmp_path / "both", CHROME_PF, EDGE_X86)
    assert find_browser("win32", WINDOWS_ENV, runnable, _no_path).path == EDGE_X86


def test_windows_without_the_environment_looks_in_the_standard_folders(tmp_path):
    runnable = _windows_tree(tmp_path, EDGE_X86)
    assert find_browser("win32", {}, runnable, _no_path).path == EDGE_X86


# --------------------------------------------------------------------- macOS


def test_macos_finds_edge_and_chrome_in_applications(tmp_path):
    edge = "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"
    chrome = "/Users/ann/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
    runnable = _posix_tree(tmp_path, chrome)
    found = find_browser("darwin", MACOS_ENV, runnable, _no_path)
    assert found.path == chrome
    assert found.looked[:3] == (
        edge,
        "/Users/ann/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    )
    runnable = _posix_tree(tmp_path / "both", chrome, edge)
    assert find_browser("darwin", MACOS_ENV, runnable, _no_path).path == edge


# --------------------------------------------------------------------- Linux


def test_linux_prefers_debians_chromium_then_looks_on_path(tmp_path):
    runnable = _posix_tree(tmp_path, "/usr/bin/chromium")
    which = {"google-chrome": "/opt/google/chrome/google-chrome"}.get
    assert find_browser("linux", {}, runnable, which).path == "/usr/bin/chromium"
    found = find_browser("linux", {}, lambda p: False, which)
    assert found.path == "/opt/google/chrome/google-chrome"
    assert found.looked == (
        "/usr/bin/chromium",
        "chromium on PATH",
        "chromium-browser on PATH",
        "google-chrome on PATH",
    )


# --------------------------------------------------------------------- the rule, as qio uses it


def test_nothing_found_names_every_place_and_qio_chromium(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("QIO_CHROMIUM", raising=False)
    for key, value in WINDOWS_ENV.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(QioConfigError) as caught:
        config.chromium_path()
    message = str(caught.value)
    assert message.startswith(
        r"No Chromium-family browser was found (looked at C:\Program Files\Microsoft\Edge"
        r"\Application\msedge.exe; C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe; "
    )
    assert CHROME_LOCAL in message
    assert message.endswith(
        "Install Microsoft Edge or Google Chrome (no administrator rights needed for Chrome), "
        "or set QIO_CHROMIUM to the browser's program, then run again. No browser is downloaded."
    )


def test_qio_chromium_comes_first_and_a_wrong_one_is_named(tmp_path, monkeypatch):
    browser = tmp_path / "my browser" / "msedge"
    browser.parent.mkdir()
    browser.write_bytes(b"")
    browser.chmod(0o755)
    monkeypatch.setenv("QIO_CHROMIUM", str(browser))
    assert config.chromium_path() == str(browser)
    assert config.browser_search("win32", {"QIO_CHROMIUM": str(browser)}).path == str(browser)
    monkeypatch.setenv("QIO_CHROMIUM", str(tmp_path / "absent"))
    with pytest.raises(QioConfigError, match=r"QIO_CHROMIUM is set to .*absent, which is not"):
        config.chromium_path()


# --------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("ZA07", "ZA07"),
        ("CON", "CON_"),
        ("con.html", "con_.html"),
        ("NUL", "NUL_"),
        ("AUX.pdf", "AUX_.pdf"),
        ("PRN", "PRN_"),
        ("COM1", "COM1_"),
        ("LPT9.xlsx", "LPT9_.xlsx"),
        ("COM10", "COM10"),
        ("CONSORT", "CONSORT"),
        ("north-west.", "north-west"),
        ("trailing space ", "trailing space"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("...", "_"),
    ],
)
def test_file_names_from_data_are_safe_on_windows(name, safe):
    assert portable_file_name(name) == safe


@given(st.text(min_size=1, max_size=20))
def test_a_portable_name_is_never_reserved_nor_ends_in_a_dot_or_space(name):
    safe = portable_file_name(name)
    assert safe
    assert not safe.endswith((".", " "))
    assert safe.split(".")[0].rstrip(" ").upper() not in WINDOWS_RESERVED_NAMES
    assert not set(safe) & set('<>:"/\\|?*')
    assert portable_file_name(safe) == safe


def test_an_output_folder_too_deep_for_windows_is_refused(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 200)
    check_apart(deep, [])  # fine on Linux
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(QioConfigError, match="too deep for Windows"):
        check_apart(deep, [])
    check_apart(tmp_path / "reports", [])


# --------------------------------------------------------------------- users, kernels, processes


def test_a_user_without_a_name_is_an_unknown_user(monkeypatch):
    def no_name() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(getpass, "getuser", no_name)
    assert platform_support.user_name() == "an unknown user"
    monkeypatch.undo()
    monkeypatch.setenv("LOGNAME", "ann")
    assert platform_support.user_name() == "ann"


def test_kernels_use_ipc_on_posix_and_tcp_on_windows(monkeypatch):
    assert platform_support.kernel_transport("/tmp/qio-kernel-x") == {
        "transport": "ipc",
        "ip": "/tmp/qio-kernel-x/k",
    }
    monkeypatch.setattr(sys, "platform", "win32")
    assert platform_support.kernel_transport("ignored") == {"transport": "tcp", "ip": "127.0.0.1"}


def _wait_gone(process: subprocess.Popen) -> int:
    deadline = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return process.returncode


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")
def test_a_process_tree_is_stopped_with_its_group_on_posix():
    process = subprocess.Popen(["sleep", "30"], start_new_session=True)
    platform_support.kill_process_tree(process.pid)
    assert _wait_gone(process) == -signal.SIGKILL


def test_without_process_groups_the_process_is_terminated(monkeypatch):
    process = subprocess.Popen(["sleep", "30"])
    monkeypatch.delattr(os, "killpg", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no taskkill here
    platform_support.kill_process_tree(process.pid)
    assert _wait_gone(process) == -signal.SIGTERM


# --------------------------------------------------------------------- where notebooks and data are


def test_the_project_root_is_the_override_then_the_clone(tmp_path):
    assert config.find_project_root({"QIO_PROJECT_ROOT": str(tmp_path)}) == (tmp_path, True)
    root, in_clone = config.find_project_root({})
    assert in_clone
    assert (root / "pyproject.toml").is_file()
    assert (root / "notebooks" / "trust_profile.ipynb").is_file()


def test_an_installed_package_uses_its_bundled_copy(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "qio_analysis"
    package.mkdir(parents=True)
    monkeypatch.setattr(config, "PACKAGE_DIR", package)
    monkeypatch.setattr(config, "BUNDLED_DIR", package / "_bundled")
    assert config.find_project_root({}) == (package / "_bundled", False)


def test_only_the_platform_module_uses_posix_only_modules_and_calls():
    pattern = re.compile(
        r"^\s*(import|from) (fcntl|pwd|grp|termios|resource)\b|os\.killpg|signal\.SIGKILL|os\.getuid",
        re.MULTILINE,
    )
    package = Path(platform_support.__file__).parent
    users = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert users == ["platform_support.py"]


@pytest.mark.parametrize("native", [True, False])
def test_the_folder_lock_names_its_holder_with_or_without_os_locks(tmp_path, monkeypatch, native):
    import filelock

    if not native:  # as where the system has no file locks: filelock's marker file
        monkeypatch.setattr(filelock, "FileLock", filelock.SoftFileLock)
    path = tmp_path / ".qio-lock"
    first = platform_support.OutputFolderLock(path, lambda: "process 1 of ann on laptop")
    first.acquire()
    second = platform_support.OutputFolderLock(path, lambda: "process 2")
    with pytest.raises(platform_support.LockHeldError) as caught:
        second.acquire()
    assert caught.value.holder == "process 1 of ann on laptop"
    first.release()
    assert sorted(tmp_path.iterdir()) == []
    second.acquire()
    second.release()

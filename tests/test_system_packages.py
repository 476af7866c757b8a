"""scripts/install-system-packages: silent when nothing is missing, one clear line when it cannot install."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from qio_analysis.config import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "install-system-packages"
have_both = Path("/usr/bin/chromium").exists() and shutil.which("pdftotext") is not None


@pytest.mark.skipif(not have_both, reason="needs Debian chromium and poppler-utils installed")
def test_nothing_missing_says_nothing():
    env = {k: v for k, v in os.environ.items() if k != "QIO_CHROMIUM"}
    done = subprocess.run([SCRIPT], capture_output=True, text=True, env=env, check=True)
    assert done.stdout == done.stderr == ""


def test_a_qio_chromium_that_is_not_a_program_is_named():
    env = {**os.environ, "QIO_CHROMIUM": "/nonexistent/chromium"}
    done = subprocess.run([SCRIPT], capture_output=True, text=True, env=env, check=True)
    assert (
        "install-system-packages: QIO_CHROMIUM is set to '/nonexistent/chromium', which is not "
        "a program; unset it to use Debian's chromium." in done.stdout
    )


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None or not have_both,
    reason="needs root and unshare to hide chromium from a non-root user",
)
def test_without_root_it_says_what_is_missing_and_the_command_that_adds_it(world_readable):
    # A private mount namespace hides chromium; the script runs as nobody, who cannot install.
    # Nobody may not be able to read the checkout (a 0700 folder): run a copy they can read.
    script = world_readable / "install-system-packages"
    shutil.copy(SCRIPT, script)
    done = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind /dev/null /usr/bin/chromium && "
            f"setpriv --reuid=65534 --regid=65534 --clear-groups {script}",
        ],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "QIO_CHROMIUM" and k != "PATH"}
        | {"PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    if done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"cannot make a mount namespace here: {done.stderr.strip()}")
    assert done.returncode == 0
    assert done.stderr == (
        "install-system-packages: chromium missing; "
        "`sudo scripts/install-system-packages` installs it\n"
    )


@pytest.fixture
def world_readable():
    """A temporary folder every user can read and enter (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="qio-script-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fake_path(folder: Path, **programs: str) -> str:
    """A PATH holding only ``programs`` (name -> shell script body) and the tools the script uses."""
    folder.mkdir()
    for tool in ("bash", "grep", "tail", "cat"):
        (folder / tool).symlink_to(shutil.which(tool))
    for name, body in programs.items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n")
        (folder / name).chmod(0o755)
    return str(folder)


def _is_debian() -> bool:
    release = Path("/etc/os-release")
    return release.is_file() and "ID=debian" in release.read_text().splitlines()


@pytest.mark.skipif(not _is_debian(), reason="the script installs only on Debian")
def test_when_apt_get_fails_it_says_so_in_one_sentence_and_exits_0(tmp_path):
    # As root on Debian, offline: apt-get fails. pdftotext is not on this PATH, so
    # poppler-utils is missing and the script tries to install it.
    path = _fake_path(
        tmp_path / "bin",
        id="echo 0",
        **{
            "apt-get": "echo 'E: Failed to fetch http://deb.debian.org/ Could not resolve host' >&2; exit 100"
        },
    )
    env = {"PATH": path, "QIO_CHROMIUM": shutil.which("bash")}
    done = subprocess.run([SCRIPT], capture_output=True, text=True, env=env)
    assert done.returncode == 0
    assert done.stdout == (
        "install-system-packages: installing poppler-utils with apt-get "
        "(Debian's packages; no browser is downloaded)\n"
    )
    assert done.stderr == (
        "install-system-packages: could not install poppler-utils with apt-get (offline, or a "
        "proxy apt does not know: E: Failed to fetch http://deb.debian.org/ Could not resolve "
        "host); going on without it\n"
    )

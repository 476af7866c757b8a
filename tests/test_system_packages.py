"""scripts/install-system-packages: silent when nothing is missing, one clear line when it cannot install."""

from __future__ import annotations

import os
import shutil
import subprocess
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
def test_without_root_it_says_what_is_missing_and_the_command_that_adds_it():
    # A private mount namespace hides chromium; the script runs as nobody, who cannot install.
    done = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind /dev/null /usr/bin/chromium && "
            f"setpriv --reuid=65534 --regid=65534 --clear-groups {SCRIPT}",
        ],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "QIO_CHROMIUM"},
    )
    if done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"cannot make a mount namespace here: {done.stderr.strip()}")
    assert done.returncode == 0
    assert done.stderr == (
        "install-system-packages: chromium missing; "
        "`sudo scripts/install-system-packages` installs it\n"
    )

"""The type check `make lint` runs: mypy over the package, with the settings in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qio_analysis import config


@pytest.mark.slow  # mypy over 120 modules: 25 s of CPU with a cold cache
def test_the_package_type_checks(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        cwd=config.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout

"""The main job runs where the POSIX-only modules and calls do not exist (as on Windows), simulated here.

In a subprocess, ``fcntl``, ``pwd``, ``grp``, ``termios`` and ``resource`` cannot be
imported by anyone (a meta path finder refuses them, and any copy already loaded
is forgotten), and qio_analysis's own code sees ``os`` without ``killpg`` and
``signal`` without ``SIGKILL``. Those two attributes are hidden from qio_analysis
only: the standard library's own POSIX ``subprocess`` needs ``SIGKILL`` to stop
a kernel here (on Windows it calls ``TerminateProcess`` instead).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PRELUDE = r'''
import builtins, importlib.abc, os, signal, sys, types

BLOCKED = {"fcntl", "pwd", "grp", "termios", "resource"}
HIDDEN = {"os": {"killpg"}, "signal": {"SIGKILL"}}


class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (not on this platform)", name=name)
        return None


for name in BLOCKED:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, Refuse())


class Without(types.ModuleType):
    """A module as qio_analysis sees it: the real one, less some attributes."""

    def __init__(self, module, hidden):
        super().__init__(module.__name__)
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_hidden", hidden)

    def __getattr__(self, attr):
        if attr in self._hidden:
            raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")
        return getattr(self._module, attr)


VIEWS = {name: Without(sys.modules[name], hidden) for name, hidden in HIDDEN.items()}
real_import = builtins.__import__
SEEN = []


def qio_import(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__") or ""
    if importer.startswith("qio_analysis") and level == 0:
        root = name.partition(".")[0]
        if root in BLOCKED:
            SEEN.append(name)
            raise ModuleNotFoundError(f"No module named {name!r} (not on this platform)", name=name)
        if name in VIEWS:
            module = real_import(name, globals, locals, fromlist, level)
            for attr in fromlist or ():
                if attr in HIDDEN[name]:
                    raise ImportError(f"cannot import name {attr!r} from {name!r}")
            return VIEWS[name]
    return real_import(name, globals, locals, fromlist, level)


builtins.__import__ = qio_import
assert not hasattr(VIEWS["os"], "killpg") and not hasattr(VIEWS["signal"], "SIGKILL")

from qio_analysis import cli, platform_support

assert not hasattr(platform_support.os, "killpg")
assert not hasattr(platform_support.signal, "SIGKILL")
code = cli.main(sys.argv[1:])
for name in BLOCKED:
    assert name not in sys.modules, f"{name} was imported"
print("blocked imports asked for by qio_analysis:", sorted(set(SEEN)))
sys.exit(code)
'''


@pytest.mark.slow
def test_the_main_job_runs_without_posix_only_modules_and_calls(tmp_path):
    prelude = tmp_path / "without_posix.py"
    prelude.write_text(PRELUDE)
    out = tmp_path / "reports"
    done = subprocess.run(
        [
            *(sys.executable, str(prelude), "reports", "--cycle", "2025", "--org", "ZA07"),
            *("--jobs", "1", "--quiet", "--xlsx", "--out", str(out)),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "1 built, 0 up to date, 0 failed" in done.stdout
    assert "blocked imports asked for by qio_analysis: []" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["state"] == "complete"
    [item] = manifest["items"]
    assert (item["item"], item["status"]) == ("2025/organisations/ZA07", "built")
    html = (out / "2025" / "organisations" / "ZA07.html").read_text(encoding="utf-8")
    assert "Claybridge Mental Health NHS Trust" in html
    assert (out / "2025" / "organisations" / "ZA07.xlsx").stat().st_size > 0
    assert not (out / ".qio-lock").exists()
    assert not (out / ".qio-lock.holder").exists()

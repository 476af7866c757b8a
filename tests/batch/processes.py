"""Real ``qio reports`` processes for tests that send signals, and ways to watch them.

The run under test is ``python -m tests.batch.slow_run`` (``qio reports`` on the
small data set plus one slow item first in the plan). The slow item's kernel
writes its PID to a file; its parent in the process tree is the worker
building it. Every wait is bounded, and anything a failed test leaves running
is killed in ``finally`` (:func:`cleanup`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import reports_args

psutil = pytest.importorskip("psutil")
ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 240  # seconds for a whole run of the small data set on a busy machine
#: Seconds for an interrupted run to stop cleanly (kernels shut down, the index and manifest
#: written): a few on a quiet machine, over 60 with six test runs sharing two cores.
STOP_TIMEOUT = 180
GONE_WITHIN = 10  # seconds allowed for every process of a killed run to exit


def start(data, out, slow, *extra, jobs=2):
    """Start ``qio reports`` (with the slow item) in its own process group, as a shell would."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.batch.slow_run",
            json.dumps(slow),
            *reports_args(data, out, *extra, jobs=jobs),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run_in_process(monkeypatch, data, out, *extra):
    """``qio reports`` on the test plan without the slow item, in this process (one job):
    for a run a test needs done, not one it signals. Returns the exit status."""
    from qio_analysis import cli
    from qio_analysis.batch import plan
    from tests.batch.slow_run import plan_with

    monkeypatch.setattr(plan, "plan_items", plan_with({}))
    return cli.main(reports_args(data, out, *extra))


def kernel_pids(pidfile, count, process, timeout=120):
    """The first ``count`` PIDs the slow item's kernels wrote (waiting for them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pidfile.exists():
            pids = [int(line) for line in pidfile.read_text().split()]
            if len(pids) >= count:
                return pids[:count]
        if process.poll() is not None:
            raise AssertionError(f"run ended early: {process.communicate()}")
        time.sleep(0.1)
    raise AssertionError(f"no kernel of the slow item within {timeout} s")


def worker_of(kernel_pid, run_pid):
    """The worker running a kernel: the kernel's parent, itself a child of the run."""
    worker = psutil.Process(kernel_pid).parent()
    assert worker is not None and worker.ppid() == run_pid, "kernel is not a worker's child"
    return worker


def alive(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def still_running(pids, within=GONE_WITHIN):
    """The PIDs still running after ``within`` seconds (empty when all exited)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        left = [pid for pid in pids if alive(pid)]
        if not left:
            return []
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


def descendants(pid):
    return [p.pid for p in psutil.Process(pid).children(recursive=True)]


def finish(process, timeout=RUN_TIMEOUT):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


@contextlib.contextmanager
def cleanup(process):
    """On the way out, kill the run and everything under it (only matters when a test fails)."""
    family = set()
    try:
        yield family
    finally:
        with contextlib.suppress(psutil.NoSuchProcess):
            family.update(descendants(process.pid))
        for pid in [process.pid, *family]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=10)


def manifest(out):
    return json.loads((out / "manifest.json").read_text())

"""Killing processes: real ``qio reports`` processes, real signals, PIDs from the process tree.

The run under test is ``python -m tests.batch.slow_run`` (``qio reports`` on the
small data set plus one slow item first in the plan). The slow item's kernel
writes its PID to a file; its parent in the process tree is the worker
building it. Every wait is bounded, and anything a failed test leaves running
is killed in ``finally``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.batch.slow_run import SLOW_ID
from tests.conftest import reports_args

psutil = pytest.importorskip("psutil")
pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 240  # seconds for a whole run of the small data set on a busy machine
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


def test_a_killed_worker_is_replaced_and_its_item_retried(reports_data, tmp_path):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    slow = {"pidfile": str(pidfile), "marker": str(tmp_path / "marker"), "seconds": 60}
    process = start(reports_data, out, slow)
    with cleanup(process) as family:
        (first_kernel,) = kernel_pids(pidfile, 1, process)
        worker = worker_of(first_kernel, process.pid)
        family.update(descendants(process.pid))
        worker.send_signal(signal.SIGKILL)
        code, _, err = finish(process)
        assert code == 0, err
        assert still_running([worker.pid, first_kernel]) == []  # its kernel followed it
    items = manifest(out)["items"]
    assert {row["status"] for row in items} == {"built"}
    second_kernel = int(pidfile.read_text().split()[1])  # the retry ran in a new worker's kernel
    assert second_kernel != first_kernel


def test_an_item_whose_worker_dies_twice_is_the_only_failure(reports_data, tmp_path):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 120})
    with cleanup(process):
        (first,) = kernel_pids(pidfile, 1, process)
        worker_of(first, process.pid).send_signal(signal.SIGKILL)
        second = kernel_pids(pidfile, 2, process)[1]
        worker_of(second, process.pid).send_signal(signal.SIGKILL)
        code, _, err = finish(process)
    assert code == 1
    rows = {row["item"]: row for row in manifest(out)["items"]}
    failed = {item: row["error"] for item, row in rows.items() if row["status"] != "built"}
    assert list(failed) == [SLOW_ID]
    assert "worker process building this report died (killed by SIGKILL)" in failed[SLOW_ID]
    assert f"FAILED {SLOW_ID}: WorkerDied" in err


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_command_stops_every_worker_and_kernel(reports_data, tmp_path, sig):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 120})
    with cleanup(process) as family:
        kernel_pids(pidfile, 1, process)
        time.sleep(1)  # let the other worker start its kernel too
        family.update(descendants(process.pid))
        kernels = [p for p in family if "ipykernel" in " ".join(psutil.Process(p).cmdline())]
        assert len(kernels) == 2 and len(family) >= 4  # two workers, their kernels (+ tracker)
        process.send_signal(sig)
        code, _, err = finish(process, timeout=30)
        assert still_running(sorted(family)) == []
    if sig == signal.SIGTERM:  # a clean stop, like Ctrl+C
        assert code == 130, err
        assert manifest(out)["run"]["state"] == "interrupted"


def test_ctrl_c_stops_cleanly_writes_what_finished_and_a_rerun_completes(reports_data, tmp_path):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 120})
    with cleanup(process) as family:
        kernel_pids(pidfile, 1, process)
        deadline = time.monotonic() + 120  # let the other worker build a few reports
        while not list(out.rglob("ZXQ*.html")) and time.monotonic() < deadline:
            time.sleep(0.2)
        family.update(descendants(process.pid))
        os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl+C
        code, _, err = finish(process, timeout=60)
        assert code == 130, err
        assert still_running(sorted(family)) == []
    assert "interrupted" in err
    run = manifest(out)
    assert run["run"]["state"] == "interrupted"
    rows = {row["item"]: row for row in run["items"]}
    assert rows[SLOW_ID]["status"] == "not built"
    built = [item for item, row in rows.items() if row["status"] == "built"]
    assert built and all((out / f"{item}.html").exists() for item in built)
    index = (out / "index.html").read_text()
    assert "data-state='interrupted'" in index
    assert not [
        p for p in out.rglob("*") if p.name.startswith(".") and p.is_file()
    ]  # no temp files

    rerun = start(reports_data, out, {})
    with cleanup(rerun):
        code, _, err = finish(rerun)
    assert code == 0, err
    assert manifest(out)["run"]["state"] == "complete"
    assert "data-state" not in (out / "index.html").read_text()


def test_an_interrupted_rebuild_marks_old_reports_stale(reports_data, tmp_path):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    first = start(reports_data, out, {})
    with cleanup(first):
        assert finish(first)[0] == 0
    before = {row["item"]: row["input_hash"] for row in manifest(out)["items"]}
    with (reports_data / "statistics.csv").open(
        "a"
    ) as handle:  # new data: everything is out of date
        handle.write("ZXS2,Southholm LKS,ZX3,ZX3,South West,2023/24,1,1900,140,25,50\n")

    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 120}, jobs=1)
    with cleanup(process):
        kernel_pids(
            pidfile, 1, process
        )  # one job: the slow item runs first, nothing else is rebuilt
        index = (out / "index.html").read_text()
        assert "data-state='in progress'" in index  # rewritten at the start of the run
        os.killpg(process.pid, signal.SIGINT)
        code, _, err = finish(process, timeout=60)
    assert code == 130, err
    rows = {row["item"]: row for row in manifest(out)["items"]}
    stale = {item for item, row in rows.items() if row["status"] == "stale"}
    assert stale == set(before)  # every old report is marked, none presented as current
    assert all(rows[item]["input_hash"] == before[item] for item in stale)
    index = (out / "index.html").read_text()
    assert "data-state='interrupted'" in index
    assert len(re.findall(r"<td class='stale'>Stale", index)) == len(before)


def _mount_tmpfs(folder, options):
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")


@pytest.mark.parametrize(
    ("options", "why"),
    [("size=1m", "the disk is full"), ("ro,size=1m", "it is on a read-only file system")],
)
def test_a_full_or_read_only_output_folder_is_one_clear_sentence(
    reports_data, tmp_path, capsys, options, why
):
    from qio_analysis import cli

    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    mount = tmp_path / "mnt"
    _mount_tmpfs(mount, options)
    try:
        out = mount / "reports"
        if "ro" in options.split(","):
            out = mount  # the folder itself exists but cannot be written
        code = cli.main(reports_args(reports_data, out))
    finally:
        subprocess.run(["umount", str(mount)], check=False)
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"qio: Cannot write to the output folder {out}: {why}.\n"

"""Killing processes: real ``qio reports`` processes, real signals, PIDs from the process tree.

The processes and the ways to watch them are in :mod:`tests.batch.processes`.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.batch.processes import (
    ROOT,
    RUN_TIMEOUT,
    STOP_TIMEOUT,
    cleanup,
    descendants,
    finish,
    kernel_pids,
    manifest,
    psutil,
    run_in_process,
    start,
    still_running,
    worker_of,
)
from tests.batch.slow_run import SLOW_ID
from tests.conftest import reports_args
from tests.waiting import wait_for

pytestmark = pytest.mark.slow


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


def _kernels(pids):
    """The kernels among ``pids`` (a process that has just exited is none)."""
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            if "ipykernel" in " ".join(psutil.Process(pid).cmdline()):
                found.append(pid)
    return found


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_command_stops_every_worker_and_kernel(reports_data, tmp_path, sig):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 120})
    with cleanup(process) as family:
        kernel_pids(pidfile, 1, process)
        wait_for(  # the other worker starts its kernel too
            lambda: len(_kernels(descendants(process.pid))) == 2,
            timeout=120,
            what="both workers' kernels",
        )
        family.update(descendants(process.pid))
        kernels = _kernels(family)
        assert len(kernels) == 2 and len(family) >= 4  # two workers, their kernels (+ tracker)
        process.send_signal(sig)
        code, _, err = finish(process, timeout=30)
        assert still_running(sorted(family)) == []
    if sig == signal.SIGTERM:  # a clean stop, like Ctrl+C
        assert code == 130, err
        assert manifest(out)["run"]["state"] == "interrupted"


def test_ctrl_c_stops_cleanly_writes_what_finished_and_a_rerun_completes(
    reports_data, tmp_path, monkeypatch
):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 120})
    with cleanup(process) as family:
        kernel_pids(pidfile, 1, process)
        # the other worker builds a report or more first
        wait_for(lambda: list(out.rglob("ZXQ*.html")), timeout=120, what="a built report")
        family.update(descendants(process.pid))
        os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl+C
        code, _, err = finish(process, timeout=STOP_TIMEOUT)
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

    assert run_in_process(monkeypatch, reports_data, out) == 0  # the rerun: no signal in it
    assert manifest(out)["run"]["state"] == "complete"
    assert "data-state" not in (out / "index.html").read_text()


def test_an_interrupted_rebuild_marks_old_reports_stale(reports_data, tmp_path, monkeypatch):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    assert run_in_process(monkeypatch, reports_data, out) == 0  # the first build
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
        code, _, err = finish(process, timeout=STOP_TIMEOUT)
    assert code == 130, err
    rows = {row["item"]: row for row in manifest(out)["items"]}
    stale = {item for item, row in rows.items() if row["status"] == "stale"}
    assert stale == set(before)  # every old report is marked, none presented as current
    assert all(rows[item]["input_hash"] == before[item] for item in stale)
    index = (out / "index.html").read_text()
    assert "data-state='interrupted'" in index
    assert len(re.findall(r"<td class='stale'>Out of date", index)) == len(before)


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


@pytest.mark.browser  # chromium prints in the subprocess
def test_sigterm_while_pdfs_print_keeps_what_finished_and_says_where_it_stopped(
    reports_data, tmp_path
):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "qio_analysis.cli", *reports_args(reports_data, out, "--pdf")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    with cleanup(process) as family:
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if [p for p in out.rglob("*.pdf") if not p.name.startswith(".")]:
                break
            time.sleep(0.05)
        family.update(descendants(process.pid))  # the browser and its helpers among them
        process.send_signal(signal.SIGTERM)
        code, _, err = finish(process, timeout=STOP_TIMEOUT)
        assert still_running(sorted(family)) == []
    assert code == 130, err
    # PDFs print while the reports are built, so the stop may come in either step.
    assert re.search(
        "qio: interrupted while (building the HTML reports|printing the PDFs); "
        "the manifest and index list what finished",
        err,
    ), err
    assert "before any report was built" not in err
    run = manifest(out)
    assert run["run"]["state"] == "interrupted"
    rows = {row["item"]: row for row in run["items"]}
    printed = {item for item, row in rows.items() if "pdf" in row["renderings"]}
    assert all(rows[item]["status"] == "built" for item in printed)
    on_disk = {
        p.relative_to(out).with_suffix("").as_posix()
        for p in out.rglob("*.pdf")
        if not p.name.startswith(".")
    }
    assert printed and printed == on_disk and len(printed) < len(rows)
    index = (out / "index.html").read_text()
    assert "data-state='interrupted'" in index
    assert index.count(">PDF</a>") == len(printed)


def test_a_cell_time_out_is_reported_as_one_naming_the_cell_and_the_limit(reports_data, tmp_path):
    out, pidfile = tmp_path / "out", tmp_path / "kernels"
    process = start(reports_data, out, {"pidfile": str(pidfile), "seconds": 60}, "--timeout", "3")
    with cleanup(process):
        code, _, err = finish(process)
    assert code == 1, err
    rows = {row["item"]: row for row in manifest(out)["items"]}
    error = rows[SLOW_ID]["error"]
    assert error == (
        "TimeoutError: timed out after 3 s in cell 3 (import os) (raise --timeout if it needs longer)"
    )
    assert "Cannot write" not in err and f"FAILED {SLOW_ID}: {error}" in err
    assert (out / rows[SLOW_ID]["debug_notebook"]).exists()
    assert {row["status"] for item, row in rows.items() if item != SLOW_ID} == {"built"}

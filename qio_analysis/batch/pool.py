"""The process pool of ``qio reports`` and its supervision.

:class:`WorkerPool` runs ``jobs`` spawned worker processes; each takes one
item at a time over its own pipe, renders it in its warm kernel
(:func:`qio_analysis.batch.render.render_item`) and sends the result back.
A worker that dies (killed, out of memory) is replaced and its item retried
once; only that item can fail, with an error saying the worker died.
Workers never outlive the command: they ask Linux for a parent-death signal
(``prctl(PR_SET_PDEATHSIG)``, on Linux) and also watch their parent from a thread, and
the kernels they start exit on their own when they die (ipykernel polls its
parent). :class:`InProcess` is the one-job runner: items run in the command's
own process and kernel.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import cast

from qio_analysis import platform_support
from qio_analysis.batch import kernel
from qio_analysis.batch.outputs import ItemResult
from qio_analysis.batch.parameters import ReportItem
from qio_analysis.batch.plan import RunOptions
from qio_analysis.batch.render import pending_result, render_item
from qio_analysis.errors import QioError

logger = logging.getLogger("qio_analysis.batch")
Task = tuple[ReportItem, str]


class InProcess:
    """One job: items run one after another in this process, with its own warm kernel."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options

    def run(self, tasks: list[Task]) -> Iterator[ItemResult]:
        for item, input_hash in tasks:
            yield render_item(item, self.options, input_hash)

    def close(self, *, interrupted: bool = False) -> None:
        kernel.shutdown_kernels()


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: tuple[ReportItem, str, int] | None = None  # (item, hash, attempt)


class WorkerPool:
    """``jobs`` spawned worker processes, each fed one item at a time and replaced if it dies."""

    def __init__(self, jobs: int, options: RunOptions) -> None:
        self.jobs = jobs
        self.options = options
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._idle_deaths = 0

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=worker_main,
            args=(child_end, self.options, os.getpid()),
            name="qio-report-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._workers.append(worker)
        return worker

    def start(self) -> WorkerPool:
        """Spawn the workers; each starts its warm kernel at once."""
        for _ in range(self.jobs):
            self._spawn()
        return self

    def run(self, tasks: list[Task]) -> Iterator[ItemResult]:
        queue = deque((item, digest, 1) for item, digest in tasks)
        while queue or any(w.task for w in self._workers):
            for worker in self._workers:
                if worker.task is None and queue:
                    worker.task = queue.popleft()
                    # If it died while idle, the send fails and its sentinel says so below.
                    with contextlib.suppress(OSError):
                        worker.conn.send(worker.task[:2])
            busy = [w for w in self._workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in self._workers])
            for worker in list(self._workers):
                result = self._receive(worker) if worker.conn in ready else None
                if result is not None:
                    worker.task = None
                    yield result
                elif worker.process.sentinel in ready or worker.conn in ready:
                    lost = self._replace(worker)
                    if lost is None:
                        continue
                    item, digest, attempt = lost
                    if attempt == 1:
                        logger.warning(
                            "worker building %s died (%s); retrying it once",
                            item.id,
                            _exit_reason(worker.process),
                        )
                        queue.appendleft((item, digest, 2))
                    else:
                        yield pending_result(
                            item,
                            self.options,
                            digest,
                            f"WorkerDied: the worker process building this report died "
                            f"({_exit_reason(worker.process)}), twice; it was replaced each time.",
                        )

    def _receive(self, worker: _Worker) -> ItemResult | None:
        try:
            # A worker sends only the ItemResult of each item (see worker_main).
            return cast("ItemResult", worker.conn.recv())
        except (EOFError, OSError):
            return None

    def _replace(self, worker: _Worker) -> tuple[ReportItem, str, int] | None:
        """Start a new worker in place of a dead one; return the task it held."""
        worker.process.join(timeout=5)
        if worker.process.is_alive():  # its pipe broke but it lives on: not to be trusted
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.conn.close()
        self._workers.remove(worker)
        if worker.task is None:
            self._idle_deaths += 1
            if self._idle_deaths > 3 * self.jobs:
                raise QioError(
                    "The report worker processes keep dying before taking any work "
                    f"({_exit_reason(worker.process)})."
                )
        self._spawn()
        return worker.task

    def close(self, *, interrupted: bool = False) -> None:
        """Stop every worker: ask, then terminate, then kill (each bounded in time).

        Interrupted, workers are terminated at once rather than left to finish their item.
        """
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        if interrupted:
            for worker in self._workers:
                if worker.process.is_alive():
                    worker.process.terminate()
        deadline = time.monotonic() + 10
        for worker in self._workers:
            worker.process.join(timeout=max(0.1, deadline - time.monotonic()))
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
            worker.conn.close()
        self._workers.clear()


def _exit_reason(process: BaseProcess) -> str:
    code = process.exitcode
    if code is None:
        return "no exit status"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit status {code}"


# --------------------------------------------------------------------- inside a worker


def _die_with_parent(parent_pid: int) -> None:
    """Make sure this worker never outlives the command that started it.

    On Linux, ask for SIGKILL when the parent dies
    (:func:`~qio_analysis.platform_support.die_with_parent`); everywhere, a watchdog thread exits when the parent changes. The kernels
    this worker starts exit on their own when it dies (ipykernel polls its parent).
    """
    platform_support.die_with_parent()
    if os.getppid() != parent_pid:  # the parent died before we asked
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        kernel.kill_kernels()
        os._exit(1)

    threading.Thread(target=watch, name="qio-parent-watch", daemon=True).start()


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def worker_main(conn: Connection, options: RunOptions, parent_pid: int) -> None:
    """A worker process: take items from ``conn`` until told to stop, send back results."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    signal.signal(signal.SIGTERM, _stop)
    try:
        if options.engine == "warm":
            try:
                kernel.warm_kernel(options.kernel_name).ensure_clean()
            except Exception as exc:
                logger.warning("could not pre-start a warm kernel: %s", exc)
        while True:
            try:
                task = conn.recv()
            except EOFError:
                break
            if task is None:
                break
            item, digest = task
            conn.send(render_item(item, options, digest))
    finally:
        kernel.shutdown_kernels()

"""Execution strategies for a batch: the one swappable component of a run.

An executor takes ``(item, input_hash)`` tasks and yields :class:`ItemResult`
in completion order. ``SerialExecutor`` runs in this process;
``ProcessExecutor`` runs ``jobs`` worker processes, each with its own warm
kernel (for the warm engine), so results are identical whatever ``jobs`` is.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol

from qio_analysis.batch.items import ReportItem
from qio_analysis.batch.manifest import ItemResult
from qio_analysis.batch.worker import RunSettings, pending_result, render_item

Task = tuple[ReportItem, str]


class Executor(Protocol):
    """Runs report tasks and yields their results as they finish.

    ``start`` is called first, before the run is planned, so workers (and their
    kernels) can warm up while the data is read; ``close`` is always called.
    """

    def start(self, settings: RunSettings) -> None: ...

    def run(self, tasks: Iterable[Task], settings: RunSettings) -> Iterator[ItemResult]: ...

    def close(self) -> None: ...


def _start_worker(settings: RunSettings) -> None:
    """Worker initialiser: start the warm kernel now and stop it when the process ends."""
    from multiprocessing.util import Finalize

    from qio_analysis.batch import engines

    # Pool workers leave through os._exit, which skips atexit: use a finaliser.
    Finalize(None, engines.shutdown_kernels, exitpriority=10)
    if settings.engine == "warm":
        try:
            engines.warm_kernel(settings.kernel_name).ensure_clean()
        except Exception as exc:  # the first item will try again, and fail on its own if it must
            engines.logger.warning("could not pre-start a warm kernel: %s", exc)


class SerialExecutor:
    """Everything in this process, one item at a time."""

    def start(self, settings: RunSettings) -> None:
        """Nothing to warm up: the kernel starts with the first item."""

    def run(self, tasks: Iterable[Task], settings: RunSettings) -> Iterator[ItemResult]:
        for item, input_hash in tasks:
            yield render_item(item, settings, input_hash)

    def close(self) -> None:
        from qio_analysis.batch import engines

        engines.shutdown_kernels()


class ProcessExecutor:
    """``jobs`` worker processes (spawned, so no state is inherited)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def start(self, settings: RunSettings) -> None:
        """Spawn the workers now; each starts its kernel while the parent plans the run."""
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(
            self.jobs, mp_context=context, initializer=_start_worker, initargs=(settings,)
        )
        for _ in range(self.jobs):
            self._pool.submit(int)  # a no-op that makes the pool spawn its workers

    def run(self, tasks: Iterable[Task], settings: RunSettings) -> Iterator[ItemResult]:
        if self._pool is None:
            self.start(settings)
        assert self._pool is not None
        futures = {
            self._pool.submit(render_item, item, settings, h): (item, h) for item, h in tasks
        }
        for future in as_completed(futures):
            item, input_hash = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # the worker process itself died
                yield pending_result(item, settings, input_hash, f"worker process failed: {exc!r}")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def make_executor(jobs: int) -> Executor:
    """Serial for one job, a process pool otherwise."""
    return SerialExecutor() if jobs <= 1 else ProcessExecutor(jobs)

"""``qio reports``: plan, build what is out of date in worker processes, write the outputs.

One report, from the command line to its HTML file:

1. :func:`qio_analysis.batch.plan.make_plan` reads the data once, lists one item
   per report and skips those whose inputs are unchanged;
2. :func:`run_reports` (here) marks the index "in progress" and hands the
   remaining items to the worker processes of :mod:`qio_analysis.batch.pool`
   (or runs them here with one job). When nothing can be skipped (a first
   run, or ``--force``) the workers are started before planning, so their
   kernels warm up while the data is read;
3. in a worker, :func:`qio_analysis.batch.render.render_item` executes the
   item's notebook in the worker's warm kernel (:mod:`qio_analysis.batch.kernel`)
   and exports the HTML;
4. :mod:`qio_analysis.batch.outputs` writes the manifest and the index.

A worker that dies is replaced and its item retried once, and nothing
outlives the command (see :mod:`qio_analysis.batch.pool`). Ctrl+C (and
SIGTERM, which the ``qio`` command turns into the same interrupt) stops the
run cleanly and writes the manifest and index, marked "interrupted", for what
finished.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm.auto import tqdm

from qio_analysis.batch import formats
from qio_analysis.batch.outputs import (
    IndexPage,
    ItemResult,
    check_writable,
    read_manifest,
    write_asset,
    write_data_checks,
    write_index,
    write_manifest,
)
from qio_analysis.batch.plan import Plan, RunOptions, make_plan
from qio_analysis.batch.pool import InProcess, WorkerPool
from qio_analysis.version import __version__


@dataclass
class RunSummary:
    """What a run did."""

    results: dict[str, ItemResult]
    built: int
    skipped: int
    failed: list[ItemResult]
    seconds: float
    index: Path
    manifest: Path
    interrupted: bool = False
    format_errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted and not self.format_errors


# --------------------------------------------------------------------- the run


def run_reports(options: RunOptions) -> RunSummary:
    """Build every report of ``options.cycle`` (or those filtered), skipping up-to-date ones."""
    started = time.perf_counter()
    out_dir = options.out_dir
    check_writable(out_dir)
    if options.xlsx or options.pdf:
        formats.check_formats(
            pdf=options.pdf, xlsx=options.xlsx
        )  # before any work: fail at the start
    previous = read_manifest(out_dir / "manifest.json")
    # When nothing can be skipped (a first run, or --force), start the workers and their
    # kernels now, so they warm up while the data is read and the run planned.
    early = _early_pool(options, previous)
    interrupted = False
    try:
        plan = make_plan(options, previous)
        write_data_checks(out_dir, plan.inputs.checks, version=__version__, demo=plan.demo)
        page = IndexPage(
            version=__version__,
            demo=plan.demo,
            data_checks=True,
            errors_report=options.errors == "report",
            empty_regions=plan.empty_regions,
            cycle=options.cycle,
        )
        results: dict[str, ItemResult] = dict(plan.skipped)
        if plan.tasks:
            if not options.self_contained:
                from qio_analysis.report.html import PLOTLY_JS_NAME, plotly_js

                write_asset(out_dir, PLOTLY_JS_NAME, plotly_js())
            _write_outputs(out_dir, plan, results, replace(page, state="in progress"))
        runner = early or _runner(options, len(plan.tasks))
        early = None  # the runner owns it now
        try:
            _build(plan, options, results, runner)
        except KeyboardInterrupt:
            interrupted = True
    finally:
        if early is not None:  # planning failed or was interrupted: stop the early workers
            early.close(interrupted=True)
    format_errors: list[str] = []
    if (options.xlsx or options.pdf) and not interrupted:
        format_errors = _build_formats(plan, options, results)
    state = "interrupted" if interrupted else "complete"
    manifest, index = _write_outputs(out_dir, plan, results, replace(page, state=state))
    this_run = [results[i.id] for i in plan.items if i.id in results]
    return RunSummary(
        results=results,
        built=sum(r.status == "built" for r in this_run),
        skipped=sum(r.status == "skipped" for r in this_run),
        failed=[r for r in this_run if r.status == "failed"],
        seconds=time.perf_counter() - started,
        index=index,
        manifest=manifest,
        interrupted=interrupted,
        format_errors=tuple(format_errors),
    )


def _early_pool(options: RunOptions, previous: dict[str, ItemResult]) -> WorkerPool | None:
    """Started workers when every planned item will be built, else None."""
    if previous and not options.force:
        return None
    jobs = min(options.jobs, len(options.orgs)) if options.orgs else options.jobs
    return WorkerPool(jobs, options).start() if jobs > 1 else None


def _runner(options: RunOptions, tasks: int) -> WorkerPool | InProcess | None:
    jobs = max(1, min(options.jobs, tasks))
    if not tasks:
        return None
    return WorkerPool(jobs, options).start() if jobs > 1 else InProcess(options)


def _build(
    plan: Plan,
    options: RunOptions,
    results: dict[str, ItemResult],
    runner: WorkerPool | InProcess | None,
) -> None:
    """Build the plan's tasks, recording each result as it arrives (also when interrupted).

    The runner is always closed here: workers and kernels stop, at once when interrupted.
    """
    if runner is None:
        return
    failures = 0
    interrupted = True
    try:
        with tqdm(
            total=len(plan.tasks),
            unit="report",
            disable=not options.progress or not plan.tasks,
            desc="Reports",
            dynamic_ncols=True,
        ) as bar:
            bar.set_postfix(failed=0, skipped=len(plan.skipped))
            for result in runner.run(plan.tasks):
                results[result.item] = result
                failures += result.status == "failed"
                bar.set_postfix(failed=failures, skipped=len(plan.skipped))
                bar.update()
        interrupted = False
    finally:
        runner.close(interrupted=interrupted)


def _unfinished(plan: Plan, results: dict[str, ItemResult], out_dir: Path) -> dict[str, ItemResult]:
    """Planned items without a result yet: stale when an older report exists, else not built."""
    out = {}
    for item, digest in plan.tasks:
        if item.id in results:
            continue
        before = plan.previous.get(item.id)
        exists = (out_dir / item.html_path).exists()
        if before is not None and exists:
            out[item.id] = replace(
                before, status="stale", error="built from older inputs; not rebuilt yet"
            )
        else:
            out[item.id] = ItemResult.of(item, "not built", digest)
    return out


def _write_outputs(
    out_dir: Path, plan: Plan, results: dict[str, ItemResult], page: IndexPage
) -> tuple[Path, Path]:
    merged = {**plan.previous, **_unfinished(plan, results, out_dir), **results}
    manifest, _ = write_manifest(
        out_dir, merged, run={"state": page.state, "version": page.version, "cycle": page.cycle}
    )
    return manifest, write_index(out_dir, merged, page)


# --------------------------------------------------------------------- other formats


def _build_formats(plan: Plan, options: RunOptions, results: dict[str, ItemResult]) -> list[str]:
    """Workbooks, PDFs and the image pack for the built reports; returns the errors."""
    done = formats.build_formats(
        options.out_dir,
        results,
        plan.inputs,
        options.cycle,
        xlsx=options.xlsx,
        pdf=options.pdf,
        demo=plan.demo,
        jobs=options.jobs,
        force=options.force,
        progress=options.progress,
    )
    for item_id, links in done.links.items():
        if item_id in results:
            results[item_id].extra.update(links)
    return list(done.errors)

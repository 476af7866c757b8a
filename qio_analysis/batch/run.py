"""``qio reports``: plan, build what is out of date in worker processes, write the outputs.

One run, from the command line to the index:

1. the output folder is checked (apart from the inputs, writable) and locked
   for the whole run (:mod:`qio_analysis.batch.guards`);
2. :func:`qio_analysis.batch.plan.make_plan` reads the data once (its files'
   hashes taken first, see :class:`~qio_analysis.batch.guards.InputWatch`)
   and decides for every report in the folder whether to build, keep, mark
   stale or withdraw it;
3. the folder is brought in line with the plan before anything is built:
   pages of stale reports say so, withdrawn reports and renderings that no
   longer match are removed, and the index is rewritten "in progress";
4. the reports to build go to the worker processes of
   :mod:`qio_analysis.batch.pool` (or run here with one job), which execute
   each notebook in a warm kernel and export its HTML; with ``--pdf``, each
   report is printed as soon as its HTML is written
   (:class:`~qio_analysis.batch.renderings.EarlyPdfs`), so printing overlaps the batch;
5. :mod:`qio_analysis.batch.renderings` keeps, makes or removes every other
   rendering (workbooks, image pack, PDFs);
6. the inputs are checked once more, every file the index links is checked,
   and the manifest and index are written.

Ctrl+C (and SIGTERM, which the ``qio`` command turns into the same interrupt)
stops the run at any step and writes the manifest and index, marked
"interrupted", for what finished. An input file that changes during the run
stops it too, and nothing built from it is listed as current.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from qio_analysis.aliases import JsonValue
from qio_analysis.batch import renderings
from qio_analysis.batch.guards import FolderLock, InputChangedError, InputWatch, check_apart
from qio_analysis.batch.index import IndexPage, write_index
from qio_analysis.batch.outputs import (
    CURRENT,
    MANIFEST,
    ItemResult,
    check_writable,
    ensure_asset,
    read_manifest,
    write_data_checks,
    write_manifest,
)
from qio_analysis.batch.plan import Plan, RunOptions, data_files, make_plan
from qio_analysis.batch.pool import InProcess, WorkerPool
from qio_analysis.batch.progress import progress_style, stage
from qio_analysis.batch.provenance import mark_stale, shared_asset, unmark_stale
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
    stopped_while: str = ""  # what the run was doing when it was interrupted
    changed_inputs: tuple[Path, ...] = ()  # input files that changed during the run
    stale: int = 0  # reports left out of this run, marked stale
    withdrawn: tuple[str, ...] = ()  # reports withdrawn by this run
    renderings_made: dict[str, int] = field(default_factory=dict)
    renderings_removed: dict[str, int] = field(default_factory=dict)
    restored: tuple[str, ...] = ()  # shared assets rewritten, with why

    @property
    def ok(self) -> bool:
        return not (self.failed or self.interrupted or self.format_errors or self.changed_inputs)


# --------------------------------------------------------------------- the run


def run_reports(options: RunOptions) -> RunSummary:
    """Build every report of ``options.cycle`` (or those filtered) that is out of date."""
    started = time.perf_counter()
    out_dir = options.out_dir
    check_apart(out_dir, [(f"--{k}", path) for k, path in options.input_paths])
    renderings.check_formats(pdf=options.pdf, xlsx=options.xlsx, images=options.images)
    check_writable(out_dir)
    with FolderLock(out_dir):
        return _Run(options, started).run()


class _Run:
    """One run, holding the output folder's lock (see the module docstring for the steps)."""

    def __init__(self, options: RunOptions, started: float) -> None:
        self.options = options
        self.out_dir = options.out_dir
        self.started = started
        self.style = progress_style(options.progress)
        self.results: dict[str, ItemResult] = {}
        self.outcome = renderings.FormatsResult()
        self.doing = ""
        self.restored: list[str] = []
        self.changed: list[Path] = []
        #: With --pdf, PDFs are printed while the reports are built (the printer starts
        #: with the batch, and the formats step prints only what is left).
        self.pdfs: renderings.EarlyPdfs | None = None

    def run(self) -> RunSummary:
        options = self.options
        previous = read_manifest(self.out_dir / MANIFEST)
        # When nothing can be skipped (a first run, or --force), start the workers and their
        # kernels now, so they warm up while the data is read and the run planned.
        early = _early_pool(options, previous)
        try:
            with stage("Data", 0, unit="file", style=self.style) as bar:
                watch = InputWatch(lambda: data_files(options))
                plan = make_plan(options, previous, data_hash=watch.digest)
                changed = watch.changed()
                if changed:
                    raise InputChangedError(
                        f"{changed[0]} changed while it was being read; run again once it is final."
                    )
                bar.summary = _data_summary(plan, len(watch.files))
        except BaseException:
            if early is not None:  # planning failed or was interrupted: stop the early workers
                early.close(interrupted=True)
            raise
        self.plan, self.watch = plan, watch
        self.page = IndexPage(
            version=__version__,
            demo=plan.demo,
            data_checks=True,
            errors_report=options.errors == "report",
            empty_regions=plan.empty_regions,
            cycle=options.cycle,
        )
        state = "complete"
        try:
            self.doing = "preparing the output folder"
            self._prepare()
            self.doing = "building the HTML reports"
            runner = early or _runner(options, len(plan.tasks))
            early = None  # the runner owns it now
            self._build(runner)
            self._check_inputs()
            if self.pdfs is not None:
                self.doing = "printing the PDFs"
                self.pdfs.finish(self.outcome)
            self._renderings()
            self.doing = "checking the inputs"
            self.changed = self.watch.changed_content()
            if self.changed:
                raise InputChangedError
        except KeyboardInterrupt:
            state = "interrupted"
        except InputChangedError:
            state = "inputs changed"
        finally:
            if early is not None:
                early.close(interrupted=True)
            if self.pdfs is not None and state != "complete":
                self.pdfs.finish(self.outcome, wait=False)  # keep what was printed
        with _signals_deferred() as deferred:
            if state == "inputs changed":
                self._distrust()
            manifest, index = self._write(state)
        if deferred:
            state = "interrupted"
        return self._summary(state, manifest, index)

    # ----------------------------------------------------------------- steps

    def _prepare(self) -> None:
        """Bring the folder in line with the plan before anything is built (see the module docstring)."""
        plan, out_dir = self.plan, self.out_dir
        write_data_checks(out_dir, plan.inputs.checks, version=__version__, demo=plan.demo)
        name, text = shared_asset()
        if not self.options.self_contained:
            note = ensure_asset(out_dir, name, text)
            if note and any(r.status in CURRENT for r in plan.previous.values()):
                self.restored.append(f"assets/{name}, which {note}")
        for key, why in plan.outdated.items():
            before = plan.results.get(key) or plan.previous[key]
            mark_stale(out_dir / before.output, why)
            self._remove_renderings(before, "it showed an older version of the report")
        for key, res in plan.results.items():
            if res.status == "withdrawn" and plan.previous[key].status != "withdrawn":
                self._withdraw(plan.previous[key])
            elif res.status in CURRENT and plan.previous.get(key, res).status == "stale":
                unmark_stale(out_dir / res.output)
        self.results = dict(plan.results)
        self._write("in progress")

    def _remove_renderings(self, res: ItemResult, why: str = "") -> None:
        for name in dict.fromkeys([*res.renderings, *renderings.format_files(res)]):
            if renderings.remove_rendering(self.out_dir, res, name, why=why):
                self.outcome.count(self.outcome.removed, name)

    def _withdraw(self, before: ItemResult) -> None:
        self._remove_renderings(before)
        (self.out_dir / before.output).unlink(missing_ok=True)
        if before.debug_notebook:
            (self.out_dir / before.debug_notebook).unlink(missing_ok=True)

    def _build(self, runner: WorkerPool | InProcess | None) -> None:
        """Build the plan's tasks, recording each result as it arrives (also when interrupted).

        The runner is always closed here: workers and kernels stop, at once when interrupted.
        """
        if runner is None:
            return
        plan = self.plan
        if self.options.pdf:
            self.pdfs = renderings.EarlyPdfs(self.out_dir, progress=self.style)
        failures = 0
        interrupted = True
        try:
            with stage("Reports", len(plan.tasks), unit="report", style=self.style) as bar:
                for result in runner.run(plan.tasks):
                    result.inputs = plan.inputs_by_item[result.item]
                    before = plan.previous.get(result.item)
                    if before is not None:  # the renderings are judged against the new report
                        result.renderings, result.removed = before.renderings, before.removed
                    self.results[result.item] = result
                    if self.pdfs is not None and result.item in plan.selected:
                        self.pdfs.submit(result)
                    failures += result.status == "failed"
                    bar.advance(failed=failures)
                    bar.summary = self._reports_summary()
                    self._check_inputs()
            interrupted = False
        finally:
            runner.close(interrupted=interrupted)

    def _check_inputs(self) -> None:
        self.changed = self.watch.changed()
        if self.changed:
            raise InputChangedError

    def _renderings(self) -> None:
        options = self.options
        self.doing = "checking the other formats"
        asked = {f for f in ("xlsx", "images", "pdf") if getattr(options, f)}
        renderings.update_renderings(
            self.out_dir,
            self.results,
            self.plan.inputs,
            asked=asked,
            selected=self.plan.selected,
            demo=self.plan.demo,
            force=options.force,
            progress=self.style,
            outcome=self.outcome,
            printed=set() if self.pdfs is None else self.pdfs.made,
        )

    def _distrust(self) -> None:
        """An input changed during the run: no report in the folder is listed as current."""
        names = ", ".join(sorted({p.name for p in self.changed})) or "an input file"
        why = f"{names} changed while this run was building it"
        for key, res in list(self._merged().items()):
            if res.status not in CURRENT:
                continue
            stale = replace(res, status="stale", error=f"Not current: {why}.")
            self._remove_renderings(stale, "an input file changed during the run")
            if (self.out_dir / stale.output).exists():
                mark_stale(self.out_dir / stale.output, why)
            self.results[key] = stale

    # ----------------------------------------------------------------- outputs

    def _merged(self) -> dict[str, ItemResult]:
        """Every report the folder lists: this run's results over the previous manifest's."""
        plan = self.plan
        merged = {**plan.previous, **plan.results, **self.results}
        for item, digest in plan.tasks:
            if item.id in self.results:
                continue
            before = plan.previous.get(item.id)
            if before is not None and item.id in plan.outdated:
                merged[item.id] = replace(
                    before,
                    status="stale",
                    error=f"Built before {plan.outdated[item.id]}; not rebuilt yet.",
                )
            elif before is not None and before.input_hash == digest and before.status in CURRENT:
                merged[item.id] = before
            else:
                merged[item.id] = ItemResult.of(
                    item, "not built", digest, inputs=plan.inputs_by_item[item.id]
                )
        return merged

    def _write(self, state: str) -> tuple[Path, Path]:
        merged = _verified(self.out_dir, self._merged())
        run: dict[str, JsonValue] = {
            "state": state,
            "version": __version__,
            "cycle": self.options.cycle,
        }
        manifest, _ = write_manifest(self.out_dir, merged, run=run)
        if state == "complete":  # no failure left a notebook to look at: no empty _debug/
            with contextlib.suppress(OSError):
                (self.out_dir / "_debug").rmdir()
        return manifest, write_index(self.out_dir, merged, replace(self.page, state=state))

    def _reports_summary(self) -> str:
        tasks = {item.id for item, _ in self.plan.tasks}
        done = [r for k, r in self.results.items() if k in tasks]
        built = sum(r.status == "built" for r in done)
        failed = len(done) - built
        skipped = sum(k in self.plan.selected for k in self.plan.results)
        return f"{built} built, {failed} failed, {skipped} up to date"

    def _summary(self, state: str, manifest: Path, index: Path) -> RunSummary:
        merged = self._merged()
        mine = [merged[k] for k in sorted(self.plan.selected) if k in merged]
        newly_withdrawn = tuple(
            r.label
            for k, r in self.plan.results.items()
            if r.status == "withdrawn" and self.plan.previous[k].status != "withdrawn"
        )
        stopped = ""
        if state == "interrupted":
            stopped = self.outcome.stage or self.doing
        return RunSummary(
            results=merged,
            built=sum(r.status == "built" for r in mine),
            skipped=sum(r.status == "skipped" for r in mine),
            failed=[r for r in mine if r.status == "failed"],
            seconds=time.perf_counter() - self.started,
            index=index,
            manifest=manifest,
            interrupted=state == "interrupted",
            format_errors=tuple(self.outcome.errors),
            stopped_while=stopped,
            changed_inputs=tuple(self.changed) if state == "inputs changed" else (),
            stale=sum(
                r.status == "stale" for k, r in merged.items() if k not in self.plan.selected
            ),
            withdrawn=newly_withdrawn,
            renderings_made=dict(self.outcome.made),
            renderings_removed=dict(self.outcome.removed),
            restored=tuple(self.restored),
        )


def _verified(out_dir: Path, results: dict[str, ItemResult]) -> dict[str, ItemResult]:
    """``results`` with every file the index would link checked: nothing missing or unmatched is listed."""
    out = {}
    for key, res in results.items():
        if res.status in CURRENT | {"stale"} and not (out_dir / res.output).exists():
            res = replace(
                res, status="not built", error="Its file is missing; run qio reports to rebuild it."
            )
        if res.renderings:
            res = replace(res, renderings=dict(res.renderings), removed=dict(res.removed))
            renderings.prune_renderings(out_dir, res)
        if res.debug_notebook and not (out_dir / res.debug_notebook).exists():
            res = replace(res, debug_notebook="")
        out[key] = res
    return out


def _data_summary(plan: Plan, files: int) -> str:
    table = plan.inputs.checks.files()
    loaded, rejected = int(table["loaded"].sum()), int(table["rejected"].sum())
    return f"{files} file{'s' if files != 1 else ''} read, {loaded:,} rows loaded, {rejected:,} rejected"


@contextlib.contextmanager
def _signals_deferred() -> Iterator[list[int]]:
    """Hold Ctrl+C and SIGTERM while the manifest and index are written (they are listed after)."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: caught.append(signum))
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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

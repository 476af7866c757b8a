"""``qio reports``: plan, skip what is up to date, execute, then write manifest and index.

Orchestration only: the analysis is in the notebooks and the package, the
execution strategy in :mod:`qio_analysis.batch.executors`.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from qio_analysis import __version__
from qio_analysis.batch.executors import Executor, make_executor
from qio_analysis.batch.hashing import files_digest, item_hash
from qio_analysis.batch.index import render_index
from qio_analysis.batch.items import ReportItem, plan_items
from qio_analysis.batch.manifest import ItemResult, read_manifest, write_manifest
from qio_analysis.batch.worker import ASSETS, RunSettings
from qio_analysis.config import DEMO_ORGANISATIONS, DEMO_STATISTICS, DEMO_SUBMISSIONS, OUTPUTS_DIR
from qio_analysis.io.tables import expand_sources
from qio_analysis.io.writers import write_text_atomic
from qio_analysis.report.inputs import load_inputs


@dataclass
class RunOptions:
    """Everything ``qio reports`` can be asked to do."""

    cycle: int
    orgs: Sequence[str] = ()
    regions: Sequence[str] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    out_dir: Path = OUTPUTS_DIR
    engine: str = "warm"
    self_contained: bool = False
    cell_timeout: int = 300
    submissions: str | None = None
    statistics: str | None = None
    organisations: str | None = None
    progress: bool = True


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

    @property
    def ok(self) -> bool:
        return not self.failed


def _data_files(options: RunOptions) -> tuple[list[Path], dict[str, str | None], bool]:
    given = {
        "submissions": options.submissions,
        "statistics": options.statistics,
        "organisations": options.organisations,
    }
    demo = all(v is None for v in given.values())
    paths = (
        [DEMO_SUBMISSIONS, DEMO_STATISTICS, DEMO_ORGANISATIONS]
        if demo
        else [Path(v) for v in given.values() if v]
    )
    params = {k: (None if v is None else str(Path(v).resolve())) for k, v in given.items()}
    return [f for p in paths for f in expand_sources(p)], params, demo


def _ensure_plotly(out_dir: Path) -> None:
    from qio_analysis.report.html import PLOTLY_JS_NAME, plotly_js

    target = out_dir / ASSETS / PLOTLY_JS_NAME
    if not target.exists():
        write_text_atomic(target, plotly_js())


@dataclass
class _Plan:
    """A run, planned: every item, those to build (with their input hash) and those up to date."""

    items: list[ReportItem]
    tasks: list[tuple[ReportItem, str]]
    skipped: dict[str, ItemResult]
    previous: dict[str, ItemResult]
    demo: bool


def run_reports(options: RunOptions, executor: Executor | None = None) -> RunSummary:
    """Build every report of ``options.cycle`` (or those filtered), skipping up-to-date ones."""
    started = time.perf_counter()
    out_dir = Path(options.out_dir).resolve()
    settings = RunSettings(
        out_dir=str(out_dir),
        engine=options.engine,
        self_contained=options.self_contained,
        cell_timeout=options.cell_timeout,
    )
    plan = _plan(options, out_dir)
    # Workers (and their kernels) start only when there is work: an up-to-date re-run stays quick.
    runner = executor or make_executor(min(options.jobs, len(plan.tasks)))
    if plan.tasks:
        runner.start(settings)
    try:
        return _run(plan, options, runner, settings, started)
    finally:
        runner.close()


def _plan(options: RunOptions, out_dir: Path) -> _Plan:
    """Items to build, with those already up to date taken out as skipped results."""
    files, params, demo = _data_files(options)
    inputs = load_inputs(params["submissions"], params["statistics"], params["organisations"])
    items = plan_items(
        inputs.submissions,
        inputs.statistics,
        options.cycle,
        orgs=options.orgs,
        regions=options.regions,
        data=params,
    )
    data_hash = files_digest(files)
    notebook_hashes = {
        path: files_digest([path]) for path in {item.notebook_path for item in items}
    }
    previous = read_manifest(out_dir / "manifest.json")
    knobs = {"self_contained": options.self_contained}
    plan = _Plan(items=items, tasks=[], skipped={}, previous=previous, demo=demo)
    for item in items:
        digest = item_hash(
            data=data_hash,
            notebook=notebook_hashes[item.notebook_path],
            parameters=item.parameters,
            options=knobs,
        )
        before = previous.get(item.id)
        if (
            not options.force
            and before is not None
            and before.status in {"built", "skipped"}
            and before.input_hash == digest
            and (out_dir / item.html_path).exists()
        ):
            plan.skipped[item.id] = dataclasses.replace(before, status="skipped", duration_s=0.0)
        else:
            plan.tasks.append((item, digest))
    return plan


def _run(
    plan: _Plan, options: RunOptions, runner: Executor, settings: RunSettings, started: float
) -> RunSummary:
    out_dir = Path(settings.out_dir)
    if not options.self_contained and plan.tasks:
        _ensure_plotly(out_dir)
    results = dict(plan.skipped)
    failures = 0
    with tqdm(
        total=len(plan.tasks),
        unit="report",
        disable=not options.progress or not plan.tasks,
        desc="Reports",
        dynamic_ncols=True,
    ) as bar:
        bar.set_postfix(failed=0, skipped=len(plan.skipped))
        for result in runner.run(plan.tasks, settings):
            results[result.item] = result
            failures += result.status == "failed"
            bar.set_postfix(failed=failures, skipped=len(plan.skipped))
            bar.update()
    merged = {**plan.previous, **results}
    _, manifest = write_manifest(out_dir, merged)
    index = write_text_atomic(
        out_dir / "index.html", render_index(merged, version=__version__, demo=plan.demo)
    )
    this_run = [results[i.id] for i in plan.items]
    return RunSummary(
        results=results,
        built=sum(r.status == "built" for r in this_run),
        skipped=sum(r.status == "skipped" for r in this_run),
        failed=[r for r in this_run if r.status == "failed"],
        seconds=time.perf_counter() - started,
        index=index,
        manifest=manifest,
    )

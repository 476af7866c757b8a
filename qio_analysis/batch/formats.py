"""The one step after the HTML reports: workbooks, PDFs and the headline image pack.

``qio reports --xlsx/--pdf`` calls :func:`check_formats` before any work
(so a missing chromium fails at the start, never silently) and
:func:`build_formats` once every HTML report is written. Orchestration
only: the renderings live in :mod:`qio_analysis.export`. One browser for all
PDFs and one kaleido session for the image pack, each started only when
that format has something to do. A failed file never stops the others; it
is returned in ``errors``.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from tqdm.auto import tqdm

from qio_analysis.batch.outputs import ItemResult
from qio_analysis.config import chromium_path
from qio_analysis.io.inputs import Inputs
from qio_analysis.version import __version__

_DONE = {"built", "skipped"}
#: An organisation report prints on at most this many A4 pages (tighter layout if needed).
ORGANISATION_PAGES = 3


@dataclass
class FormatsResult:
    """What the formats step wrote: links per report item, errors and time per format."""

    links: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def link(self, item_id: str, **paths: str) -> None:
        self.links.setdefault(item_id, {}).update(paths)


def check_formats(*, pdf: bool, xlsx: bool) -> None:
    """Fail before any work when a requested format cannot be made (chromium missing for PDFs)."""
    if pdf:
        chromium_path()


def _stale(target: Path, source: Path, force: bool) -> bool:
    return force or not target.exists() or target.stat().st_mtime < source.stat().st_mtime


def build_formats(
    out_dir: Path,
    results: Mapping[str, ItemResult],
    inputs: Inputs,
    cycle: int,
    *,
    xlsx: bool,
    pdf: bool,
    images: bool = True,
    demo: bool,
    jobs: int = 2,
    force: bool = False,
    progress: bool = True,
) -> FormatsResult:
    """Workbooks (``xlsx``), PDFs (``pdf``) and the image pack (``images``) for ``results``.

    Only items whose HTML report was built or is up to date are considered.
    Paths in ``links`` are relative to ``out_dir``.
    """
    out_dir = Path(out_dir)
    done = {key: res for key, res in results.items() if res.status in _DONE}
    _remove_stale(out_dir, results, cycle)
    outcome = FormatsResult()
    if xlsx:
        started = time.perf_counter()
        _workbooks(out_dir, done, inputs, cycle, demo, force, outcome, progress)
        outcome.seconds["xlsx"] = round(time.perf_counter() - started, 2)
    if images:
        started = time.perf_counter()
        _image_pack(out_dir, done, inputs, demo, force, outcome)
        outcome.seconds["images"] = round(time.perf_counter() - started, 2)
    if pdf:
        started = time.perf_counter()
        _pdfs(out_dir, done, cycle, jobs, force, outcome, progress)
        outcome.seconds["pdf"] = round(time.perf_counter() - started, 2)
    return outcome


def _remove_stale(out_dir: Path, results: Mapping[str, ItemResult], cycle: int) -> None:
    """A failed report loses its old PDF and workbook too: nothing out of date looks current."""
    from qio_analysis.export.workbooks import organisation_workbook_path

    for res in results.values():
        if res.status != "failed" or not res.output:
            continue
        (out_dir / res.output).with_suffix(".pdf").unlink(missing_ok=True)
        params = res.parameters or {}
        if res.kind == "organisation" and params.get("cycle") == cycle:
            (out_dir / organisation_workbook_path(cycle, str(params["org_code"]))).unlink(
                missing_ok=True
            )


def _workbooks(
    out_dir: Path,
    done: Mapping[str, ItemResult],
    inputs: Inputs,
    cycle: int,
    demo: bool,
    force: bool,
    outcome: FormatsResult,
    progress: bool,
) -> None:
    """A workbook is rebuilt when its report's HTML is newer (the HTML's input hash covers data and code)."""
    from qio_analysis.export import validation as vw
    from qio_analysis.export import workbooks as wb

    context = wb.WorkbookContext(sources=list(inputs.sources), version=__version__, demo=demo)
    subs = inputs.submissions
    jobs: list[tuple[str, str, Callable[[], Workbook]]] = []  # (item id, relative path, maker)

    def fresh(key: str, relative: str) -> bool:
        html = out_dir / done[key].output
        if force or not html.exists() or _stale(out_dir / relative, html, force):
            return False
        outcome.link(key, xlsx=relative)
        return True

    codes = [
        str(r.parameters["org_code"])
        for key, r in done.items()
        if r.kind == "organisation"
        and (r.parameters or {}).get("cycle") == cycle
        and not fresh(key, wb.organisation_workbook_path(cycle, str(r.parameters["org_code"])))
    ]
    tables = wb.organisation_tables(subs, cycle, codes) if codes else {}
    for key, res in sorted(done.items()):
        params = res.parameters or {}
        if res.kind == "organisation" and params.get("cycle") == cycle:
            code = str(params["org_code"])
            if code not in tables:
                continue  # up to date (linked above)
            jobs.append(
                (
                    key,
                    wb.organisation_workbook_path(cycle, code),
                    lambda code=code: wb.organisation_workbook(
                        subs, code, cycle, context, table=tables.get(code)
                    ),
                )
            )
        elif res.kind in {"region-validation", "national"} and "validation" in key:
            if params.get("cycle") != cycle:
                continue
            region = params.get("region")
            if fresh(key, wb.validator_workbook_path(cycle, region)):
                continue
            jobs.append(
                (
                    key,
                    wb.validator_workbook_path(cycle, region),
                    functools.partial(
                        vw.validator_workbook,
                        subs,
                        inputs.organisations,
                        cycle,
                        region,
                        context,
                        run_date=params.get("run_date"),
                    ),
                )
            )
    for key, relative, make in tqdm(
        jobs, desc="Workbooks", unit="file", disable=not progress or not jobs, dynamic_ncols=True
    ):
        try:
            wb.save_workbook(make(), out_dir / relative)
        except Exception as exc:  # one bad workbook never stops the others: record it
            outcome.errors.append(f"workbook {relative}: {type(exc).__name__}: {exc}")
            continue
        outcome.link(key, xlsx=relative)


def _image_pack(
    out_dir: Path,
    done: Mapping[str, ItemResult],
    inputs: Inputs,
    demo: bool,
    force: bool,
    outcome: FormatsResult,
) -> None:
    heads = [(k, r) for k, r in done.items() if r.kind == "headlines"]
    if not heads or inputs.statistics is None:
        return
    from qio_analysis.export.images import IMAGES_DIR, write_image_pack

    for key, res in heads:
        html = out_dir / res.output
        folder = html.parent
        links = {
            "images": f"{folder.relative_to(out_dir).as_posix()}/{IMAGES_DIR}/",
            "figures_csv": (folder / "headline_figures.csv").relative_to(out_dir).as_posix(),
            "figures_xlsx": (folder / "headline_figures.xlsx").relative_to(out_dir).as_posix(),
            "alt_text": (folder / "alt_text.md").relative_to(out_dir).as_posix(),
        }
        if not _stale(folder / "alt_text.md", html, force):
            outcome.link(key, **links)
            continue
        try:
            write_image_pack(
                folder,
                inputs.statistics,
                (res.parameters or {}).get("year"),
                chromium=chromium_path(),
                demo=demo,
            )
        except Exception as exc:  # record and carry on: the HTML report is still there
            outcome.errors.append(f"image pack {key}: {type(exc).__name__}: {exc}")
            continue
        outcome.link(key, **links)


def _pdfs(
    out_dir: Path,
    done: Mapping[str, ItemResult],
    cycle: int,
    jobs: int,
    force: bool,
    outcome: FormatsResult,
    progress: bool,
) -> None:
    from qio_analysis.export.pdf import PrintJob, print_pdfs

    todo: list[tuple[str, PrintJob]] = []
    for key, res in sorted(done.items()):
        html = out_dir / res.output
        if not html.exists():
            continue
        pdf = html.with_suffix(".pdf")
        relative = pdf.relative_to(out_dir).as_posix()
        if not _stale(pdf, html, force):
            outcome.link(key, pdf=relative)
            continue
        params = res.parameters or {}
        if params.get("year"):
            right = f"LKS statistics {params['year']}"
        elif params.get("cycle"):
            right = f"QIOF {params['cycle']}"
        else:
            right = "QIOF, every cycle"
        budget = ORGANISATION_PAGES if res.kind == "organisation" else None
        job = PrintJob(html, pdf, res.label, right, max_pages=budget)
        todo.append((key, job))
    by_pdf = {job.pdf: key for key, job in todo}
    with tqdm(
        total=len(todo),
        desc="PDFs",
        unit="pdf",
        disable=not progress or not todo,
        dynamic_ncols=True,
    ) as bar:
        printed = print_pdfs(
            [job for _, job in todo],
            # A tab per core: on 2 cores, 4 tabs printed slower than 2 (benchmarks/bench_outputs.py).
            concurrency=max(2, os.cpu_count() or 2),
            root=out_dir,
            on_done=lambda job, error: bar.update(),
        )
    for path, error in printed.items():
        key = by_pdf[path]
        if error is None:
            outcome.link(key, pdf=path.relative_to(out_dir).as_posix())
        else:
            outcome.errors.append(f"PDF {path.relative_to(out_dir).as_posix()}: {error}")

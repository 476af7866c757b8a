"""The last step of ``qio reports``: every other rendering of the reports, kept true to its report.

A report's workbook (``--xlsx``), PDF (``--pdf``) and the headline image pack
(``--images``) are renderings of the same metrics and figures. Each records
what it renders (:class:`~qio_analysis.batch.outputs.Rendering`): a PDF the
hash of its HTML file, the others the report's input hash. This step runs at
the end of every run, whichever formats were asked for:

- a rendering whose record matches and whose files are all there is kept;
- one that no longer matches, or lost a file, is made again when its format
  was asked for, and otherwise removed, with a note in the index. A PDF
  showing older data is never left beside its report.

:func:`check_formats` runs before any work, so a format that cannot be made
(no chromium for PDFs and images) fails at the start, never silently.
Orchestration only: the renderings are made by :mod:`qio_analysis.export`.
One browser for all PDFs and one for the image pack, each started only when
there is something to make; PDFs printed while the batch ran
(:class:`EarlyPdfs`) are already recorded here, and kept. A failed file never stops the
others; it is listed in ``errors``.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qio_analysis.batch.index import FORMATS
from qio_analysis.batch.outputs import CURRENT, ItemResult, Rendering
from qio_analysis.batch.parameters import (
    cycle_of,
    min_group_of,
    region_of,
    run_date_of,
    year_of,
)
from qio_analysis.batch.progress import Stage, stage
from qio_analysis.config import chromium_path
from qio_analysis.errors import QioConfigError
from qio_analysis.io.files import file_digest
from qio_analysis.io.inputs import Inputs
from qio_analysis.metrics.disclosure import DEFAULT_MIN_GROUP
from qio_analysis.platform_support import platform_name
from qio_analysis.version import __version__

if TYPE_CHECKING:
    from qio_analysis.export.pdf import PrintJob

#: An organisation report prints on at most this many A4 pages (tighter layout if needed).
ORGANISATION_PAGES = 3
#: Chromium tabs printing PDFs: one per core, at least two (on 2 cores, 4 were slower than 2).
PDF_TABS = max(2, os.cpu_count() or 2)


@dataclass
class FormatsResult:
    """What the step did: files made and renderings removed by format, errors, time, and where it was."""

    made: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    stage: str = ""  # what it was doing, for a run interrupted here

    def count(self, counts: dict[str, int], name: str) -> None:
        counts[name] = counts.get(name, 0) + 1


def check_formats(*, pdf: bool, xlsx: bool, images: bool = False) -> None:
    """Fail before any work when a requested format cannot be made (chromium missing)."""
    if not (pdf or images):
        return
    try:
        chromium_path()
    except QioConfigError as exc:
        asked = " and ".join(f for f, on in (("--pdf", pdf), ("--images", images)) if on)
        debian = (
            " On Debian, `sudo scripts/install-system-packages` installs chromium."
            if platform_name() == "linux"
            else ""
        )
        raise QioConfigError(
            f"{asked} need{'s' if ' and ' not in asked else ''} a Chromium-family browser "
            f"(Chromium, Google Chrome or Microsoft Edge). {exc}{debian}"
        ) from None


# --------------------------------------------------------------------- which files


def format_files(res: ItemResult) -> dict[str, list[str]]:
    """Where each rendering of ``res``'s report goes, by format (relative to the output folder).

    For the image pack, the fixed files only; its images are whatever is under ``images/``.
    """
    from qio_analysis.export.images import IMAGES_DIR, PACK_FILES
    from qio_analysis.export.workbooks import organisation_workbook_path, validator_workbook_path

    html = Path(res.output)
    files = {"pdf": [html.with_suffix(".pdf").as_posix()]}
    cycle, params = cycle_of(res.parameters), res.parameters
    code = params.get("org_code")
    if res.kind == "organisation" and cycle is not None and isinstance(code, str) and code:
        files["xlsx"] = [organisation_workbook_path(cycle, code)]
    elif res.kind in {"region-validation", "national"} and "validation" in res.item and cycle:
        files["xlsx"] = [validator_workbook_path(cycle, region_of(params))]
    elif res.kind == "headlines":
        folder = html.parent
        files["images"] = [(folder / IMAGES_DIR).as_posix() + "/"] + [
            (folder / name).as_posix() for name in PACK_FILES.values()
        ]
    return files


def _remove(out_dir: Path, paths: Collection[str]) -> bool:
    """Delete files (and ``.../`` folders) under ``out_dir``; True when anything was there."""
    found = False
    for relative in paths:
        target = out_dir / relative
        if relative.endswith("/"):
            if target.is_dir():
                shutil.rmtree(target)
                found = True
        elif target.exists():
            target.unlink()
            found = True
    return found


def _source(out_dir: Path, res: ItemResult, name: str) -> str:
    """The hash of what a rendering renders: the HTML for a PDF, else the report's inputs."""
    if name == "pdf":
        html = out_dir / res.output
        return file_digest(html) if html.exists() else ""
    return res.input_hash


def _is_current(out_dir: Path, res: ItemResult, name: str) -> bool:
    record = res.renderings.get(name)
    return (
        record is not None
        and record.source == _source(out_dir, res, name)
        and all((out_dir / f).exists() for f in record.files)
    )


def _why_removed(out_dir: Path, res: ItemResult, name: str, record: Rendering | None) -> str:
    if record is None:
        return "nothing recorded which version of the report it showed"
    if res.status in CURRENT and record.source == _source(out_dir, res, name):
        return "some of its files were missing"
    return "it showed an older version of the report"


def remove_rendering(
    out_dir: Path,
    res: ItemResult,
    name: str,
    files: Collection[str] | None = None,
    *,
    why: str = "",
) -> bool:
    """Delete one rendering of ``res`` (its recorded and its usual files); True if there was one.

    A report still in the folder keeps a note saying why (``why``, else worked
    out from the record), shown in the index.
    """
    record = res.renderings.pop(name, None)
    usual = format_files(res).get(name, []) if files is None else files
    existed = _remove(out_dir, [*usual, *(record.files if record else [])])
    if not (existed or record):
        return False
    if res.status in CURRENT | {"stale"}:
        res.removed[name] = why or _why_removed(out_dir, res, name, record)
    return True


# --------------------------------------------------------------------- the step


def update_renderings(
    out_dir: Path,
    results: Mapping[str, ItemResult],
    inputs: Inputs,
    *,
    asked: Collection[str] = (),
    selected: Collection[str] | None = None,
    demo: bool,
    force: bool = False,
    progress: str = "off",
    outcome: FormatsResult | None = None,
    printed: Collection[str] = (),
) -> FormatsResult:
    """Keep, make or remove every rendering of every report in ``results`` (changed in place).

    ``asked`` holds the formats this run makes (``xlsx``, ``pdf``, ``images``),
    for the reports in ``selected`` (all when None) that are current. Pass
    ``outcome`` to see what was done so far if the step is interrupted.
    ``printed`` names the reports whose PDF this run has already printed
    (:class:`EarlyPdfs`): kept, even with ``force``.
    """
    outcome = outcome if outcome is not None else FormatsResult()
    wanted: dict[str, list[ItemResult]] = {name: [] for name in FORMATS}
    for key in sorted(results):
        res = results[key]
        for name, files in format_files(res).items():
            current = res.status in CURRENT
            due = current and name in asked and (selected is None or key in selected)
            again = due and force and not (name == "pdf" and key in printed)
            if current and _is_current(out_dir, res, name) and not again:
                res.removed.pop(name, None)
            elif due:
                wanted[name].append(res)
            elif remove_rendering(out_dir, res, name, files):
                outcome.count(outcome.removed, name)
    steps = (
        ("xlsx", "Workbooks", "writing the workbooks", _workbooks),
        ("images", "Image pack", "making the headline image pack", _image_packs),
        ("pdf", "PDFs", "printing the PDFs", _pdfs),
    )
    for name, title, doing, make in steps:
        if not wanted[name]:
            continue
        outcome.stage = doing
        started = time.perf_counter()
        before = outcome.made.get(name, 0)
        with stage(title, len(wanted[name]), unit="file", style=progress) as bar:
            make(out_dir, wanted[name], inputs, demo=demo, outcome=outcome, bar=bar)
            written = outcome.made.get(name, 0) - before
            failed = len(wanted[name]) - written
            bar.summary = f"{written} written" + (f", {failed} failed" if failed else "")
        outcome.seconds[name] = round(time.perf_counter() - started, 2)
    outcome.stage = ""
    return outcome


def prune_renderings(out_dir: Path, res: ItemResult) -> int:
    """Remove every rendering of ``res`` whose record no longer matches; how many were removed.

    The last check before the index is written: a rendering is listed only
    while its report is current, its source is the report's and its files are all there.
    """
    return sum(
        remove_rendering(out_dir, res, name)
        for name in list(res.renderings)
        if res.status not in CURRENT or not _is_current(out_dir, res, name)
    )


def _record(
    res: ItemResult, name: str, out_dir: Path, files: list[str], links: dict[str, str]
) -> None:
    res.renderings[name] = Rendering(_source(out_dir, res, name), files, links)
    res.removed.pop(name, None)


def _failed(
    res: ItemResult, name: str, out_dir: Path, files: list[str], error: str, outcome: FormatsResult
) -> None:
    """A rendering that could not be made: no file or record of an older one is left."""
    res.renderings.pop(name, None)
    _remove(out_dir, files)
    outcome.errors.append(error)


def _workbooks(
    out_dir: Path,
    todo: list[ItemResult],
    inputs: Inputs,
    *,
    demo: bool,
    outcome: FormatsResult,
    bar: Stage,
) -> None:
    from qio_analysis.export import validation as vw
    from qio_analysis.export import workbooks as wb
    from qio_analysis.metrics.actions import required_actions

    context = wb.WorkbookContext(sources=list(inputs.sources), version=__version__, demo=demo)
    subs = inputs.submissions
    by_cycle: dict[int, list[str]] = {}
    for res in todo:
        cycle = cycle_of(res.parameters)
        if res.kind == "organisation" and cycle is not None:
            by_cycle.setdefault(cycle, []).append(str(res.parameters.get("org_code")))
    tables = {
        cycle: wb.organisation_tables(subs, cycle, codes) for cycle, codes in by_cycle.items()
    }
    validations = inputs.checks.validations()
    assignments = inputs.checks.assignments()
    for res in todo:
        cycle, params = cycle_of(res.parameters), res.parameters
        (relative,) = format_files(res)["xlsx"]
        try:
            if cycle is None:  # format_files gives a workbook only to a report of one cycle
                raise QioConfigError(f"{res.item} is not about one cycle")
            if res.kind == "organisation":
                code = str(params.get("org_code"))
                book = wb.organisation_workbook(
                    subs,
                    code,
                    cycle,
                    context,
                    table=tables[cycle].get(code),
                    actions=required_actions(validations, cycle, org_code=code),
                )
            else:
                book = vw.validator_workbook(
                    subs,
                    inputs.organisations,
                    cycle,
                    region_of(params),
                    context,
                    run_date=run_date_of(params),
                    actions=required_actions(validations, cycle, region=region_of(params)),
                    assignments=assignments,
                )
            wb.save_workbook(book, out_dir / relative)
        except Exception as exc:  # one bad workbook never stops the others: record it
            error = f"workbook {relative}: {type(exc).__name__}: {exc}"
            _failed(res, "xlsx", out_dir, [relative], error, outcome)
        else:
            _record(res, "xlsx", out_dir, [relative], {"Workbook": relative})
            outcome.count(outcome.made, "xlsx")
        bar.advance()


def _image_packs(
    out_dir: Path,
    todo: list[ItemResult],
    inputs: Inputs,
    *,
    demo: bool,
    outcome: FormatsResult,
    bar: Stage,
) -> None:
    from qio_analysis.export.images import IMAGES_DIR, PACK_FILES, write_image_pack

    for res in todo:
        images, *fixed = format_files(res)["images"]
        _remove(out_dir, [images, *fixed])  # no image of an older pack is left behind
        folder = out_dir / Path(res.output).parent
        try:
            if inputs.statistics is None:
                raise QioConfigError("there are no LKS statistics to draw the images from")
            write_image_pack(
                folder,
                inputs.statistics,
                year_of(res.parameters),
                chromium=chromium_path(),
                demo=demo,
                # The public pack credits the statistics it was made from, nothing else read.
                sources=[inputs.statistics_source] if inputs.statistics_source else [],
                min_group=min_group_of(res.parameters, DEFAULT_MIN_GROUP),
            )
        except Exception as exc:  # record and carry on: the HTML report is still there
            error = f"image pack {res.item}: {type(exc).__name__}: {exc}"
            _failed(res, "images", out_dir, [images, *fixed], error, outcome)
        else:
            drawn = sorted(
                p.relative_to(out_dir).as_posix() for p in (folder / IMAGES_DIR).iterdir()
            )
            links = {"Images": images, **dict(zip(PACK_FILES, fixed, strict=True))}
            _record(res, "images", out_dir, [*drawn, *fixed], links)
            outcome.count(outcome.made, "images")
        bar.advance()


def _pdfs(
    out_dir: Path,
    todo: list[ItemResult],
    inputs: Inputs,
    *,
    demo: bool,
    outcome: FormatsResult,
    bar: Stage,
) -> None:
    from qio_analysis.export.pdf import print_pdfs

    by_pdf: dict[Path, ItemResult] = {}
    print_jobs = []
    for res in todo:
        job = pdf_job(out_dir, res)
        by_pdf[job.pdf] = res
        print_jobs.append(job)

    def done(job: PrintJob, error: str | None) -> None:
        # Recorded as each PDF is written, so an interrupted run keeps what was printed.
        res = by_pdf[job.pdf]
        if error is None:
            _record_pdf(out_dir, res, job.pdf, outcome)
        else:
            relative = job.pdf.relative_to(out_dir).as_posix()
            _failed(res, "pdf", out_dir, [relative], f"PDF {relative}: {error}", outcome)
        bar.advance()

    print_pdfs(print_jobs, concurrency=PDF_TABS, root=out_dir, on_done=done)


def _record_pdf(out_dir: Path, res: ItemResult, pdf: Path, outcome: FormatsResult) -> None:
    relative = pdf.relative_to(out_dir).as_posix()
    _record(res, "pdf", out_dir, [relative], {"PDF": relative})
    outcome.count(outcome.made, "pdf")


def pdf_job(out_dir: Path, res: ItemResult) -> PrintJob:
    """How ``res``'s report is printed: its PDF beside it, running header and page budget."""
    from qio_analysis.export.pdf import PrintJob

    html = out_dir / res.output
    year, cycle = year_of(res.parameters), cycle_of(res.parameters)
    if year:
        right = f"LKS statistics {year}"
    elif cycle:
        right = f"QIOF {cycle}"
    else:
        right = "QIOF, every cycle"
    budget = ORGANISATION_PAGES if res.kind == "organisation" else None
    return PrintJob(html, html.with_suffix(".pdf"), res.label, right, max_pages=budget)


class EarlyPdfs:
    """PDFs printed while the HTML reports are still being built, so the two overlap.

    The run starts one when ``--pdf`` is asked, submits each report as it is
    built and calls :meth:`finish` once the batch is done: every PDF printed
    is then recorded on its report as the formats step records one, so that
    step keeps them (their record matches the HTML) and prints only what is
    left, including any that failed here (tried once more there). An
    interrupted run calls ``finish(outcome, wait=False)``: what is not printed
    yet is dropped, and what is printed is still recorded.
    """

    def __init__(self, out_dir: Path, *, progress: str = "off") -> None:
        from qio_analysis.export.pdf import PdfPrinter

        self.out_dir = out_dir
        self.progress = progress
        self.made: set[str] = set()
        self._by_pdf: dict[Path, ItemResult] = {}
        self._lock = threading.Lock()
        self._printed = 0
        self._bar: Stage | None = None
        self._finished = False
        # Started with the first report to print: a run that rebuilds nothing opens no browser.
        self._printer = PdfPrinter(out_dir, concurrency=PDF_TABS, on_done=self._done)
        self._started = False

    def submit(self, res: ItemResult) -> None:
        """Print ``res``'s PDF as soon as a tab is free (built reports only)."""
        if res.status == "built" and "pdf" in format_files(res):
            if not self._started:
                self._printer.start()
                self._started = True
            job = pdf_job(self.out_dir, res)
            self._by_pdf[job.pdf] = res
            self._printer.submit(job)

    def _done(self, job: PrintJob, error: str | None) -> None:  # on the printer's thread
        with self._lock:
            self._printed += 1
            if self._bar is not None:
                self._bar.advance()

    def finish(self, outcome: FormatsResult, *, wait: bool = True) -> None:
        """Wait for the printer (or stop it now) and record every PDF it printed."""
        if self._finished or not self._started:
            self._finished = True
            return
        try:
            if wait:
                with stage("PDFs", len(self._by_pdf), unit="file", style=self.progress) as bar:
                    with self._lock:
                        bar.advance(self._printed)
                        self._bar = bar
                    self._printer.close()
                    ok = sum(error is None for error in self._printer.results.values())
                    bar.summary = f"{ok} written" + (
                        f", {len(self._by_pdf) - ok} left for the formats step"
                        if ok < len(self._by_pdf)
                        else ""
                    )
            else:
                self._printer.stop()
        except Exception as exc:  # the browser failed: the formats step prints what is left
            outcome.errors.append(f"PDF printer: {type(exc).__name__}: {exc}")
        finally:  # also when interrupted: what was printed is kept and recorded
            with self._lock:
                self._finished, self._bar = True, None
            for pdf, error in list(self._printer.results.items()):
                if error is None:
                    _record_pdf(self.out_dir, self._by_pdf[pdf], pdf, outcome)
                    self.made.add(self._by_pdf[pdf].item)

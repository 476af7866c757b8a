"""Time the outputs of ``make demo``: the HTML batch, every PDF, the workbooks and the image pack.

Everything is measured in one run, from the user's side, on the demo cycle:

- the HTML batch (``qio reports`` without ``--pdf``), the yardstick the PDFs are held to;
- every PDF that ``qio reports --pdf`` writes (231 for the demo), printed three ways,
  interleaved in chunks so that load from other work on the machine falls on all three alike:
  ``current`` (tagged PDFs, each report swapped into one persistent tab per worker),
  ``navigate`` (the method before it: each report loaded as a page of its own, drawing its
  charts) and ``floor`` (the same reports with their charts already drawn, saved as static
  pages, so only layout, printing and tagging are paid for);
- ``qio reports --pdf`` as a user runs it, which prints each report as soon as its HTML is
  written (the pipeline), and ``qio reports --xlsx --pdf --images`` (what ``make demo``
  runs), each timed from outside the command into a fresh folder;
- the workbooks and the image pack, for the ``make demo`` breakdown.

Goals on the 2-core machine: PDFs within 1.5x the floor and 1.5x the HTML batch (about 30 s),
``make demo`` (all formats) within 60 s. Wall times on a shared machine are noisy: read the
ratios (measured side by side) and the load average printed with them.

    .venv/bin/python benchmarks/bench_outputs.py              # full: every report of the cycle
    .venv/bin/python benchmarks/bench_outputs.py --orgs 20    # smoke: 20 organisations
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QIO = [sys.executable, "-m", "qio_analysis.cli"]


class TreeCPU:
    """CPU seconds of this process's descendants (Playwright's driver, chromium and its
    helpers, the batch's workers and kernels), sampled every 0.1 s in a thread. A
    process that exits between two samples loses at most its last 0.1 s.
    """

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self._seen: dict[tuple[int, float], float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.seconds()

    def seconds(self) -> float:
        """CPU seconds used so far by every descendant seen, this process included."""
        import psutil

        with self._lock:
            for proc in [self._me, *self._me.children(recursive=True)]:
                try:
                    t = proc.cpu_times()
                    self._seen[(proc.pid, proc.create_time())] = t.user + t.system
                except psutil.Error:
                    continue
            return sum(self._seen.values())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class Clock:
    """Wall and CPU seconds of the blocks timed under each name."""

    def __init__(self, cpu: TreeCPU) -> None:
        self.cpu = cpu
        self.wall: dict[str, float] = {}
        self.cpu_s: dict[str, float] = {}

    def time(self, name: str, block: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), self.cpu.seconds()
        result = block()
        self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
        self.cpu_s[name] = self.cpu_s.get(name, 0.0) + self.cpu.seconds() - cpu
        return result


def build_html(out: Path, cycle: int, codes: list[str] | None, jobs: int) -> None:
    """The HTML batch, as ``make demo`` runs it (without the other formats)."""
    orgs = ["--org", *codes] if codes else []
    args = ["reports", "--cycle", str(cycle), "--out", str(out), "--jobs", str(jobs), "--quiet"]
    subprocess.run([*QIO, *args, *orgs], check=True, cwd=ROOT)


def print_jobs(out: Path, cycle: int) -> list:
    """A PrintJob per report the batch wrote, with its page budget (the header's words differ
    from ``qio reports --pdf``'s only in the cycle label, which costs nothing to print).
    """
    from qio_analysis.batch.renderings import ORGANISATION_PAGES
    from qio_analysis.export.pdf import PrintJob

    jobs = []
    for row in json.loads((out / "manifest.json").read_text())["items"]:
        if row["status"] != "built":
            continue
        html = out / row["output"]
        budget = ORGANISATION_PAGES if row["kind"] == "organisation" else None
        jobs.append(PrintJob(html, html.with_suffix(".pdf"), row["label"], f"QIOF {cycle}", budget))
    return jobs


def draw_static_copies(out: Path, jobs: list, floor: Path) -> list:
    """Each report saved with its charts drawn (as printing draws them) and no scripts."""
    from playwright.sync_api import sync_playwright

    from qio_analysis.config import chromium_path
    from qio_analysis.export.pdf import _LAYOUTS, _PRINTABLE_PX, CHROMIUM_FLAGS
    from qio_analysis.export.serve import ReportServer

    scale, factor = _LAYOUTS[0]
    static = []
    # Served over HTTP, so chromium compiles plotly.js once, not once per report.
    with ReportServer(out) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_FLAGS))
        page = browser.new_page(viewport={"width": round(_PRINTABLE_PX / scale), "height": 1000})
        page.emulate_media(media="print")
        page.add_init_script("window.qioPrintShell = true;")
        for job in jobs:
            page.goto(server.url(job.html))
            page.evaluate(
                f"async () => {{ await window.qioDrawCharts({{heightFactor: {factor}, staticPlot: true}}); }}"
            )
            source = page.evaluate(
                """() => { for (const s of document.querySelectorAll('script')) s.remove();
                           return '<!DOCTYPE html>' + document.documentElement.outerHTML; }"""
            )
            target = floor / job.html.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source, encoding="utf-8")
            static.append(replace(job, html=target, pdf=target.with_suffix(".pdf")))
        browser.close()
    return static


def interleaved(
    clock: Clock, methods: dict[str, tuple[Path, list]], chunk: int, concurrency: int
) -> dict[str, dict]:
    """Print each method's jobs with its own printer, alternating chunks between methods."""
    from qio_analysis.export.pdf import PdfPrinter

    printers, errors, done = {}, {}, {}
    for name, (root, _) in methods.items():
        method = "navigate" if name == "navigate" else "swap"
        finished = threading.Semaphore(0)
        errors[name] = []
        done[name] = finished

        def on_done(job, error, finished=finished, name=name):
            if error:
                errors[name].append(f"{job.pdf}: {error}")
            finished.release()

        printers[name] = PdfPrinter(
            root, concurrency=concurrency, on_done=on_done, method=method
        ).start()

    def run_chunk(name: str, part: list) -> None:
        for job in part:
            printers[name].submit(job)
        for _ in part:
            done[name].acquire()

    longest = max(len(jobs) for _, jobs in methods.values())
    for start in range(0, longest, chunk):
        for name, (_, jobs) in methods.items():
            part = jobs[start : start + chunk]
            if part:
                clock.time(name, lambda name=name, part=part: run_chunk(name, part))
    for name, printer in printers.items():
        clock.time(name, printer.close)  # stopping the browser is part of the cost
    return {name: {"errors": errors[name]} for name in methods}


def command(out: Path, cycle: int, codes: list[str] | None, jobs: int, *formats: str) -> dict:
    """``qio reports`` with ``formats`` as a user runs it, timed from outside the command.

    With ``--pdf`` the command prints each report as soon as its HTML is written
    (``batch.renderings.EarlyPdfs``): this is the pipeline, measured as the user meets it.
    """
    started = time.perf_counter()
    run = subprocess.run(
        [*QIO, "reports", "--cycle", str(cycle), "--out", str(out), "--jobs", str(jobs)]
        + ["--quiet", *formats]
        + (["--org", *codes] if codes else []),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return {
        "seconds": time.perf_counter() - started,
        "pdfs": len([p for p in out.rglob("*.pdf") if p.name != "infographic.pdf"]),
        "returncode": run.returncode,
        "errors": run.stderr.strip().splitlines(),
    }


def workbooks_and_images(out: Path, cycle: int, clock: Clock) -> tuple[int, int]:
    """The other two formats of ``make demo``, timed as ``qio reports`` makes them."""
    from qio_analysis.config import chromium_path
    from qio_analysis.export import validation as vw
    from qio_analysis.export import workbooks as wb
    from qio_analysis.export.images import write_image_pack
    from qio_analysis.io.inputs import load_inputs
    from qio_analysis.version import __version__

    inputs = load_inputs()
    subs = inputs.submissions
    clock.time(
        "images",
        lambda: write_image_pack(
            out / "headlines", inputs.statistics, None, chromium=chromium_path(), demo=True
        ),
    )

    def books() -> int:
        context = wb.WorkbookContext(inputs.sources, __version__, True)
        codes = sorted(subs.loc[subs["cycle"] == cycle, "org_code"].unique())
        tables = wb.organisation_tables(subs, cycle, codes)
        for code in codes:
            wb.save_workbook(
                wb.organisation_workbook(subs, code, cycle, context, table=tables[code]),
                out / wb.organisation_workbook_path(cycle, code),
            )
        regions = sorted(subs.loc[subs["cycle"] == cycle, "region"].unique())
        for region in [*regions, None]:
            wb.save_workbook(
                vw.validator_workbook(subs, inputs.organisations, cycle, region, context),
                out / wb.validator_workbook_path(cycle, region),
            )
        return len(codes) + len(regions) + 1

    n_books = clock.time("workbooks", books)
    return n_books, len(list((out / "headlines" / "images").iterdir()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--orgs", type=int, default=0, help="organisations only, this many (0: all)"
    )
    parser.add_argument("--cycle", type=int, default=2025)
    parser.add_argument("--jobs", type=int, default=2, help="HTML batch workers")
    parser.add_argument("--chunk", type=int, default=20, help="PDFs per turn of each method")
    parser.add_argument(
        "--no-pipeline", action="store_true", help="skip the runs of the command itself"
    )
    parser.add_argument("--out", type=Path, help="results as JSON here too")
    args = parser.parse_args()

    from qio_analysis.io.inputs import load_inputs

    cores = os.cpu_count() or 1
    concurrency = max(2, cores)  # as `qio reports --pdf`: a tab per core
    codes = None
    if args.orgs:
        subs = load_inputs().submissions
        codes = sorted(subs.loc[subs["cycle"] == args.cycle, "org_code"].unique())[: args.orgs]
    work = Path(tempfile.mkdtemp(prefix="qio-bench-outputs-"))
    load_before = os.getloadavg()
    cpu = TreeCPU()
    clock = Clock(cpu)
    html_dir = work / "html"
    clock.time("html", lambda: build_html(html_dir, args.cycle, codes, args.jobs))
    jobs = print_jobs(html_dir, args.cycle)
    print(f"{len(jobs)} reports in {clock.wall['html']:.1f} s; drawing static copies (not timed)")
    static = draw_static_copies(html_dir, jobs, work / "floor")
    navigate = [replace(j, pdf=j.pdf.with_name(j.pdf.stem + ".navigate.pdf")) for j in jobs]
    methods = {
        "current": (html_dir, jobs),
        "navigate": (html_dir, navigate),
        "floor": (work / "floor", static),
    }
    outcome = interleaved(clock, methods, args.chunk, concurrency)
    pipeline = demo = None
    if not args.no_pipeline:
        pipeline = command(work / "pipeline", args.cycle, codes, args.jobs, "--pdf")
        demo = command(work / "demo", args.cycle, codes, args.jobs, "--xlsx", "--pdf", "--images")
    n_books, n_images = workbooks_and_images(work / "html", args.cycle, clock)
    cpu.stop()

    n = len(jobs)
    w, c = clock.wall, clock.cpu_s
    sequential = w["html"] + w["current"] + w["workbooks"] + w["images"]
    result = {
        "reports": n,
        "cores": cores,
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "seconds": {k: round(v, 2) for k, v in w.items()},
        "cpu_seconds": {k: round(v, 2) for k, v in c.items()},
        "pdf_ms_each": {k: round(w[k] / n * 1000) for k in methods},
        "pdf_cpu_ms_each": {k: round(c[k] / n * 1000) for k in methods},
        "ratio_current_to_floor": round(w["current"] / w["floor"], 2),
        "ratio_current_to_html": round(w["current"] / w["html"], 2),
        "ratio_navigate_to_current": round(w["navigate"] / w["current"], 2),
        "cpu_ratio_current_to_floor": round(c["current"] / c["floor"], 2),
        "pdf_errors": {k: len(v["errors"]) for k, v in outcome.items()},
        "workbooks": n_books,
        "images": n_images,
        "demo_sequential_seconds": round(sequential, 1),
    }
    if pipeline is not None and demo is not None:
        for name, run in (("pipeline", pipeline), ("demo", demo)):
            result[name] = {
                k: round(v, 2) if isinstance(v, float) else v
                for k, v in run.items()
                if k != "errors"
            } | {"errors": run["errors"]}
        result["ratio_pipeline_to_html"] = round(pipeline["seconds"] / w["html"], 2)
        result["ratio_pipeline_to_html_then_pdfs"] = round(
            pipeline["seconds"] / (w["html"] + w["current"]), 2
        )
    print(json.dumps(result, indent=1))
    print(
        f"\nHTML batch: {n} reports in {w['html']:.1f} s. "
        f"PDFs ({n}): current {w['current']:.1f} s ({result['pdf_ms_each']['current']} ms each), "
        f"floor {w['floor']:.1f} s, navigate {w['navigate']:.1f} s.\n"
        f"Ratio to floor {result['ratio_current_to_floor']}x (goal <= 1.5x; CPU "
        f"{result['cpu_ratio_current_to_floor']}x), to the HTML batch "
        f"{result['ratio_current_to_html']}x (goal <= 1.5x); the method before was "
        f"{result['ratio_navigate_to_current']}x slower.\n"
        f"Workbooks ({n_books}) {w['workbooks']:.1f} s, image pack ({n_images} files) "
        f"{w['images']:.1f} s. make demo, one format after another: {sequential:.1f} s"
        + (
            f".\nqio reports --pdf (PDFs printed while the HTML is built): "
            f"{pipeline['seconds']:.1f} s, {result['ratio_pipeline_to_html']}x the HTML batch, "
            f"{result['ratio_pipeline_to_html_then_pdfs']}x HTML then PDFs. "
            f"make demo's command (--xlsx --pdf --images): {demo['seconds']:.1f} s"
            if pipeline and demo
            else ""
        )
        + f" (goal 60 s). {cores} cores, load average {load_before[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after."
    )
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    failed = any(result["pdf_errors"].values()) or any(
        run is not None and run["returncode"] != 0 for run in (pipeline, demo)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

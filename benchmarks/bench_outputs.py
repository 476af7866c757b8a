"""Time the other formats: organisation PDFs, the image pack and all workbooks (demo data).

Targets on the 2-core machine: 213 organisation PDFs in 30 s (wall time) on top of the HTML, the
image pack in 10 s, all workbooks in 10 s. The HTML reports are built first (not timed).
A baseline measured in the same run, one browser start per PDF (what a naive loop does),
gives the ratio for the shared browser.

    .venv/bin/python benchmarks/bench_outputs.py            # full: every organisation
    .venv/bin/python benchmarks/bench_outputs.py --orgs 6   # smoke: six organisations
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    """CPU seconds used by this process and its waited-for children.

    This misses the browser: chromium is a grandchild (under Playwright's
    driver) and is never waited for by this process; see :class:`TreeCPU`.
    """
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _own_cpu() -> float:
    """CPU seconds of this process alone (its reaped children would double-count the browser)."""
    t = os.times()
    return t.user + t.system


class TreeCPU:
    """CPU seconds of every descendant process (Playwright's driver, chromium and its
    helpers), sampled with psutil while a block runs (a helper that exits between
    two samples loses at most its last 0.1 s, so this is a slight undercount).
    """

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> TreeCPU:
        import threading

        import psutil

        self._me = psutil.Process()
        self._seen: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        import psutil

        for proc in self._me.children(recursive=True):
            try:
                key = (proc.pid, proc.create_time())
                t = proc.cpu_times()
                self._seen[key] = t.user + t.system
            except psutil.Error:
                continue

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.seconds = sum(self._seen.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=0, help="organisations to print (0: all)")
    parser.add_argument("--cycle", type=int, default=2025)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=3, help="PDFs for the naive baseline")
    args = parser.parse_args()

    from qio_analysis.batch.formats import ORGANISATION_PAGES
    from qio_analysis.config import chromium_path
    from qio_analysis.export import validation as vw
    from qio_analysis.export import workbooks as wb
    from qio_analysis.export.images import write_image_pack
    from qio_analysis.export.pdf import PrintJob, print_pdfs
    from qio_analysis.io.inputs import load_inputs
    from qio_analysis.version import __version__

    inputs = load_inputs()
    subs = inputs.submissions
    codes = sorted(subs.loc[subs["cycle"] == args.cycle, "org_code"].unique())
    if args.orgs:
        codes = codes[: args.orgs]
    out = Path(tempfile.mkdtemp(prefix="qio-bench-outputs-"))
    qio = [sys.executable, "-m", "qio_analysis.cli"]
    print(f"building {len(codes)} organisation HTML reports into {out} (not timed)")
    subprocess.run(
        [
            *qio,
            "reports",
            "--cycle",
            str(args.cycle),
            "--org",
            *codes,
            "--out",
            str(out),
            "--jobs",
            str(args.jobs),
            "--quiet",
        ],
        check=True,
        cwd=ROOT,
    )
    pages = [out / f"{args.cycle}/organisations/{c}.html" for c in codes]
    jobs = [
        PrintJob(p, p.with_suffix(".pdf"), c, f"QIOF {args.cycle}", max_pages=ORGANISATION_PAGES)
        for p, c in zip(pages, codes, strict=True)
    ]
    chromium = chromium_path()

    started = time.perf_counter()
    for job in jobs[: args.baseline]:  # naive: a browser start per PDF
        print_pdfs([job], concurrency=1, root=out)
    baseline = (time.perf_counter() - started) / max(1, min(args.baseline, len(jobs)))

    cores = os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    started, cpu = time.perf_counter(), _own_cpu()
    with TreeCPU() as tree:  # the browser's CPU: most of the work
        # As `qio reports --pdf`: a tab per core, and the organisation's 3-page budget.
        errors = [e for e in print_pdfs(jobs, concurrency=max(2, cores), root=out).values() if e]
    pdf_s = time.perf_counter() - started
    pdf_cpu = _own_cpu() - cpu
    per_pdf = pdf_s / len(jobs)

    started, cpu = time.perf_counter(), _cpu()
    write_image_pack(out / "headlines", inputs.statistics, None, chromium=chromium, demo=True)
    images_s = time.perf_counter() - started
    images_cpu = _cpu() - cpu
    n_images = len(list((out / "headlines" / "images").iterdir()))

    started, cpu = time.perf_counter(), _cpu()
    context = wb.WorkbookContext(inputs.sources, __version__, True)
    all_codes = sorted(subs.loc[subs["cycle"] == args.cycle, "org_code"].unique())
    tables = wb.organisation_tables(subs, args.cycle, all_codes)
    for code in all_codes:
        wb.save_workbook(
            wb.organisation_workbook(subs, code, args.cycle, context, table=tables[code]),
            out / wb.organisation_workbook_path(args.cycle, code),
        )
    regions = sorted(subs.loc[subs["cycle"] == args.cycle, "region"].unique())
    for region in [*regions, None]:
        wb.save_workbook(
            vw.validator_workbook(subs, inputs.organisations, args.cycle, region, context),
            out / wb.validator_workbook_path(args.cycle, region),
        )
    books_s = time.perf_counter() - started
    books_cpu = _cpu() - cpu

    result = {
        "pdfs": len(jobs),
        "pdf_seconds": round(pdf_s, 2),
        "pdf_seconds_per_report": round(per_pdf, 3),
        "pdf_213_estimate_seconds": round(per_pdf * 213, 1),
        "baseline_browser_per_pdf_seconds": round(baseline, 3),
        "ratio_baseline_over_shared": round(baseline / per_pdf, 1),
        "pdf_python_cpu_seconds": round(pdf_cpu, 2),
        "pdf_browser_cpu_seconds": round(tree.seconds, 2),
        "pdf_cpu_seconds_per_report": round((pdf_cpu + tree.seconds) / len(jobs), 3),
        "cores": cores,
        "load_average_1min_before_pdfs": round(load_before, 1),
        "pdf_errors": len(errors),
        "images": n_images,
        "images_seconds": round(images_s, 2),
        "images_cpu_seconds": round(images_cpu, 2),
        "workbooks": len(all_codes) + len(regions) + 1,
        "workbooks_seconds": round(books_s, 2),
        "workbooks_cpu_seconds": round(books_cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(result, indent=1))
    print(
        f"PDFs: {len(jobs)} in {pdf_s:.1f} s wall, {per_pdf * 1000:.0f} ms each, "
        f"213 in ~{per_pdf * 213:.1f} s (target 30 s); "
        f"a browser per PDF takes {baseline:.2f} s each ({baseline / per_pdf:.1f}x). "
        f"Image pack ({n_images} files): {images_s:.1f} s (target 10 s). "
        f"Workbooks ({result['workbooks']}): {books_s:.1f} s (target 10 s). "
        f"PDF CPU: {pdf_cpu:.1f} s in Python + {tree.seconds:.1f} s in the browser "
        f"({result['pdf_cpu_seconds_per_report']:.2f} s per PDF, {cores} cores)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

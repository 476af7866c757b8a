"""Batch-report benchmark: how long all organisation reports of a national cycle take.

Times, in one run, on a synthetic cycle of 230 organisations from the demo generator:

  (a) the naive loop a user would write: for each organisation the ``papermill`` CLI
      then ``jupyter nbconvert --to html --no-input``, one after another, over a sample
      of organisations, extrapolated to all of them;
  (b) ``qio reports --engine fresh --jobs 2``;
  (c) ``qio reports`` (warm engine, ``--jobs 2``);
  (d) the floor: the same notebook code run by an in-process IPython shell (no kernel,
      no papermill), exported with the same exporter, in 2 processes.

Prints wall times for all reports, the ratios a/c, b/c and c/d, report sizes and the
peak memory of each process tree, and writes benchmarks/results/latest.json.

    .venv/bin/python benchmarks/bench_reports.py [--sample 10] [--jobs 2] [--skip-fresh]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
TARGET_ORGS = 230
CYCLE = 2025


# --------------------------------------------------------------------- memory


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in family:
                family.add(child)
                frontier.append(child)
    total = 0
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


class PeakMemory:
    """Samples the resident memory of a process tree every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_command(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak tree memory of a command, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as memory:
        _, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(
            f"command failed ({process.returncode}): {' '.join(cmd[:4])} ...\n{err[-2000:]}"
        )
    return time.perf_counter() - start, memory.peak


# --------------------------------------------------------------------- data


def make_cycle(folder: Path) -> tuple[dict[str, str], list[str]]:
    """Synthetic exports with at least TARGET_ORGS organisations in CYCLE; the first TARGET_ORGS codes."""
    from qio_analysis import load_submissions
    from qio_analysis.demo import write_demo

    n = TARGET_ORGS
    while True:
        write_demo(folder, n_organisations=n)
        subs = load_submissions(folder / "qiof")
        codes = sorted(subs.loc[subs["cycle"] == CYCLE, "org_code"].unique())
        if len(codes) >= TARGET_ORGS:
            break
        n += TARGET_ORGS - len(codes) + 2
    data = {
        "submissions": str(folder / "qiof"),
        "statistics": str(folder / "lks_statistics_returns.xlsx"),
        "organisations": str(folder / "organisations.csv"),
    }
    return data, codes[:TARGET_ORGS]


# --------------------------------------------------------------------- (a) naive loop


def naive_loop(data: dict[str, str], codes: list[str], work: Path) -> list[float]:
    """Seconds per organisation for papermill CLI + nbconvert CLI, run one after another."""
    notebook = ROOT / "notebooks" / "trust_profile.ipynb"
    work.mkdir(parents=True, exist_ok=True)
    times = []
    for code in codes:
        executed = work / f"{code}.ipynb"
        start = time.perf_counter()
        params = ["-p", "org_code", code, "-p", "cycle", str(CYCLE)]
        for key, value in data.items():
            params += ["-p", key, value]
        subprocess.run(
            [str(BIN / "papermill"), str(notebook), str(executed), *params, "--no-progress-bar"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


# --------------------------------------------------------------------- (d) floor


def _floor_worker(args: tuple[list[str], dict[str, str], str]) -> int:
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from nbformat.v4 import new_output

    from qio_analysis.io.writers import write_text_atomic
    from qio_analysis.report.html import export_html

    codes, data, out = args
    template = nbformat.read(ROOT / "notebooks" / "trust_profile.ipynb", as_version=4)
    shell = InteractiveShell.instance()
    for code in codes:
        nb = nbformat.from_dict(json.loads(json.dumps(template)))
        shell.reset(new_session=False)
        shell.user_ns.update({"org_code": code, "cycle": CYCLE, **data})
        for cell in nb.cells:
            if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                continue
            with capture_output() as captured:
                result = shell.run_cell(cell.source, store_history=False)
            result.raise_error()
            cell.outputs = [
                new_output("display_data", data=o.data, metadata=o.metadata)
                for o in captured.outputs
            ]
        write_text_atomic(Path(out) / f"{code}.html", export_html(nb))
    return len(codes)


def floor(data: dict[str, str], codes: list[str], out: Path, jobs: int) -> tuple[float, int]:
    out.mkdir(parents=True, exist_ok=True)
    chunks = [codes[i::jobs] for i in range(jobs)]
    start = time.perf_counter()
    with PeakMemory(os.getpid()) as memory, multiprocessing.get_context("spawn").Pool(jobs) as pool:
        done = sum(pool.map(_floor_worker, [(chunk, data, str(out)) for chunk in chunks]))
    assert done == len(codes)
    return time.perf_counter() - start, memory.peak


# --------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sample", type=int, default=10, help="organisations timed in the naive loop (>= 10)"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-fresh", action="store_true", help="skip (b), the slowest part")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qio-bench-"))
    data, codes = make_cycle(work / "data")
    print(
        f"{len(codes)} organisations in the synthetic {CYCLE} cycle; {os.cpu_count()} cores; work in {work}"
    )
    org_args = ["--org", *codes]
    data_args = [f"--{k}={v}" for k, v in data.items()]
    qio = [
        str(BIN / "qio"),
        "reports",
        "--cycle",
        str(CYCLE),
        "--jobs",
        str(args.jobs),
        "--force",
        "--quiet",
    ]

    per_org = naive_loop(data, codes[: args.sample], work / "naive")
    naive = statistics.median(per_org) * len(codes)
    print(
        f"(a) naive loop: median {statistics.median(per_org):.2f} s per organisation over {len(per_org)}"
        f" -> {naive:.0f} s for {len(codes)}"
    )

    fresh = fresh_mem = None
    if not args.skip_fresh:
        fresh, fresh_mem = run_command(
            [*qio, "--engine", "fresh", "--out", str(work / "fresh"), *org_args, *data_args]
        )
        print(f"(b) qio reports --engine fresh: {fresh:.1f} s")
    warm, warm_mem = run_command(
        [*qio, "--engine", "warm", "--out", str(work / "warm"), *org_args, *data_args]
    )
    print(f"(c) qio reports (warm): {warm:.1f} s")
    floor_s, floor_mem = floor(data, codes, work / "floor", args.jobs)
    print(f"(d) floor, no kernel: {floor_s:.1f} s")

    sizes = sorted(
        p.stat().st_size for p in (work / "warm" / str(CYCLE) / "organisations").glob("*.html")
    )
    assert len(sizes) == len(codes), f"expected {len(codes)} reports, found {len(sizes)}"
    result = {
        "date": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "jobs": args.jobs,
        "organisations": len(codes),
        "naive_sample": len(per_org),
        "seconds": {
            "a_naive_extrapolated": round(naive, 1),
            "b_fresh": fresh and round(fresh, 1),
            "c_warm": round(warm, 1),
            "d_floor": round(floor_s, 1),
        },
        "naive_per_org_median_s": round(statistics.median(per_org), 2),
        "ratios": {
            "a_over_c": round(naive / warm, 1),
            "b_over_c": fresh and round(fresh / warm, 1),
            "c_over_d": round(warm / floor_s, 2),
        },
        "report_bytes": {"median": int(statistics.median(sizes)), "max": sizes[-1]},
        "peak_memory_mb": {
            "b_fresh": fresh_mem and round(fresh_mem / 2**20),
            "c_warm": round(warm_mem / 2**20),
            "d_floor": round(floor_mem / 2**20),
        },
        "targets": {
            "c_at_most_60_s": warm <= 60,
            "a_over_c_at_least_20": naive / warm >= 20,
            "c_over_d_at_most_10": warm / floor_s <= 10,
            "peak_memory_under_2_gb": warm_mem < 2 * 2**30,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

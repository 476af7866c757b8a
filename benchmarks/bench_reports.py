"""Batch-report benchmark: how long all organisation reports of a national cycle take.

Times, in one run, on a synthetic cycle of 230 organisations from the demo generator:

  (a) the naive loop a user would write: for each organisation the ``papermill`` CLI
      then ``jupyter nbconvert --to html --no-input``, one after another, over a sample
      of organisations, extrapolated to all of them; with ``--naive-venv DIR`` also
      (a2) the same loop from a separate virtualenv holding the project's runtime
      dependencies *without* its ``jsonschema`` pin (created on first use);
  (b) ``qio reports --engine fresh --jobs 2``;
  (c) ``qio reports`` (warm engine, ``--jobs 2``);
  (d) the floor: the same notebook code run by an in-process IPython shell (no kernel,
      no papermill, no reset beyond forgetting the previous report's variables),
      exported with the same exporter, in 2 processes. It pays only for running the
      cells and exporting: what any batch must do at the very least.

Prints wall times, the ratios a/c, b/c and c/d, report sizes and the peak memory of
each process tree, and writes benchmarks/results/latest.json.

    .venv/bin/python benchmarks/bench_reports.py                 # the full measurement
    .venv/bin/python benchmarks/bench_reports.py --naive-venv /tmp/qio-naive
    .venv/bin/python benchmarks/bench_reports.py --quick         # 2-3 minutes: smoke run
    .venv/bin/python benchmarks/bench_reports.py --skip-naive --skip-fresh   # (c) and (d) only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
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
#: What ``qio reports`` passes to every organisation report besides the code, cycle and data.
PARAMETERS = {"errors": "raise", "min_group": 5}


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


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished, waited-for descendant so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}  # CPU seconds of each approach's process tree (noise-resistant)


def run_command(cmd: list[str], label: str = "") -> tuple[float, int]:
    """Wall time and peak tree memory of a command, which must succeed."""
    cpu = children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as memory:
        _, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(
            f"command failed ({process.returncode}): {' '.join(cmd[:4])} ...\n{err[-2000:]}"
        )
    if label:
        CPU[label] = children_cpu() - cpu
    return time.perf_counter() - start, memory.peak


# --------------------------------------------------------------------- data


def make_cycle(folder: Path, target: int = TARGET_ORGS) -> tuple[dict[str, str], list[str]]:
    """Synthetic exports with at least ``target`` organisations in CYCLE; the first ``target`` codes."""
    from qio_analysis import load_submissions
    from qio_analysis.demo import write_demo

    n = target
    while True:
        write_demo(folder, n_organisations=n)
        subs = load_submissions(folder / "qiof")
        codes = sorted(subs.loc[subs["cycle"] == CYCLE, "org_code"].unique())
        if len(codes) >= target:
            break
        n += target - len(codes) + 2
    data = {
        "submissions": str(folder / "qiof"),
        "statistics": str(folder / "lks_statistics_returns.xlsx"),
        "organisations": str(folder / "organisations.csv"),
    }
    return data, codes[:target]


# --------------------------------------------------------------------- (a) naive loop


def naive_loop(
    data: dict[str, str], codes: list[str], work: Path, bin_dir: Path = BIN
) -> list[float]:
    """Seconds per organisation for papermill CLI + nbconvert CLI, run one after another."""
    notebook = ROOT / "notebooks" / "trust_profile.ipynb"
    work.mkdir(parents=True, exist_ok=True)
    times = []
    for code in codes:
        executed = work / f"{code}.ipynb"
        start = time.perf_counter()
        params = ["-p", "org_code", code, "-p", "cycle", str(CYCLE)]
        for key, value in {**PARAMETERS, **data}.items():
            params += ["-p", key, str(value)]
        subprocess.run(
            [
                str(bin_dir / "papermill"),
                str(notebook),
                str(executed),
                *params,
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def _runtime_requirements_without_pin() -> list[str]:
    """The project's runtime dependencies, minus the jsonschema pin, plus the two CLIs."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return [d for d in deps if not d.startswith("jsonschema")] + ["papermill", "nbconvert"]


def make_naive_venv(folder: Path) -> Path:
    """A virtualenv as a user would make it: the project's dependencies, no jsonschema pin."""
    bin_dir = folder / "bin"
    if not (bin_dir / "papermill").exists():
        print(f"creating {folder} (pip install, a few minutes the first time)")
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, *_runtime_requirements_without_pin()], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    version = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import importlib.metadata as m; print(m.version('jsonschema'))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"naive virtualenv {folder}: jsonschema {version}")
    return bin_dir


# --------------------------------------------------------------------- (d) floor


def _floor_worker(args: tuple[list[str], dict[str, str], str]) -> int:
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from qio_analysis.batch.kernel_reset import clear_namespace
    from qio_analysis.io.writers import write_text_atomic
    from qio_analysis.report.html import export_html

    codes, data, out = args
    template = nbformat.read(ROOT / "notebooks" / "trust_profile.ipynb", as_version=4)
    shell = InteractiveShell.instance()
    for code in codes:
        nb = nbformat.from_dict(json.loads(json.dumps(template)))
        # Forget the previous report's variables, nothing more: no shell.reset(), whose
        # forced gc.collect() (about 95 ms here) the warm engine does not pay either.
        clear_namespace(shell)
        shell.user_ns.update({"org_code": code, "cycle": CYCLE, **PARAMETERS, **data})
        for cell in nb.cells:
            if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                continue
            with capture_output() as captured:
                result = shell.run_cell(cell.source, store_history=False)
            result.raise_error()
            # Plain nodes: no per-output schema validation (the batch skips it too).
            cell.outputs = [
                nbformat.from_dict(
                    {"output_type": "display_data", "metadata": o.metadata, "data": o.data}
                )
                for o in captured.outputs
            ]
        write_text_atomic(Path(out) / f"{code}.html", export_html(nb))
    return len(codes)


def floor(data: dict[str, str], codes: list[str], out: Path, jobs: int) -> tuple[float, int]:
    out.mkdir(parents=True, exist_ok=True)
    chunks = [codes[i::jobs] for i in range(jobs)]
    cpu = children_cpu()
    start = time.perf_counter()
    with PeakMemory(os.getpid()) as memory, multiprocessing.get_context("spawn").Pool(jobs) as pool:
        done = sum(pool.map(_floor_worker, [(chunk, data, str(out)) for chunk in chunks]))
        pool.close()
        pool.join()
    CPU["d_floor"] = children_cpu() - cpu
    assert done == len(codes)
    return time.perf_counter() - start, memory.peak


# --------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sample", type=int, default=10, help="organisations timed in the naive loop (default 10)"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--orgs", type=int, default=TARGET_ORGS, help="organisations (default 230)")
    parser.add_argument("--skip-fresh", action="store_true", help="skip (b), the slowest part")
    parser.add_argument("--skip-naive", action="store_true", help="skip (a)")
    parser.add_argument(
        "--naive-venv",
        type=Path,
        help="also time (a) from this virtualenv without the jsonschema pin (created if missing)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 60 organisations, naive sample 3, no fresh engine",
    )
    args = parser.parse_args()
    if args.quick:
        args.orgs, args.sample, args.skip_fresh = min(args.orgs, 60), min(args.sample, 3), True

    work = Path(tempfile.mkdtemp(prefix="qio-bench-"))
    data, codes = make_cycle(work / "data", args.orgs)
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

    naive = naive_per_org = None
    naive_sample = 0
    if not args.skip_naive:
        per_org = naive_loop(data, codes[: args.sample], work / "naive")
        naive_per_org, naive_sample = statistics.median(per_org), len(per_org)
        naive = naive_per_org * len(codes)
        print(
            f"(a) naive loop: median {naive_per_org:.2f} s per organisation over {len(per_org)}"
            f" -> {naive:.0f} s for {len(codes)}"
        )
    naive2 = naive2_per_org = None
    if args.naive_venv:
        per_org = naive_loop(
            data, codes[: args.sample], work / "naive2", make_naive_venv(args.naive_venv)
        )
        naive2_per_org = statistics.median(per_org)
        naive2 = naive2_per_org * len(codes)
        print(
            f"(a2) naive loop, virtualenv without the jsonschema pin: median {naive2_per_org:.2f} s"
            f" per organisation -> {naive2:.0f} s for {len(codes)}"
        )

    fresh = fresh_mem = None
    if not args.skip_fresh:
        fresh, fresh_mem = run_command(
            [*qio, "--engine", "fresh", "--out", str(work / "fresh"), *org_args, *data_args],
            "b_fresh",
        )
        print(f"(b) qio reports --engine fresh: {fresh:.1f} s")
    warm, warm_mem = run_command(
        [*qio, "--engine", "warm", "--out", str(work / "warm"), *org_args, *data_args],
        "c_warm",
    )
    print(f"(c) qio reports (warm): {warm:.1f} s")
    floor_s, floor_mem = floor(data, codes, work / "floor", args.jobs)
    print(f"(d) floor, no kernel: {floor_s:.1f} s")

    sizes = sorted(
        p.stat().st_size for p in (work / "warm" / str(CYCLE) / "organisations").glob("*.html")
    )
    assert len(sizes) == len(codes), f"expected {len(codes)} reports, found {len(sizes)}"

    def ratio(top: float | None, bottom: float, digits: int = 1) -> float | None:
        return None if top is None else round(top / bottom, digits)

    full = len(codes) == TARGET_ORGS
    result = {
        "date": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "jobs": args.jobs,
        "organisations": len(codes),
        "naive_sample": naive_sample,
        "seconds": {
            "a_naive_extrapolated": naive and round(naive, 1),
            "a2_naive_unpinned_extrapolated": naive2 and round(naive2, 1),
            "b_fresh": fresh and round(fresh, 1),
            "c_warm": round(warm, 1),
            "d_floor": round(floor_s, 1),
        },
        "naive_per_org_median_s": naive_per_org and round(naive_per_org, 2),
        "naive_unpinned_per_org_median_s": naive2_per_org and round(naive2_per_org, 2),
        "ratios": {
            "a_over_c": ratio(naive, warm),
            "a2_over_c": ratio(naive2, warm),
            "b_over_c": ratio(fresh, warm),
            "c_over_d": ratio(warm, floor_s, 2),
        },
        # CPU seconds of each process tree: less sensitive than wall time to other load.
        "cpu_seconds": {k: round(v, 1) for k, v in CPU.items()},
        "cpu_ratio_c_over_d": ratio(CPU.get("c_warm"), CPU["d_floor"], 2),
        "report_bytes": {"median": int(statistics.median(sizes)), "max": sizes[-1]},
        "peak_memory_mb": {
            "b_fresh": fresh_mem and round(fresh_mem / 2**20),
            "c_warm": round(warm_mem / 2**20),
            "d_floor": round(floor_mem / 2**20),
        },
        # The batch's targets, judged only on the full 230-organisation run.
        "targets": {
            "c_at_most_15_s": warm <= 15 if full else None,
            "c_over_d_at_most_1_3": warm / floor_s <= 1.3,
            "a_over_c_at_least_50": None if naive is None or not full else naive / warm >= 50,
            "peak_memory_under_2_gb": warm_mem < 2 * 2**30,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

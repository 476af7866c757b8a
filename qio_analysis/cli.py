"""The ``qio`` command: orchestration only, no analysis.

qio reports --cycle 2025 [--org CODE ...] [--region NAME ...] [--jobs N]
            [--engine warm|fresh] [--force] [--out DIR] [--self-contained]
qio demo-data [--out DIR] [--organisations N] [--seed N]
qio explore [--port N] [--ip 127.0.0.1]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from qio_analysis import config
from qio_analysis.errors import QioError


def _demo_data(args: argparse.Namespace) -> int:
    from qio_analysis.demo import write_demo

    for path in write_demo(args.out, n_organisations=args.organisations, seed=args.seed):
        print(f"wrote {path}")
    return 0


def _reports(args: argparse.Namespace) -> int:
    from qio_analysis.batch.runner import RunOptions, run_reports

    options = RunOptions(
        cycle=args.cycle,
        orgs=args.org or (),
        regions=args.region or (),
        jobs=args.jobs,
        force=args.force,
        out_dir=Path(args.out),
        engine=args.engine,
        self_contained=args.self_contained,
        cell_timeout=args.timeout,
        submissions=args.submissions,
        statistics=args.statistics,
        organisations=args.organisations,
        progress=not args.quiet,
    )
    summary = run_reports(options)
    print(
        f"{summary.built} built, {summary.skipped} up to date, {len(summary.failed)} failed "
        f"in {summary.seconds:.1f} s ({args.engine} engine, {args.jobs} job{'s' if args.jobs != 1 else ''})."
    )
    for failure in summary.failed:
        print(f"  FAILED {failure.item}: {failure.error}", file=sys.stderr)
        if failure.debug_notebook:
            print(
                f"         executed notebook: {Path(args.out).resolve() / failure.debug_notebook}",
                file=sys.stderr,
            )
    print(f"Open the index: {summary.index}  ({summary.index.as_uri()})")
    return 0 if summary.ok else 1


def _explore(args: argparse.Namespace) -> int:
    from qio_analysis.explorer_app import serve

    return serve(port=args.port, ip=args.ip, open_browser=args.open)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help)."""
    parser = argparse.ArgumentParser(prog="qio", description="QIOF and LKS statistics analysis.")
    sub = parser.add_subparsers(dest="command", required=True)

    reports = sub.add_parser("reports", help="build every report for a cycle (the main job)")
    reports.add_argument("--cycle", type=int, required=True, help="QIOF cycle, e.g. 2025")
    reports.add_argument("--org", nargs="+", metavar="CODE", help="only these organisations")
    reports.add_argument(
        "--region", nargs="+", metavar="NAME", help="only these regions (name or code)"
    )
    reports.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)"
    )
    reports.add_argument(
        "--engine",
        choices=["warm", "fresh"],
        default="warm",
        help="warm: reuse one kernel per worker (default); fresh: a new kernel per notebook",
    )
    reports.add_argument("--force", action="store_true", help="rebuild reports that are up to date")
    reports.add_argument(
        "--out", default=str(config.OUTPUTS_DIR), help="output folder (default: outputs/)"
    )
    reports.add_argument(
        "--self-contained",
        action="store_true",
        help="inline plotly.js in every report (single files to email, ~4.8 MB each)",
    )
    reports.add_argument(
        "--timeout", type=int, default=300, help="seconds allowed per notebook cell"
    )
    reports.add_argument("--submissions", help="QIOF export file or folder (default: demo data)")
    reports.add_argument("--statistics", help="LKS statistics returns file (default: demo data)")
    reports.add_argument("--organisations", help="organisations table CSV (default: demo data)")
    reports.add_argument("--quiet", action="store_true", help="no progress bar")
    reports.set_defaults(func=_reports)

    demo = sub.add_parser("demo-data", help="regenerate the synthetic demo exports")
    demo.add_argument(
        "--out", default=str(config.DEMO_DIR), help="output folder (default: data/demo)"
    )
    demo.add_argument(
        "--organisations", type=int, default=220, help="number of fictional organisations"
    )
    demo.add_argument("--seed", type=int, default=20210401, help="random seed")
    demo.set_defaults(func=_demo_data)

    explore = sub.add_parser("explore", help="serve the interactive explorer with Voila")
    explore.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    explore.add_argument(
        "--ip", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)"
    )
    explore.add_argument("--open", action="store_true", help="open a browser")
    explore.set_defaults(func=_explore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qio`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except QioError as exc:
        print(f"qio: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

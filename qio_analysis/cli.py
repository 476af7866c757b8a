"""The ``qio`` command: orchestration only, no analysis.

The console entry point is the only importer of this module. Each command
imports what it runs when it runs, so ``qio --help`` stays fast.

qio reports --cycle 2025 [--org CODE ...] [--region NAME ...] [--jobs N]
            [--engine warm|fresh] [--force] [--out DIR] [--self-contained]
            [--timeout SECONDS] [--submissions PATH ...] [--statistics PATH]
            [--organisations PATH] [--run-date YYYY-MM-DD] [--errors raise|report]
            [--min-group N] [--xlsx] [--pdf] [--images] [--quiet]
qio validation-forms --cycle 2025 --out DIR [--region NAME ...] [--org CODE ...]
                     [--layout organisation|region] [--submissions PATH ...] [--replace]
                     [--validator NAME] [--due YYYY-MM-DD]
qio demo [--cycle 2025] [--out DIR] [--jobs N]
qio demo-data [--out DIR] [--organisations N] [--seed N]
qio explore [--port N] [--ip ADDRESS] [--open] [--submissions PATH] [--statistics PATH]
            [--organisations PATH] [--cull-idle SECONDS] [--pool-size N]
            [--connect-wait SECONDS] [--close-grace SECONDS]
qio export NOTEBOOK.ipynb [--out FILE.html] [--shared-plotly]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qio_analysis import config
from qio_analysis.errors import QioConfigError, QioError

if TYPE_CHECKING:
    from qio_analysis.batch.run import RunSummary

    #: What ``add_subparsers`` returns: each command is added to it.
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def _demo_data(args: argparse.Namespace) -> int:
    from qio_analysis.demo import write_demo

    out = Path(args.out)
    for path in write_demo(out, n_organisations=args.organisations, seed=args.seed):
        print(f"wrote {path}")
    if out.resolve() != config.DEMO_DIR.resolve():
        print(
            "Reports from these files (marked synthetic): qio reports "
            f"--submissions {out / 'qiof'} --statistics {out / 'lks_statistics_returns.xlsx'} "
            f"--organisations {out / 'organisations.csv'}"
        )
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Every report for the demo cycle, as ``make demo`` makes them, with whatever browser there is."""
    try:
        config.chromium_path()
    except QioConfigError as exc:
        missing: str | None = str(exc)
    else:
        missing = None
    argv = ["reports", "--cycle", str(args.cycle), "--xlsx", "--out", args.out]
    argv += ["--jobs", str(args.jobs)] if args.jobs else []
    argv += ["--pdf", "--images"] if missing is None else []
    code = main(argv)
    if missing is not None and code == 0:
        print(
            "qio demo skipped the PDFs and the headline image pack, which need a browser. "
            + missing
        )
    return code


def _reports(args: argparse.Namespace) -> int:
    from qio_analysis.batch.plan import RunOptions
    from qio_analysis.batch.run import run_reports
    from qio_analysis.errors import QioDataError

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
        errors=args.errors,
        min_group=args.min_group,
        xlsx=args.xlsx,
        pdf=args.pdf,
        images=args.images,
        progress=not args.quiet,
        **({"run_date": args.run_date} if args.run_date else {}),
    )
    try:
        with _sigterm_as_interrupt():
            summary = run_reports(options)
    except QioDataError as exc:
        print(f"qio: {exc}", file=sys.stderr)
        if args.errors != "report":
            print(
                "qio: to build the reports from the valid rows only, run again with "
                "--errors report (the index then links a data checks page listing every row "
                "left out).",
                file=sys.stderr,
            )
        return 2
    except KeyboardInterrupt:
        print(
            "qio: interrupted before any report was built; the output folder was not changed.",
            file=sys.stderr,
        )
        return 130
    jobs = f"{args.jobs} job{'s' if args.jobs != 1 else ''}"
    # Which browser printed the PDFs and drew the images (found by config.browser_search).
    browser = f", browser {config.chromium_path()}" if args.pdf or args.images else ""
    print(
        f"{summary.built} built, {summary.skipped} up to date, {len(summary.failed)} failed "
        f"in {summary.seconds:.1f} s ({args.engine} engine, {jobs}{browser})."
    )
    for line in _folder_changes(summary):
        print(line)
    for failure in summary.failed:
        print(f"  FAILED {failure.item}: {failure.error}", file=sys.stderr)
        if failure.debug_notebook:
            print(
                f"         executed notebook: {options.out_dir / failure.debug_notebook}",
                file=sys.stderr,
            )
    for error in summary.format_errors:
        print(f"  FAILED {error}", file=sys.stderr)
    print(f"Open the index: {summary.index}  ({summary.index.as_uri()})")
    if summary.interrupted:
        print(
            f"qio: interrupted while {summary.stopped_while}; the manifest and index list what "
            "finished, marked interrupted. Run the same command again to finish.",
            file=sys.stderr,
        )
        return 130
    if summary.changed_inputs:
        names = ", ".join(str(p) for p in summary.changed_inputs)
        print(
            f"qio: {names} changed while the reports were being built, so the run stopped and "
            "no report is listed as current; run qio reports again once the file is final.",
            file=sys.stderr,
        )
    return 0 if summary.ok else 1


def _folder_changes(summary: RunSummary) -> list[str]:
    """Lines about what else the run did to the folder (stale, withdrawn, removed, restored)."""
    from qio_analysis.batch.index import FORMATS

    lines = []
    if summary.stale:
        lines.append(
            f"{summary.stale} report{'s' if summary.stale != 1 else ''} left out of this run "
            "no longer match their inputs and are marked stale (rerun without --org/--region)."
        )
    if summary.withdrawn:
        lines.append(
            "Withdrawn (no longer in the data; files removed): "
            + ", ".join(summary.withdrawn)
            + "."
        )
    if summary.renderings_removed:
        kinds = []
        for name, n in sorted(summary.renderings_removed.items()):
            label = FORMATS.get(name, (name,))[0]
            label = label if label.isupper() else label.lower()
            kinds.append(f"{n} {label}{'s' if n != 1 else ''}")
        their = "its report" if sum(summary.renderings_removed.values()) == 1 else "their reports"
        listed = " and ".join([", ".join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds)
        lines.append(f"Removed {listed} that no longer matched {their} (see the index).")
    lines += [f"Restored {what}." for what in summary.restored]
    return lines


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops a run the way Ctrl+C does (clean stop, outputs marked interrupted)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _day(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` option value as a date (argparse names the option when it is not)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


def _validation_forms(args: argparse.Namespace) -> int:
    from qio_analysis import __version__
    from qio_analysis.batch.guards import FolderLock
    from qio_analysis.batch.outputs import check_writable, describe_os_error
    from qio_analysis.errors import OutputFolderError
    from qio_analysis.export.forms import Assignment, validation_forms, write_validation_forms
    from qio_analysis.export.workbooks import WorkbookContext
    from qio_analysis.io import read_submissions

    sources = [Path(p) for p in args.submissions or [config.DEMO_SUBMISSIONS]]
    subs = read_submissions(sources, cycle=args.cycle).data
    context = WorkbookContext(
        sources=[p.name for p in sources],
        version=__version__,
        demo=all(config.is_demo_path(p) for p in sources),
    )
    forms = validation_forms(
        subs,
        args.cycle,
        context,
        regions=args.region or (),
        org_codes=args.org or (),
        layout=args.layout,
        assignment=Assignment(args.validator, args.due) if args.validator or args.due else None,
    )
    out = Path(args.out)
    check_writable(out)
    # The same lock as qio reports: one run writes a folder at a time.
    with FolderLock(out, "qio validation-forms"):
        try:
            paths = write_validation_forms(forms, out, replace=args.replace)
        except OSError as exc:
            raise OutputFolderError(
                describe_os_error(exc, out) + " No form was left from this run."
            ) from None
    print(f"wrote {len(paths)} validation form{'s' if len(paths) != 1 else ''} to {out}")
    return 0


def _explore(args: argparse.Namespace) -> int:
    from qio_analysis.explorer.server import serve

    return serve(
        port=args.port,
        ip=args.ip,
        open_browser=args.open,
        submissions=args.submissions,
        statistics=args.statistics,
        organisations=args.organisations,
        cull_idle=args.cull_idle,
        pool_size=args.pool_size,
        connect_wait=args.connect_wait,
        close_grace=args.close_grace,
    )


def _export(args: argparse.Namespace) -> int:
    from qio_analysis.export.notebook import chart_count, export_notebook

    path = export_notebook(args.notebook, args.out, self_contained=not args.shared_plotly)
    import nbformat

    charts = chart_count(nbformat.read(args.notebook, as_version=4))
    print(f"wrote {path} ({charts} chart{'s' if charts != 1 else ''})")
    return 0


#: Examples shown under each command's --help, run as written from the repository folder.
EXAMPLES = {
    "qio": """examples:
  qio demo                                      every demo report, workbook, PDF and image
  qio reports --cycle 2025                      every report for 2025 from the demo data
  qio reports --cycle 2025 --help               the options of one command
  qio explore                                   the explorer at http://127.0.0.1:8866""",
    "reports": """examples:
  qio reports --cycle 2025
      every HTML report for 2025 from the synthetic demo data, into outputs/
  qio reports --cycle 2025 --xlsx --pdf --images
      the same with workbooks, A4 PDFs and the headline image pack (PDFs and images need chromium)
  qio reports --cycle 2025 --region "North West" --org ZA07
      North West's reports (its organisations' too) and one more organisation's (demo codes)
  qio reports --cycle 2025 --submissions exports/ returned-forms/ \\
      --statistics lks_statistics.xlsx --organisations organisations.csv --out reports/
      your own exports, with validators' returned forms read over them""",
    "demo": """examples:
  qio demo                                      every demo report into outputs/
  qio demo --out C:\\Users\\me\\qio-demo           somewhere else""",
    "validation-forms": """examples:
  qio validation-forms --cycle 2025 --region "North West" --out forms/
      one form per organisation in North West, from the demo data
  qio validation-forms --cycle 2025 --layout region --submissions exports/ --out forms/
      one form per region from your exports; read them back with
      qio reports --cycle 2025 --submissions exports/ forms/""",
    "demo-data": """examples:
  qio demo-data                                 rewrite data/demo (the same files every time)
  qio demo-data --organisations 40 --out /tmp/demo   a smaller synthetic set elsewhere""",
    "explore": """examples:
  qio explore                                   the demo data at http://127.0.0.1:8866
  qio explore --submissions exports/ --statistics lks_statistics.xlsx --open""",
    "export": """examples:
  qio export my_analysis.ipynb --out my_analysis.html   a notebook you ran and saved""",
}


def _command(sub: Commands, name: str, help: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with its examples."""
    return sub.add_parser(
        name,
        help=help,
        description=help[:1].upper() + help[1:] + ".",
        epilog=EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


#: Where reports go unless --out says otherwise, as --help says it.
OUTPUTS_HELP = (
    "outputs/ in the clone" if config.IN_CLONE else "outputs/ in the folder the command is run from"
)


def _add_cycle(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--cycle", type=int, required=True, help="QIOF cycle, such as 2025 (required)"
    )


def _add_orgs(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--org", nargs="+", metavar="CODE", help="only these organisations (default: all)"
    )


def _add_regions(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--region",
        nargs="+",
        metavar="NAME",
        help="only these regions, by name or code (default: all)",
    )


def _add_reference_files(command: argparse.ArgumentParser) -> None:
    """--statistics and --organisations, read from the demo data unless given."""
    command.add_argument("--statistics", help="LKS statistics returns file (default: demo data)")
    command.add_argument("--organisations", help="organisations table CSV (default: demo data)")


def _add_run_options(reports: argparse.ArgumentParser) -> None:
    """How `qio reports` runs: workers, kernels, what to rebuild, where to and how long."""
    reports.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)"
    )
    reports.add_argument(
        "--engine",
        choices=["warm", "fresh"],
        default="warm",
        help="warm: reuse one kernel per worker (default); fresh: a new kernel per notebook",
    )
    reports.add_argument(
        "--force",
        action="store_true",
        help="rebuild reports that are up to date (default: only what changed)",
    )
    reports.add_argument(
        "--out", default=str(config.OUTPUTS_DIR), help="output folder (default: outputs/)"
    )
    reports.add_argument(
        "--self-contained",
        action="store_true",
        help="inline plotly.js in every report (single files to email, ~4.8 MB each)",
    )
    reports.add_argument(
        "--timeout", type=int, default=300, help="seconds allowed per notebook cell (default 300)"
    )


def _add_report_inputs(reports: argparse.ArgumentParser) -> None:
    """What `qio reports` reads, what it does with a bad row, and the smallest group it shows."""
    reports.add_argument(
        "--submissions",
        nargs="+",
        metavar="PATH",
        help="QIOF export files or folders, and any folder of returned validation forms "
        "(default: demo data)",
    )
    _add_reference_files(reports)
    reports.add_argument(
        "--errors",
        choices=["raise", "report"],
        default="raise",
        help="raise: stop on any invalid input row (default); report: leave invalid rows out, "
        "list them in data_checks.html and mark the index",
    )
    reports.add_argument(
        "--min-group",
        type=int,
        default=5,
        metavar="N",
        help="smallest group whose anonymous figures are shown: the regional and national "
        "context beside an organisation (organisations), and the published headlines and "
        "image pack (services) (default 5)",
    )


def _add_report_formats(reports: argparse.ArgumentParser) -> None:
    """The formats `qio reports` adds to HTML, its progress and its run date."""
    reports.add_argument(
        "--xlsx", action="store_true", help="also write Excel workbooks (default: HTML only)"
    )
    reports.add_argument(
        "--pdf", action="store_true", help="also print each report to A4 PDF (needs chromium)"
    )
    reports.add_argument(
        "--images",
        action="store_true",
        help="also write the headline image pack (PNG, SVG, figures and alt text; needs chromium)",
    )
    reports.add_argument(
        "--quiet",
        action="store_true",
        help="no progress (default: bars on a terminal, one line per stage in a log or with CI set)",
    )
    reports.add_argument(
        "--run-date",
        metavar="YYYY-MM-DD",
        help="count days waiting for validation to this date (default: today)",
    )


def _add_reports_command(sub: Commands) -> None:
    reports = _command(sub, "reports", "build every report for a cycle (the main job)")
    _add_cycle(reports)
    _add_orgs(reports)
    _add_regions(reports)
    _add_run_options(reports)
    _add_report_inputs(reports)
    _add_report_formats(reports)
    reports.set_defaults(func=_reports)


def _add_forms_command(sub: Commands) -> None:
    forms = _command(
        sub,
        "validation-forms",
        "write validation forms for validators to fill in (read back as submissions)",
    )
    _add_cycle(forms)
    _add_regions(forms)
    _add_orgs(forms)
    forms.add_argument(
        "--layout",
        choices=["organisation", "region"],
        default="organisation",
        help="organisation: one workbook per organisation, like the national template "
        "(default); region: one workbook per region, a row per organisation",
    )
    forms.add_argument("--out", required=True, help="folder to write the forms to")
    forms.add_argument(
        "--submissions",
        nargs="+",
        metavar="PATH",
        help="QIOF export files or folders (default: demo data)",
    )
    forms.add_argument(
        "--validator",
        metavar="NAME",
        help="the validator assigned, written on every form (default: none)",
    )
    forms.add_argument(
        "--due",
        type=_day,
        metavar="DATE",
        help="the date the validation is due, YYYY-MM-DD, written on every form (default: none)",
    )
    forms.add_argument(
        "--replace",
        action="store_true",
        help="write over forms already in the folder (they may hold a validator's work)",
    )
    forms.set_defaults(func=_validation_forms)


def _add_demo_data_command(sub: Commands) -> None:
    demo = _command(sub, "demo-data", "regenerate the synthetic demo exports")
    demo.add_argument(
        "--out",
        default=str(config.DEMO_DATA_OUT),
        help="output folder (default: data/demo in the clone; from an installed package, "
        "data/demo in the folder the command is run from)",
    )
    demo.add_argument(
        "--organisations",
        type=int,
        default=220,
        help="number of fictional organisations (default 220)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=20210401,
        help="random seed (default 20210401, the committed data)",
    )
    demo.set_defaults(func=_demo_data)


def _add_demo_command(sub: Commands) -> None:
    demo = _command(
        sub,
        "demo",
        "build every report for the synthetic demo data, as `make demo` does "
        "(HTML, workbooks, and PDFs and images when a browser is found)",
    )
    demo.add_argument("--cycle", type=int, default=2025, help="QIOF cycle (default 2025)")
    demo.add_argument(
        "--out", default=str(config.OUTPUTS_DIR), help=f"output folder (default: {OUTPUTS_HELP})"
    )
    demo.add_argument("--jobs", type=int, help="worker processes (default: cores)")
    demo.set_defaults(func=_demo)


def _add_explore_kernel_options(explore: argparse.ArgumentParser) -> None:
    """How long the explorer keeps a visitor's kernel, and how many it keeps ready."""
    explore.add_argument(
        "--cull-idle",
        type=int,
        default=900,
        metavar="SECONDS",
        help="stop a visitor's kernel after this long without activity (default 900)",
    )
    explore.add_argument(
        "--pool-size",
        type=int,
        default=2,
        metavar="N",
        help="kernels kept preheated for instant visits (default 2; 0 turns preheating off)",
    )
    explore.add_argument(
        "--connect-wait",
        type=float,
        default=330,
        metavar="SECONDS",
        help="how long a page has to connect to the kernel it was given (default 330)",
    )
    explore.add_argument(
        "--close-grace",
        type=float,
        default=20,
        metavar="SECONDS",
        help="how long a closed page's kernel waits for it to come back (default 20)",
    )


def _add_explore_command(sub: Commands) -> None:
    explore = _command(sub, "explore", "serve the interactive explorer with Voila")
    explore.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    explore.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1, this machine only); any other address "
        "requires the printed token and exposes the loaded data to the network",
    )
    explore.add_argument(
        "--open", action="store_true", help="open a browser (default: print the address)"
    )
    explore.add_argument("--submissions", help="QIOF export file or folder (default: demo data)")
    _add_reference_files(explore)
    _add_explore_kernel_options(explore)
    explore.set_defaults(func=_explore)


def _add_export_command(sub: Commands) -> None:
    export = _command(sub, "export", "export an executed notebook to offline HTML with its charts")
    export.add_argument("notebook", help="an executed, saved .ipynb")
    export.add_argument("--out", help="HTML file to write (default: beside the notebook)")
    export.add_argument(
        "--shared-plotly",
        action="store_true",
        help="write plotly.js once beside the HTML instead of inlining it (~4.8 MB)",
    )
    export.set_defaults(func=_export)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help)."""
    parser = argparse.ArgumentParser(
        prog="qio",
        description="QIOF and LKS statistics analysis. Reports go to "
        f"{OUTPUTS_HELP} unless --out says otherwise.",
        epilog=EXAMPLES["qio"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _add_reports_command,
        _add_forms_command,
        _add_demo_data_command,
        _add_demo_command,
        _add_explore_command,
        _add_export_command,
    ):
        add(sub)
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

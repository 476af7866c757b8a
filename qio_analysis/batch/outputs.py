"""Step 4 of ``qio reports``: what the output folder says about the run.

``manifest.json`` / ``manifest.csv``: one row per report with its parameters,
status, duration, error and input hash (read back by the next run to decide
what is up to date). ``index.html``: every report, linked, with its status.
``data_checks.html``: what the readers accepted, rejected or corrected.

The index is written when a run starts ("in progress": reports about to be
rebuilt are marked stale), and again when it ends, normally or interrupted,
so the folder never presents old and new reports as one run. All files are
written atomically; a folder that cannot be written gives one sentence
naming it (:class:`OutputFolderError`), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from qio_analysis.errors import OutputFolderError
from qio_analysis.io.inputs import DataChecks
from qio_analysis.io.writers import write_csv_atomic, write_text_atomic
from qio_analysis.report.data_checks import data_checks_html
from qio_analysis.text import escape_html

if TYPE_CHECKING:  # the plan imports this module
    from qio_analysis.batch.plan import ReportItem

#: Shared files (plotly.js) under the output folder.
ASSETS = "assets"
DATA_CHECKS = "data_checks.html"


@dataclass
class ItemResult:
    """What happened to one report item.

    ``status`` is one of ``built``, ``skipped`` (up to date), ``failed``,
    ``stale`` (an older report exists, but its inputs changed and it has not
    been rebuilt yet) or ``not built``. ``extra`` holds ``suppressed`` (groups
    withheld by disclosure control) and the paths of other formats
    (``pdf``, ``xlsx``).
    """

    item: str
    kind: str
    label: str
    notebook: str
    parameters: dict[str, Any]
    status: str
    duration_s: float = 0.0
    error: str = ""
    input_hash: str = ""
    output: str = ""
    debug_notebook: str = ""
    engine: str = ""
    finished: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, item: ReportItem, status: str, input_hash: str, **more: Any) -> ItemResult:
        """A result for ``item``, which names it, its notebook, parameters and output."""
        named = (item.id, item.kind, item.label, item.notebook, item.parameters)
        return cls(*named, status, input_hash=input_hash, output=item.html_path, **more)


def describe_os_error(exc: OSError, folder: Path) -> str:
    """One plain sentence for a failed write, naming the folder."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "it is on a read-only file system",
        errno.EACCES: "you do not have permission to write there",
        errno.EPERM: "you do not have permission to write there",
        errno.ENOTDIR: "part of the path is a file, not a folder",
    }
    why = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return f"Cannot write to the output folder {folder}: {why}."


def check_writable(out_dir: Path) -> None:
    """Create ``out_dir`` and write a probe file, or raise :class:`OutputFolderError`."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out_dir / ".qio-write-check", "ok\n").unlink()
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None


def write_asset(out_dir: Path, name: str, text: str) -> None:
    """A shared file under ``assets/`` (written once, kept between runs)."""
    target = out_dir / ASSETS / name
    if target.exists():
        return
    try:
        write_text_atomic(target, text)
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None


# --------------------------------------------------------------------- manifest


def read_manifest(path: Path) -> dict[str, ItemResult]:
    """Previous results by item id (empty when there is no manifest yet)."""
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))["items"]
    return {row["item"]: ItemResult(**row) for row in rows}


def write_manifest(
    out_dir: Path, results: dict[str, ItemResult], *, run: dict[str, Any] | None = None
) -> tuple[Path, Path]:
    """Write manifest.json (with the run's state) and manifest.csv (sorted by item)."""
    rows = [asdict(results[key]) for key in sorted(results)]
    try:
        json_path = write_text_atomic(
            out_dir / "manifest.json",
            json.dumps({"run": run or {}, "items": rows}, indent=1, default=str) + "\n",
        )
        frame = pd.DataFrame(rows)
        if not frame.empty:
            frame["parameters"] = frame["parameters"].map(
                lambda p: json.dumps(p, sort_keys=True, default=str)
            )
            frame["suppressed"] = frame["extra"].map(lambda e: len(e.get("suppressed", [])))
            frame = frame.drop(columns=["extra"])
        csv_path = write_csv_atomic(out_dir / "manifest.csv", frame)
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None
    return json_path, csv_path


# --------------------------------------------------------------------- index

_GROUPS = {  # in page order: the few summary reports first, the long organisation list last
    "national": "National",
    "region": "Regional summaries",
    "region-improvement": "Who improved, by region",
    "region-validation": "Validation reviews by region",
    "headlines": "LKS statistics headlines",
    "organisation": "Organisations",
}
_STATUS = {
    "built": "Built",
    "skipped": "Up to date",
    "failed": "Failed",
    "stale": "Stale (older data)",
    "not built": "Not built yet",
}
_STATE = {
    "in progress": "This run is in progress, or was stopped before it could finish. Reports "
    "marked stale may still show the previous data until they are rebuilt.",
    "interrupted": "This run was interrupted. Reports marked stale still show the previous data; "
    "run qio reports again to finish.",
}


@dataclass
class IndexPage:
    """What the index shows besides the reports."""

    version: str
    demo: bool
    state: str = "complete"  # or "in progress", "interrupted"
    data_checks: bool = False  # link OUT/data_checks.html
    errors_report: bool = False  # --errors report: warn that rows may have been left out
    empty_regions: Sequence[str] = ()
    cycle: int | None = None


def _section(item_id: str) -> str:
    first = item_id.split("/")[0]
    return "all-cycles" if first == "national" else first


def _section_title(section: str) -> str:
    if section == "headlines":
        return "Headlines"
    if section == "all-cycles":
        return "Across cycles"
    return f"QIOF cycle {section}"


#: Other formats of a report (the formats step puts their paths in ``extra``).
_FORMAT_LINKS = (
    ("pdf", "PDF"),
    ("xlsx", "Workbook"),
    ("images", "Images"),
    ("figures_csv", "Figures (CSV)"),
    ("figures_xlsx", "Figures (Excel)"),
    ("alt_text", "Alt text"),
)


def _details(res: ItemResult) -> str:
    parts = []
    if res.status == "failed":
        parts.append(f"<span class='error'>{escape_html(res.error)}</span>")
        if res.debug_notebook:
            parts.append(
                f"<a href='{escape_html(res.debug_notebook)}'>Executed notebook with the failing cell</a>"
            )
    elif res.error:
        parts.append(escape_html(res.error))
    links = [
        f"<a href='{escape_html(res.extra[key])}'>{label}</a>"
        for key, label in _FORMAT_LINKS
        if res.extra.get(key) and res.status in {"built", "skipped"}
    ]
    if links:
        parts.append(" · ".join(links))
    suppressed = res.extra.get("suppressed") or []
    if suppressed:
        groups = ", ".join(
            f"{escape_html(s.get('group', '?'))} ({escape_html(s.get('reason', ''))})"
            for s in suppressed
        )
        parts.append(f"Suppressed (small numbers): {groups}")
    return "<br>".join(parts)


def render_index(results: dict[str, ItemResult], page: IndexPage) -> str:
    """The index page (self-contained HTML, no scripts)."""
    by_section: dict[str, dict[str, list[ItemResult]]] = defaultdict(lambda: defaultdict(list))
    for key in sorted(results):
        res = results[key]
        by_section[_section(key)][res.kind].append(res)
    failed = [r for r in results.values() if r.status == "failed"]
    parts = [
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>QIOF reports</title><style>",
        "body{font:16px/1.5 Arial,sans-serif;color:#231f20;margin:0;background:#f0f4f5}"
        "main{max-width:1100px;margin:0 auto;background:#fff;padding:24px 32px}"
        "h1{margin-top:0}h2{border-top:4px solid #005eb8;padding-top:.6rem;margin-top:2rem}"
        "table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.3rem .5rem;"
        "border-bottom:1px solid #d8dde0;vertical-align:top}a{color:#005eb8}"
        ".failed,.stale{color:#8a1538;font-weight:bold}.banner{background:#ffb81c;padding:.6rem 1rem;border-left:8px solid #231f20}"
        ".error{font-family:monospace;font-size:.85rem;white-space:pre-wrap}",
        "</style></head><body><main><h1>QIOF and LKS reports</h1>",
    ]
    if page.state in _STATE:
        parts.append(
            f"<p class='banner' id='run-state' data-state='{escape_html(page.state)}'>"
            f"<strong>Run {escape_html(page.state)}.</strong> {escape_html(_STATE[page.state])}</p>"
        )
    if page.demo:
        parts.append(
            "<p class='banner'><strong>Synthetic demo data.</strong> The organisations and figures are fictional.</p>"
        )
    if page.errors_report:
        parts.append(
            "<p class='banner' id='errors-report'><strong>Built with --errors report.</strong> "
            f"Rows that failed validation were left out of every report: see <a href='{DATA_CHECKS}'>"
            "the data checks</a> before using these figures.</p>"
        )
    counts: dict[str, int] = defaultdict(int)
    for res in results.values():
        counts[res.status] += 1
    now = dt.datetime.now().strftime("%d %B %Y %H:%M")
    summary = ", ".join(f"{counts[s]} {_STATUS[s].lower()}" for s in _STATUS if counts[s])
    parts.append(
        f"<p>{len(results)} report{'' if len(results) == 1 else 's'}: {escape_html(summary)}. Updated {now} with qio-analysis {escape_html(page.version)}.</p>"
    )
    if page.data_checks:
        parts.append(
            f"<p><a href='{DATA_CHECKS}'>Data checks</a>: rows read, loaded, rejected and "
            "superseded in each input file.</p>"
        )
    if failed:
        parts.append(
            "<p class='failed'>Failed: "
            + ", ".join(
                f"<a href='#{escape_html(r.item)}'>{escape_html(r.label)}</a>" for r in failed
            )
            + "</p>"
        )
    if page.empty_regions:
        cycle = f" in {page.cycle}" if page.cycle is not None else ""
        parts.append(
            f"<p id='no-submissions'>Regions with no submissions{escape_html(cycle)} (no reports): "
            + ", ".join(escape_html(r) for r in page.empty_regions)
            + ".</p>"
        )
    for section in sorted(by_section, key=lambda s: (s == "headlines", s == "all-cycles", s)):
        parts.append(f"<h2>{escape_html(_section_title(section))}</h2>")
        for kind in sorted(by_section[section], key=lambda k: list(_GROUPS).index(k)):
            rows = by_section[section][kind]
            parts.append(
                f"<h3>{escape_html(_GROUPS.get(kind, kind))} ({len(rows)})</h3><table><thead><tr>"
                "<th scope='col'>Report</th><th scope='col'>Status</th><th scope='col'>Time (s)</th>"
                "<th scope='col'>Details</th></tr></thead><tbody>"
            )
            for res in rows:
                linked = res.status in {"built", "skipped", "stale"}
                name = (
                    f"<a href='{escape_html(res.output)}'>{escape_html(res.label)}</a>"
                    if linked
                    else escape_html(res.label)
                )
                status = _STATUS.get(res.status, res.status)
                klass = f" class='{res.status}'" if res.status in {"failed", "stale"} else ""
                parts.append(
                    f"<tr id='{escape_html(res.item)}'><td>{name}</td><td{klass}>{escape_html(status)}</td>"
                    f"<td>{res.duration_s:.1f}</td><td>{_details(res)}</td></tr>"
                )
            parts.append("</tbody></table>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


def write_index(out_dir: Path, results: dict[str, ItemResult], page: IndexPage) -> Path:
    """Write index.html atomically."""
    try:
        return write_text_atomic(out_dir / "index.html", render_index(results, page))
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None


def write_data_checks(out_dir: Path, checks: DataChecks, *, version: str, demo: bool) -> None:
    """Write data_checks.html: what the readers did with every input file of the run."""
    try:
        write_text_atomic(
            out_dir / DATA_CHECKS, data_checks_html(checks, version=version, demo=demo)
        )
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None

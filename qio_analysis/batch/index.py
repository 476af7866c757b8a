"""``index.html``: every report in the output folder, its status, when it was built, and its files.

What a reader needs and nothing else: the report (linked while its file is
there), whether it is current, when it was built, and its other formats, the
groups withheld by disclosure control, and the data checks page. Durations
and hashes stay in the manifest. Written when a run starts ("in progress":
reports about to be rebuilt are marked stale) and again when it ends, so the
folder never presents old and new reports as one run. A self-contained page
with no scripts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qio_analysis.batch.outputs import CURRENT, DATA_CHECKS, ItemResult, describe_os_error
from qio_analysis.batch.parameters import ReportKind
from qio_analysis.errors import OutputFolderError
from qio_analysis.io.writers import write_text_atomic
from qio_analysis.text import escape_html

#: The renderings of a report: what the index calls each one, and the option that makes it.
FORMATS = {
    "pdf": ("PDF", "--pdf"),
    "xlsx": ("Workbook", "--xlsx"),
    "images": ("Image pack", "--images"),
}

#: Each kind of report, in page order: the few summary reports first, the long organisation
#: list last.
_GROUPS: dict[ReportKind, str] = {
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
    "stale": "Out of date",
    "not built": "Not built yet",
    "withdrawn": "Withdrawn",
}
_STATE = {
    "in progress": "This run is in progress, or was stopped before it could finish. Reports "
    "marked stale may still show the previous data until they are rebuilt.",
    "interrupted": "This run was interrupted. Reports marked stale still show the previous data; "
    "run qio reports again to finish.",
    "inputs changed": "This run stopped because an input file changed while it was running, so "
    "no report built from it is listed as current. Run qio reports again once the file is final.",
}


@dataclass
class IndexPage:
    """What the index shows besides the reports."""

    version: str
    demo: bool
    state: str = "complete"  # or "in progress", "interrupted", "inputs changed"
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


def _when(res: ItemResult) -> str:
    """When the report in the folder was built ("" when there is none)."""
    if res.status not in CURRENT | {"stale"} or not res.finished:
        return ""
    try:
        return dt.datetime.fromisoformat(res.finished).strftime("%d %b %Y %H:%M")
    except ValueError:
        return res.finished


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
    if res.status in CURRENT:
        links = [
            f"<a href='{escape_html(path)}'>{escape_html(label)}</a>"
            for name in sorted(res.renderings, key=lambda n: list(FORMATS).index(n))
            for label, path in res.renderings[name].links.items()
        ]
        if links:
            parts.append(" · ".join(links))
    for name, why in res.removed.items():
        label, flag = FORMATS.get(name, (name, ""))
        again = f" ({flag} makes it again)" if flag and res.status in CURRENT else ""
        parts.append(f"{escape_html(label)} removed: {escape_html(why)}{escape_html(again)}")
    suppressed = res.extra.get("suppressed") or []
    if suppressed:
        groups = ", ".join(
            f"{escape_html(str(s.get('group', '?')))} ({escape_html(str(s.get('reason', '')))})"
            for s in suppressed
        )
        parts.append(f"Suppressed (small numbers): {groups}")
    return "<br>".join(parts)


_CSS = (
    "body{font:16px/1.5 Arial,sans-serif;color:#231f20;margin:0;background:#f0f4f5}"
    "main{max-width:1100px;margin:0 auto;background:#fff;padding:24px 32px}"
    "h1{margin-top:0}h2{border-top:4px solid #005eb8;padding-top:.6rem;margin-top:2rem}"
    "table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;"
    "padding:.3rem .5rem;border-bottom:1px solid #d8dde0;vertical-align:top}a{color:#005eb8}"
    ".failed,.stale,.withdrawn{color:#8a1538;font-weight:bold}"
    ".banner{background:#ffb81c;padding:.6rem 1rem;border-left:8px solid #231f20}"
    ".error{font-family:monospace;font-size:.85rem;white-space:pre-wrap}td.when{white-space:nowrap}"
)


def render_index(results: dict[str, ItemResult], page: IndexPage) -> str:
    """The index page (self-contained HTML, no scripts)."""
    by_section: dict[str, dict[ReportKind, list[ItemResult]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for key in sorted(results):
        res = results[key]
        by_section[_section(key)][res.kind].append(res)
    failed = [r for r in results.values() if r.status == "failed"]
    parts = [
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>QIOF reports</title><style>{_CSS}</style></head><body><main>"
        "<h1>QIOF and LKS reports</h1>",
    ]
    if page.state in _STATE:
        parts.append(
            f"<p class='banner' id='run-state' data-state='{escape_html(page.state)}'>"
            f"<strong>Run {escape_html(page.state)}.</strong> {escape_html(_STATE[page.state])}</p>"
        )
    if page.demo:
        parts.append(
            "<p class='banner'><strong>Synthetic demo data.</strong> "
            "The organisations and figures are fictional.</p>"
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
    plural = "" if len(results) == 1 else "s"
    parts.append(
        f"<p>{len(results)} report{plural}: {escape_html(summary)}. "
        f"Updated {now} with qio-analysis {escape_html(page.version)}.</p>"
    )
    if counts["stale"] and page.state == "complete":
        parts.append(
            "<p class='banner' id='stale'><strong>Some reports are out of date.</strong> They "
            "were left out of this run and were built from older inputs; each says so at its "
            "top. Run qio reports without --org or --region to rebuild them.</p>"
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
                "<th scope='col'>Report</th><th scope='col'>Status</th><th scope='col'>Built</th>"
                "<th scope='col'>Details</th></tr></thead><tbody>"
            )
            for res in rows:
                linked = res.status in CURRENT | {"stale"}
                name = (
                    f"<a href='{escape_html(res.output)}'>{escape_html(res.label)}</a>"
                    if linked
                    else escape_html(res.label)
                )
                status = _STATUS.get(res.status, res.status)
                marked = res.status in {"failed", "stale", "withdrawn"}
                klass = f" class='{escape_html(res.status)}'" if marked else ""
                parts.append(
                    f"<tr id='{escape_html(res.item)}'><td>{name}</td><td{klass}>{escape_html(status)}</td>"
                    f"<td class='when'>{escape_html(_when(res))}</td><td>{_details(res)}</td></tr>"
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

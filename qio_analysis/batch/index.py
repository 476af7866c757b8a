"""index.html: every report of the output folder with its status, linked."""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict

from qio_analysis.batch.manifest import ItemResult

_GROUPS = {  # in page order: the few summary reports first, the long organisation list last
    "national": "National",
    "region": "Regional summaries",
    "region-validation": "Validation reviews by region",
    "headlines": "LKS statistics headlines",
    "organisation": "Organisations",
}
_STATUS = {"built": "Built", "skipped": "Up to date", "failed": "Failed"}


def _e(value: object) -> str:
    return html.escape(str(value))


def _section(item_id: str) -> str:
    return item_id.split("/")[0]


def render_index(results: dict[str, ItemResult], *, version: str, demo: bool) -> str:
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
        ".failed{color:#8a1538;font-weight:bold}.banner{background:#ffb81c;padding:.6rem 1rem;border-left:8px solid #231f20}"
        ".error{font-family:monospace;font-size:.85rem;white-space:pre-wrap}",
        "</style></head><body><main><h1>QIOF and LKS reports</h1>",
    ]
    if demo:
        parts.append(
            "<p class='banner'><strong>Synthetic demo data.</strong> The organisations and figures are fictional.</p>"
        )
    counts = defaultdict(int)
    for res in results.values():
        counts[res.status] += 1
    now = dt.datetime.now().strftime("%d %B %Y %H:%M")
    summary = ", ".join(f"{counts[s]} {_STATUS[s].lower()}" for s in _STATUS if counts[s])
    parts.append(
        f"<p>{len(results)} reports: {_e(summary)}. Updated {now} with qio-analysis {_e(version)}.</p>"
    )
    if failed:
        parts.append(
            "<p class='failed'>Failed: "
            + ", ".join(f"<a href='#{_e(r.item)}'>{_e(r.label)}</a>" for r in failed)
            + "</p>"
        )
    for section in sorted(by_section, key=lambda s: (s == "headlines", s)):
        title = "Headlines" if section == "headlines" else f"QIOF cycle {section}"
        parts.append(f"<h2>{_e(title)}</h2>")
        for kind in sorted(by_section[section], key=lambda k: list(_GROUPS).index(k)):
            rows = by_section[section][kind]
            parts.append(
                f"<h3>{_e(_GROUPS.get(kind, kind))} ({len(rows)})</h3><table><thead><tr>"
                "<th scope='col'>Report</th><th scope='col'>Status</th><th scope='col'>Time (s)</th>"
                "<th scope='col'>Details</th></tr></thead><tbody>"
            )
            for res in rows:
                if res.status == "failed":
                    name = _e(res.label)
                    detail = f"<span class='error'>{_e(res.error)}</span>"
                    if res.debug_notebook:
                        detail += f"<br><a href='{_e(res.debug_notebook)}'>Executed notebook with the failing cell</a>"
                else:
                    name = f"<a href='{_e(res.output)}'>{_e(res.label)}</a>"
                    detail = ""
                status = _STATUS.get(res.status, res.status)
                klass = " class='failed'" if res.status == "failed" else ""
                parts.append(
                    f"<tr id='{_e(res.item)}'><td>{name}</td><td{klass}>{_e(status)}</td>"
                    f"<td>{res.duration_s:.1f}</td><td>{detail}</td></tr>"
                )
            parts.append("</tbody></table>")
    parts.append("</main></body></html>\n")
    return "".join(parts)

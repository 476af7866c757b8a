"""One region's reports built as a user builds them: every quantity a page states twice agrees.

The North West's regional summary, improvement and validation pages are read
back as a reader meets them (sentences, chart descriptions, chart data, the
tables), and each count stated more than once is checked against its other
statements. Extend the checks as pages change.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from qio_analysis import cli

pytestmark = pytest.mark.slow

REGION = "North West"
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@pytest.fixture(scope="module")
def region_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("north-west")
    args = ["reports", "--cycle", "2025", "--region", REGION, "--out", str(out)]
    assert cli.main([*args, "--jobs", "2", "--quiet", "--run-date", "2025-07-01"]) == 0
    return out / "2025" / "regions"


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def paragraphs(page: str) -> list[str]:
    return [_text(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", page, flags=re.S)]


def sentence(page: str, start: str) -> str:
    found = [p for p in paragraphs(page) if p.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def charts(page: str) -> list[dict]:
    blocks = re.findall(
        r'<script type="application/json" class="qio-plot-data"[^>]*>(.*?)</script>',
        page,
        flags=re.S,
    )
    return [json.loads(b) for b in blocks]


def headers(page: str) -> list[str]:
    return [_text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.S)]


def numbers(pattern: str, text: str) -> tuple[int, ...]:
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return tuple(int(g) for g in match.groups())


def test_no_column_name_heads_a_table(region_run):
    for page in sorted(region_run.glob("*.html")):
        named = [h for h in headers(page.read_text()) if SNAKE.match(h)]
        assert not named, (page.name, named)


def test_validation_review_states_each_count_once_over(region_run):
    page = (region_run / "north-west-validation.html").read_text()
    said = sentence(page, "Validators changed")
    changed, total, lowered, raised, sub_lowered, sub_raised = numbers(
        r"changed (\d+) of the (\d+) .*?: (\d+) levels? lowered and (\d+) raised; "
        r"(\d+) sub-levels? lowered and (\d+) raised on the same level",
        said,
    )
    assert changed == lowered + raised + sub_lowered + sub_raised
    (one_side,) = numbers(r"On (\d+) more the same level", said)
    alts = [p for p in paragraphs(page) if "self-evaluated" in p]
    heat = next(a for a in alts if a.startswith("Heatmap"))
    assert f"changed {changed} of {total} self-evaluated levels" in heat
    assert f"{lowered} levels lowered (\u25bc)" in heat
    assert f"{sub_lowered} sub-levels lowered (\u25bd)" in heat
    assert f"{one_side} more kept the level" in heat
    # The marks in the grid's cells count the same.
    cells = " ".join(
        str(t)
        for fig in charts(page)
        for trace in fig["data"]
        if trace["type"] == "heatmap"
        for row in trace.get("text") or []
        for t in row
        if t
    )
    assert (cells.count("\u25bc"), cells.count("\u25b2")) == (lowered, raised)
    assert (cells.count("\u25bd"), cells.count("\u25b3")) == (sub_lowered, sub_raised)
    grid = next(a for a in alts if a.startswith("Grid of self-evaluated"))
    n, same, g_lowered, g_raised = numbers(
        r"(\d+) outcomes; (\d+) on the same level, (\d+) levels? lowered and (\d+) raised", grid
    )
    assert (n, g_lowered, g_raised) == (total, lowered, raised)
    agreement = sentence(page, "Across ")
    kept, a_lowered, a_raised, a_sub_lowered, a_sub_raised = numbers(
        r"level in (\d+)%: (\d+) levels? lowered and (\d+) raised; (\d+) sub-levels? lowered "
        r"and (\d+) raised",
        agreement,
    )
    assert (a_lowered, a_raised, a_sub_lowered, a_sub_raised) == (
        lowered,
        raised,
        sub_lowered,
        sub_raised,
    )
    assert kept == round(same / total * 100)
    agreed, compared, share = numbers(r"both agreed in (\d+) of (\d+) \((\d+)%\)", agreement)
    assert compared == total - one_side  # one-sided pairs are left out, and said so
    assert f"{one_side} with a sub-level on one side only are not compared" in agreement
    assert share == round(agreed / compared * 100)
    across = next(a for a in alts if a.startswith("Horizontal bars"))
    pct, c_lowered, c_total = numbers(
        rf"{REGION}: (\d+)% of levels lowered \((\d+) of (\d+)\)", across
    )
    assert (c_lowered, c_total) == (lowered, total) and pct == round(lowered / total * 100)
    assert "mean adjustment" not in page.lower()


def test_summary_and_review_say_agreement_alike(region_run):
    summary = (region_run / "north-west.html").read_text()
    review = (region_run / "north-west-validation.html").read_text()
    assert sentence(summary, "Across ") == sentence(review, "Across ")
    assert "mean adjustment" not in summary.lower()
    assert not [h for h in headers(summary) if "median" in h.lower()]
    gap = sentence(summary, "Against England")
    assert gap.startswith(f"Against England ({REGION} included)")


def _moved(cell: str) -> int:
    found = re.match(r"(up|down) (\w+) levels?$", cell)
    if not found:
        return 0
    return WORDS.get(found[2], 0) * (1 if found[1] == "up" else -1)


def test_furthest_down_are_net_decliners_by_the_table(region_run):
    page = (region_run / "north-west-improvement.html").read_text()
    table = re.search(r'id="improvement-table".*?</table>', page, flags=re.S)[0]
    head = headers(table)
    column = head.index("Movement since the 2021 baseline")
    net: dict[str, int] = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]:
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        code = re.search(r"\((\w+)\)$", cells[0])[1]
        net[code] = net.get(code, 0) + _moved(cells[column])
    sections = re.split(r"<h3>", page)
    down = next(s for s in sections if s.startswith("Furthest down"))
    up = next(s for s in sections if s.startswith("Furthest up"))

    def listed(section: str) -> list[tuple[str, int]]:
        items = [_text(i) for i in re.findall(r"<li>(.*?)</li>", section.split("</ul>")[0])]
        out = []
        for item in items:
            code = re.search(r"\((\w+)\):", item)[1]
            (levels,) = numbers(r"net (\d+) whole levels? (?:gained|lost)", item)
            out.append((code, levels))
        return out

    fallers, risers = listed(down), listed(up)
    assert fallers and risers
    for code, levels in fallers:
        assert net[code] == -levels < 0, code
    for code, levels in risers:
        assert net[code] == levels > 0, code
    # Ranked by net change: nobody left out moved further down than the last one listed.
    assert [lv for _, lv in fallers] == sorted((lv for _, lv in fallers), reverse=True)
    listed_codes = {c for c, _ in fallers}
    assert all(-v <= fallers[-1][1] for c, v in net.items() if c not in listed_codes)
    # Every organisation is named on the dumbbell chart.
    dumbbell = next(f for f in charts(page) if f["layout"].get("meta", {}).get("rows"))
    assert len(dumbbell["layout"]["yaxis"]["ticktext"]) == len(net)


@pytest.mark.browser
def test_printed_charts_name_every_row_the_html_names(region_run, tmp_path):
    """Each chart's row labels in the HTML are all in the PDF's text (plotly drops alternate
    category labels on a chart drawn shorter, as printing used to draw them)."""
    from qio_analysis.export.pdf import PrintJob, print_pdfs

    jobs = [
        PrintJob(region_run / f"{name}.html", tmp_path / f"{name}.pdf", REGION)
        for name in ("north-west-improvement", "north-west-validation")
    ]
    results = print_pdfs(jobs, concurrency=1, root=region_run.parent.parent)
    assert set(results.values()) == {None}
    checked = 0
    for job in jobs:
        printed = subprocess.run(
            ["pdftotext", str(job.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        printed = " ".join(printed.split())
        for fig in charts(job.html.read_text()):
            labels = [
                html.unescape(t) for t in fig["layout"].get("yaxis", {}).get("ticktext") or []
            ]
            missing = [label for label in labels if " ".join(label.split()) not in printed]
            assert not missing, (job.html.name, len(missing), len(labels), missing[:3])
            checked += len(labels)
    assert checked >= 2 * 34  # both charts name all 34 organisations

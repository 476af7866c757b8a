"""Every report of a partial data set builds, and no reader ever sees nan, None or a Python list.

The data set is written by hand: one QIOF cycle only, regions with no
submissions (one of them expected in the organisations table), organisations
awaiting validation, a blank self-evaluation, a statistics service missing a
year and a return with blank figures.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from qio_analysis.cli import main
from tests.conftest import reports_args

pytestmark = pytest.mark.slow

OUTCOMES = range(1, 7)
HEADER = "Organisation code,Organisation name,Region,Cycle," + ",".join(
    f"Outcome {n} self-evaluated,Outcome {n} validated" for n in OUTCOMES
)


def _row(code: str, name: str, region: str, levels: list[tuple[str, str]]) -> str:
    return f"{code},{name},{region},2025," + ",".join(f"{s},{v}" for s, v in levels)


SUBMISSIONS = "\n".join(
    [
        HEADER,
        # Fully validated, with sub-levels changed by the validator.
        _row(
            "ZP1",
            "Alderford Hospital NHS Trust",
            "London",
            [
                ("2 High", "2 Medium"),
                ("3", "3"),
                ("1", "1"),
                ("2", "2"),
                ("3 Low", "3 Low"),
                ("1", "1"),
            ],
        ),
        # Awaiting validation on every outcome.
        _row(
            "ZP2",
            "Brookmere NHS Trust",
            "London",
            [("2", ""), ("2", ""), ("3", ""), ("1", ""), ("2", ""), ("2", "")],
        ),
        # Awaiting validation on two outcomes, one outcome not self-evaluated.
        _row(
            "ZP3",
            "Castlegate NHS Trust",
            "Midlands",
            [("1", "1"), ("", ""), ("2", "2"), ("2", "1 High"), ("2", ""), ("1", "1")],
        ),
    ]
)
ORGANISATIONS = """Organisation code,Organisation name,Organisation type,Region,LKS service code
ZP1,Alderford Hospital NHS Trust,Acute,London,ZPS1
ZP2,Brookmere NHS Trust,Acute,London,ZPS1
ZP3,Castlegate NHS Trust,Community,Midlands,ZPS2
ZP4,Dunmere NHS Trust,Ambulance,South West,ZPS3
"""
# ZPS2 made no return in 2023/24; ZPS3 none in 2024/25 and blank figures in 2023/24.
STATISTICS = """Service code,Service name,Lead organisation code,Organisations served,Region,Year,Qualified LKS staff WTE,NHS staff WTE served,Enquiries,Expert searches,People trained
ZPS1,Alderford LKS,ZP1,ZP1;ZP2,London,2023/24,4,5800,900,200,300
ZPS1,Alderford LKS,ZP1,ZP1;ZP2,London,2024/25,4.5,6000,1000,220,310
ZPS2,Castlegate LKS,ZP3,ZP3,Midlands,2024/25,2,3100,400,,120
ZPS3,Dunmere LKS,ZP4,ZP4,South West,2023/24,,,,,
"""

FORBIDDEN = [
    re.compile(r"\bnan\b", re.IGNORECASE),
    re.compile(r"\bNone\b"),
    re.compile(r"<NA>|\bNaT\b|\binf\b"),
    re.compile(r"\[\s*\d{4}(?:\s*,\s*\d{4})+\s*\]"),  # a Python list of cycles
]


def _reader_text(page: str) -> str:
    """Everything a reader can meet: page text, alt text, data tables and chart JSON (titles, hovers)."""
    page = re.sub(r"<script(?![^>]*application/json)[^>]*>.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"<style[^>]*>.*?</style>", " ", page, flags=re.S)
    charts = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, flags=re.S)
    strings = []
    for chart in charts:
        strings += list(_strings(json.loads(html.unescape(chart))))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return text + "\n" + "\n".join(strings)


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_partial_data_builds_every_report_with_words_for_gaps(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "submissions.csv").write_text(SUBMISSIONS + "\n")
    (data / "organisations.csv").write_text(ORGANISATIONS)
    (data / "statistics.csv").write_text(STATISTICS)
    out = tmp_path / "out"
    code = main(reports_args(data, out))
    assert code == 0
    pages = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in out.rglob("*.html")
        if "_debug" not in p.parts
    }
    expected = {
        "2025/organisations/ZP1.html",
        "2025/organisations/ZP2.html",
        "2025/organisations/ZP3.html",
        "2025/regions/london.html",
        "2025/regions/london-improvement.html",
        "2025/regions/midlands.html",
        "2025/national/validation_review.html",
        "2025/national/completeness.html",
        "national/year_on_year.html",
        "headlines/2024-25/annual_headlines.html",
    }
    assert expected <= set(pages), sorted(pages)
    problems = []
    for name, page in sorted(pages.items()):
        text = _reader_text(page)
        for pattern in FORBIDDEN:
            for match in pattern.finditer(text):
                context = text[max(0, match.start() - 60) : match.end() + 60].replace("\n", " ")
                problems.append(f"{name}: {match.group()!r} in ...{context}...")
    assert not problems, "\n".join(problems[:40])

    # Reports of organisations awaiting validation are provisional in title and banner.
    for code_ in ("ZP2", "ZP3"):
        text = _reader_text(pages[f"2025/organisations/{code_}.html"])
        assert "QIOF levels 2025 (provisional)" in text
        assert "awaiting validation for 2025" in text
    assert "(provisional)" not in _reader_text(pages["2025/organisations/ZP1.html"])
    # The first cycle in the data says so instead of failing.
    note = "This is the first cycle in the data; change will show from the next cycle."
    assert note in _reader_text(pages["national/year_on_year.html"])
    assert note in _reader_text(pages["2025/regions/london.html"])
    assert note in _reader_text(pages["2025/regions/london-improvement.html"])
    # Regions without submissions are named as such in the national completeness table.
    complete = _reader_text(pages["2025/national/completeness.html"])
    for region in ("South West", "North West", "North East and Yorkshire"):
        assert re.search(rf"{region}\s+\d+\s+no submissions", complete), region
    # The validator's sub-level change is shown with both values.
    assert "Level 2 (High) to Level 2 (Medium)" in _reader_text(
        pages["2025/organisations/ZP1.html"]
    )

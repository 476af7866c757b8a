"""The headlines report and its image pack, built by ``qio reports --images`` from hand-written returns.

Twelve services return in both years, six in London and six in the Midlands.
In 2024/25 ZH01 gives its qualified WTE and activity but no NHS WTE, so with
the published totals England's staff ratio (and each rate per 1,000 NHS WTE)
would give ZH01's figures back: they are withheld, and must appear nowhere.
"""

from __future__ import annotations

import csv
import html
import re

import openpyxl
import pytest

import qio_analysis as qa
from qio_analysis.cli import main
from qio_analysis.metrics import activity_rates, staff_ratio
from qio_analysis.metrics.headlines import HEADLINES
from qio_analysis.words import format_rate, format_ratio, format_value
from tests.conftest import reports_args

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HEADER = (
    "Service code,Service name,Lead organisation code,Organisations served,Region,Year,"
    "Qualified LKS staff WTE,NHS staff WTE served,Enquiries,Expert searches,People trained"
)


def _statistics() -> str:
    rows = [HEADER]
    for i in range(1, 13):
        region = "London" if i <= 6 else "Midlands"
        for year, extra, busier in (("2023/24", 0.0, 1), ("2024/25", 0.5, 3)):
            nhs = "" if (i, year) == (1, "2024/25") else f"{2000 + 137 * i}"
            rows.append(
                f"ZH{i:02d},Service {i} LKS,ZQ{i:02d},ZQ{i:02d},{region},{year},"
                f"{1.0 + i / 10 + extra:.2f},{nhs},{300 + 7 * i},{(40 + 3 * i) * busier},"
                f"{(90 + 5 * i) * busier}"
            )
    return "\n".join(rows) + "\n"


def _submissions() -> str:
    head = "Organisation code,Organisation name,Region,Cycle," + ",".join(
        f"Outcome {n} self-evaluated,Outcome {n} validated" for n in range(1, 7)
    )
    rows = [head]
    for i in range(1, 13):
        region = "London" if i <= 6 else "Midlands"
        rows.append(f"ZQ{i:02d},Trust {i} NHS Trust,{region},2025," + ",".join(["2,2"] * 6))
    return "\n".join(rows) + "\n"


def _organisations() -> str:
    rows = ["Organisation code,Organisation name,Organisation type,Region,LKS service code"]
    for i in range(1, 13):
        region = "London" if i <= 6 else "Midlands"
        rows.append(f"ZQ{i:02d},Trust {i} NHS Trust,Acute,{region},ZH{i:02d}")
    return "\n".join(rows) + "\n"


def _page_text(page: str) -> str:
    """What a reader meets on the page: its text, alt text, tables and the charts' JSON."""
    charts = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, flags=re.S)
    body = re.sub(r"<script[^>]*>.*?</script>|<style[^>]*>.*?</style>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return " ".join([text, *(html.unescape(c) for c in charts)])


def _svg_text(svg: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data = tmp_path_factory.mktemp("headline-data")
    (data / "submissions.csv").write_text(_submissions())
    (data / "statistics.csv").write_text(_statistics())
    (data / "organisations.csv").write_text(_organisations())
    out = tmp_path_factory.mktemp("headline-out")
    assert main(reports_args(data, out, "--images", "--min-group", "5")) == 0
    folder = out / "headlines" / "2024-25"
    return data, folder


def test_a_withheld_figure_appears_nowhere(built):
    data, folder = built
    stats = qa.load_statistics(data / "statistics.csv")
    latest = stats[stats["year_start"] == 2024]
    ratio = staff_ratio(latest).iloc[0]["nhs_wte_per_qualified"]
    rates = activity_rates(latest).iloc[0]
    hidden = [format_ratio(ratio), format_ratio(ratio, target=1250)]
    hidden += [
        format_rate(rates[f"{a}_per_1000_wte"]) for a in ("expert_searches", "people_trained")
    ]
    page = _page_text((folder / "annual_headlines.html").read_text(encoding="utf-8"))
    places = {"page": page, "alt_text.md": (folder / "alt_text.md").read_text(encoding="utf-8")}
    places["csv"] = (folder / "headline_figures.csv").read_text(encoding="utf-8")
    for svg in [folder / "infographic.svg", *sorted((folder / "images").glob("*.svg"))]:
        places[svg.name] = svg.read_text(encoding="utf-8")
    for name, text in places.items():
        for figure in hidden:
            assert figure not in text, (name, figure)
    assert "not published" in page and "not published" in places["infographic.svg"]
    # Withheld, which is not the same as missing: the trend says which.
    assert re.search(r"Expert searches: [\d.,]+ in 2023/24, not published in 2024/25", page)


def test_the_figures_tables_agree_with_every_printed_figure(built):
    _, folder = built
    with (folder / "headline_figures.csv").open(newline="", encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    book = openpyxl.load_workbook(folder / "headline_figures.xlsx")
    sheet = book["Headline_figures"]
    excel = {
        r[0]: r
        for r in sheet.iter_rows(values_only=True)
        if r[0] and r[0] in {line["Measure"] for line in lines}
    }
    page = _page_text((folder / "annual_headlines.html").read_text(encoding="utf-8"))
    infographic = _svg_text((folder / "infographic.svg").read_text(encoding="utf-8"))
    labels = {label: (m, unit) for m, (label, unit) in HEADLINES.items()}
    tiles = set(qa.words.DEFAULT_TILES)
    checked = 0
    for line in lines:
        measure, unit = labels[line["Measure"]]
        for column in ("2024/25 total", "2023/24 total"):
            cell = line[column]
            if not cell:
                continue
            value = float(cell)
            assert excel[line["Measure"]][list(line).index(column)] == pytest.approx(value)
            printed = format_value(value, unit, target=1250)
            assert printed in page, (line["Measure"], column, printed)
            # A tile prints last year's figure beside this year's change only.
            if measure in tiles and (column == "2024/25 total" or line["2024/25 total"]):
                assert printed in infographic, (line["Measure"], column, printed)
            checked += 1
    assert checked >= 10


def test_every_image_has_short_alt_text_in_words(built):
    _, folder = built
    notes = (folder / "alt_text.md").read_text(encoding="utf-8")
    alts = re.findall(r"^\*\*Alt text:\*\* (.*)$", notes, flags=re.M)
    assert len(alts) >= 8
    for alt in alts:
        assert len(alt) <= 1000 and not {"\u25b2", "\u25bc", "\u25ba"} & set(alt), alt
        assert "ynthetic" not in alt  # these returns are not the demo data
    for svg in [folder / "infographic.svg", *sorted((folder / "images").glob("*.svg"))]:
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg.read_text(encoding="utf-8"), re.S)
        assert desc and len(html.unescape(desc.group(1))) <= 1000, svg.name


def test_the_page_credits_only_the_statistics_returns(built):
    _, folder = built
    page = (folder / "annual_headlines.html").read_text(encoding="utf-8")
    meta = re.search(r'<p class="qio-meta">(.*?)</p>', page, re.S).group(1)
    assert "statistics.csv" in meta
    assert "submissions.csv" not in meta and "organisations.csv" not in meta

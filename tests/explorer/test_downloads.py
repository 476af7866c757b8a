"""Files the explorer offers, read back: rounded as shown, titled, named for what they hold.

Fixture (hand-worked, min_group 1 so nothing is withheld): LKS statistics 2024/25.

| service | region   | qualified WTE | NHS WTE | 1:N          |
|---------|----------|---------------|---------|--------------|
| LKS1    | London   | 3             | 4,755   | 1,585        |
| LKS2    | London   | 7             | 8,000   | 1,142.857... |

LKS1's gap to 1:1,250: 4,755 / 1,250 - 3 = 0.804 -> shown 0.8 WTE.
London: 12,755 / 10 = 1,275.5 -> shown 1276 (a 1:N ratio is a whole number).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

import qio_analysis.explorer.app as app
from qio_analysis.explorer import LevelExplorer
from qio_analysis.explorer.downloads import (
    SYNTHETIC,
    About,
    slug,
    table_csv,
    table_xlsx,
    with_provenance,
)
from qio_analysis.explorer.page import NOT_SHOWN, NOT_SHOWN_NOTE, data_table_html, displayed
from tests.metrics.helpers import both, stats, subs


@pytest.fixture(autouse=True)
def shown(monkeypatch):
    monkeypatch.setattr(app, "display", lambda obj, **kw: None)


@pytest.fixture
def explorer():
    levels = subs(
        [r for n in range(1, 7) for r in both("A", "London", 2025, n, (3, None), (3, None))]
        + [r for n in range(1, 7) for r in both("B", "London", 2025, n, (2, None), (2, None))]
    )
    statistics = stats(
        [
            {
                "service_code": code,
                "region": "London",
                "year_start": 2024,
                "qualified_wte": q,
                "nhs_wte": n,
            }
            for code, q, n in (("LKS1", 3, 4755), ("LKS2", 7, 8000))
        ]
    )
    statistics = statistics.assign(
        service_name=statistics["service_code"].map({"LKS1": "Quay & Co LKS", "LKS2": "Hill LKS"})
    )
    orgs = pd.DataFrame(
        {
            "org_code": ["ZZA", "ZZB"],
            "org_name": ["Org A", "Org B"],
            "org_type": ["Acute", "Acute"],
            "region": ["London", "London"],
            "service_code": ["LKS1", "LKS2"],
        }
    )
    return LevelExplorer(levels, statistics, orgs, min_group=1)


def _file(explorer) -> tuple[str, bytes]:
    link = explorer.downloads.value
    match = re.search(
        r'data-qio-auto="[0-9a-f]+" download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', link
    )
    assert match, link[:300]
    return match.group(1), base64.b64decode(match.group(2))


def test_the_csv_is_a_plain_table_that_reads_back_into_the_page_table(explorer):
    explorer.apply_query("?view=staffing&org=ZZA")
    explorer._download_csv()
    name, data = _file(explorer)
    assert name == "qio-staffing-quay-co-lks-2024-25.csv"
    table = pd.read_csv(io.BytesIO(data))
    assert table.columns[0] == "Year"
    row = table.set_index("Compared with").loc["Quay & Co LKS"]
    assert row["NHS WTE per qualified LKS WTE (1:N)"] == 1585
    assert row["Qualified LKS WTE gap to the 1:1,250 target (WTE)"] == 0.8
    london = table.set_index("Compared with").loc["London"]
    assert london["NHS WTE per qualified LKS WTE (1:N)"] == 1276
    assert "1584.9" not in data.decode() and "0.804" not in data.decode()
    # exactly the page's table, cell for cell
    page = displayed(explorer.table).astype(str)
    back = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert back.columns.tolist() == page.columns.tolist()
    assert back.to_numpy().tolist() == page.to_numpy().tolist()
    assert "<NA>" not in data.decode() and "nan" not in data.decode().lower().split(",")


def test_cells_without_a_figure_show_the_symbol_with_its_note_never_na(explorer):
    about = About(title="T", view="staffing", subject="S", years="2025")
    table = pd.DataFrame(
        {"comparison": ["S", "London"], "nhs_wte_per_qualified": [1584.9, None], "note": ["", "w"]}
    )
    csv = table_csv(table, about).data.decode()
    assert csv.splitlines() == [
        "Compared with,NHS WTE per qualified LKS WTE (1:N),Note",
        "S,1585,",
        f"London,{NOT_SHOWN},w",
    ]
    html = data_table_html(table)
    assert NOT_SHOWN in html and NOT_SHOWN_NOTE in html and "&lt;NA&gt;" not in html
    book = load_workbook(io.BytesIO(table_xlsx(table, about).data))
    sheet = book["Data"]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Compared with")
    assert sheet.cell(header + 1, 2).value == 1585
    assert sheet.cell(header + 2, 2).value == NOT_SHOWN
    assert any(c.value == NOT_SHOWN_NOTE for c in book["Notes"]["B"])
    assert "[note 3]" in book["Data"]["A1"].value


def test_excel_numbers_carry_the_page_number_formats():
    about = About(title="T", view="staffing", subject="S", years="2025")
    table = pd.DataFrame(
        {"year": [2024, 2025], "nhs_wte": [12000.0, 9500.0], "qualified_wte_gap": [6.0, 1.25]}
    )
    page = data_table_html(table)
    assert "12,000" in page and "6.0" in page and "2024" in page and "2,024" not in page
    sheet = load_workbook(io.BytesIO(table_xlsx(table, about).data))["Data"]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Year")
    year, wte, gap = (sheet.cell(header + 1, c) for c in (1, 2, 3))
    assert (year.value, year.number_format) == (2024, "0")
    assert (wte.value, wte.number_format) == (12000, "#,##0")
    assert (gap.value, gap.number_format) == (6.0, "#,##0.0")


def test_excel_has_a_cover_notes_and_the_rounded_table(explorer):
    explorer.apply_query("?view=staffing&org=ZZA")
    explorer._download_xlsx()
    name, data = _file(explorer)
    assert name == "qio-staffing-quay-co-lks-2024-25.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Cover", "Contents", "Notes", "Data"]
    assert (
        book["Cover"]["A1"].value == "Staff ratio of Quay & Co LKS since 2019/20 (lower is better)"
    )
    cover = [c.value for c in book["Cover"]["A"] if c.value]
    assert any(str(v).startswith("Filters: View: Staffing") for v in cover)
    data_sheet = book["Data"]
    header_row = next(r for r in range(1, 10) if data_sheet.cell(r, 1).value == "Year")
    headers = [c.value for c in data_sheet[header_row]]
    ratio = headers.index("NHS WTE per qualified LKS WTE (1:N)") + 1
    values = {
        data_sheet.cell(r, 2).value: data_sheet.cell(r, ratio).value
        for r in range(header_row + 1, data_sheet.max_row + 1)
    }
    assert values["Quay & Co LKS"] == 1585 and values["London"] == 1276
    notes = [c.value for c in book["Notes"]["B"] if c.value]
    assert any("rounded as the explorer shows them" in str(v) for v in notes)


def test_demo_files_carry_the_synthetic_mark():
    about = About(title="T", view="heatmap", subject="London", years="2025", is_demo=True)
    book = load_workbook(io.BytesIO(table_xlsx(pd.DataFrame({"n": [1]}), about).data))
    assert any("Synthetic demo data" in str(c.value) for c in book["Notes"]["B"])


def test_file_names_say_view_subject_and_years():
    about = About(
        title="x",
        view="heatmap",
        subject="North East and Yorkshire",
        years="2021-to-2025",
        made_at=dt.datetime(2026, 1, 2, 9, 5),
    )
    assert about.stem == "qio-heatmap-north-east-and-yorkshire-2021-to-2025"
    assert about.made().startswith("Made at 09:05 on 2 January 2026 from")
    assert slug("../../etc/passwd\u202e") == "etc-passwd"
    long = About(title="x", view="staffing", subject="y" * 500, years="2024/25")
    assert len(long.stem) <= 90 and not long.stem.endswith("-")


def test_the_heatmap_file_names_its_region_and_both_cycles(explorer):
    explorer.apply_query("?view=heatmap&region=London&compare=2025")
    assert explorer.about().stem == "qio-heatmap-london-2025"


def test_one_click_links_are_marked_for_the_page_to_click(explorer):
    explorer._download_csv()
    assert explorer.downloads.value.count("data-qio-auto=") == 1
    first = re.search(r'data-qio-auto="(\w+)"', explorer.downloads.value).group(1)
    explorer._download_csv()
    assert re.search(r'data-qio-auto="(\w+)"', explorer.downloads.value).group(1) != first


def test_a_chart_image_prints_its_sources_filters_and_demo_mark_under_the_chart():
    margin = {"b": 60, "t": 50, "l": 110, "r": 0}
    figure = go.Figure(go.Bar(x=[1], y=[2]), layout={"height": 400, "margin": margin})
    about = About(
        title="Levels",
        view="heatmap",
        subject="London",
        years="2025",
        filters=(("Region", "London <b>"),),
        sources=("qiof.xlsx",),
        is_demo=True,
        made_at=dt.datetime(2026, 1, 2, 9, 5),
    )
    drawn = with_provenance(figure, about, width=1100)
    note = drawn.layout.annotations[-1]
    assert note.text.split("<br>") == [
        "Made at 09:05 on 2 January 2026 from qiof.xlsx.",
        "Filters: Region: London &lt;b&gt;.",
        SYNTHETIC,
    ]
    assert drawn.layout.height == 400 + 3 * 17 + 16 and drawn.layout.margin.b == 60 + 3 * 17 + 16
    # its foot 6 px above the image's bottom edge, in the plot's own units (290 px tall)
    assert note.y == pytest.approx(-(60 + 67 - 6) / (467 - 50 - 127))
    assert note.x == pytest.approx(-100 / 990)  # 10 px from the image's left edge
    assert not figure.layout.annotations  # the page's figure is untouched


@pytest.mark.browser
@pytest.mark.slow
def test_chart_images_and_the_small_chart_page(explorer):
    from tests.browser import chromium_path

    chromium_path()  # skips, with a message, without Debian's chromium
    explorer.apply_query("?view=heatmap")
    explorer._download_png()
    name, png = _file(explorer)
    assert name == "qio-heatmap-england-2025.png" and png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert width == 2 * 1100  # drawn at twice the page width
    explorer._download_svg()
    name, svg = _file(explorer)
    assert name.endswith(".svg") and svg.lstrip().startswith(b"<svg")
    assert b"Org A (ZZA)" in svg
    text = svg.decode("utf-8")
    title = re.search(r"<title>([^<]*)</title>", text).group(1)
    desc = re.search(r"<desc>([^<]*)</desc>", text).group(1)
    assert title == html.escape(explorer.about().title, quote=False)
    assert "Made at " in desc and "Filters: View: Organisations" in desc
    assert "Made at " in re.sub(r"<[^>]+>", " ", text.split("</desc>", 1)[1])  # drawn text
    height = int.from_bytes(png[20:24], "big")
    assert height == 2 * int(float(re.search(r'<svg[^>]* height="([\d.]+)"', text).group(1)))
    explorer._download_html()
    name, page = _file(explorer)
    assert name == "qio-heatmap-england-2025-chart.html"
    assert len(page) < 100_000 and b"<script" not in page and b"cdn" not in page.lower()
    assert b"data:image/svg+xml;base64," in page and b"Content-Security-Policy" in page


# ----------------------------------------------------------------- heatmap numbers, one vocabulary


@pytest.fixture
def two_cycles():
    levels = subs(
        [r for n in (1, 2) for r in both("A", "London", 2023, n, (2, None), (2, None))]
        + [r for n in (1, 2) for r in both("A", "London", 2025, n, (3, None), (2, None))]
        + [r for n in (1, 2) for r in both("B", "London", 2025, n, (1, None), (1, None))]
    )
    return LevelExplorer(levels, min_group=1)


def test_the_heatmap_download_has_level_and_change_as_numbers_beside_the_words(two_cycles):
    two_cycles.apply_query("?view=heatmap&region=London&compare=2023")
    two_cycles._download_csv()
    _, data = _file(two_cycles)
    # "[x]" (no figure) is the only text in a number column: read it as missing
    table = pd.read_csv(io.BytesIO(data), na_values=[NOT_SHOWN]).set_index("Organisation")
    level = next(c for c in table.columns if c.startswith("1 ") and c.endswith("level (number)"))
    moved = next(c for c in table.columns if c.startswith("1 ") and "change since 2023" in c)
    words = next(c for c in table.columns if c.startswith("1 ") and c.endswith("validated level"))
    a, b = (next(i for i in table.index if i.endswith(f"({code})")) for code in ("ZZA", "ZZB"))
    assert table.loc[a, level] == 2 and table.loc[b, level] == 1  # validated: A lowered 3 -> 2
    assert table.loc[a, moved] == 0 and pd.isna(table.loc[b, moved])  # B has no 2023 level
    assert table[moved].sum() == 0 and pd.api.types.is_numeric_dtype(table[level])
    assert "lowered" in table.loc[a, words]
    assert table.columns.get_loc(level) == table.columns.get_loc(words) + 1


def test_the_docs_use_the_page_marks_for_change_and_for_the_validator(two_cycles):
    docs = (Path(__file__).parents[2] / "docs" / "explorer.md").read_text(encoding="utf-8")
    two_cycles.apply_query("?view=heatmap&region=London&compare=2023")
    key = " ".join(a.text for a in two_cycles.figure.layout.annotations if a.text)
    page = key + " " + two_cycles.message.value
    # the page: triangles for the validator, signs for change over time
    assert "\u25bc level lowered by the validator" in page
    assert "+1, \u22121, =: change in whole levels since 2023" in page
    assert "+1 up one level, \u22121 down one, = same" in page
    # the docs say the same, and never use a triangle for a change over time
    assert "`3 M +1`, `2 =`, `2 \u22121`" in docs
    assert "\u25bc marks a level the validator lowered and \u25b2 one the" in docs
    assert not re.search("[\u25b2\u25bc][0-9]", docs), "a triangle used for a change"
    assert not re.search("[\u25b2\u25bc] ?[0-9]", key), "a triangle used for a change"

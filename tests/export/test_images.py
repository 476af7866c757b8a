"""The headline publication pack: the A4 infographic, images composed for their frames, tables, alt text."""

from __future__ import annotations

import csv
import re
import struct
import subprocess
from itertools import combinations
from pathlib import Path

import openpyxl
import pytest

import qio_analysis as qa
from qio_analysis.export.headline_tables import HEADLINE_SHEET
from qio_analysis.export.images import alt_text_markdown, credits_for, pack_files, write_image_pack
from qio_analysis.figures.infographic import IMAGE_FRAMES
from qio_analysis.figures.svg import text_width
from qio_analysis.metrics.headline_pack import headline_pack
from tests.browser import chromium_path, launch

DEMO = qa.config.DEMO_STATISTICS


@pytest.fixture(scope="module")
def pack():
    return headline_pack(qa.load_statistics(DEMO))


@pytest.fixture(scope="module")
def files(pack):
    return pack_files(pack, credits_for(pack, [], demo=True, made="2 December 2026"))


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_image_is_composed_in_every_frame(files):
    paths = {f.path for f in files}
    assert {"infographic.pdf", "infographic.svg", "infographic.png"} <= paths
    for name in ("headline_tiles", "staff_ratio_by_region", "activity_trend", "tile_qualified_wte"):
        for frame in IMAGE_FRAMES:
            assert f"images/{name}_{frame.width}x{frame.height}.png" in paths
        assert f"images/{name}.svg" in paths
    assert {(1920, 1080), (1200, 675), (1080, 1080)} <= {f.size for f in files}


def _svg_text(svg: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg))


def test_every_graphic_carries_its_headline_source_line_and_synthetic_mark(files):
    for graphic in {id(f.graphic): f.graphic for f in files}.values():
        text = _svg_text(graphic.svg)
        assert "Source: synthetic LKS statistics returns 2019/20 to 2024/25" in text, graphic.name
        assert "Produced 2 December 2026" in text
        assert "SYNTHETIC DEMO DATA" in text and "Synthetic demo data" in text
        assert graphic.headline in text
        assert "<title" in graphic.svg and "<desc" in graphic.svg


def test_real_data_carries_its_source_and_no_synthetic_mark(pack):
    credits = credits_for(pack, ["returns_2025.xlsx"], demo=False, made="2 December 2026")
    svg = pack_files(pack, credits)[0].graphic.svg
    text = _svg_text(svg)
    assert (
        "Source: LKS workforce and activity statistics returns 2019/20 to 2024/25 (returns_2025.xlsx)"
        in text
    )
    assert "SYNTHETIC" not in text and "ynthetic" not in text


def test_alt_text_has_one_unique_heading_per_image_with_its_files_and_data(files):
    text = alt_text_markdown(files, year="2024/25", demo=True)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert len(headings) == len(set(headings))
    stems = {Path(f.path).name.split(".")[0] for f in files}
    assert set(headings) == {re.sub(r"_\d+x\d+$", "", s) for s in stems}
    for f in files:
        assert text.count(f"`{f.path}`") == 1
    assert text.count("| --- |") >= len(headings)  # each has a data table
    assert "**Alt text:**" in text and "Synthetic demo data" in text


@pytest.mark.browser
def test_text_is_never_wider_in_chromium_than_measured():
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    samples = [
        "Target 1:1,250",
        "£67.3m spent",
        "▲ Like for like up 2.1%",
        "North East and Yorkshire",
    ]
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        for bold in (False, True):
            weight = "bold" if bold else "normal"
            texts = "".join(
                f'<text x="0" y="{20 + 30 * i}" font-size="20" font-weight="{weight}">{s}</text>'
                for i, s in enumerate(samples)
            )
            page.set_content(
                '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="200" '
                f"font-family=\"Arial, 'Liberation Sans', Helvetica, sans-serif\">{texts}</svg>"
            )
            widths = page.evaluate(
                "() => Array.from(document.querySelectorAll('text')).map(t => t.getBBox().width)"
            )
            for sample, width in zip(samples, widths, strict=True):
                measured = text_width(sample, 20, bold)  # advance widths, without kerning
                assert measured * 0.96 <= width <= measured * 1.005, sample
        browser.close()


_BOXES = """() => Array.from(document.querySelectorAll('svg text')).map(t => {
  const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent];
})"""


@pytest.mark.browser
def test_no_two_text_boxes_overlap_in_any_frame_as_chromium_draws_them(files):
    """Every composition, the SVGs written and the PNG-only frames alike, measured in the browser."""
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    graphics = {id(f.graphic): f.graphic for f in files}.values()
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        for graphic in graphics:
            page.set_content(f"<body style='margin:0'>{graphic.svg}</body>")
            boxes = page.evaluate(_BOXES)
            assert len(boxes) > 10
            for x0, y0, x1, y1, text in boxes:
                assert x0 >= 0 and y0 >= 0, (graphic.name, text)
                assert x1 <= graphic.frame.width and y1 <= graphic.frame.height, (
                    graphic.name,
                    text,
                )
            for a, b in combinations(boxes, 2):
                apart = (
                    a[2] <= b[0] + 0.5
                    or b[2] <= a[0] + 0.5
                    or a[3] <= b[1] + 0.5
                    or b[3] <= a[1] + 0.5
                )
                assert apart, (graphic.name, a[4], b[4])
        browser.close()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pack")
    links = write_image_pack(
        folder, qa.load_statistics(DEMO), None, chromium=chromium_path(), demo=True
    )
    return folder, links


@pytest.mark.browser
def test_the_pack_is_written_with_one_browser(written, files):
    folder, links = written
    for f in files:
        data = (folder / f.path).read_bytes()
        if f.kind == "png":
            assert _png_size(data) == f.size, f.path
        elif f.kind == "svg":
            assert data.lstrip().startswith(b"<svg")
    assert _png_size((folder / "infographic.png").read_bytes()) == (2480, 3508)  # A4 at 300 dpi
    assert links["Infographic (PDF)"] == "infographic.pdf" and links["Images"] == "images/"
    for relative in links.values():  # every file the index would link was written
        assert (folder / relative).exists(), relative


@pytest.mark.browser
def test_the_infographic_pdf_is_one_tagged_a4_page_of_real_text(written):
    folder, _ = written
    pdf = folder / "infographic.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", info)
    assert re.search(r"Tagged:\s+yes", info)
    assert (
        "Title:           Library and knowledge services in England: the year in numbers, 2024/25"
        in info
    )
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "The year in numbers, 2024/25" in text and "1:1,621" in text and "Source:" in text
    struct = subprocess.run(
        ["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "H1" in struct and "H2" in struct and "Figure" in struct
    assert b"/Lang (en-GB)" in pdf.read_bytes() and b"/Outlines" in pdf.read_bytes()


@pytest.mark.browser
def test_the_figures_workbook_stores_numbers_as_numbers_under_peoples_headers(written, pack):
    folder, _ = written
    book = openpyxl.load_workbook(folder / "headline_figures.xlsx")
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    assert HEADLINE_SHEET in book.sheetnames
    sheet = book[HEADLINE_SHEET]
    table = next(iter(sheet.tables.values()))
    header_row = int(re.match(r"A(\d+)", table.ref).group(1))
    headers = [c.value for c in sheet[header_row]]
    assert headers[:4] == ["Measure", "Unit", "2024/25 total", "2024/25 returns"]
    assert "Services that returned in both years" in headers
    assert not any("_" in str(h) for h in headers)
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=header_row + 1) if r[0].value}
    qualified = rows["Qualified LKS staff (WTE)"]
    assert qualified[2].data_type == "n" and qualified[2].value == 703.2
    assert qualified[2].number_format == "#,##0.0"
    assert (
        rows["Expenditure"][2].value == 67_267_023
        and rows["Expenditure"][2].number_format == '"£"#,##0'
    )
    for row in rows.values():
        for cell in row[2:11]:
            assert cell.value is None or cell.data_type == "n", (row[0].value, cell.coordinate)
    notes = " ".join(str(c.value) for c in book["Notes"]["B"] if c.value)
    assert "rounded" in notes and "Disclosure control" in notes and "Synthetic demo data" in notes
    cover = " ".join(str(c.value) for c in book["Cover"]["A"] if c.value)
    assert "Source:" in cover and "Status: synthetic demo data" in cover
    with (folder / "headline_figures.csv").open(newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == headers
    by_measure = {line[0]: line for line in lines[1:]}
    assert by_measure["Qualified LKS staff (WTE)"][2] == "703.2"
    assert by_measure["LKS services making a return"][2] == "132"
    assert all("synthetic" in line[headers.index("Status")] for line in lines[1:])


def test_withheld_figures_are_said_in_words_on_every_graphic():
    """London cut to 3 services (withheld, with the next smallest region) and 2 services new in 2024/25."""
    data = qa.load_statistics(DEMO)
    london = data[(data["region"] == "London") & (data["year_start"] == 2024)]
    drop = set(london.index[3:])
    new = sorted(set(data.loc[data["year_start"] == 2024, "service_code"]))[:2]
    drop |= set(data[(data["year_start"] == 2023) & data["service_code"].isin(new)].index)
    pack = headline_pack(data.drop(index=sorted(drop)), 2024)
    regions = pack.regions.set_index("region")
    assert regions.at["London", "suppressed"] and regions["suppressed"].sum() == 2
    files = pack_files(pack, credits_for(pack, [], demo=True, made="2 December 2026"))
    for graphic in {id(f.graphic): f.graphic for f in files}.values():
        text = _svg_text(graphic.svg)
        if graphic.name.startswith(("infographic", "staff_ratio")):
            assert "London not shown: fewer than 5 services" in text
        if graphic.name.startswith(("infographic", "headline_tiles", "tile_")):
            assert "Like-for-like change not published (see the notes)" in text
    notes = alt_text_markdown(files, year=pack.year, demo=True)
    assert "London: not shown: fewer than 5 services" in notes
    # One note for the like-for-like figures of every measure (one reason), one per region.
    assert len(pack.withheld) == 3
    assert pack.withheld["figure"].iloc[0].startswith("Qualified LKS staff (WTE); Other LKS staff")


@pytest.mark.parametrize("min_group", [1, 5])
def test_every_graphic_composes_for_a_tiny_return_set(min_group):
    """Two services: with min_group 1 every figure shows (ratios under the target, label at the edge);
    with 5 every figure is withheld and says so. Composing raises if any text overlaps or leaves the frame."""
    data = qa.load_statistics(Path(__file__).resolve().parents[1] / "data/statistics/returns.csv")
    pack = headline_pack(data, min_group=min_group)
    files = pack_files(pack, credits_for(pack, ["returns.csv"], demo=False, made="2 December 2026"))
    texts = [_svg_text(g.svg) for g in {id(f.graphic): f.graphic for f in files}.values()]
    assert all("Source: LKS workforce and activity statistics returns" in t for t in texts)
    withheld = "not published (see the notes)" in texts[0]
    assert withheld == (min_group == 5)


GLYPHS = {"\u25b2", "\u25bc", "\u25ba"}


def _graphics(files):
    return list({id(f.graphic): f.graphic for f in files}.values())


def test_every_alt_text_is_short_in_words_only_and_marked_synthetic(files):
    for graphic in _graphics(files):
        assert len(graphic.alt_text) <= 1000, (graphic.name, len(graphic.alt_text))
        assert not GLYPHS & set(graphic.alt_text), graphic.name
        assert "Synthetic demo data" in graphic.alt_text, graphic.name
        assert f'<desc id="desc">{graphic.alt_text[:40]}' in graphic.svg
    text = alt_text_markdown(files, year="2024/25", demo=True)
    alts = re.findall(r"^\*\*Alt text:\*\* (.*)$", text, flags=re.M)
    assert alts and all(len(a) <= 1000 and not GLYPHS & set(a) for a in alts)
    # The whole story is still there, in the long description of the infographic.
    long = re.findall(r"^\*\*Long description:\*\* (.*)$", text, flags=re.M)
    assert any("Horizontal bars of the staff ratio by region" in d for d in long)
    assert any("5 services that returned in 2023/24 did not return this year" in d for d in long)


def test_one_label_for_rates_across_images_alt_text_and_tables(files, pack):
    from qio_analysis.export.headline_tables import headline_frame, trend_frame

    said = [_svg_text(g.svg) + g.alt_text + g.description for g in _graphics(files)]
    said.append(alt_text_markdown(files, year="2024/25", demo=True))
    said.append(headline_frame(pack, source="x", demo=True).to_csv())
    said.append(" ".join(trend_frame(pack).columns))
    assert not any("per 1,000 NHS staff" in s for s in said)
    assert all("per 1,000 NHS WTE" in s for s in said[-2:])
    assert "per 1,000 NHS WTE" in said[0]  # the infographic


def test_the_figures_tables_hold_each_figure_as_it_is_printed(files, pack):
    from qio_analysis.export.headline_tables import headline_frame, regions_frame

    frame = headline_frame(pack, source="x", demo=True).set_index("Measure")
    infographic = _svg_text(_graphics(files)[0].svg)
    for tile in qa.headline_tiles(pack.headlines, target=pack.target):
        row = pack.row(tile.measure)
        held = frame.at[row["label"], "2024/25 total"]
        assert qa.words.format_value(held, row["unit"], target=pack.target) == tile.figure
        assert tile.figure in infographic
    # England's ratio, 1,621.47 unrounded, is held as printed: 1621, not 1621.5.
    assert frame.at["NHS WTE per qualified LKS WTE (1:N)", "2024/25 total"] == 1621
    assert frame.at["NHS WTE per qualified LKS WTE (1:N)", "2023/24 total"] == 1643
    regions = regions_frame(pack).set_index("Region")
    assert regions.at["England", "NHS WTE per qualified LKS WTE (N in 1:N)"] == 1621
    assert "1:1,621" in infographic and "1:1,621.5" not in infographic


def test_a_ratio_withheld_in_the_headlines_is_published_nowhere():
    """Ten services in both years; ZC01 gives 3.01 qualified WTE but no NHS WTE in 2024/25.

    England's ratio over the other nine (22,500 / 27.54 = 1:817) with the published
    qualified WTE total (30.55) would give ZC01's 3.01 back, so it is withheld: in
    the headline table, the ratio by region (England, and London, which holds every
    service), the tiles, every graphic and its alt text.
    """
    from qio_analysis.export.headline_tables import headline_frame, regions_frame
    from tests.metrics.helpers import stats

    rows = [
        {
            "service_code": f"ZC{i:02d}",
            "year_start": year,
            "qualified_wte": base + i / 100,
            "nhs_wte": None if (i, year) == (1, 2024) else 2500.0,
        }
        for i in range(1, 11)
        for year, base in ((2023, 2.0), (2024, 3.0))
    ]
    pack = headline_pack(stats(rows), 2024, min_group=5)
    assert pack.row("qualified_wte")["value"] == pytest.approx(30.55)
    hidden = qa.words.format_ratio(22_500 / 27.54)
    assert hidden == "1:817"
    files = pack_files(pack, credits_for(pack, [], demo=True, made="2 December 2026"))
    for graphic in _graphics(files):
        for text in (_svg_text(graphic.svg), graphic.alt_text, graphic.description):
            assert hidden not in text and "817" not in text, graphic.name
    assert hidden not in alt_text_markdown(files, year=pack.year, demo=True)
    frame = headline_frame(pack, source="x", demo=True).set_index("Measure")
    assert frame.at["NHS WTE per qualified LKS WTE (1:N)", "2024/25 total"] is None
    regions = regions_frame(pack).set_index("Region")
    assert (
        regions.loc[["England", "London"], "NHS WTE per qualified LKS WTE (N in 1:N)"].isna().all()
    )
    assert regions.loc[["England", "London"], "Note"].str.contains("published totals").all()

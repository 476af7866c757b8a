"""The image pack: same figures as the headlines report, PNG at two sizes plus SVG, numbers, alt text."""

from __future__ import annotations

import csv
import struct
from pathlib import Path

import openpyxl
import pytest

from qio_analysis.export.images import (
    alt_text_markdown,
    headline_charts,
    image_files,
    write_image_pack,
)
from qio_analysis.figures import figure_alt_text
from qio_analysis.io import load_statistics

DATA = Path(__file__).resolve().parents[1] / "data" / "statistics" / "returns.csv"
needs_browser = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(),
    reason="needs Debian chromium (apt-get install -y chromium)",
)


@pytest.fixture(scope="module")
def stats():
    return load_statistics(DATA)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_file_names_say_the_size(stats):
    charts, _ = headline_charts(stats)
    names = [c.name for c in charts]
    assert names[0] == "headline_tiles" and "staff_ratio_by_region" in names
    assert any(n.startswith("tile_") for n in names)
    assert image_files(charts[0]) == {
        "slide": "headline_tiles_1920x1080.png",
        "social": "headline_tiles_1200x675.png",
        "svg": "headline_tiles.svg",
    }


def test_alt_text_lists_every_file_with_the_figure_alt_text(stats):
    charts, headlines = headline_charts(stats)
    text = alt_text_markdown(charts, year=headlines["year"].iloc[0], demo=True)
    assert "Synthetic demo data" in text
    for chart in charts:
        for name in image_files(chart).values():
            assert f"`{name}`" in text
        assert figure_alt_text(chart.figure) in text


@needs_browser
def test_pack_is_written_with_one_kaleido_session(stats, tmp_path, monkeypatch):
    import kaleido

    opened = []

    class Counting(kaleido.Kaleido):
        def __init__(self, *args, **kwargs):
            opened.append(kwargs.get("path"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(kaleido, "Kaleido", Counting)
    links = write_image_pack(tmp_path, stats, None, chromium="/usr/bin/chromium", demo=False)
    assert opened == ["/usr/bin/chromium"], "one kaleido session, on the system chromium"
    charts, headlines = headline_charts(stats)
    for chart in charts:
        files = image_files(chart)
        assert _png_size(tmp_path / "images" / files["slide"]) == (1920, 1080)
        assert _png_size(tmp_path / "images" / files["social"]) == (1200, 675)
        assert (tmp_path / "images" / files["svg"]).read_text().lstrip().startswith("<svg")
    with (tmp_path / links["figures_csv"]).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["measure"] for r in rows] == headlines["measure"].tolist()
    book = openpyxl.load_workbook(tmp_path / links["figures_xlsx"])
    assert book.sheetnames[0] == "Headline figures"
    assert not any(c.data_type == "f" for ws in book for row in ws.iter_rows() for c in row)
    assert (tmp_path / links["alt_text"]).exists()

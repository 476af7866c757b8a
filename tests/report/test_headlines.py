"""The headlines report's blocks: sentence, tiles and table from one disclosure-controlled pack."""

from __future__ import annotations

import re

import pytest

from qio_analysis.metrics.headline_pack import headline_pack
from qio_analysis.report.headlines import tiles_html, withheld_records
from qio_analysis.report.tables import headline_table
from qio_analysis.words import headline_sentence, headline_tiles
from tests.metrics.helpers import stats


def _pack(ratio_2024: float, *, new: int = 0):
    """Six services in both years with 2,500 NHS WTE each; qualified WTE set for the ratio wanted."""
    rows = []
    for i in range(6):
        rows.append(
            {"service_code": f"ZB{i}", "year_start": 2023, "qualified_wte": 2.0, "nhs_wte": 2500.0}
        )
        rows.append(
            {
                "service_code": f"ZB{i}",
                "year_start": 2024,
                "qualified_wte": 2500.0 / ratio_2024,
                "nhs_wte": 2500.0,
            }
        )
    for j in range(new):
        rows.append(
            {"service_code": f"ZN{j}", "year_start": 2024, "qualified_wte": 2.0, "nhs_wte": 2500.0}
        )
    return headline_pack(stats(rows), 2024, min_group=5)


@pytest.mark.slow  # seconds of examples or files: not the fast layer
def test_the_sentence_prints_the_ratio_precisely_enough_for_its_verdict():
    text = headline_sentence(_pack(1250.4).headlines)
    assert "a ratio of 1:1,250.4, which does not yet meet the national target of 1:1,250" in text
    assert (
        "6 LKS services made a statistics return (6 in 2023/24; 6 returned in both years)" in text
    )
    assert "a ratio of 1:1,250, which meets" in headline_sentence(_pack(1250.04).headlines)


def test_every_number_in_the_table_is_the_one_on_the_tiles():
    pack = _pack(1250.4)
    table = headline_table(pack.headlines, target=pack.target).set_index("Measure")
    tiles = {
        t.measure: t
        for t in headline_tiles(pack.headlines, ("qualified_wte", "nhs_wte_per_qualified"))
    }
    assert (
        table.at["NHS WTE per qualified LKS WTE (1:N)", "2024/25"]
        == tiles["nhs_wte_per_qualified"].figure
    )
    assert tiles["nhs_wte_per_qualified"].figure == "1:1,250.4"
    # 2.0 -> 1.99936 WTE each: the like-for-like change is -0.0%, which prints as about the same.
    assert table.at["Qualified LKS staff (WTE)", "Like-for-like change"] == "0.0%"
    assert "about the same" in tiles["qualified_wte"].lines[2].words
    # The ratio went from 1:1,250 to 1:1,250.4: +0.0%, so neither better nor worse.
    assert table.at["NHS WTE per qualified LKS WTE (1:N)", "Change in the total"] == "0.0%"


def test_withheld_figures_say_not_published_and_are_recorded():
    pack = _pack(1000.0, new=1)  # one new service: like for like differs from the totals by one
    table = headline_table(pack.headlines, target=pack.target).set_index("Measure")
    assert table.at["Qualified LKS staff (WTE)", "Like-for-like change"] == "not published"
    # Totals: 6 x 2.0 = 12.0 in 2023/24; 6 x 2.5 + 2.0 = 17.0 in 2024/25, up 5 / 12 = 41.7%.
    assert table.at["Qualified LKS staff (WTE)", "Change in the total"] == "+41.7%"
    records = withheld_records(pack)
    assert records and "Only the totals" in records[0]["reason"]


def test_tiles_html_escapes_and_hides_arrows_from_screen_readers():
    pack = _pack(1000.0)
    markup = tiles_html(headline_tiles(pack.headlines))
    assert markup.count('class="qio-tile"') == 6
    assert re.search(r'<span class="qio-arrow qio-better" aria-hidden="true">\u25bc</span>', markup)
    assert '(<strong class="qio-better">better</strong>)' in markup


def test_the_table_counts_the_returns_behind_each_figure_and_says_why_one_is_missing():
    """Six services in both years; ZB5 gives no NHS WTE in 2024/25, so the ratio has 5 returns
    behind it and is withheld (against the qualified WTE total from 6); nobody reported spending."""
    rows = [
        {"service_code": f"ZB{i}", "year_start": year, "qualified_wte": 2.0, "nhs_wte": 2500.0}
        for i in range(6)
        for year in (2023, 2024)
    ]
    rows[-1]["nhs_wte"] = None
    pack = headline_pack(stats(rows), 2024, min_group=1)
    table = headline_table(pack.headlines).set_index("Measure")
    ratio = table.loc["NHS WTE per qualified LKS WTE (1:N)"]
    assert (ratio["2024/25"], ratio["2024/25 returns"], ratio["2023/24 returns"]) == (
        "1:1,250",
        "5",
        "6",
    )
    assert table.loc["Qualified LKS staff (WTE)", "2024/25 returns"] == "6"
    assert table.loc["Expenditure", "2024/25"] == "not reported"
    withheld = headline_table(headline_pack(stats(rows), 2024, min_group=5).headlines)
    assert withheld.set_index("Measure").loc[ratio.name, "2024/25"] == "not published"

"""Headline tiles: the arrow and the word beside each figure never contradict it."""

from __future__ import annotations

import re

import pytest

import qio_analysis as qa
from qio_analysis.metrics.headline_pack import headline_pack
from qio_analysis.words import DEFAULT_TILES, headline_tiles
from tests.metrics.helpers import stats


@pytest.fixture(scope="module")
def falling_total():
    """Five services in both years (2.0 -> 2.3 WTE each) and five that stopped returning (2.0 each).

    By hand: total 20.0 from 10 returns -> 11.5 from 5, down 42.5%; like for like
    10.0 -> 11.5 among the 5 in both years, up 15.0%. NHS WTE 2,500 each, so the
    staff ratio goes from 25,000 / 20.0 = 1:1,250 to 12,500 / 11.5 = 1:1,087 in
    total, and like for like from 12,500 / 10.0 = 1:1,250: down 13.0%, better.
    """
    rows = []
    for i in range(5):
        for year, wte in ((2023, 2.0), (2024, 2.3)):
            rows.append(
                {
                    "service_code": f"ZB{i}",
                    "year_start": year,
                    "qualified_wte": wte,
                    "nhs_wte": 2500.0,
                }
            )
        rows.append(
            {"service_code": f"ZG{i}", "year_start": 2023, "qualified_wte": 2.0, "nhs_wte": 2500.0}
        )
    return headline_pack(stats(rows), 2024, min_group=5)


def test_a_falling_total_with_a_like_for_like_rise_says_both_in_words(falling_total):
    tile = headline_tiles(falling_total.headlines, ("qualified_wte",))[0]
    assert tile.figure == "11.5"
    assert [line.words for line in tile.lines] == [
        "2024/25 total from 5 returns",
        "\u25bc Total down 42.5% since 2023/24 (was 20.0 from 10 returns); 5 services that "
        "returned in 2023/24 did not return this year",
        "\u25b2 Like for like up 15.0% among the 5 services that returned in both years",
    ]
    assert {line.tone for line in tile.lines[1:]} == {"neutral"}  # no "better" for staff numbers
    # Alt text and tables say it in words only: no arrow for a screen reader to read aloud.
    assert tile.words == (
        "11.5 qualified library and knowledge staff (whole-time equivalent). 2024/25 total from "
        "5 returns. Total down 42.5% since 2023/24 (was 20.0 from 10 returns); 5 services that "
        "returned in 2023/24 did not return this year. Like for like up 15.0% among the 5 "
        "services that returned in both years."
    )


def test_each_figure_counts_the_returns_behind_it():
    """Six services return in both years; in 2024/25 ZB5 gives qualified WTE but no NHS WTE.

    The qualified WTE total is from 6 returns, the staff ratio from the 5 with both
    figures (min_group 1, so nothing is withheld).
    """
    rows = [
        {"service_code": f"ZB{i}", "year_start": year, "qualified_wte": 2.0, "nhs_wte": 2500.0}
        for i in range(6)
        for year in (2023, 2024)
    ]
    rows[-1]["nhs_wte"] = None
    pack = headline_pack(stats(rows), 2024, min_group=1)
    qualified, ratio = headline_tiles(pack.headlines, ("qualified_wte", "nhs_wte_per_qualified"))
    assert qualified.lines[0].words == "2024/25 total from 6 returns"
    assert ratio.figure == "1:1,250"  # 12,500 / 10.0
    assert ratio.lines[0].words == "2024/25 total from 5 returns"
    assert "(was 1:1,250 from 6 returns)" in ratio.lines[1].words
    assert "did not return" not in qualified.words  # every service returned in both years


def test_better_and_worse_appear_only_on_the_staff_ratio(falling_total):
    ratio = headline_tiles(falling_total.headlines, ("nhs_wte_per_qualified",))[0]
    assert ratio.figure == "1:1,087"
    assert ratio.lines[1].words == (
        "\u25bc Total down 13.0% (better) since 2023/24 (was 1:1,250 from 10 returns)"
    )
    assert ratio.lines[2].words.startswith("\u25bc Like for like down 13.0% (better)")
    assert ratio.lines[3].words == "Target 1:1,250 met"


ARROW_WORD = {"\u25b2": "up", "\u25bc": "down", "\u25ba": "about the same"}


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text.split(":")[-1]))


def test_no_tile_on_the_demo_headlines_contradicts_its_figure():
    pack = headline_pack(qa.load_statistics(qa.config.DEMO_STATISTICS))
    tiles = headline_tiles(pack.headlines, ("n_services", *DEFAULT_TILES), target=pack.target)
    assert len(tiles) == 7
    for tile in tiles:
        row = pack.row(tile.measure)
        for line in tile.lines:
            words = line.words
            if line.arrow:
                assert ARROW_WORD[line.arrow] in words, words
                other = {"up", "down"} - {ARROW_WORD[line.arrow]}
                assert not any(f" {w} " in f" {words} " for w in other), words
            said = {"better", "worse"} & set(re.findall(r"[a-z]+", words))
            if tile.measure != "nhs_wte_per_qualified":
                assert not said, words
            elif line.arrow:  # lower is better
                assert said == ({"better"} if line.arrow == "\u25bc" else {"worse"}), words
        # The change in the total points the way the two printed totals went.
        total = next(line for line in tile.lines if "since" in line.words)
        was = re.search(r"\((?:was |then )([^ )]+)", total.words).group(1)
        now, before = _number(tile.figure), _number(was)
        if now != before:
            assert ARROW_WORD[total.arrow] == ("up" if now > before else "down"), total.words
        if tile.measure == "nhs_wte_per_qualified":
            target_line = tile.lines[-1].words
            met = _number(tile.figure) <= pack.target
            assert target_line.endswith("met" if met else "not yet met (lower is better)")
        assert row["year"] in tile.lines[0].words


def test_a_figure_nobody_reported_is_not_called_withheld():
    rows = [
        {"service_code": f"ZB{i}", "year_start": year, "qualified_wte": 2.0, "nhs_wte": 2500.0}
        for i in range(6)
        for year in (2023, 2024)
    ]
    rows[-1]["nhs_wte"] = None  # the staff ratio is withheld against the qualified WTE total
    pack = headline_pack(stats(rows), 2024, min_group=5)
    spend, ratio = headline_tiles(pack.headlines, ("expenditure_gbp", "nhs_wte_per_qualified"))
    assert [line.said for line in spend.lines] == [
        "2024/25 total not reported",
        "Change in the total no comparison",
        "Like-for-like change no comparison",
    ]
    assert ratio.lines[0].said == "2024/25 total not published (see the notes)"

"""The headlines report's blocks, all from the disclosure-controlled headline pack.

The tiles are HTML (real text that wraps to any width and prints), from the
same :func:`~qio_analysis.figures.tiles.headline_tiles` as the infographic;
the figures table is the tiles' numbers in a table; withheld figures are
listed and recorded for the manifest. Every number on the page comes from
one :class:`~qio_analysis.metrics.headline_pack.HeadlinePack`, so the
sentence, the tiles, the table and the charts agree.
"""

from __future__ import annotations

import html

import pandas as pd

from qio_analysis.figures.tiles import Tile, figure_text
from qio_analysis.metrics.headline_pack import HeadlinePack
from qio_analysis.verdicts import (
    Change,
    format_ratio,
    judge_change,
    policy_verdict,
    target_words,
)

NOT_PUBLISHED = "not published"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def tiles_html(tiles: list[Tile]) -> str:
    """The tiles as a list of cards: the big number, its label and each line in words.

    Arrows are decoration for sighted readers (hidden from screen readers:
    the words beside them say up or down); colour marks "better" and "worse"
    only beside the words themselves.
    """
    cards = []
    for tile in tiles:
        lines = []
        for line in tile.lines:
            arrow = (
                f'<span class="qio-arrow qio-{line.tone}" aria-hidden="true">{line.arrow}</span> '
                if line.arrow
                else ""
            )
            lead = f"<strong>{_esc(line.lead)}</strong> " if line.lead else ""
            text = _esc(line.text)
            for word in ("better", "worse"):
                text = text.replace(f"({word})", f'(<strong class="qio-{word}">{word}</strong>)')
            lines.append(f"<li>{arrow}{lead}{text}</li>")
        cards.append(
            f'<li class="qio-tile"><p class="qio-tile-figure">{_esc(tile.figure)}</p>'
            f'<p class="qio-tile-label">{_esc(tile.label)}</p>'
            f'<ul class="qio-tile-lines">{"".join(lines)}</ul></li>'
        )
    return f'<ul class="qio-tiles" aria-label="Headline figures">{"".join(cards)}</ul>'


def headline_sentence(pack: HeadlinePack) -> str:
    """The opening paragraph: who returned, the national staff ratio and its verdict, the basis of change."""
    services = pack.row("n_services")
    ratio = pack.row("nhs_wte_per_qualified")
    text = f"In {pack.year}, {int(services['value']):,} LKS services made a statistics return"
    if int(services["n_previous_returns"]):
        text += (
            f" ({int(services['previous']):,} in {pack.previous_year}; "
            f"{int(services['n_both']):,} returned in both years)"
        )
    text += "."
    if pd.isna(ratio["value"]):
        text += " The national staff ratio is not published for this year (see the notes)."
    else:
        shown = format_ratio(ratio["value"], pack.target)
        text += (
            f" Nationally there were {shown.removeprefix('1:')} NHS staff (WTE) for each qualified "
            f"LKS staff member (WTE), a ratio of {shown}, which "
            f"{target_words(ratio['value'], pack.target)} the national target of "
            f"1:{pack.target:,.0f} (lower is better)."
        )
    if int(services["n_previous_returns"]):
        text += (
            " Totals are over every return; like-for-like changes compare only the "
            f"{int(services['n_both']):,} services that returned in both years."
        )
    else:
        text += f" There is no return for {pack.previous_year} to compare with."
    return text


def _change_cell(change: Change, better_when: str) -> str:
    verdict = policy_verdict(change.direction, better_when)
    return f"{change.signed} ({verdict})" if verdict else change.signed


def headline_figures_table(pack: HeadlinePack) -> pd.DataFrame:
    """Every headline figure as printed on the tiles, with both years' returns and both changes."""
    rows = []
    for r in pack.headlines.itertuples():
        total = judge_change(r.total_change, r.change_unit)
        like = judge_change(r.change, r.change_unit)
        withheld_total = "value" in r.withheld or "previous" in r.withheld
        withheld_like = "value_both" in r.withheld or "previous_both" in r.withheld
        rows.append(
            {
                "Measure": r.label,
                pack.year: NOT_PUBLISHED
                if pd.isna(r.value)
                else figure_text(r.value, r.unit, pack.target),
                f"{pack.year} returns": f"{int(r.n_returns):,}",
                pack.previous_year: NOT_PUBLISHED
                if pd.isna(r.previous)
                else figure_text(r.previous, r.unit, pack.target),
                f"{pack.previous_year} returns": f"{int(r.n_previous_returns):,}",
                "Change in the total": NOT_PUBLISHED
                if withheld_total
                else _change_cell(total, r.better_when),
                "Like-for-like change": "not applicable"
                if r.measure == "n_services"
                else (NOT_PUBLISHED if withheld_like else _change_cell(like, r.better_when)),
            }
        )
    return pd.DataFrame(rows)


def withheld_records(pack: HeadlinePack) -> list[dict]:
    """The withheld figures as records for :func:`~qio_analysis.report.display.record_suppressed`."""
    return [
        {"group": r.figure, "n": pack.min_group - 1, "reason": r.reason}
        for r in pack.withheld.itertuples()
    ]

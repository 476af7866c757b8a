"""The headlines report's own blocks: the tiles as HTML and the record of withheld figures.

The tiles are HTML (real text that wraps to any width and prints), from the
same :func:`~qio_analysis.words.headline_tiles` as the infographic. Every
number on the page comes from one
:class:`~qio_analysis.metrics.headline_pack.HeadlinePack`, so the sentence
(:func:`~qio_analysis.words.headline_sentence`), the tiles, the table
(:func:`~qio_analysis.report.tables.headline_table`) and the charts agree.
"""

from __future__ import annotations

import html
from dataclasses import replace

from qio_analysis.io.inputs import Inputs
from qio_analysis.metrics.headline_pack import HeadlinePack
from qio_analysis.report.display import header, record_suppressed, show_html
from qio_analysis.words.tiles import Tile


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


def withheld_records(pack: HeadlinePack) -> list[dict]:
    """The withheld figures as records for :func:`~qio_analysis.report.display.record_suppressed`."""
    return [
        {"group": r.figure, "n": pack.min_group - 1, "reason": r.reason}
        for r in pack.withheld.itertuples()
    ]


def show_tiles(tiles: list[Tile]) -> None:
    """Display the tiles (see :func:`tiles_html`)."""
    show_html(tiles_html(tiles))


def record_withheld(pack: HeadlinePack) -> None:
    """Say which figures disclosure control withheld from the pack, and record them for the manifest."""
    record_suppressed(withheld_records(pack), what=f"LKS headline figures, {pack.year}")


def used_inputs(inputs: Inputs) -> Inputs:
    """``inputs`` naming only the file the headlines are made from: the statistics returns.

    The public page credits what it used, not the QIOF or organisations files
    read beside it.
    """
    used = [inputs.statistics_source] if inputs.statistics_source else []
    return replace(inputs, sources=used)


def headlines_header(title: str, inputs: Inputs) -> None:
    """The headlines report's header, crediting only the statistics returns."""
    header(title, used_inputs(inputs))

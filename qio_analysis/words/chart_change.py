"""The change charts' words: the Sankey of level transitions and the movement bars.

One function per chart returns its :class:`~qio_analysis.words.chart_words.ChartWords`.
"""

from __future__ import annotations

import pandas as pd

from qio_analysis.framework import OUTCOME_SHORT
from qio_analysis.text import escape_html
from qio_analysis.words.chart_words import ChartWords
from qio_analysis.words.formats import format_percent
from qio_analysis.words.reviews import tie_words


def sankey_words(
    *, outcome: int, where: str, cycles: tuple[int, int], up: int, total: int
) -> ChartWords:
    """The Sankey's title and alt text: ``up`` of ``total`` organisations with a level in both
    ``cycles`` moved up at least one level on ``outcome`` in ``where``.

    >>> sankey_words(outcome=1, where="London", cycles=(2023, 2025), up=2, total=5).title
    'Outcome 1 (Access): 2 of 5 organisations in London moved up at least one level between 2023 and 2025'
    """
    start, end = cycles
    short = OUTCOME_SHORT[outcome]
    title = (
        f"Outcome {outcome} ({escape_html(short)}): {up} of {total} organisations in "
        f"{escape_html(where)} moved up at least one level between {start} and {end}"
    )
    alt = (
        f"Sankey diagram of validated level transitions for outcome {outcome} ({short}) in "
        f"{where} from {start} (left) to {end} (right). {up} of {total} organisations with a "
        "level in both cycles moved up at least one level. Organisations new or absent in a "
        "cycle, or without a level, have their own nodes."
    )
    return ChartWords(title, alt)


def movement_chart_words(part: pd.DataFrame, where: str) -> ChartWords:
    """The movement bars' title and alt text, from the ``summary`` rows of
    :func:`~qio_analysis.metrics.transitions` drawn for ``where``.

    The title names the outcome with the largest share improved, compared as printed (whole
    percentages): outcomes that print the same are a tie, named as one.

    >>> rows = pd.DataFrame({"outcome": [1, 2], "from_cycle": 2023, "to_cycle": 2025,
    ...     "improved": [1, 1], "pct_improved": [50.2, 49.9]})
    >>> movement_chart_words(rows, "London").title
    'In London, most improvement between 2023 and 2025 was on outcomes 1 and 2, each 50% up at least one level'
    """
    start, end = int(part["from_cycle"].iloc[0]), int(part["to_cycle"].iloc[0])
    shown = part["pct_improved"].round(0)
    best = part[shown == shown.max()]
    if best["improved"].max() == 0:
        title = (
            f"In {escape_html(where)}, no organisation moved up a whole level between {start} "
            f"and {end}"
        )
    else:
        names = (
            [str(int(o)) for o in best["outcome"]]
            if len(best) > 1
            else [f"{int(o)} ({OUTCOME_SHORT[int(o)]})" for o in best["outcome"]]
        )
        top = format_percent(best["pct_improved"].iloc[0], digits=0)
        title = escape_html(
            f"In {where}, most improvement between {start} and {end} was on "
            f"{tie_words(names, top, 'outcome')} up at least one level"
        )
    alt = (
        f"Stacked bars per outcome of the share of organisations in {where} whose validated "
        f"level rose, stayed the same or fell by at least one whole level between {start} and "
        f"{end}. Within an unchanged level, a sub-level movement counts only when both cycles "
        "carry a sub-level; the data table gives those counts."
    )
    return ChartWords(title, alt)

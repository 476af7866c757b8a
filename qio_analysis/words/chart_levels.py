"""The level charts' words: each chart's headline title and alt text, from its data.

One function per chart returns its :class:`~qio_analysis.words.chart_words.ChartWords`;
the figure draws, these say what it shows.
"""

from __future__ import annotations

import pandas as pd

from qio_analysis.framework import NOT_COMPARABLE, UP
from qio_analysis.text import escape_html
from qio_analysis.words.chart_words import ChartWords
from qio_analysis.words.phrases import (
    FIRST_CYCLE_NOTE,
    RADAR_RINGS,
    join_words,
    level_words,
    since_words,
)


def _rose(profile: pd.DataFrame, column: str) -> tuple[int, int]:
    """Outcomes up a whole level, and outcomes compared, from a profile's comparison column."""
    status = profile[column]
    return int((status == UP).sum()), int((status != NOT_COMPARABLE).sum())


def radar_words(profile: pd.DataFrame, name: str, cycle: int, earlier: list[int]) -> ChartWords:
    """The radar's title (whole-level rises since the previous cycle and the baseline) and alt
    text (every outcome's validated level this cycle), for the organisation ``name``."""
    previous, baseline = (
        profile["previous_cycle"].iloc[0],
        profile["baseline_cycle"].iloc[0] if "baseline_cycle" in profile else None,
    )
    rose, compared = _rose(profile, "comparison")
    pieces = []
    if compared:
        pieces.append(f"rose a level on {rose} of {compared} outcomes {since_words(int(previous))}")
    if baseline is not None and not pd.isna(baseline) and int(baseline) != int(previous):
        up, n = _rose(profile, "comparison_since_baseline")
        if n:
            pieces.append(f"on {up} of {n} {since_words(int(baseline))}")
    if pieces:
        title = f"{escape_html(name)}: validated levels " + " and ".join(pieces)
    elif profile["validated_level"].isna().all():
        title = f"{escape_html(name)}: {cycle} self-evaluation, awaiting validation"
    else:
        title = f"{escape_html(name)}: validated levels on the six outcomes, {cycle}"
    cycles = [*earlier, cycle]
    listed = join_words(cycles)
    parts = [
        f"{row['outcome_short']} {level_words(row['validated_level'], row['validated_sublevel'])}"
        for _, row in profile.iterrows()
    ]
    alt = (
        f"Radar chart of QIOF levels for {name} on the six outcomes: validated levels for {listed} "
        f"and the {cycle} self-evaluation"
        + ("; earlier cycles are grey and dashed" if earlier else "")
        + f". {RADAR_RINGS} Validated {cycle}: "
        + "; ".join(parts)
        + "."
        + (f" Validated levels {' and '.join(pieces)}." if pieces else f" {FIRST_CYCLE_NOTE}")
    )
    return ChartWords(title, alt)

"""The words of the completeness chart: its headline and alt text."""

from __future__ import annotations

import pandas as pd

from qio_analysis.reference import NATIONAL
from qio_analysis.words.chart_words import ChartWords

#: What the completeness chart says when there is no one to count.
NO_ORGANISATIONS = "There are no organisations to count."


def completeness_headline(england: pd.Series, cycle: int) -> str:
    """How many expected organisations have validated levels, and how many await validation.

    >>> england = pd.Series({"validated": 1, "expected": 3, "awaiting_validation": 1})
    >>> completeness_headline(england, 2025)
    '1 of 3 expected organisations have validated levels for 2025; 1 await validation'
    """
    return (
        f"{int(england['validated'])} of {int(england['expected'])} expected organisations have "
        f"validated levels for {cycle}; {int(england['awaiting_validation'])} await validation"
    )


def completeness_alt(counts: pd.DataFrame, cycle: int) -> str:
    """The chart's alt text: each region's counts, then the regions with no submissions.

    >>> counts = pd.DataFrame(
    ...     {"region": ["London", "England"], "validated": [0, 0], "awaiting_validation": [0, 0],
    ...      "missing": [2, 2], "note": ["no submissions", ""]}
    ... )
    >>> completeness_alt(counts, 2025).split(". ")[-1]
    'No submissions from London.'
    """
    each = "; ".join(
        f"{r}: {int(v)} validated, {int(a)} awaiting validation, {int(m)} not submitted"
        for r, v, a, m in zip(
            counts["region"],
            counts["validated"],
            counts["awaiting_validation"],
            counts["missing"],
            strict=True,
        )
    )
    regional = counts[counts["region"] != NATIONAL]
    none = regional.loc[regional["note"] != "", "region"].tolist()
    return (
        f"Stacked bars per region of expected organisations validated, awaiting validation and not "
        f"submitted in {cycle}. {each}."
        + (f" No submissions from {', '.join(none)}." if none else "")
    )


def completeness_words(counts: pd.DataFrame) -> ChartWords:
    """The completeness chart's headline (England's counts) and alt text (every region's).

    >>> counts = pd.DataFrame(
    ...     {"region": ["London", "England"], "cycle": 2025, "expected": [2, 2], "validated": [1, 1],
    ...      "awaiting_validation": [0, 0], "missing": [1, 1], "note": ["", ""]}
    ... )
    >>> completeness_words(counts).title
    '1 of 2 expected organisations have validated levels for 2025; 0 await validation'
    """
    cycle = int(counts["cycle"].iloc[0])
    england = counts[counts["region"] == NATIONAL].iloc[0]
    return ChartWords(completeness_headline(england, cycle), completeness_alt(counts, cycle))


__all__ = ["NO_ORGANISATIONS", "completeness_alt", "completeness_headline", "completeness_words"]

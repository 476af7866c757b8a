"""The words of the validation charts: headlines, alt text and the data table's column heads.

Each sentence is built from the numbers the chart draws, so the headline,
the alt text and the table never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qio_analysis.framework import OUTCOME_SHORT
from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html
from qio_analysis.words.chart_words import ChartWords
from qio_analysis.words.phrases import join_words
from qio_analysis.words.reviews import adjustment_kind_words

#: What a validation chart says when there is nothing to compare.
NO_PAIRS = "No outcome has both a self-evaluated and a validated level for this selection."

#: The agreement summary's columns as a data table heads them.
SUMMARY_WORDS = {
    "region": "Region",
    "outcome": "Outcome",
    "n_pairs": "Outcomes compared",
    "pct_exact": "Same level (%)",
    "pct_lowered": "Levels lowered (%)",
    "pct_raised": "Levels raised (%)",
    "n_level_lowered": "Levels lowered",
    "n_level_raised": "Levels raised",
    "kappa": "Kappa, levels",
    "kappa_low": "Kappa, levels, 95% low",
    "kappa_high": "Kappa, levels, 95% high",
    "n_sublevel_lowered": "Sub-levels lowered (same level)",
    "n_sublevel_raised": "Sub-levels raised (same level)",
    "n_sublevel_not_comparable": "Sub-level on one side only (not compared)",
    "n_pairs_score": "Compared at sub-levels",
    "pct_exact_score": "Same level and sub-level (% of compared)",
    "kappa_score": "Kappa, sub-levels",
    "weighting": "Kappa weights",
}


def agreement_scope(outcome: int | None) -> str:
    """Which outcomes a grid counts: ``all outcomes`` or ``outcome 2 (Knowing needs)``-style.

    >>> agreement_scope(None)
    'all outcomes'
    """
    return "all outcomes" if outcome is None else f"outcome {outcome} ({OUTCOME_SHORT[outcome]})"


def agreement_headline(exact: int, total: int, where: str, scope: str) -> str:
    """The agreement grid's headline: the share of levels validators left as they were.

    >>> agreement_headline(3, 4, "London", "all outcomes")
    'Validators agreed with 75% of self-evaluated levels in London (all outcomes)'
    """
    return (
        f"Validators agreed with {exact / total:.0%} of self-evaluated levels in {where} ({scope})"
    )


def agreement_alt(total: int, exact: int, lowered: int, raised: int, where: str, scope: str) -> str:
    """The agreement grid's alt text: what it counts, and how many levels stayed, fell and rose.

    >>> agreement_alt(4, 3, 1, 0, "England", "all outcomes")
    'Grid of self-evaluated against validated levels for all outcomes in England: 4 outcomes; 3 on the same level, 1 level lowered and 0 raised by validators (sub-levels are not shown here).'
    """
    changed = adjustment_kind_words({"level lowered": lowered, "level raised": raised})
    return (
        f"Grid of self-evaluated against validated levels for {scope} in {where}: {total} outcomes; "
        f"{exact} on the same level, {changed} by validators (sub-levels are not shown here)."
    )


def adjustments_headline(compared: pd.DataFrame) -> str:
    """Where validators lowered the most levels, compared as printed (whole percentages).

    ``compared`` holds rows of the agreement summary with levels compared;
    regions that print the same share are a tie, named as one.

    >>> rows = pd.DataFrame({"region": ["London", "Midlands", "England"], "pct_lowered": [25.2, 24.8, 20.0]})
    >>> adjustments_headline(rows)
    'Validators lowered a whole level on 25% of self-evaluated levels in London and Midlands, the most of any region (a tie)'
    """
    regions = compared
    if "region" in regions and (regions["region"] != NATIONAL).any():
        regions = regions[regions["region"] != NATIONAL]
    shown_pct = regions["pct_lowered"].round(0)
    top = regions[shown_pct == shown_pct.max()]
    names = top["region"].tolist() if "region" in top else [NATIONAL]
    lead = (
        f"Validators lowered a whole level on {shown_pct.max():.0f}% of self-evaluated "
        f"levels in {join_words(names)}"
    )
    if len(regions) <= 1:
        return lead
    return f"{lead}, the most of any region" + (" (a tie)" if len(names) > 1 else "")


def adjustments_alt(rows: pd.DataFrame, groups: Sequence[str]) -> str:
    """The adjustments chart's alt text: each group's share lowered and raised, with its counts.

    >>> rows = pd.DataFrame(
    ...     {"n_pairs": [4, 0], "pct_lowered": [25.0, 0.0], "pct_raised": [0.0, 0.0],
    ...      "n_level_lowered": [1, 0], "n_level_raised": [0, 0]}
    ... )
    >>> adjustments_alt(rows, ["London", "South West"]).split(". ")[1]
    'London: 25% of levels lowered (1 of 4), 0% raised (0 of 4); South West: no submissions.'
    """
    each = [
        f"{g}: no submissions"
        if n == 0
        else f"{g}: {lo:.0f}% of levels lowered ({nl} of {n}), {ra:.0f}% raised ({nr} of {n})"
        for g, lo, ra, nl, nr, n in zip(
            groups,
            rows["pct_lowered"].to_numpy(),
            rows["pct_raised"].to_numpy(),
            rows["n_level_lowered"].fillna(0).astype(int),
            rows["n_level_raised"].fillna(0).astype(int),
            rows["n_pairs"].astype(int),
            strict=True,
        )
    ]
    return (
        "Horizontal bars per region of the share of self-evaluated levels that validators lowered "
        "(left) and raised (right) by a whole level. " + "; ".join(each) + "."
    )


def agreement_words(
    total: int, exact: int, lowered: int, raised: int, *, outcome: int | None, where: str
) -> ChartWords:
    """The agreement grid's headline (escaped) and alt text, from its counts.

    >>> agreement_words(4, 3, 1, 0, outcome=None, where="England").title
    'Validators agreed with 75% of self-evaluated levels in England (all outcomes)'
    """
    scope = agreement_scope(outcome)
    return ChartWords(
        escape_html(agreement_headline(exact, total, where, scope)),
        agreement_alt(total, exact, lowered, raised, where, scope),
    )


def adjustments_words(rows: pd.DataFrame, groups: Sequence[str]) -> ChartWords:
    """The adjustments chart's headline (escaped, judged on the groups with levels compared) and alt text."""
    compared = rows[(rows["n_pairs"] != 0).to_numpy()]
    return ChartWords(escape_html(adjustments_headline(compared)), adjustments_alt(rows, groups))


__all__ = [
    "NO_PAIRS",
    "SUMMARY_WORDS",
    "adjustments_alt",
    "adjustments_headline",
    "adjustments_words",
    "agreement_alt",
    "agreement_headline",
    "agreement_scope",
    "agreement_words",
]

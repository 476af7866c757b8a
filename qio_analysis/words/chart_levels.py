"""The level charts' words: each chart's headline title and alt text, from its data.

One function per chart returns its :class:`~qio_analysis.words.chart_words.ChartWords`;
the figure draws, these say what it shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from qio_analysis.framework import ASSESSMENT_LABELS, NOT_COMPARABLE, OUTCOME_SHORT, UP
from qio_analysis.reference import NATIONAL
from qio_analysis.text import escape_html
from qio_analysis.words.chart_words import ChartWords
from qio_analysis.words.phrases import (
    FIRST_CYCLE_NOTE,
    RADAR_RINGS,
    count_words,
    join_words,
    level_words,
    since_words,
)
from qio_analysis.words.reviews import adjustment_kind_words


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


def heatmap_words(
    *,
    assessment: str,
    cycle: int,
    n_orgs: int,
    outcomes: Sequence[int],
    missing: int,
    since: int | None,
    changes: Mapping[str, int],
    marks: Mapping[str, str],
    compared: int,
    one_side: int,
) -> ChartWords:
    """The heatmap's title and alt text: ``missing`` cells without a level, ``since`` the cycle
    changes count from, ``changes`` each kind of validator's change counted (``marks`` its
    mark), ``compared`` cells with both levels, ``one_side`` a sub-level on one side only.

    >>> print(heatmap_words(assessment="self", cycle=2025, n_orgs=2, outcomes=[1, 2],
    ...     missing=1, since=None, changes={}, marks={}, compared=0, one_side=0).title)
    Self-evaluated levels for 2 organisations, 2025 (1 outcome without a level)
    """
    shown = "validated" if assessment == "both" else assessment
    word = (
        "self-evaluated and validated" if assessment == "both" else ASSESSMENT_LABELS[shown].lower()
    )
    orgs = f"{n_orgs} organisation{'s' if n_orgs != 1 else ''}"
    moved = "" if since is None else f" and change since {since}"
    title = f"{word.capitalize()} levels{moved} for {orgs}, {cycle}" + (
        f" ({missing} outcome{'s' if missing != 1 else ''} without a level)" if missing else ""
    )
    which = (
        "the six outcomes"
        if len(outcomes) == 6
        else f"outcome{'s' if len(outcomes) > 1 else ''} " + ", ".join(map(str, outcomes))
    )
    alt = (
        f"Heatmap of {word} levels, {cycle}: {orgs} in rows and {which} in "
        f"columns; each cell is labelled with its level and sub-level initial"
        + ("" if since is None else f", then its change in whole levels since {since}")
        + f". {missing} cells have no level."
    )
    if assessment != "self" and compared:
        kinds = adjustment_kind_words(changes, marks, zeros=False)
        alt += (
            f" The validator changed {sum(changes.values())} of {compared} self-evaluated levels"
            + (
                f": {kinds}."
                if assessment == "validated"
                else ", labelled self-evaluated then validated."
            )
        )
        if one_side:
            alt += (
                f" {one_side} more kept the level with a sub-level on one side only, which is "
                "not compared" + (", also labelled with both." if assessment == "both" else ".")
            )
    return ChartWords(title, alt)


def improvement_words(
    *,
    place: str,
    since: int,
    to: int,
    n_orgs: int,
    risers: int,
    per_outcome: Sequence[tuple[int, int, int, int]],
    left_out: int,
) -> ChartWords:
    """The dumbbells' title and alt text: ``risers`` of ``n_orgs`` organisations in ``place``
    rose a whole level on some outcome; ``per_outcome`` is ``(outcome, rose, fell, same level)``
    for each panel; ``left_out`` organisation-outcomes had no level in both cycles.

    >>> print(improvement_words(place="London", since=2023, to=2025, n_orgs=3, risers=1,
    ...     per_outcome=[(1, 1, 0, 1)], left_out=0).alt_text)  # doctest: +NORMALIZE_WHITESPACE
    Dumbbell charts, one per outcome, of each organisation's validated whole level in 2023
    (hollow circle) and 2025 (a triangle pointing right for a rise, left for a fall, a diamond
    for the same level), 3 organisations in London in rows, most levels gained first.
    Access: 1 rose, 0 fell, 1 same level.
    """
    title = (
        f"In {escape_html(place)}, {risers} of {count_words(n_orgs, 'organisation')} rose at "
        f"least one level on at least one outcome {since_words(since)}"
    )
    moved = "; ".join(
        f"{OUTCOME_SHORT[outcome]}: {up} rose, {down} fell, {same} same level"
        for outcome, up, down, same in per_outcome
    )
    alt = (
        f"Dumbbell charts, one per outcome, of each organisation's validated whole level in {since} "
        f"(hollow circle) and {to} (a triangle pointing right for a rise, left for a fall, a "
        f"diamond for the same level), {n_orgs} organisations in {place} in rows, most levels "
        f"gained first. {moved}."
        + (
            f" {count_words(left_out, 'organisation-outcome')} without a level in both cycles "
            "are not drawn (their place says why); the table lists them."
            if left_out
            else ""
        )
    )
    return ChartWords(title, alt)


def distribution_words(
    summary: pd.DataFrame, split: str, threshold: int, *, shown: Sequence[str]
) -> ChartWords:
    """The level distribution's title and alt text, from a
    :func:`~qio_analysis.metrics.level_summary` of the bars drawn (split by ``split``, whose
    values drawn are ``shown``): the share at ``threshold`` or above, highest and lowest.

    >>> summary = pd.DataFrame({"cycle": [2025, 2025], "assessment": "validated",
    ...     "outcome": [1, 2], "pct_at_or_above": [50.0, 25.0]})
    >>> print(distribution_words(summary, "cycle", 3, shown=[2025]).title)
    50% of organisations in England are at Level 3 or above on Access, the highest, and 25% on Evidence in decisions, the lowest (2025)
    """
    cycles = sorted(summary["cycle"].unique())
    assessment = ", ".join(ASSESSMENT_LABELS[a].lower() for a in summary["assessment"].unique())
    when = f"{cycles[0]}" if len(cycles) == 1 else f"{cycles[0]} to {cycles[-1]}"
    where, focus = _focus(summary)
    latest = focus[focus["cycle"] == cycles[-1]].dropna(subset=["pct_at_or_above"])
    if split == "cycle" and len(cycles) > 1:
        share = focus.pivot_table(index="outcome", columns="cycle", values="pct_at_or_above")
        rose = int((share[cycles[-1]] > share[cycles[0]]).sum())
        title = (
            f"The share at Level {threshold} or above rose on {rose} of {len(share)} outcomes in "
            f"{escape_html(where)} between {cycles[0]} and {cycles[-1]}"
        )
    elif latest.empty:
        title = f"Organisations at each {assessment} level by outcome, {when}"
    else:
        title = _highest_and_lowest(latest, where, threshold, cycles[-1])
    shares = "; ".join(
        f"{OUTCOME_SHORT[int(r['outcome'])]} {r['pct_at_or_above']:.0f}%"
        for _, r in latest.iterrows()
    )
    regions = [g for g in shown if g != NATIONAL]
    alt = (
        f"Stacked horizontal bar charts, one per outcome, showing the share of organisations at each "
        f"{assessment} level from 0 to 4, split by {split}, {when}."
        + (
            f" Share at Level {threshold} or above in {where}, {cycles[-1]}: {shares}."
            if shares
            else ""
        )
        + (
            f" England's figures include {join_words(regions)}."
            if split == "region" and NATIONAL in set(shown) and regions
            else ""
        )
    )
    return ChartWords(title, alt)


def _focus(summary: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """Where the headline is about, and its rows: one region beside England is that region."""
    if "region" not in summary.columns:
        return NATIONAL, summary
    regions = list(dict.fromkeys(summary["region"]))
    own = [r for r in regions if r != NATIONAL]
    where = own[0] if len(own) == 1 or NATIONAL not in regions else NATIONAL
    return where, summary[summary["region"] == where]


def _highest_and_lowest(latest: pd.DataFrame, where: str, threshold: int, cycle: int) -> str:
    """The outcomes with the highest and lowest share at ``threshold`` or above, ties named."""
    ranked = latest.sort_values("pct_at_or_above", ascending=False, kind="stable")
    best, worst = ranked.iloc[0], ranked.iloc[-1]

    def named(row: pd.Series, which: str) -> str:
        ties = int((latest["pct_at_or_above"].round(0) == round(row["pct_at_or_above"])).sum())
        joint = "joint " if ties > 1 else ""
        return f"{escape_html(OUTCOME_SHORT[int(row['outcome'])])}, the {joint}{which}"

    spread = round(best["pct_at_or_above"]) != round(worst["pct_at_or_above"])
    return (
        f"{best['pct_at_or_above']:.0f}% of organisations in {escape_html(where)} are at Level "
        f"{threshold} or above on "
        + (
            f"{named(best, 'highest')}, and {worst['pct_at_or_above']:.0f}% on "
            f"{named(worst, 'lowest')}"
            if spread
            else (
                "every outcome"
                if len(ranked) > 1
                else escape_html(OUTCOME_SHORT[int(best["outcome"])])
            )
        )
        + f" ({cycle})"
    )


def share_trend_words(
    *,
    threshold: int,
    cycles: tuple[int, int],
    rises: int,
    outcomes: int,
    groups: Sequence[str],
    highlight: str | None,
) -> ChartWords:
    """The share trend's title and alt text: the share at ``threshold`` or above rose on
    ``rises`` of ``outcomes`` outcomes between the first and last of ``cycles``, for ``groups``
    (England last, or the one region shown), ``highlight`` drawn dashed blue.

    >>> share_trend_words(threshold=3, cycles=(2021, 2025), rises=4, outcomes=6,
    ...     groups=["London", "England"], highlight=None).title
    'The share at Level 3 or above rose on 4 of 6 outcomes between 2021 and 2025 (England)'
    """
    first, last = cycles
    where = groups[-1] if NATIONAL not in groups else NATIONAL
    title = (
        f"The share at Level {threshold} or above rose on {rises} of {outcomes} outcomes "
        f"between {first} and {last} ({escape_html(where)})"
        if last != first
        else f"Share at Level {threshold} or above, {first}"
    )
    alt = (
        f"Line charts, one per outcome, of the share of organisations at Level {threshold} or "
        f"above in each cycle from {first} to {last}, for {', '.join(groups)}. Each line is "
        "named at its end; England (every region, those shown included) is the thick black line"
        + (
            f" and {highlight} the dashed blue one."
            if highlight in groups
            else ", and each region has its own colour and marker shape."
        )
    )
    return ChartWords(title, alt)

"""Sentences that describe results: an organisation's levels, its service's staffing, the headlines.

Each takes a metrics frame (never computes one) and says what it shows in
plain English, with every number printed by :mod:`qio_analysis.words.formats`
and every phrase from :mod:`qio_analysis.words.phrases`: never ``nan`` or ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.framework import OUTCOME_SHORT
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.words.formats import (
    PER_1000,
    format_count,
    format_kappa,
    format_percent,
    format_rate,
    format_ratio,
    format_wte,
    is_missing,
)
from qio_analysis.words.phrases import (
    FIRST_CYCLE_NOTE,
    NO_SUBMISSIONS,
    NOT_VALIDATED,
    adjustment_words,
    count_words,
    join_words,
    level_change_words,
    level_words,
    outcome_label,
    since_words,
)
from qio_analysis.words.reviews import (
    ADJUSTMENT_KINDS,
    adjustment_kind_words,
    england_words,
    share_words,
)
from qio_analysis.words.verdicts import meets_target, target_words

# --------------------------------------------------------------------- an organisation's levels


@dataclass(frozen=True)
class ProfileText:
    """Plain-English sentences built from a :func:`~qio_analysis.metrics.level_profile`."""

    changes: list[str]
    strengths: str
    improvements: str
    adjustments: list[str] = field(default_factory=list)


def _label(row: pd.Series) -> str:
    return outcome_label(row["outcome"], row["outcome_short"])


def _level_of(row: pd.Series, prefix: str) -> str:
    return level_words(row[f"{prefix}_level"], row[f"{prefix}_sublevel"], missing="No level")


def _moved(row: pd.Series, prefix: str) -> str:
    return level_change_words(
        row[f"{prefix}_level"],
        row[f"{prefix}_sublevel"],
        row["validated_level"],
        row["validated_sublevel"],
    )


def _change_sentence(row: pd.Series) -> str:
    label = _label(row)
    now = _level_of(row, "validated")
    cycle = row["cycle"]
    if pd.isna(row["validated_level"]):
        sentence = f"{label} is {NOT_VALIDATED} yet for {cycle}"
        if not pd.isna(row["self_level"]):
            sentence += f" (self-evaluated {_level_of(row, 'self')}"
            if not pd.isna(row["previous_cycle"]) and not pd.isna(row["previous_level"]):
                sentence += (
                    f"; validated {_level_of(row, 'previous')} in {int(row['previous_cycle'])}"
                )
            sentence += ")"
        return sentence + "."
    previous = int(row["previous_cycle"])
    if pd.isna(row["previous_level"]):
        sentence = f"{label} is at {now}; it had no validated level in {previous}."
    else:
        sentence = f"{label}, {since_words(previous)}: {_moved(row, 'previous')}."
    baseline = row["baseline_cycle"]
    if not pd.isna(baseline) and int(baseline) != previous and not pd.isna(row["baseline_level"]):
        sentence = sentence[:-1] + f"; {since_words(int(baseline))}: {_moved(row, 'baseline')}."
    return sentence


def _focus(profile: pd.DataFrame, flag: str, title: str, which: str) -> str:
    rows = profile[profile[flag]]
    validated = profile["validated_level"].dropna()
    if rows.empty:
        if len(validated) < 2:
            return f"{title}: too few validated outcomes to pick any out."
        return (
            f"{title}: none stand out, as every validated outcome is at "
            f"{level_words(validated.iloc[0], None)}."
        )
    level = level_words(rows["validated_level"].iloc[0], None)
    named = [(_label(r), _level_of(r, "validated")) for _, r in rows.iterrows()]
    if len(named) == 1:
        label, exact = named[0]
        return f"{title}: {label}, at {exact}, the {which} validated level."
    both = "both" if len(named) == 2 else "all"
    if len({exact for _, exact in named}) == 1:
        listed = join_words([label for label, _ in named])
        return f"{title}: {listed}, {both} at {named[0][1]}, the joint {which} validated level."
    listed = join_words([f"{label} at {exact}" for label, exact in named])
    return f"{title}: {listed}, {both} on {level}, the joint {which} validated level."


def profile_sentences(profile: pd.DataFrame) -> ProfileText:
    """Describe a profile in words: change per outcome, strengths, areas, validators' changes.

    Takes a :func:`~qio_analysis.metrics.level_profile`. Changes follow the
    one rule (:func:`~qio_analysis.framework.compare_levels`), in whole levels
    first: "Outcome 3 (Knowing needs), since the 2021 baseline: up one level,
    from Level 1 (High) to Level 2 (Medium)." Strengths and areas for
    improvement are the highest and lowest validated whole levels.
    ``adjustments`` names each outcome the validator raised or lowered
    (``adjusted``: a whole level, or a sub-level when both carry one), with
    both values. In an organisation's
    first cycle ``changes`` is the one sentence
    :data:`~qio_analysis.words.phrases.FIRST_CYCLE_NOTE`.

    >>> profile = pd.DataFrame({
    ...     "cycle": 2023, "outcome": [1, 2], "outcome_short": ["Access", "Evidence in decisions"],
    ...     "self_level": [3, 2], "self_sublevel": [None, "High"],
    ...     "validated_level": [3, 2], "validated_sublevel": ["Low", "Low"],
    ...     "previous_cycle": 2021, "previous_level": [2, 2], "previous_sublevel": [None, None],
    ...     "baseline_cycle": 2021, "baseline_level": [2, 2], "adjusted": [False, True],
    ...     "is_strength": [True, False], "is_area_for_improvement": [False, True],
    ... })
    >>> words = profile_sentences(profile)
    >>> words.changes
    ['Outcome 1 (Access), since the 2021 baseline: up one level, from Level 2 to Level 3 (Low).', 'Outcome 2 (Evidence in decisions), since the 2021 baseline: same level, from Level 2 to Level 2 (Low); sub-level not comparable.']
    >>> words.strengths
    'Strengths: Outcome 1 (Access), at Level 3 (Low), the highest validated level.'
    >>> words.adjustments
    ['Outcome 2 (Evidence in decisions): self-evaluated Level 2 (High), validated Level 2 (Low): sub-level lowered within Level 2 (High to Low).']
    """
    if profile["previous_cycle"].isna().all():
        changes = [FIRST_CYCLE_NOTE]
    else:
        changes = [_change_sentence(row) for _, row in profile.iterrows()]
    adjustments = [
        f"{_label(row)}: self-evaluated {_level_of(row, 'self')}, "
        f"validated {_level_of(row, 'validated')}: "
        + adjustment_words(
            row["self_level"],
            row["self_sublevel"],
            row["validated_level"],
            row["validated_sublevel"],
        )
        + "."
        for _, row in profile[profile["adjusted"]].iterrows()
    ]
    return ProfileText(
        changes,
        _focus(profile, "is_strength", "Strengths", "highest"),
        _focus(profile, "is_area_for_improvement", "Areas for improvement", "lowest"),
        adjustments,
    )


def provisional_notice(profile: pd.DataFrame) -> str | None:
    """The provisional banner text for an organisation awaiting validation (None when fully validated).

    >>> provisional_notice(pd.DataFrame({"cycle": 2025, "outcome": [1, 2], "validated_level": [3, None]}))
    "Provisional: 1 of 2 outcomes (outcome 2) is awaiting validation for 2025. Levels shown as 'not validated' will be filled in, and may differ from the self-evaluation, when validated."
    """
    waiting = profile[profile["validated_level"].isna()]
    if waiting.empty:
        return None
    cycle = int(profile["cycle"].iloc[0])
    outcomes = ", ".join(str(int(n)) for n in waiting["outcome"])
    count = len(waiting)
    which = (
        f"all {len(profile)} outcomes are"
        if count == len(profile)
        else f"{count} of {len(profile)} outcomes (outcome{'s' if count > 1 else ''} {outcomes}) "
        + ("are" if count > 1 else "is")
    )
    return (
        f"Provisional: {which} awaiting validation for {cycle}. Levels shown as "
        f"'{NOT_VALIDATED}' will be filled in, and may differ from the self-evaluation, when validated."
    )


def profile_title(profile: pd.DataFrame) -> str:
    """The organisation report's title, marked provisional while levels await validation."""
    org = profile.iloc[0]
    provisional = " (provisional)" if provisional_notice(profile) else ""
    return f"{org['org_name']}: QIOF levels {int(org['cycle'])}{provisional}"


# --------------------------------------------------------------------- groups of organisations


def agreement_sentence(summary: pd.DataFrame, region: str | None = None) -> str:
    """One sentence on agreement for a group, at both resolutions, naming the kappa weighting.

    Takes the ``summary`` of :func:`~qio_analysis.metrics.validation_agreement`.
    Counts of levels moved, never a mean (levels are not averaged,
    assumption A1); sub-level agreement is over the pairs with a sub-level on
    both sides or none, and says how many were left out (assumption A3).

    >>> summary = pd.DataFrame({"outcome": [pd.NA], "n_pairs": [192], "pct_exact": [90.1],
    ...     "n_level_lowered": [19], "n_level_raised": [0], "n_sublevel_lowered": [12],
    ...     "n_sublevel_raised": [0], "n_sublevel_not_comparable": [10], "n_pairs_score": [182],
    ...     "n_exact_score": [151], "pct_exact_score": [100 * 151 / 182], "kappa": [0.9], "kappa_low": [0.85],
    ...     "kappa_high": [0.95], "kappa_score": [0.91], "kappa_score_low": [0.86],
    ...     "kappa_score_high": [0.96], "weighting": ["quadratic"]})
    >>> print(agreement_sentence(summary))  # doctest: +NORMALIZE_WHITESPACE
    Across 192 outcomes with both levels, validators kept the self-evaluated level in 90%: 19 levels
    lowered and 0 raised; 12 sub-levels lowered and 0 raised on the same level. Level and sub-level
    both agreed in 151 of 182 (83%) that can be compared at sub-levels; 10 with a sub-level on one
    side only are not compared. Weighted kappa (quadratic weights, the convention for ordinal
    scales; in brackets a bootstrap 95% interval with a fixed seed) is 0.90 (0.85 to 0.95) on
    whole levels and 0.91 (0.86 to 0.96) on the 182 compared at sub-levels.
    """
    part = summary
    if "region" in summary.columns:
        part = summary[summary["region"] == (region or NATIONAL)]
    pooled = part[part["outcome"].isna()]
    if pooled.empty or int(pooled["n_pairs"].iloc[0]) == 0:
        return "No outcome has both a self-evaluated and a validated level yet, so agreement cannot be measured."
    row = pooled.iloc[0]
    interval = (
        "; too few pairs for a bootstrap interval"
        if pd.isna(row["kappa_low"])
        else "; in brackets a bootstrap 95% interval with a fixed seed"
    )
    exact = format_percent(row["pct_exact"], digits=0, missing="no pairs")
    compared, one_side = int(row["n_pairs_score"]), int(row["n_sublevel_not_comparable"])
    agreed = int(row["n_exact_score"])
    kinds = adjustment_kind_words(
        {k: row[f"n_{k.replace('-', '').replace(' ', '_')}"] for k in ADJUSTMENT_KINDS}
    )
    left_out = (
        ""
        if not one_side
        else f"; {one_side} with a sub-level on one side only {'is' if one_side == 1 else 'are'} not compared"
    )
    return (
        f"Across {int(row['n_pairs'])} outcomes with both levels, validators kept the self-evaluated level "
        f"in {exact}: {kinds}. Level and sub-level both agreed in {share_words(agreed, compared)} "
        f"that can be compared at sub-levels{left_out}. "
        f"Weighted kappa ({row['weighting']} weights, the convention for ordinal "
        f"scales{interval}) is {format_kappa(row['kappa'], row['kappa_low'], row['kappa_high'])} "
        f"on whole levels and {format_kappa(row['kappa_score'], row['kappa_score_low'], row['kappa_score_high'])} "
        f"on the {compared} compared at sub-levels."
    )


def adjustments_sentence(counts: Mapping[str, int], place: str) -> str:
    """ "N of M": of the outcomes validated, how many validators changed, by kind.

    Takes :func:`~qio_analysis.metrics.adjustment_counts` of a
    :func:`~qio_analysis.metrics.validator_changes` frame. A whole level
    lowered and a sub-level lowered on the same level are said apart; a
    sub-level given on one side only is counted apart, not as a change.

    >>> counts = {"compared": 192, "changed": 31, "level lowered": 19, "level raised": 0,
    ...     "sub-level lowered": 12, "sub-level raised": 0, "sub-level not comparable": 10}
    >>> print(adjustments_sentence(counts, "North West"))  # doctest: +NORMALIZE_WHITESPACE
    Validators changed 31 of the 192 outcomes they validated in North West (16%): 19 levels
    lowered and 0 raised; 12 sub-levels lowered and 0 raised on the same level. On 10 more the
    same level has a sub-level on one side only, which is not compared.
    >>> adjustments_sentence({"compared": 1, "changed": 1, "level raised": 1}, "London")
    'Validators changed 1 of the 1 outcome they validated in London (100%): 0 levels lowered and 1 raised.'
    >>> adjustments_sentence({"compared": 2, "changed": 0, "sub-level not comparable": 1}, "London")
    'Validators kept the self-evaluated level of all 2 outcomes they validated in London. On 1 the same level has a sub-level on one side only, which is not compared.'
    """
    total = int(counts.get("compared", 0))
    if total == 0:
        return f"No outcome in {place} has both a self-evaluated and a validated level yet."
    changed = int(counts.get("changed", 0))
    one_side = int(counts.get("sub-level not comparable", 0))
    more = " more" if changed else ""
    aside = (
        ""
        if not one_side
        else f" On {one_side}{more} the same level has a sub-level on one side only, which is not compared."
    )
    outcomes = f"outcome{'s' if total != 1 else ''}"
    if changed == 0:
        kept = f"all {total} {outcomes}" if total != 1 else f"the 1 {outcomes}"
        return (
            f"Validators kept the self-evaluated level of {kept} they validated in {place}.{aside}"
        )
    share = format_percent(changed / total * 100, digits=0)
    return (
        f"Validators changed {changed} of the {total} {outcomes} they validated in "
        f"{place} ({share}): {adjustment_kind_words(counts)}.{aside}"
    )


def regional_levels_sentence(summary: pd.DataFrame, region: str, cycle: int) -> str:
    """How many organisations in ``region`` submitted and have validated levels, and the share at Level 3+.

    Takes a :func:`~qio_analysis.metrics.level_summary`. The counts are the
    ones its table shows: organisations that submitted (``n_orgs``) and,
    per outcome, those with a validated level (``n_scored``), so the
    sentence and the table beside it give the same numbers.

    >>> summary = pd.DataFrame({"region": "North West", "outcome": [1, 2], "n_orgs": 34,
    ...     "n_scored": [32, 32], "pct_at_or_above": [53.1, 21.9]})
    >>> regional_levels_sentence(summary, "North West", 2025)
    '34 organisations in North West submitted for 2025, and 32 have a validated level on each outcome (2 do not yet). The share validated at Level 3 or above ranges from 22% to 53% across the six outcomes.'
    """
    ours = summary[summary["region"] == region]
    if ours.empty or int(ours["n_orgs"].max()) == 0:
        return f"{region} has no submissions for {cycle}."
    submitted = int(ours["n_orgs"].max())
    fewest, most = int(ours["n_scored"].min()), int(ours["n_scored"].max())
    text = f"{count_words(submitted, 'organisation')} in {region} submitted for {cycle}"
    if fewest == most == submitted:
        text += ", and every one has a validated level on each outcome."
    elif fewest == most:
        text += (
            f", and {most} have a validated level on each outcome ({submitted - most} do not yet)."
        )
    else:
        text += f"; between {fewest} and {most} have a validated level, depending on the outcome."
    shares = ours["pct_at_or_above"].dropna()
    if shares.empty:
        return text + " No level there is validated yet."
    return (
        text + f" The share validated at Level 3 or above ranges from "
        f"{format_percent(shares.min(), digits=0)} to {format_percent(shares.max(), digits=0)} "
        "across the six outcomes."
    )


def gap_sentence(gaps: pd.DataFrame, region: str, threshold: int = 3) -> str:
    """A region's weakest and strongest outcome against England, from :func:`~qio_analysis.metrics.gap_to_england`.

    >>> gaps = pd.DataFrame({"region": "London", "outcome": [1, 2], "outcome_short": ["Access", "Evidence in decisions"],
    ...     "pct_at_or_above": [62.0, 22.0], "england_pct_at_or_above": [45.0, 39.0],
    ...     "gap_pct_at_or_above": [17, -17]})
    >>> gap_sentence(gaps, "London")
    "Against England (London included), London's weakest outcome is Outcome 2 (Evidence in decisions): 22% at Level 3 or above against England's 39%, 17 percentage points lower. Its strongest is Outcome 1 (Access): 62% against 45%, 17 percentage points higher."
    """
    ours = gaps[(gaps["region"] == region) & gaps["gap_pct_at_or_above"].notna()]
    if ours.empty:
        return f"{region} has no validated levels to set against England's."
    order = ours.sort_values(["gap_pct_at_or_above", "outcome"], kind="stable")
    weakest, strongest = order.iloc[0], order.iloc[-1]

    def side(gap: object) -> str:
        points = abs(int(gap))  # type: ignore[call-overload]
        if points == 0:
            return "the same as England"
        way = "lower" if int(gap) < 0 else "higher"  # type: ignore[call-overload]
        return f"{points} percentage point{'s' if points != 1 else ''} {way}"

    def share(value: object) -> str:
        return format_percent(value, digits=0)

    text = (
        f"Against {england_words(region)}, {region}'s weakest outcome is {_outcome(weakest)}: "
        f"{share(weakest['pct_at_or_above'])} at Level {threshold} or above against England's "
        f"{share(weakest['england_pct_at_or_above'])}, {side(weakest['gap_pct_at_or_above'])}."
    )
    if len(ours) > 1 and int(strongest["outcome"]) != int(weakest["outcome"]):
        text += (
            f" Its strongest is {_outcome(strongest)}: {share(strongest['pct_at_or_above'])} against "
            f"{share(strongest['england_pct_at_or_above'])}, {side(strongest['gap_pct_at_or_above'])}."
        )
    return text


def _outcome(row: pd.Series) -> str:
    short = row["outcome_short"] if "outcome_short" in row else OUTCOME_SHORT[int(row["outcome"])]
    return outcome_label(int(row["outcome"]), short)


def completeness_sentence(complete: pd.DataFrame, region: str) -> str:
    """Who has submitted and been validated in ``region`` (or England), in words.

    Takes a :func:`~qio_analysis.metrics.completeness`.
    """
    rows = complete.set_index("region")
    if region not in rows.index:
        return f"{region} has no submissions."
    row = rows.loc[region]
    cycle = int(row["cycle"])
    if row["note"] == NO_SUBMISSIONS:
        return f"{region} has no submissions for {cycle} ({int(row['expected'])} organisations expected)."
    return (
        f"{int(row['submitted'])} of {int(row['expected'])} expected organisations in {region} submitted "
        f"for {cycle}; {int(row['validated'])} have all six outcomes validated and "
        f"{int(row['awaiting_validation'])} are awaiting validation."
    )


def improvement_sentence(
    summary: pd.DataFrame, where: str, since: int, to: int, *, suffix: str = ""
) -> str:
    """Who rose, fell and stayed in ``where``, in whole levels (from an :func:`~qio_analysis.metrics.improvement_summary`).

    ``suffix="_since_previous"`` says it for the comparison with the previous
    cycle, ``since`` then being that cycle: "Since 2023, in London, 28 rose ...".

    >>> summary = pd.DataFrame({"up": [2, 0, 1, 0], "down": [0, 1, 1, 0], "not_moved": [False, False, False, True],
    ...     "n_compared": [6, 6, 6, 5]})
    >>> improvement_sentence(summary, "London", 2021, 2025)
    'Of the 4 organisations in London taking part in 2021 or 2025, 2 rose at least one level on at least one outcome since the 2021 baseline and 2 fell on at least one (an organisation can do both); 1 stayed on the same level on every outcome compared.'
    """
    n = len(summary)
    if n == 0:
        return f"No organisation in {where} took part in {since} or {to}."
    risers = int((summary[f"up{suffix}"] > 0).sum())
    fallers = int((summary[f"down{suffix}"] > 0).sum())
    still = int(summary[f"not_moved{suffix}"].sum())
    none = int((summary[f"n_compared{suffix}"] == 0).sum())
    lead = (
        f"{since_words(since).capitalize()}, in {where}"
        if suffix
        else f"Of the {count_words(n, 'organisation')} in {where} taking part in {since} or {to}"
    )
    text = (
        f"{lead}, {risers or 'none'} rose at least one level on at least one outcome"
        + ("" if suffix else f" {since_words(since)}")
        + f" and {fallers or 'none'} fell on at least one"
        + (" (an organisation can do both)" if risers and fallers else "")
        + f"; {still or 'none'} stayed on the same level on every outcome compared"
    )
    if none:
        text += (
            f"; {none} {'has' if none == 1 else 'have'} no outcome with a validated level in "
            f"both {since} and {to}"
        )
    return text + "."


def mover_sentence(row: pd.Series, way: str, *, suffix: str = "") -> str:
    """One organisation among the largest net movers ``up`` or ``down``, in words.

    The net change leads ("net"); the whole levels gained and lost behind it
    follow, labelled as gross, when it moved both ways.

    >>> mover_sentence(pd.Series({"org_name": "Ashby NHS Trust", "org_code": "ZA01",
    ...     "moved": "up on 3 of 6 outcomes", "levels_up": 4, "levels_down": 0}), "up")
    'Ashby NHS Trust (ZA01): up on 3 of 6 outcomes; net 4 whole levels gained.'
    >>> mover_sentence(pd.Series({"org_name": "Brook NHS Trust", "org_code": "ZA02",
    ...     "moved": "up on 1 and down on 2 of 6 outcomes", "levels_up": 1, "levels_down": 3}), "down")
    'Brook NHS Trust (ZA02): up on 1 and down on 2 of 6 outcomes; net 2 whole levels lost (gross: 1 gained, 3 lost).'
    """
    gained, lost = int(row[f"levels_up{suffix}"]), int(row[f"levels_down{suffix}"])
    net = abs(gained - lost)
    word = "gained" if gained >= lost else "lost"
    gross = f" (gross: {gained} gained, {lost} lost)" if gained and lost else ""
    return (
        f"{row['org_name']} ({row['org_code']}): {row[f'moved{suffix}']}; "
        f"net {net} whole level{'s' if net != 1 else ''} {word}{gross}."
    )


def not_moved_sentence(row: pd.Series, *, suffix: str = "") -> str:
    """One organisation with no whole-level movement on any outcome, and its sub-level movements.

    >>> not_moved_sentence(pd.Series({"org_name": "Ashby NHS Trust", "org_code": "ZA01",
    ...     "moved": "same level on all 6 outcomes", "sublevel_up": 2, "sublevel_down": 0}))
    'Ashby NHS Trust (ZA01): same level on all 6 outcomes; sub-level up on 2.'
    """
    moves = [
        f"sub-level {way} on {int(row[f'sublevel_{way}{suffix}'])}"
        for way in ("up", "down")
        if int(row[f"sublevel_{way}{suffix}"])
    ]
    within = f"; {' and '.join(moves)}" if moves else ""
    return f"{row['org_name']} ({row['org_code']}): {row[f'moved{suffix}']}{within}."


# --------------------------------------------------------------------- LKS statistics


def ratio_sentence(row: pd.Series) -> str:
    """One sentence on a service's staffing ratio in a year (a row of :func:`~qio_analysis.metrics.staff_ratio`).

    The ratio is printed precisely enough for the verdict beside it
    (:func:`~qio_analysis.words.formats.format_ratio` with its target).

    >>> ratio_sentence(pd.Series({"service_name": "Elmford LKS", "year": "2024/25", "qualified_wte": 4.0,
    ...     "nhs_wte": 5001.6, "nhs_wte_per_qualified": 1250.4, "target": 1250.0}))
    'Elmford LKS serves this organisation. In 2024/25 it had 4.0 qualified LKS WTE for 5,002 NHS staff WTE, a ratio of 1:1,250.4. It does not yet meet the national target of 1:1,250.'
    """
    if pd.isna(row["nhs_wte_per_qualified"]):
        reason = row.get("note") or "the return lacks the figures needed"
        return f"{row['service_name']} serves this organisation. Its {row['year']} staffing ratio cannot be calculated: {reason}."
    target = float(row["target"])
    ratio = format_ratio(row["nhs_wte_per_qualified"], target=target)
    return (
        f"{row['service_name']} serves this organisation. In {row['year']} it had {format_wte(row['qualified_wte'])} "
        f"qualified LKS WTE for {format_count(row['nhs_wte'])} NHS staff WTE, a ratio of {ratio}. "
        f"It {target_words(row['nhs_wte_per_qualified'], target)} the national target of "
        f"{format_ratio(target)}."
    )


def headline_sentence(headlines: pd.DataFrame, *, target: float = STAFF_RATIO_TARGET) -> str:
    """The opening paragraph of the headlines: who returned, the national staff ratio and its verdict.

    Takes :func:`~qio_analysis.metrics.headline_figures` (a headline pack's
    ``headlines`` when published). The verdict is judged on the ratio as printed.
    """
    rows = headlines.set_index("measure")
    services, ratio = rows.loc["n_services"], rows.loc["nhs_wte_per_qualified"]
    year, previous = str(services["year"]), str(services["previous_year"])
    text = f"In {year}, {format_count(services['value'])} LKS services made a statistics return"
    compared = int(services["n_previous_returns"]) > 0
    if compared:
        text += (
            f" ({format_count(services['previous'])} in {previous}; "
            f"{format_count(services['n_both'])} returned in both years)"
        )
    text += "."
    if pd.isna(ratio["value"]):
        text += " The national staff ratio is not published for this year (see the notes)."
    else:
        shown = format_ratio(ratio["value"], target=target)
        text += (
            f" Nationally there were {shown.removeprefix('1:')} NHS staff (WTE) for each "
            f"qualified LKS staff member (WTE), a ratio of {shown}, which "
            f"{target_words(ratio['value'], target)} the national target of "
            f"{format_ratio(target)} (lower is better)."
        )
    if compared:
        text += (
            " Totals are over every return; like-for-like changes compare only the "
            f"{count_words(services['n_both'], 'service')} that returned in both years."
        )
    else:
        text += f" There is no return for {previous} to compare with."
    return text


def returns_sentence(headlines: pd.DataFrame) -> str:
    """How many services returned this year and last, and in both (from :func:`~qio_analysis.metrics.headline_figures`)."""
    row = headlines.set_index("measure").loc["n_services"]
    text = f"{format_count(row['value'])} services made a statistics return in {row['year']}"
    if int(row["n_previous_returns"]):
        text += (
            f" ({format_count(row['previous'])} in {row['previous_year']}; "
            f"{format_count(row['n_both'])} returned in both years)"
        )
    return text + "."


def ratio_headline(regions: pd.DataFrame, *, target: float = STAFF_RATIO_TARGET) -> str:
    """How many regions meet the target, judged on the ratios as printed, and England's ratio.

    Takes :func:`~qio_analysis.metrics.staff_ratio` by region for one year (or a
    headline pack's ``regions``); a region without a ratio is not counted.

    >>> ratio_headline(pd.DataFrame({"region": ["London", "Midlands", "England"], "year": "2024/25",
    ...     "nhs_wte_per_qualified": [1250.4, 1200.0, 1225.0]}), target=1250)
    '1 of the 2 regions shown meets the 1:1,250 staffing target in 2024/25; England is at 1:1,225'
    """
    year = regions["year"].iloc[0]
    named = regions[regions["region"] != NATIONAL]
    shown = named[named["nhs_wte_per_qualified"].notna()]
    met = sum(bool(meets_target(v, target)) for v in shown["nhs_wte_per_qualified"])
    goal = f"the {format_ratio(target)} staffing target in {year}"
    n = len(shown)
    which = "regions" if n == len(REGION_NAMES) else "regions shown"
    if n == 0:
        text = f"No region's staff ratio can be shown for {year}"
    elif met == 0:
        text = f"None of the {n} {which} meets {goal}"
    else:
        text = f"{met} of the {n} {which} {'meets' if met == 1 else 'meet'} {goal}"
    national = regions.loc[regions["region"] == NATIONAL, "nhs_wte_per_qualified"]
    if len(national) and not is_missing(national.iloc[0]):
        text += f"; England is at {format_ratio(national.iloc[0], target=target)}"
    return text


def activity_headline(trend: pd.DataFrame) -> str:
    """How many activities per 1,000 NHS WTE rose from the first year to the last, as printed.

    Takes national :func:`~qio_analysis.metrics.activity_rates` (or a headline
    pack's ``trend``); rates are compared as printed, to one decimal place.
    """
    data = trend.sort_values("year_start")
    first, last = data.iloc[0], data.iloc[-1]
    if len(data) < 2:
        return f"Activity {PER_1000}, {last['year']}"
    rates = [c for c in data.columns if c.endswith("_per_1000_wte")]
    compared = [
        (
            float(format_rate(first[c]).replace(",", "")),
            float(format_rate(last[c]).replace(",", "")),
        )
        for c in rates
        if not is_missing(first[c]) and not is_missing(last[c])
    ]
    if not compared:
        return f"No activity rate can be compared between {first['year']} and {last['year']}"
    rose = sum(b > a for a, b in compared)
    return (
        f"P{PER_1000[1:]}, {rose} of {len(compared)} activities rose between "
        f"{first['year']} and {last['year']}"
    )

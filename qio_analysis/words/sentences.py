"""Sentences that describe results: an organisation's levels, its service's staffing, the headlines.

Each takes a metrics frame (never computes one) and says what it shows in
plain English, with every number printed by :mod:`qio_analysis.words.formats`
and every phrase from :mod:`qio_analysis.words.phrases`: never ``nan`` or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from qio_analysis.reference import NATIONAL
from qio_analysis.words.formats import (
    format_change,
    format_kappa,
    format_percent,
    format_ratio,
    format_signed,
    format_wte,
)
from qio_analysis.words.phrases import (
    FIRST_CYCLE_NOTE,
    NO_SUBMISSIONS,
    NOT_VALIDATED,
    count_words,
    join_words,
    level_change_words,
    level_words,
    outcome_label,
    since_words,
)

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
        before = _level_of(row, "previous")
        since = since_words(previous)
        if row["change"] > 0:
            sentence = f"{label} rose from {before} to {now} {since}."
        elif row["change"] < 0:
            sentence = f"{label} fell from {before} to {now} {since}."
        else:
            sentence = f"{label} stayed at {now} {since}."
    baseline = row["baseline_cycle"]
    if not pd.isna(baseline) and int(baseline) != previous and not pd.isna(row["baseline_level"]):
        change = level_change_words(row["change_since_baseline"])
        sentence = (
            sentence[:-1]
            + f" ({_level_of(row, 'baseline')} in {int(baseline)}: {change} {since_words(int(baseline))})."
        )
    return sentence


def _focus(profile: pd.DataFrame, flag: str, title: str, which: str) -> str:
    rows = profile[profile[flag]]
    if rows.empty:
        scored = profile["validated_score"].dropna()
        if len(scored) < 2:
            return f"{title}: too few validated outcomes to pick any out."
        level = _level_of(profile.loc[scored.index[0]], "validated")
        return f"{title}: none stand out, as every validated outcome is at {level}."
    labels = [_label(r) for _, r in rows.iterrows()]
    level = _level_of(rows.iloc[0], "validated")
    if len(labels) == 1:
        return f"{title}: {labels[0]}, at {level}, the {which} validated level."
    both = "both" if len(labels) == 2 else "all"
    return f"{title}: {join_words(labels)}, {both} at {level}, the joint {which} validated level."


def profile_sentences(profile: pd.DataFrame) -> ProfileText:
    """Describe a profile in words: change per outcome, strengths, areas, validators' changes.

    Takes a :func:`~qio_analysis.metrics.level_profile`. Example change
    sentence: "Outcome 3 (Knowing needs) rose from Level 1 (High) to Level 2
    (Medium) since the 2021 baseline." ``adjustments`` names each outcome
    where the validator changed the self-evaluated level or sub-level, with
    both values. In an organisation's first cycle ``changes`` is the one
    sentence :data:`~qio_analysis.words.phrases.FIRST_CYCLE_NOTE`.

    >>> profile = pd.DataFrame({
    ...     "cycle": 2023, "outcome": [1, 2], "outcome_short": ["Access", "Evidence in decisions"],
    ...     "self_level": [3, 2], "self_sublevel": [None, "High"],
    ...     "validated_level": [3, 2], "validated_sublevel": ["Low", None],
    ...     "validated_score": [3.25, 2.0], "previous_cycle": 2021,
    ...     "previous_level": [2, 2], "previous_sublevel": [None, None],
    ...     "change": [1.25, 0.0], "baseline_cycle": 2021, "baseline_level": [2, 2],
    ...     "change_since_baseline": [1.25, 0.0], "adjusted": [True, True],
    ...     "is_strength": [True, False], "is_area_for_improvement": [False, True],
    ... })
    >>> words = profile_sentences(profile)
    >>> words.changes
    ['Outcome 1 (Access) rose from Level 2 to Level 3 (Low) since the 2021 baseline.', 'Outcome 2 (Evidence in decisions) stayed at Level 2 since the 2021 baseline.']
    >>> words.strengths
    'Strengths: Outcome 1 (Access), at Level 3 (Low), the highest validated level.'
    >>> words.adjustments[1]
    'Outcome 2 (Evidence in decisions): self-evaluated Level 2 (High), validated Level 2.'
    """
    if profile["previous_cycle"].isna().all():
        changes = [FIRST_CYCLE_NOTE]
    else:
        changes = [_change_sentence(row) for _, row in profile.iterrows()]
    adjustments = [
        f"{_label(row)}: self-evaluated {_level_of(row, 'self')}, "
        f"validated {_level_of(row, 'validated')}."
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
    exact, exact_score = (
        format_percent(row[c], digits=0, missing="no pairs")
        for c in ("pct_exact", "pct_exact_score")
    )
    return (
        f"Across {int(row['n_pairs'])} outcomes with both levels, validators kept the self-evaluated level "
        f"in {exact} and both level and sub-level in {exact_score}. "
        f"The mean adjustment was {format_signed(row['mean_adjustment'])} levels ({format_signed(row['mean_score_adjustment'])} "
        f"counting sub-levels). Weighted kappa ({row['weighting']} weights, the convention for ordinal "
        f"scales{interval}) is {format_kappa(row['kappa'], row['kappa_low'], row['kappa_high'])} "
        f"on whole levels and {format_kappa(row['kappa_score'], row['kappa_score_low'], row['kappa_score_high'])} on sub-levels."
    )


def adjustments_sentence(changes: pd.DataFrame, place: str) -> str:
    """ "N of M": how many self-evaluated levels validators changed, and which way.

    Takes :func:`~qio_analysis.metrics.validator_changes` (every outcome with
    both levels, and its ``direction``).

    >>> rows = pd.DataFrame({"direction": ["lowered", "unchanged", "raised", "lowered"]})
    >>> adjustments_sentence(rows, "London")
    'Validators changed 3 of the 4 self-evaluated levels they validated in London (75%): 2 lowered and 1 raised. A change of sub-level alone counts.'
    """
    total = len(changes)
    if total == 0:
        return f"No outcome in {place} has both a self-evaluated and a validated level yet."
    lowered = int((changes["direction"] == "lowered").sum())
    raised = int((changes["direction"] == "raised").sum())
    changed = lowered + raised
    if changed == 0:
        return f"Validators kept all {total} self-evaluated levels they validated in {place}."
    share = format_percent(changed / total * 100, digits=0)
    return (
        f"Validators changed {changed} of the {total} self-evaluated levels they validated in "
        f"{place} ({share}): {lowered} lowered and {raised} raised. A change of sub-level alone counts."
    )


def regional_levels_sentence(summary: pd.DataFrame, region: str, cycle: int) -> str:
    """How many organisations in ``region`` have levels and the range of the share at Level 3+.

    Takes a :func:`~qio_analysis.metrics.level_summary`.
    """
    ours = summary[summary["region"] == region]
    if ours.empty or int(ours["n_orgs"].max()) == 0:
        return f"{region} has no submissions for {cycle}."
    shares = ours["pct_at_or_above"].dropna()
    text = f"{int(ours['n_orgs'].max())} organisations in {region} have levels for {cycle}."
    if shares.empty:
        return text + " No level there is validated yet."
    return (
        text + f" The share validated at Level 3 or above ranges from {shares.min():.0f}% to "
        f"{shares.max():.0f}% across the six outcomes."
    )


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


# --------------------------------------------------------------------- LKS statistics


def ratio_sentence(row: pd.Series) -> str:
    """One sentence on a service's staffing ratio in a year (a row of :func:`~qio_analysis.metrics.staff_ratio`).

    >>> ratio_sentence(pd.Series({"service_name": "Elmford LKS", "year": "2024/25", "qualified_wte": 4.0,
    ...     "nhs_wte": 5200.0, "nhs_wte_per_qualified": 1300.0, "meets_target": False, "target": 1250.0}))
    'Elmford LKS serves this organisation. In 2024/25 it had 4.0 qualified LKS WTE for 5,200 NHS staff WTE, a ratio of 1:1,300. It does not yet meet the national target of 1:1,250.'
    """
    if pd.isna(row["nhs_wte_per_qualified"]):
        reason = row.get("note") or "the return lacks the figures needed"
        return f"{row['service_name']} serves this organisation. Its {row['year']} staffing ratio cannot be calculated: {reason}."
    verdict = "meets" if bool(row["meets_target"]) else "does not yet meet"
    return (
        f"{row['service_name']} serves this organisation. In {row['year']} it had {format_wte(row['qualified_wte'])} "
        f"qualified LKS WTE for {row['nhs_wte']:,.0f} NHS staff WTE, a ratio of {format_ratio(row['nhs_wte_per_qualified'])}. "
        f"It {verdict} the national target of {format_ratio(row['target'])}."
    )


def headline_change_words(row: pd.Series) -> str:
    """The change of one headline row in words, saying what it is measured on.

    Takes a row of :func:`~qio_analysis.metrics.headline_figures` (with its ``measure``).

    >>> headline_change_words(pd.Series({"measure": "enquiries", "direction": "up", "change": 2.105,
    ...     "change_unit": "%", "better": True, "n_both": 132}))
    '+2.1% among the 132 services that returned in both years (better)'
    """
    if row["direction"] == "n/a":
        return "no comparison with the previous year"
    change = format_change(row["change"], row["change_unit"])
    verdict = (
        ""
        if row["better"] is None or pd.isna(row["better"])
        else (" (better)" if row["better"] else " (worse)")
    )
    if row["measure"] == "n_services":
        return f"{change} on the previous year{verdict}"
    basis = f"among the {count_words(row['n_both'], 'service')} that returned in both years"
    return f"{change} {basis}{verdict}"


def headline_sentence(headlines: pd.DataFrame) -> str:
    """The opening sentence of the headlines report: returns, the national ratio, like-for-like change.

    Takes :func:`~qio_analysis.metrics.headline_figures`.
    """
    rows = headlines.set_index("measure")
    n, ratio = rows.loc["n_services"], rows.loc["nhs_wte_per_qualified"]
    year = str(n["year"])
    text = f"In {year}, {int(n['value'])} LKS services made a return"
    if int(n["n_previous_returns"]):
        text += f" ({int(n['previous'])} in {n['previous_year']})"
    text += "."
    if pd.isna(ratio["value"]):
        text += " The national staffing ratio cannot be calculated from these returns."
    else:
        text += (
            f" Nationally there was one qualified LKS WTE for every {ratio['value']:,.0f} NHS staff WTE, "
            "against a target of 1:1,250 (lower is better)."
        )
    if ratio["direction"] != "n/a":
        text += (
            f" Among the {count_words(ratio['n_both'], 'service')} that "
            "returned in both years, the ratio went from "
            f"{format_ratio(ratio['previous_both'])} to {format_ratio(ratio['value_both'])}. Changes below compare "
            "those same services in both years; totals are over every return."
        )
    else:
        text += " There is no earlier year in the data to compare with."
    return text

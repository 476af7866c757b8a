"""Level metrics: paired levels, an organisation's profile, distributions and completeness.

All functions take the tidy submissions table (see ``SubmissionsSchema``),
return a new frame and never modify their input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.errors import QioConfigError
from qio_analysis.framework import ASSESSMENTS, LEVELS, OUTCOME_NUMBERS, OUTCOMES, format_level
from qio_analysis.metrics._groups import By, as_by, check_columns, order_regions, with_national
from qio_analysis.metrics.history import FIRST_CYCLE_NOTE, NOT_VALIDATED, since_words
from qio_analysis.schemas import SubmissionsSchema

KEYS = ["org_code", "cycle", "outcome"]
_PARTS = ["level", "sublevel", "score"]


def _as_list(value: object) -> list:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value]
    return list(value)


def paired_levels(
    subs: DataFrame[SubmissionsSchema], cycles: int | Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per organisation, cycle and outcome with self-evaluated and validated side by side.

    Columns: ``org_code, org_name, region, cycle, outcome`` then
    ``self_level, self_sublevel, self_score, validated_level, validated_sublevel,
    validated_score``. An assessment with no row is missing (NA).

    >>> import qio_analysis as qa
    >>> subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    >>> pairs = paired_levels(subs, 2025)
    >>> za07 = pairs[pairs["org_code"] == "ZA07"]
    >>> za07["self_level"].tolist(), za07["validated_level"].tolist()
    ([4, 3, 3, 4, 3, 3], [4, 3, 2, 3, 3, 3])
    """
    df = subs if cycles is None else subs[subs["cycle"].isin(_as_list(cycles))]
    ident = df[["org_code", "cycle", "org_name", "region"]].drop_duplicates(["org_code", "cycle"])
    parts = []
    for assessment in ASSESSMENTS:
        part = df.loc[df["assessment"] == assessment, KEYS + _PARTS]
        parts.append(part.rename(columns={p: f"{assessment}_{p}" for p in _PARTS}))
    pairs = parts[0].merge(parts[1], on=KEYS, how="outer")
    out = ident.merge(pairs, on=["org_code", "cycle"], how="right")
    return out.sort_values(KEYS, kind="stable", ignore_index=True)


def previous_cycle(subs: DataFrame[SubmissionsSchema], cycle: int) -> int | None:
    """The latest cycle in the data before ``cycle`` (None when ``cycle`` is the first).

    >>> import qio_analysis as qa
    >>> subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    >>> previous_cycle(subs, 2025), previous_cycle(subs, 2021)
    (2023, None)
    """
    earlier = [int(c) for c in subs["cycle"].unique() if c < cycle]
    return max(earlier, default=None)


# --------------------------------------------------------------------- profile


def level_profile(subs: DataFrame[SubmissionsSchema], org_code: str, cycle: int) -> pd.DataFrame:
    """One organisation's six outcomes in one cycle, with change since its previous and first cycles.

    Columns: identity, ``outcome``, ``outcome_short``, ``outcome_text``; self and
    validated ``level``/``sublevel``/``score``; ``previous_cycle`` (the latest
    earlier cycle the organisation took part in) with its validated
    ``previous_level``/``previous_sublevel``/``previous_score``; ``change``
    (validated score minus previous score, in levels, 0.25 per sub-level);
    ``baseline_cycle`` (the organisation's first cycle, when earlier than
    ``cycle``) with ``baseline_level``/``baseline_sublevel``/``baseline_score``
    and ``change_since_baseline``; ``adjusted`` (the validator changed the
    self-evaluated level or sub-level) and ``adjustment`` (validated minus
    self-evaluated score).

    Strengths and areas for improvement compare validated scores (sub-levels
    count). ``is_strength`` marks every outcome tied at the highest score and
    ``is_area_for_improvement`` every outcome tied at the lowest. Nothing is
    flagged when fewer than two outcomes are validated or all validated
    outcomes have the same score, because then no outcome stands out.

    >>> import qio_analysis as qa
    >>> subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    >>> p = level_profile(subs, "ZA07", 2025)
    >>> int(p["previous_cycle"].iloc[0]), int(p["baseline_cycle"].iloc[0]), len(p)
    (2023, 2021, 6)
    """
    org = subs[subs["org_code"] == org_code]
    if org.empty:
        raise QioConfigError(f"There are no submissions for organisation {org_code!r}.")
    cycles = sorted(int(c) for c in org["cycle"].unique())
    if cycle not in cycles:
        listed = ", ".join(map(str, cycles))
        raise QioConfigError(f"{org_code} has no submission for {cycle}; it took part in {listed}.")
    earlier = [c for c in cycles if c < cycle]
    previous = earlier[-1] if earlier else None
    baseline = earlier[0] if earlier else None
    pairs = paired_levels(org, [cycle, *earlier])

    def at(c: int | None) -> pd.DataFrame:
        return pairs[pairs["cycle"] == c].set_index("outcome").reindex(list(OUTCOME_NUMBERS))

    now, before, first_cycle = at(cycle), at(previous), at(baseline)
    first = org[org["cycle"] == cycle].iloc[0]
    profile = pd.DataFrame(
        {
            "org_code": org_code,
            "org_name": first["org_name"],
            "region": first["region"],
            "cycle": cycle,
            "outcome": list(OUTCOME_NUMBERS),
            "outcome_short": [o.short for o in OUTCOMES],
            "outcome_text": [o.text for o in OUTCOMES],
            **{f"{a}_{p}": now[f"{a}_{p}"].to_numpy() for a in ASSESSMENTS for p in _PARTS},
            "previous_cycle": pd.array([previous] * len(OUTCOMES), dtype="Int64"),
            **{f"previous_{p}": before[f"validated_{p}"].to_numpy() for p in _PARTS},
            "baseline_cycle": pd.array([baseline] * len(OUTCOMES), dtype="Int64"),
            **{f"baseline_{p}": first_cycle[f"validated_{p}"].to_numpy() for p in _PARTS},
        }
    )
    profile = profile.astype(
        {f"{p}_level": "Int64" for p in ("self", "validated", "previous", "baseline")}
    )
    for col in ("self_sublevel", "validated_sublevel", "previous_sublevel", "baseline_sublevel"):
        profile[col] = pd.Categorical(
            profile[col], categories=["Low", "Medium", "High"], ordered=True
        )
    scores = profile["validated_score"].astype("float64")
    profile["change"] = scores - profile["previous_score"].astype("float64")
    profile["change_since_baseline"] = scores - profile["baseline_score"].astype("float64")
    profile["adjustment"] = scores - profile["self_score"].astype("float64")
    profile["adjusted"] = (profile["adjustment"] != 0) & profile["adjustment"].notna()
    scored = scores.dropna()
    stands_out = len(scored) >= 2 and scored.max() > scored.min()
    profile["is_strength"] = stands_out & (scores == scored.max())
    profile["is_area_for_improvement"] = stands_out & (scores == scored.min())
    return profile


def awaiting_validation(profile: pd.DataFrame) -> bool:
    """True when any outcome of a :func:`level_profile` has no validated level (the report is provisional).

    >>> import qio_analysis as qa
    >>> subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    >>> awaiting_validation(level_profile(subs, "ZA07", 2025))
    False
    """
    return bool(profile["validated_level"].isna().any())


@dataclass(frozen=True)
class ProfileText:
    """Plain-English sentences built from a :func:`level_profile`."""

    changes: list[str]
    strengths: str
    improvements: str
    adjustments: list[str] = field(default_factory=list)


def _outcome_label(row: pd.Series) -> str:
    return f"Outcome {row['outcome']} ({row['outcome_short']})"


def _level_of(row: pd.Series, prefix: str) -> str:
    level = row[f"{prefix}_level"]
    sub = row[f"{prefix}_sublevel"]
    return format_level(None if pd.isna(level) else int(level), None if pd.isna(sub) else str(sub))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _change_sentence(row: pd.Series) -> str:
    label = _outcome_label(row)
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
        change = row["change_since_baseline"]
        way = "up" if change > 0 else "down" if change < 0 else "no change"
        amount = "" if change == 0 else f" {abs(change):g} level{'s' if abs(change) != 1 else ''}"
        sentence = (
            sentence[:-1]
            + f" ({_level_of(row, 'baseline')} in {int(baseline)}: {way}{amount} {since_words(int(baseline))})."
        )
    return sentence


def profile_sentences(profile: pd.DataFrame) -> ProfileText:
    """Describe a profile in words: change per outcome, strengths, areas, validators' changes.

    Example change sentence: "Outcome 3 (Knowing needs) rose from Level 1
    (High) to Level 2 (Medium) since the 2021 baseline." ``adjustments``
    names each outcome where the validator changed the self-evaluated level
    or sub-level, with both values. In an organisation's first cycle
    ``changes`` is the one sentence :data:`FIRST_CYCLE_NOTE`.

    >>> import qio_analysis as qa
    >>> subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    >>> words = profile_sentences(level_profile(subs, "ZA07", 2025))
    >>> words.changes[5]
    'Outcome 6 (Impact) stayed at Level 3 since 2023 (Level 1 (Low) in 2021: up 1.75 levels since the 2021 baseline).'
    >>> words.adjustments[-1]
    'Outcome 4 (Skill mix): self-evaluated Level 4, validated Level 3.'
    """
    if profile["previous_cycle"].isna().all():
        changes = [FIRST_CYCLE_NOTE]
    else:
        changes = [_change_sentence(row) for _, row in profile.iterrows()]
    adjustments = [
        f"{_outcome_label(row)}: self-evaluated {_level_of(row, 'self')}, "
        f"validated {_level_of(row, 'validated')}."
        for _, row in profile[profile["adjusted"]].iterrows()
    ]
    return ProfileText(
        changes,
        _focus(profile, "is_strength", "Strengths", "highest"),
        _focus(profile, "is_area_for_improvement", "Areas for improvement", "lowest"),
        adjustments,
    )


def _focus(profile: pd.DataFrame, flag: str, title: str, which: str) -> str:
    rows = profile[profile[flag]]
    if rows.empty:
        scored = profile["validated_score"].dropna()
        if len(scored) < 2:
            return f"{title}: too few validated outcomes to pick any out."
        level = _level_of(profile.loc[scored.index[0]], "validated")
        return f"{title}: none stand out, as every validated outcome is at {level}."
    labels = [_outcome_label(r) for _, r in rows.iterrows()]
    level = _level_of(rows.iloc[0], "validated")
    if len(labels) == 1:
        return f"{title}: {labels[0]}, at {level}, the {which} validated level."
    both = "both" if len(labels) == 2 else "all"
    return f"{title}: {_join(labels)}, {both} at {level}, the joint {which} validated level."


# --------------------------------------------------------------------- distribution


def level_distribution(
    subs: DataFrame[SubmissionsSchema],
    cycle: int | Sequence[int],
    by: By = None,
    assessment: str | Sequence[str] = "validated",
    threshold: int = 3,
) -> pd.DataFrame:
    """Organisations at each level, per outcome and group, with national rows alongside.

    One row per ``cycle``, ``assessment``, group, ``outcome`` and ``level`` (0-4,
    zero counts included). ``pct`` is the share of organisations with a level
    for that outcome (organisations without one are excluded and counted in
    ``n_missing``). Per group and outcome (repeated on each level row):
    ``n_orgs``, ``n_scored``, ``n_missing``, ``median_level`` (the middle
    organisation's level; the lower middle for an even count, so always a real
    level) and ``pct_at_or_above`` (share at ``threshold`` or higher). National
    rows have the ``by`` columns set to ``England``. An outcome nobody scored
    has ``n_scored`` 0 and missing percentages and median.

    ``by=None`` gives England only; ``by="region"`` each region plus England.

    >>> import qio_analysis as qa
    >>> subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    >>> d = level_distribution(subs, 2025)
    >>> len(d), "region" in d.columns  # 6 outcomes x 5 levels, England only
    (30, False)
    >>> level_distribution(subs, 2025, by="region")["region"].nunique()
    8
    """
    by = as_by(by)
    check_columns(subs, by, "levels")
    assessments = _as_list(assessment)
    bad = set(assessments) - set(ASSESSMENTS)
    if bad:
        raise QioConfigError(f"assessment must be 'self' or 'validated', not {sorted(bad)}.")
    df = subs[subs["cycle"].isin(_as_list(cycle)) & subs["assessment"].isin(assessments)]

    def compute(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return _distribution(frame, ["cycle", "assessment", *keys], threshold)

    return with_national(df, by, compute)


def _distribution(frame: pd.DataFrame, group: list[str], threshold: int) -> pd.DataFrame:
    keys = [*group, "outcome"]
    outcomes = pd.DataFrame({"outcome": list(OUTCOME_NUMBERS)})
    full = pd.MultiIndex.from_frame(
        frame[group].drop_duplicates().merge(outcomes, how="cross").sort_values(keys, kind="stable")
    )
    scored = frame[frame["level"].notna()]
    counts = (
        scored.groupby([*keys, "level"])
        .size()
        .unstack("level", fill_value=0)
        .reindex(index=full, columns=list(LEVELS), fill_value=0)
    )
    n_orgs = frame.groupby(keys)["org_code"].nunique().reindex(full, fill_value=0).to_numpy()
    matrix = counts.to_numpy(dtype="int64")
    n_scored = matrix.sum(axis=1)
    middle = (n_scored + 1) // 2
    median = np.where(n_scored > 0, (matrix.cumsum(axis=1) >= middle[:, None]).argmax(axis=1), -1)
    at_or_above = matrix[:, [lv >= threshold for lv in LEVELS]].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_above = np.where(n_scored > 0, at_or_above / np.maximum(n_scored, 1) * 100, np.nan)
        pct = np.where(
            n_scored[:, None] > 0, matrix / np.maximum(n_scored, 1)[:, None] * 100, np.nan
        )
    k = len(LEVELS)
    out = full.to_frame(index=False).loc[np.repeat(np.arange(len(full)), k)].reset_index(drop=True)

    def per_row(values: np.ndarray) -> np.ndarray:
        return np.repeat(values, k)

    return out.assign(
        level=np.tile(np.array(LEVELS, dtype="int64"), len(full)),
        n=matrix.ravel(),
        pct=pct.ravel(),
        n_orgs=per_row(n_orgs.astype("int64")),
        n_scored=per_row(n_scored),
        n_missing=per_row(n_orgs.astype("int64") - n_scored),
        median_level=pd.array(
            [m if m >= 0 else None for m in per_row(median).tolist()], dtype="Int64"
        ),
        pct_at_or_above=per_row(pct_above),
    )


def level_summary(distribution: pd.DataFrame) -> pd.DataFrame:
    """One row per group and outcome of a :func:`level_distribution` (drops level rows).

    >>> import qio_analysis as qa
    >>> subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    >>> len(level_summary(level_distribution(subs, 2025, by="region")))  # 8 groups x 6 outcomes
    48
    """
    keys = [c for c in distribution.columns if c not in {"level", "n", "pct"}]
    return order_regions(distribution[keys].drop_duplicates())


# --------------------------------------------------------------------- completeness

# Completeness lives in its own module; re-exported here for existing imports.
from qio_analysis.metrics.completeness import completeness, submission_status  # noqa: E402

__all__ = [
    "ProfileText",
    "awaiting_validation",
    "completeness",
    "level_distribution",
    "level_profile",
    "level_summary",
    "paired_levels",
    "previous_cycle",
    "profile_sentences",
    "submission_status",
]

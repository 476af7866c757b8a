"""Level metrics: paired levels, an organisation's profile, and level distributions.

All functions take the tidy submissions table (see ``SubmissionsSchema``),
return a new frame and never modify their input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.errors import QioConfigError
from qio_analysis.framework import (
    ASSESSMENTS,
    DOWN,
    LEVELS,
    OUTCOME_NUMBERS,
    OUTCOMES,
    SUBLEVEL_DOWN,
    SUBLEVEL_UP,
    UP,
    compare_levels_frame,
)
from qio_analysis.metrics._groups import By, as_by, check_columns, order_regions, with_national
from qio_analysis.output_schemas import (
    LevelDistributionSchema,
    LevelProfileSchema,
    PairedLevelsSchema,
    returns,
)
from qio_analysis.reference import NATIONAL
from qio_analysis.schemas import SubmissionsSchema

KEYS = ["org_code", "cycle", "outcome"]
_PARTS = ["level", "sublevel", "score"]


def _as_list(value: object) -> list:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value]
    return list(value)


@returns(PairedLevelsSchema)
@enforce_schemas
def paired_levels(
    subs: DataFrame[SubmissionsSchema], cycles: int | Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per organisation, cycle and outcome with self-evaluated and validated side by side.

    Columns:
        org_code, cycle, org_name, region, outcome: the organisation, cycle and outcome.
        self_level, self_sublevel, self_score: the self-evaluation.
        validated_level, validated_sublevel, validated_score: the validation.

    An assessment with no row is missing (NA).

    >>> from qio_analysis.schemas import submissions_table
    >>> subs = submissions_table(pd.DataFrame({
    ...     "org_code": "ZA01", "org_name": "Ashby NHS Trust", "region": "London", "cycle": 2025,
    ...     "outcome": [1, 1, 2, 2], "assessment": ["self", "validated", "self", "validated"],
    ...     "level": [3, 2, 2, 2], "sublevel": ["High", None, None, None],
    ... }))
    >>> pairs = paired_levels(subs)
    >>> pairs["self_score"].tolist(), pairs["validated_score"].tolist()
    ([3.75, 2.0], [2.0, 2.0])
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


@enforce_schemas
def previous_cycle(subs: DataFrame[SubmissionsSchema], cycle: int) -> int | None:
    """The latest cycle in the data before ``cycle`` (None when ``cycle`` is the first).

    >>> from qio_analysis.schemas import submissions_table
    >>> subs = submissions_table(pd.DataFrame({
    ...     "org_code": "ZA01", "org_name": "Ashby NHS Trust", "region": "London",
    ...     "cycle": [2021, 2023, 2025], "outcome": 1, "assessment": "validated", "level": [1, 2, 2],
    ... }))
    >>> previous_cycle(subs, 2025), previous_cycle(subs, 2021)
    (2023, None)
    """
    earlier = [int(c) for c in subs["cycle"].unique() if c < cycle]
    return max(earlier, default=None)


# --------------------------------------------------------------------- profile


@returns(LevelProfileSchema)
@enforce_schemas
def level_profile(subs: DataFrame[SubmissionsSchema], org_code: str, cycle: int) -> pd.DataFrame:
    """One organisation's six outcomes in one cycle, with change since its previous and first cycles.

    Columns:
        org_code, org_name, region, cycle: the organisation and the cycle.
        outcome, outcome_short, outcome_text: the outcome, its short name and its text.
        self_level, self_sublevel, self_score: the self-evaluation.
        validated_level, validated_sublevel, validated_score: the validation.
        previous_cycle: the latest earlier cycle the organisation took part in.
        previous_level, previous_sublevel, previous_score: its validated level then.
        baseline_cycle: the organisation's first cycle, when earlier than ``cycle``.
        baseline_level, baseline_sublevel, baseline_score: its validated level then.
        change, sublevel_change, comparison: the validated level against the previous
            cycle's by the one rule (:func:`~qio_analysis.framework.compare_levels`): in
            whole levels, in sub-level steps (only on the same level with a sub-level on
            both sides) and the status, e.g. ``up`` or ``same level; sub-level not
            comparable``.
        change_since_baseline, sublevel_change_since_baseline, comparison_since_baseline:
            the same against the baseline.
        adjustment: validated minus self-evaluated, in whole levels.
        adjusted: the validator raised or lowered the self-evaluated level, or its
            sub-level when both carry one.
        is_strength, is_area_for_improvement: the outcome stands out (below).

    Strengths and areas for improvement compare validated whole levels.
    ``is_strength`` marks every outcome at the highest validated level and
    ``is_area_for_improvement`` every outcome at the lowest, whatever their
    sub-levels. Nothing is flagged when fewer than two outcomes are validated
    or all validated outcomes are on the same level, because then no outcome
    stands out.

    >>> from qio_analysis import examples
    >>> subs = examples.one_organisation()
    >>> p = level_profile(subs, "ZA01", 2025).head(2)  # outcomes 3-6 have no levels
    >>> p["change"].tolist(), p["comparison"].tolist(), p["adjustment"].tolist()
    ([1, 0], ['up', 'same level'], [-1, <NA>])
    >>> p["is_strength"].tolist(), p["is_area_for_improvement"].tolist()  # both at Level 2
    ([False, False], [False, False])
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
    now_parts = profile["validated_level"], profile["validated_sublevel"]
    for prefix, suffix in (("previous", ""), ("baseline", "_since_baseline")):
        moved = compare_levels_frame(
            profile[f"{prefix}_level"], profile[f"{prefix}_sublevel"], *now_parts
        )
        profile[f"change{suffix}"] = moved["level_change"]
        profile[f"sublevel_change{suffix}"] = moved["sublevel_change"]
        profile[f"comparison{suffix}"] = moved["comparison"]
    validator = compare_levels_frame(profile["self_level"], profile["self_sublevel"], *now_parts)
    profile["adjustment"] = validator["level_change"]
    # Raised or lowered by the one rule; a sub-level on one side only is not a change.
    profile["adjusted"] = validator["comparison"].isin([UP, DOWN, SUBLEVEL_UP, SUBLEVEL_DOWN])
    levels = profile["validated_level"]
    validated = levels.dropna()
    stands_out = len(validated) >= 2 and validated.max() > validated.min()
    profile["is_strength"] = stands_out & levels.eq(validated.max()).fillna(False)
    profile["is_area_for_improvement"] = stands_out & levels.eq(validated.min()).fillna(False)
    return profile


def awaiting_validation(profile: pd.DataFrame) -> bool:
    """True when any outcome of a :func:`level_profile` has no validated level (the report is provisional).

    >>> from qio_analysis import examples
    >>> subs = examples.one_organisation()
    >>> awaiting_validation(level_profile(subs, "ZA01", 2025))  # outcomes 3-6 are not validated
    True
    """
    return bool(profile["validated_level"].isna().any())


# --------------------------------------------------------------------- distribution


@returns(LevelDistributionSchema)
@enforce_schemas
def level_distribution(
    subs: DataFrame[SubmissionsSchema],
    cycle: int | Sequence[int],
    by: By = None,
    assessment: str | Sequence[str] = "validated",
    threshold: int = 3,
) -> pd.DataFrame:
    """Organisations at each level, per outcome and group, with national rows alongside.

    One row per ``cycle``, ``assessment``, group, ``outcome`` and ``level``
    (0-4, zero counts included).

    Columns:
        cycle, assessment: what was counted.
        [by]: the group (``England`` on national rows).
        outcome, level: the outcome and the level.
        n, pct: organisations at the level, and their percentage of those with a level
            for the outcome (organisations without one are counted in ``n_missing``).
        n_orgs, n_scored, n_missing: organisations in the group, with and without a
            level for the outcome (repeated on each level row, as are the next two).
        median_level: the middle organisation's level (the lower middle for an even
            count, so always a real level).
        pct_at_or_above: the percentage at ``threshold`` or higher.

    An outcome nobody scored has ``n_scored`` 0 and missing percentages and median.

    ``by=None`` gives England only; ``by="region"`` each region plus England.

    >>> from qio_analysis import examples
    >>> subs = examples.four_organisations()
    >>> d = level_distribution(subs, 2025)  # England only: 6 outcomes x 5 levels
    >>> len(d), d.loc[d["outcome"] == 1, "pct"].tolist()
    (30, [0.0, 25.0, 25.0, 50.0, 0.0])
    >>> one = d[d["outcome"] == 1].iloc[0]  # the lower middle of 1, 2, 3, 3 is 2
    >>> int(one["n_scored"]), int(one["median_level"]), float(one["pct_at_or_above"])
    (4, 2, 50.0)
    >>> level_distribution(subs, 2025, by="region")["region"].unique().tolist()
    ['London', 'England']
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

    >>> from qio_analysis.schemas import submissions_table
    >>> subs = submissions_table(pd.DataFrame({
    ...     "org_code": ["ZA01", "ZA02"], "org_name": ["Ashby NHS Trust", "Brook NHS Trust"],
    ...     "region": "London", "cycle": 2025, "outcome": 1, "assessment": "validated",
    ...     "level": [2, 4],
    ... }))
    >>> summary = level_summary(level_distribution(subs, 2025, by="region"))
    >>> len(summary), summary["median_level"].tolist()[:2]  # 2 groups x 6 outcomes
    (12, [2, <NA>])
    """
    keys = [c for c in distribution.columns if c not in {"level", "n", "pct"}]
    return order_regions(distribution[keys].drop_duplicates())


def gap_to_england(summary: pd.DataFrame) -> pd.DataFrame:
    """Each region's share at the threshold and median level beside England's, with the gaps.

    Takes a :func:`level_summary` with regions and England. Adds, per cycle,
    assessment and outcome: ``england_pct_at_or_above`` and
    ``gap_pct_at_or_above`` (percentage points between the two shares as
    published, whole percentages, so the gap is always the difference of the
    two figures a reader sees), ``england_median_level`` and
    ``gap_median_level`` (whole levels). England's own rows are dropped.

    >>> from qio_analysis.schemas import submissions_table
    >>> subs = submissions_table(pd.DataFrame({
    ...     "org_code": ["ZA01", "ZA02", "ZA03"], "org_name": ["Ashby", "Brook", "Cran"],
    ...     "region": ["London", "London", "Midlands"], "cycle": 2025, "outcome": 1,
    ...     "assessment": "validated", "level": [2, 3, 4],
    ... }))
    >>> gaps = gap_to_england(level_summary(level_distribution(subs, 2025, by="region")))
    >>> one = gaps[(gaps["region"] == "London") & (gaps["outcome"] == 1)].iloc[0]
    >>> share, england = float(one["pct_at_or_above"]), float(one["england_pct_at_or_above"])
    >>> share, round(england, 1), int(one["gap_pct_at_or_above"])  # 50% against 67% as published
    (50.0, 66.7, -17)
    >>> int(one["median_level"]), int(one["england_median_level"]), int(one["gap_median_level"])
    (2, 3, -1)
    """
    keys = ["cycle", "assessment", "outcome"]
    national = summary[summary["region"] == NATIONAL][
        [*keys, "pct_at_or_above", "median_level"]
    ].rename(
        columns={
            "pct_at_or_above": "england_pct_at_or_above",
            "median_level": "england_median_level",
        }
    )
    regions = summary[summary["region"] != NATIONAL]
    out = regions.merge(national, on=keys, how="left")
    shown = out["pct_at_or_above"].round(0) - out["england_pct_at_or_above"].round(0)
    return out.assign(
        gap_pct_at_or_above=pd.array(
            [None if pd.isna(v) else int(v) for v in shown], dtype="Int64"
        ),
        gap_median_level=(out["median_level"] - out["england_median_level"]).astype("Int64"),
    )

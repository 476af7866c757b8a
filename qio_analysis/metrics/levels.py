"""Level metrics: paired levels, an organisation's profile, distributions and completeness.

All functions take the tidy submissions table (see ``SubmissionsSchema``),
return a new frame and never modify their input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.errors import QioConfigError
from qio_analysis.framework import ASSESSMENTS, LEVELS, OUTCOME_NUMBERS, OUTCOMES, format_level
from qio_analysis.metrics._groups import By, as_by, check_columns, order_regions, with_national
from qio_analysis.schemas import OrganisationsSchema, SubmissionsSchema

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
    """The latest cycle in the data before ``cycle`` (None when ``cycle`` is the first)."""
    earlier = [int(c) for c in subs["cycle"].unique() if c < cycle]
    return max(earlier, default=None)


# --------------------------------------------------------------------- profile


def level_profile(subs: DataFrame[SubmissionsSchema], org_code: str, cycle: int) -> pd.DataFrame:
    """One organisation's six outcomes in one cycle, with change since its previous cycle.

    Columns: identity, ``outcome``, ``outcome_short``, ``outcome_text``; self and
    validated ``level``/``sublevel``/``score``; ``previous_cycle`` (the latest
    earlier cycle the organisation took part in) with its validated
    ``previous_level``/``previous_sublevel``/``previous_score``; ``change``
    (validated score minus previous score, in levels, 0.25 per sub-level).

    Strengths and areas for improvement compare validated scores (sub-levels
    count). ``is_strength`` marks every outcome tied at the highest score and
    ``is_area_for_improvement`` every outcome tied at the lowest. Nothing is
    flagged when fewer than two outcomes are validated or all validated
    outcomes have the same score, because then no outcome stands out.
    """
    org = subs[subs["org_code"] == org_code]
    if org.empty:
        raise QioConfigError(f"There are no submissions for organisation {org_code!r}.")
    cycles = sorted(int(c) for c in org["cycle"].unique())
    if cycle not in cycles:
        raise QioConfigError(f"{org_code} has no submission for {cycle}; it took part in {cycles}.")
    previous = max((c for c in cycles if c < cycle), default=None)
    pairs = paired_levels(org, [cycle] if previous is None else [cycle, previous])
    now = pairs[pairs["cycle"] == cycle].set_index("outcome").reindex(list(OUTCOME_NUMBERS))
    before = pairs[pairs["cycle"] == previous].set_index("outcome").reindex(list(OUTCOME_NUMBERS))
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
        }
    )
    profile = profile.astype(
        {"self_level": "Int64", "validated_level": "Int64", "previous_level": "Int64"}
    )
    for col in ("self_sublevel", "validated_sublevel", "previous_sublevel"):
        profile[col] = pd.Categorical(
            profile[col], categories=["Low", "Medium", "High"], ordered=True
        )
    scores = profile["validated_score"].astype("float64")
    profile["change"] = scores - profile["previous_score"].astype("float64")
    scored = scores.dropna()
    stands_out = len(scored) >= 2 and scored.max() > scored.min()
    profile["is_strength"] = stands_out & (scores == scored.max())
    profile["is_area_for_improvement"] = stands_out & (scores == scored.min())
    return profile


@dataclass(frozen=True)
class ProfileText:
    """Plain-English sentences built from a :func:`level_profile`."""

    changes: list[str]
    strengths: str
    improvements: str


def _outcome_label(row: pd.Series) -> str:
    return f"Outcome {row['outcome']} ({row['outcome_short']})"


def _level_of(row: pd.Series, prefix: str) -> str:
    level = row[f"{prefix}_level"]
    sub = row[f"{prefix}_sublevel"]
    return format_level(None if pd.isna(level) else int(level), None if pd.isna(sub) else str(sub))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def profile_sentences(profile: pd.DataFrame) -> ProfileText:
    """Describe a profile in words: change per outcome, strengths, areas for improvement.

    Example change sentence: "Outcome 3 (Knowing needs) rose from Level 1
    (High) to Level 2 (Medium) since 2021."
    """
    changes = []
    for _, row in profile.iterrows():
        label = _outcome_label(row)
        now = _level_of(row, "validated")
        if pd.isna(row["validated_level"]):
            changes.append(f"{label} has no validated level for {row['cycle']}.")
        elif pd.isna(row["previous_cycle"]):
            changes.append(f"{label} is at {now}; there is no earlier cycle to compare with.")
        elif pd.isna(row["previous_level"]):
            changes.append(
                f"{label} is at {now}; it had no validated level in {row['previous_cycle']}."
            )
        else:
            before = _level_of(row, "previous")
            since = f"since {row['previous_cycle']}"
            if row["change"] > 0:
                changes.append(f"{label} rose from {before} to {now} {since}.")
            elif row["change"] < 0:
                changes.append(f"{label} fell from {before} to {now} {since}.")
            else:
                changes.append(f"{label} stayed at {now} {since}.")
    return ProfileText(
        changes,
        _focus(profile, "is_strength", "Strengths", "highest"),
        _focus(profile, "is_area_for_improvement", "Areas for improvement", "lowest"),
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
    by: By = "region",
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
    """One row per group and outcome of a :func:`level_distribution` (drops level rows)."""
    keys = [c for c in distribution.columns if c not in {"level", "n", "pct"}]
    return order_regions(distribution[keys].drop_duplicates())


# --------------------------------------------------------------------- completeness


def submission_status(
    subs: DataFrame[SubmissionsSchema], orgs: DataFrame[OrganisationsSchema], cycle: int
) -> pd.DataFrame:
    """Status of every expected (and any unexpected) organisation in ``cycle``.

    ``status`` is ``validated`` (all six outcomes have a validated level),
    ``awaiting validation`` (submitted, some validated levels missing),
    ``not submitted`` (no self-evaluated level) or ``not in organisations
    table`` (submitted but not expected: check the organisations table).
    """
    df = subs[subs["cycle"] == cycle]
    self_done = df.loc[(df["assessment"] == "self") & df["level"].notna(), "org_code"].unique()
    validated = df[(df["assessment"] == "validated") & df["level"].notna()]
    fully = validated.groupby("org_code")["outcome"].nunique()
    fully = set(fully[fully == len(OUTCOME_NUMBERS)].index)
    expected = orgs[["org_code", "org_name", "region"]]
    extra = df.loc[
        ~df["org_code"].isin(expected["org_code"]), ["org_code", "org_name", "region"]
    ].drop_duplicates("org_code")
    table = pd.concat(
        [expected.assign(expected=True), extra.assign(expected=False)], ignore_index=True
    )
    submitted = table["org_code"].isin(self_done) | table["org_code"].isin(fully)
    status = np.select(
        [~table["expected"], table["org_code"].isin(fully), submitted],
        ["not in organisations table", "validated", "awaiting validation"],
        default="not submitted",
    )
    out = table.assign(cycle=cycle, submitted=submitted.to_numpy(), status=status)
    return order_regions(out.sort_values(["region", "org_code"], kind="stable"))


def completeness(
    subs: DataFrame[SubmissionsSchema], orgs: DataFrame[OrganisationsSchema], cycle: int
) -> pd.DataFrame:
    """Per region (and England): organisations expected, submitted and validated, and who is missing.

    ``missing_orgs`` and ``awaiting_orgs`` list codes for validators to chase;
    ``unexpected_orgs`` lists submitting organisations absent from the
    organisations table (counted, never dropped).
    """
    status = submission_status(subs, orgs, cycle)

    def compute(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        def codes(mask: pd.Series) -> pd.Series:
            picked = frame[mask]
            if keys:
                return picked.groupby(keys)["org_code"].agg(lambda s: ", ".join(sorted(s)))
            return pd.Series([", ".join(sorted(picked["org_code"]))])

        flags = frame.assign(
            expected_n=frame["expected"].astype(int),
            submitted_n=(frame["submitted"] & frame["expected"]).astype(int),
            validated_n=(frame["status"] == "validated").astype(int),
            awaiting_n=(frame["status"] == "awaiting validation").astype(int),
            missing_n=(frame["status"] == "not submitted").astype(int),
            unexpected_n=(~frame["expected"]).astype(int),
        )
        cols = [
            "expected_n",
            "submitted_n",
            "validated_n",
            "awaiting_n",
            "missing_n",
            "unexpected_n",
        ]
        sums = (
            flags.groupby(keys)[cols].sum().reset_index()
            if keys
            else flags[cols].sum().to_frame().T
        )
        lists = {
            "missing_orgs": codes(frame["status"] == "not submitted"),
            "awaiting_orgs": codes(frame["status"] == "awaiting validation"),
            "unexpected_orgs": codes(~frame["expected"]),
        }
        for name, series in lists.items():
            if keys:
                sums = sums.merge(series.rename(name).reset_index(), on=keys, how="left")
            else:
                sums[name] = series.iloc[0]
        return sums

    out = with_national(status, ["region"], compute).rename(columns=lambda c: c.removesuffix("_n"))
    out = out.rename(columns={"awaiting": "awaiting_validation", "unexpected": "unexpected"})
    for name in ("missing_orgs", "awaiting_orgs", "unexpected_orgs"):
        out[name] = out[name].fillna("")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pct_submitted"] = out["submitted"] / out["expected"].where(out["expected"] > 0) * 100
        out["pct_validated"] = out["validated"] / out["expected"].where(out["expected"] > 0) * 100
    out.insert(1, "cycle", cycle)
    return out

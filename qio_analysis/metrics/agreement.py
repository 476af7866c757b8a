"""Self-evaluated against validated levels: confusion, agreement, adjustment and kappa."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.framework import LEVELS
from qio_analysis.metrics._groups import By, as_by, check_columns, with_national
from qio_analysis.metrics.levels import paired_levels
from qio_analysis.schemas import SubmissionsSchema


def quadratic_weighted_kappa(
    first: Sequence[int], second: Sequence[int], categories: Sequence[int] = LEVELS
) -> float:
    """Cohen's kappa with quadratic weights for two ratings of the same items.

    ``1 - sum(w * observed) / sum(w * expected)`` with
    ``w[i, j] = (i - j)^2 / (k - 1)^2`` over the fixed ``categories`` (levels
    0-4). NaN when it is undefined: no pairs, or every rating in one category.

    >>> quadratic_weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3])
    1.0
    >>> round(quadratic_weighted_kappa([1, 2, 3], [2, 2, 2]), 6)
    0.0
    """
    a = np.asarray(first, dtype=int)
    b = np.asarray(second, dtype=int)
    if a.shape != b.shape:
        raise ValueError("the two ratings must pair up item by item")
    if a.size == 0:
        return float("nan")
    cats = list(categories)
    k = len(cats)
    pos = {c: i for i, c in enumerate(cats)}
    observed = np.zeros((k, k))
    np.add.at(observed, ([pos[x] for x in a], [pos[y] for y in b]), 1)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / a.size
    idx = np.arange(k)
    weights = (idx[:, None] - idx[None, :]) ** 2 / (k - 1) ** 2
    denominator = (weights * expected).sum()
    if denominator == 0:
        return float("nan")
    return float(1 - (weights * observed).sum() / denominator)


class Agreement(NamedTuple):
    """Result of :func:`validation_agreement`.

    ``confusion``: counts per group, outcome, ``self_level`` and
    ``validated_level`` (all 25 cells, zeros included).
    ``summary``: per group and outcome, plus a pooled row per group with
    ``outcome`` missing (NA) meaning "all outcomes".
    """

    confusion: pd.DataFrame
    summary: pd.DataFrame


def validation_agreement(
    subs: DataFrame[SubmissionsSchema], cycle: int, by: By = None
) -> Agreement:
    """How validators' levels compare with self-evaluations in ``cycle``.

    Only outcomes with both a self-evaluated and a validated level count.
    Summary columns: ``n_pairs``; ``pct_exact`` (same level) and
    ``pct_exact_score`` (same level and sub-level); ``pct_lowered`` and
    ``pct_raised`` (validated level below / above self); ``mean_adjustment``
    (validated minus self, in levels) and ``mean_score_adjustment`` (in score
    units, 0.25 per sub-level); ``kappa`` (quadratic-weighted Cohen's kappa on
    levels 0-4, NaN when undefined).
    """
    by = as_by(by)
    pairs = paired_levels(subs, [cycle])
    check_columns(pairs, by, "agreement")
    pairs = pairs[pairs["self_level"].notna() & pairs["validated_level"].notna()]
    pairs = pairs.assign(
        self_level=pairs["self_level"].astype("int64"),
        validated_level=pairs["validated_level"].astype("int64"),
    )

    def confusion(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        groups = frame[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
        grid = pd.MultiIndex.from_product(
            [list(range(1, 7)), list(LEVELS), list(LEVELS)],
            names=["outcome", "self_level", "validated_level"],
        ).to_frame(index=False)
        full = groups.merge(grid, how="cross") if keys else grid
        counts = (
            frame.groupby([*keys, "outcome", "self_level", "validated_level"]).size().rename("n")
        )
        out = full.merge(
            counts.reset_index(), on=[*keys, "outcome", "self_level", "validated_level"], how="left"
        )
        return out.fillna({"n": 0}).astype({"n": "int64"})

    def summary(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        per_outcome = _agreement_rows(frame, [*keys, "outcome"])
        pooled = _agreement_rows(frame, keys).assign(outcome=pd.NA)
        out = pd.concat([per_outcome, pooled[per_outcome.columns]], ignore_index=True)
        return out.astype({"outcome": "Int64"})

    result = Agreement(with_national(pairs, by, confusion), with_national(pairs, by, summary))
    return Agreement(result.confusion.assign(cycle=cycle), result.summary.assign(cycle=cycle))


def _agreement_rows(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    def one(group: pd.DataFrame) -> pd.Series:
        diff = group["validated_level"] - group["self_level"]
        score_diff = group["validated_score"] - group["self_score"]
        n = len(group)
        return pd.Series(
            {
                "n_pairs": n,
                "pct_exact": (diff == 0).mean() * 100 if n else np.nan,
                "pct_exact_score": (score_diff == 0).mean() * 100 if n else np.nan,
                "pct_lowered": (diff < 0).mean() * 100 if n else np.nan,
                "pct_raised": (diff > 0).mean() * 100 if n else np.nan,
                "mean_adjustment": diff.mean() if n else np.nan,
                "mean_score_adjustment": score_diff.mean() if n else np.nan,
                "kappa": quadratic_weighted_kappa(group["self_level"], group["validated_level"]),
            }
        )

    if not keys:
        return one(frame).to_frame().T.astype({"n_pairs": "int64"})
    rows = [one(g).rename(k) for k, g in frame.groupby(keys)]
    if not rows:
        return pd.DataFrame(
            columns=[
                *keys,
                "n_pairs",
                "pct_exact",
                "pct_exact_score",
                "pct_lowered",
                "pct_raised",
                "mean_adjustment",
                "mean_score_adjustment",
                "kappa",
            ]
        )
    out = pd.DataFrame(rows)
    out.index = pd.MultiIndex.from_tuples(
        [k if isinstance(k, tuple) else (k,) for k in out.index], names=keys
    )
    return out.reset_index().astype({"n_pairs": "int64"})


def largest_adjustments(
    subs: DataFrame[SubmissionsSchema], cycle: int, *, top: int = 10
) -> pd.DataFrame:
    """Organisations whose self-evaluations validators changed most in ``cycle`` (for review).

    One row per organisation with at least one adjustment: ``n_pairs``,
    ``n_lowered``, ``n_raised``, ``mean_adjustment`` (levels) and
    ``largest_drop`` (levels), sorted by the largest mean reduction, then the
    most outcomes lowered; the first ``top`` rows.
    """
    pairs = paired_levels(subs, [cycle])
    pairs = pairs[pairs["self_level"].notna() & pairs["validated_level"].notna()]
    diff = (pairs["validated_level"] - pairs["self_level"]).astype("float64")
    frame = pairs.assign(diff=diff, lowered=diff < 0, raised=diff > 0)
    out = frame.groupby(["org_code", "org_name", "region"], as_index=False).agg(
        n_pairs=("diff", "size"),
        n_lowered=("lowered", "sum"),
        n_raised=("raised", "sum"),
        mean_adjustment=("diff", "mean"),
        largest_drop=("diff", "min"),
    )
    out = out[(out["n_lowered"] + out["n_raised"]) > 0]
    out = out.assign(largest_drop=(-out["largest_drop"]).clip(lower=0))
    return (
        out.sort_values(["mean_adjustment", "n_lowered"], ascending=[True, False], kind="stable")
        .head(top)
        .reset_index(drop=True)
    )

"""Self-evaluated against validated levels: confusion, agreement, adjustment and weighted kappa.

Agreement is reported at two resolutions: whole levels (0-4) and scores
(sub-levels counted: 0, 0.25, ..., 4.75), because validators adjust sub-levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.errors import QioConfigError
from qio_analysis.framework import (
    DOWN,
    LEVELS,
    OUTCOME_NUMBERS,
    SAME_LEVEL,
    SUBLEVEL_DOWN,
    SUBLEVEL_NOT_COMPARABLE,
    SUBLEVEL_UP,
    UP,
    compare_levels_frame,
)
from qio_analysis.memo import memoise_frames
from qio_analysis.metrics._groups import By, as_by, check_columns, with_national
from qio_analysis.metrics.levels import paired_levels
from qio_analysis.schemas import SubmissionsSchema

#: Score categories (level plus sub-level): 0, 0.25, ..., 4.75, twenty steps.
SCORES: tuple[float, ...] = tuple(lv + off for lv in LEVELS for off in (0.0, 0.25, 0.5, 0.75))

#: Fewest pairs for which a bootstrap interval is given.
MIN_PAIRS_FOR_INTERVAL = 10

#: Weighting schemes for :func:`weighted_kappa`; quadratic is the convention for ordinal scales.
WEIGHTINGS = ("quadratic", "linear")


def _weights(k: int, weights: str) -> np.ndarray:
    if weights not in WEIGHTINGS:
        raise QioConfigError(f"weights must be 'quadratic' or 'linear', not {weights!r}.")
    idx = np.arange(k)
    distance = np.abs(idx[:, None] - idx[None, :]) / (k - 1)
    return distance**2 if weights == "quadratic" else distance


def _kappa_many(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted kappa of each row of paired category indices ``a``, ``b`` (shape replicates x pairs)."""
    reps, n = a.shape
    k = w.shape[0]
    observed = w[a, b].mean(axis=1)
    offset = (np.arange(reps) * k)[:, None]
    share_a = np.bincount((offset + a).ravel(), minlength=reps * k).reshape(reps, k) / n
    share_b = np.bincount((offset + b).ravel(), minlength=reps * k).reshape(reps, k) / n
    expected = np.einsum("ri,ij,rj->r", share_a, w, share_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(expected > 0, 1 - observed / np.where(expected > 0, expected, 1), np.nan)


def _indices(values: Sequence[float], categories: Sequence[float]) -> np.ndarray:
    pos = {float(c): i for i, c in enumerate(categories)}
    try:
        return np.array([pos[float(v)] for v in values], dtype=int)
    except KeyError as exc:
        raise QioConfigError(
            f"{exc.args[0]!r} is not one of the categories {list(categories)}."
        ) from exc


def weighted_kappa(
    first: Sequence[float],
    second: Sequence[float],
    categories: Sequence[float] = LEVELS,
    weights: str = "quadratic",
) -> float:
    """Cohen's weighted kappa for two ratings of the same items on an ordinal scale.

    ``1 - sum(w * observed) / sum(w * expected)`` over the fixed
    ``categories`` (levels 0-4, or :data:`SCORES` for sub-levels), with
    ``w[i, j] = (|i - j| / (k - 1))^2`` (``weights="quadratic"``, the
    convention for ordinal scales) or ``|i - j| / (k - 1)`` (``"linear"``).
    NaN when it is undefined: no pairs, or every rating in one category.

    >>> weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3])
    1.0
    >>> round(weighted_kappa([1, 2, 3], [2, 2, 2]), 6)
    0.0
    >>> round(weighted_kappa([2.0, 2.25, 3.0], [2.0, 2.0, 3.0], SCORES), 4)
    0.9492
    """
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if a.shape != b.shape:
        raise QioConfigError(
            f"The two ratings must pair up item by item; they hold {a.size} and {b.size} values."
        )
    if a.size == 0:
        return float("nan")
    cats = list(categories)
    w = _weights(len(cats), weights)
    return float(_kappa_many(_indices(a, cats)[None, :], _indices(b, cats)[None, :], w)[0])


def quadratic_weighted_kappa(
    first: Sequence[int], second: Sequence[int], categories: Sequence[int] = LEVELS
) -> float:
    """Cohen's kappa with quadratic weights (see :func:`weighted_kappa`).

    >>> quadratic_weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3])
    1.0
    """
    return weighted_kappa(first, second, categories, "quadratic")


def kappa_interval(
    first: Sequence[float],
    second: Sequence[float],
    categories: Sequence[float] = LEVELS,
    weights: str = "quadratic",
    *,
    n_boot: int = 1000,
    seed: int = 2021,
    level: float = 0.95,
    min_pairs: int = MIN_PAIRS_FOR_INTERVAL,
) -> tuple[float, float]:
    """Percentile bootstrap interval for :func:`weighted_kappa`, resampling pairs with a fixed seed.

    The same data and seed always give the same interval, so reports are
    reproducible. NaN bounds when there are fewer than ``min_pairs`` pairs
    (a bootstrap of a handful of pairs says nothing), ``n_boot`` is 0, or
    kappa is undefined in most resamples.

    >>> kappa_interval([0, 1, 2, 3, 4, 2] * 2, [0, 1, 2, 3, 3, 2] * 2, n_boot=200)
    (0.8..., 1.0)
    >>> kappa_interval([0, 1, 2], [0, 1, 1])
    (nan, nan)
    """
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if a.size < max(min_pairs, 2) or n_boot <= 0:
        return (float("nan"), float("nan"))
    cats = list(categories)
    ia, ib = _indices(a, cats), _indices(b, cats)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, a.size, size=(n_boot, a.size))
    kappas = _kappa_many(ia[draws], ib[draws], _weights(len(cats), weights))
    kappas = kappas[~np.isnan(kappas)]
    if kappas.size < n_boot / 2:
        return (float("nan"), float("nan"))
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(kappas, [tail, 100 - tail])
    return (float(low), float(high))


class Agreement(NamedTuple):
    """Result of :func:`validation_agreement`.

    ``confusion``: counts per group, outcome, ``self_level`` and
    ``validated_level`` (all 25 cells, zeros included).
    ``summary``: per group and outcome, plus a pooled row per group with
    ``outcome`` missing (NA) meaning "all outcomes".
    """

    confusion: pd.DataFrame
    summary: pd.DataFrame


@enforce_schemas
def validation_agreement(
    subs: DataFrame[SubmissionsSchema],
    cycle: int,
    by: By = None,
    *,
    weights: str = "quadratic",
    n_boot: int = 1000,
    seed: int = 2021,
) -> Agreement:
    """How validators' levels compare with self-evaluations in ``cycle``, at two resolutions.

    ``by=None`` gives England; ``by="region"`` each region plus England. Only
    outcomes with both a self-evaluated and a validated level count.
    Summary columns: ``n_pairs``; whole levels: ``pct_exact``,
    ``pct_lowered``, ``pct_raised``, the counts ``n_level_lowered`` and
    ``n_level_raised``, ``kappa`` with its bootstrap 95% interval
    ``kappa_low``/``kappa_high``; sub-levels, by the one rule
    (:func:`~qio_analysis.framework.compare_levels`): ``n_sublevel_lowered``
    and ``n_sublevel_raised`` (on the same level, a sub-level on both
    sides), ``n_sublevel_not_comparable`` (the same level with a sub-level
    on one side only: left out of every sub-level figure, assumption A3),
    ``n_pairs_score`` (the pairs compared at sub-levels, ``n_pairs`` minus
    those), and over them ``n_exact_score`` and ``pct_exact_score`` (same
    level and sub-level),
    ``pct_lowered_score`` and ``pct_raised_score`` (a level, or a sub-level,
    changed), ``kappa_score``, ``kappa_score_low``/``kappa_score_high``
    (scores, 20 steps from 0 to 4.75); and ``weighting`` naming the kappa
    weights (``quadratic`` by default, the convention for ordinal scales).
    Levels are counted, never averaged (assumption A1). Intervals resample
    pairs ``n_boot`` times with a fixed ``seed`` (``n_boot=0`` skips them).

    >>> from qio_analysis import examples
    >>> subs = examples.validator_changes()
    >>> pooled = validation_agreement(subs, 2025, n_boot=0).summary.iloc[-1]  # all outcomes
    >>> int(pooled["n_pairs"]), float(pooled["pct_exact"]), int(pooled["n_level_lowered"])
    (4, 75.0, 1)
    >>> pooled["weighting"]
    'quadratic'
    """
    _weights(2, weights)
    confusion, summary = _validation_agreement(
        subs, cycle, tuple(as_by(by)), weights=weights, n_boot=n_boot, seed=seed
    )
    return Agreement(confusion, summary)


@memoise_frames
def _validation_agreement(
    subs: pd.DataFrame, cycle: int, by: tuple[str, ...], *, weights: str, n_boot: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The work of :func:`validation_agreement`, done once per data set in a report kernel."""
    by = list(by)
    pairs = paired_levels(subs, [cycle])
    check_columns(pairs, by, "agreement")
    pairs = pairs[pairs["self_level"].notna() & pairs["validated_level"].notna()]
    # Sub-level moves count only with a sub-level on both sides: the one rule.
    comparison = compare_levels_frame(
        pairs["self_level"],
        pairs["self_sublevel"],
        pairs["validated_level"],
        pairs["validated_sublevel"],
    )["comparison"]
    pairs = pairs.assign(
        comparison=comparison,
        self_level=pairs["self_level"].astype("int64"),
        validated_level=pairs["validated_level"].astype("int64"),
        self_score=pairs["self_score"].astype("float64"),
        validated_score=pairs["validated_score"].astype("float64"),
    )

    def confusion(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        groups = frame[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
        grid = pd.MultiIndex.from_product(
            [list(OUTCOME_NUMBERS), list(LEVELS), list(LEVELS)],
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

    options = {"weights": weights, "n_boot": n_boot, "seed": seed}

    def summary(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        per_outcome = _agreement_rows(frame, [*keys, "outcome"], options)
        pooled = _agreement_rows(frame, keys, options).assign(outcome=pd.NA)
        out = pd.concat([per_outcome, pooled[per_outcome.columns]], ignore_index=True)
        return out.astype({"outcome": "Int64"})

    return (
        with_national(pairs, by, confusion).assign(cycle=cycle),
        with_national(pairs, by, summary).assign(weighting=weights, cycle=cycle),
    )


#: The figures of an agreement summary, per group and outcome.
SUMMARY_COLUMNS = [
    "n_pairs",
    "pct_exact",
    "pct_lowered",
    "pct_raised",
    "n_level_lowered",
    "n_level_raised",
    "kappa",
    "kappa_low",
    "kappa_high",
    "n_sublevel_lowered",
    "n_sublevel_raised",
    "n_sublevel_not_comparable",
    "n_pairs_score",
    "n_exact_score",
    "pct_exact_score",
    "pct_lowered_score",
    "pct_raised_score",
    "kappa_score",
    "kappa_score_low",
    "kappa_score_high",
]


def _agreement_one(group: pd.DataFrame, options: dict) -> dict[str, float]:
    n = len(group)
    status = group["comparison"]
    one_side = status == SUBLEVEL_NOT_COMPARABLE
    row: dict[str, float] = {
        "n_pairs": n,
        "n_level_lowered": int((status == DOWN).sum()),
        "n_level_raised": int((status == UP).sum()),
        "n_sublevel_lowered": int((status == SUBLEVEL_DOWN).sum()),
        "n_sublevel_raised": int((status == SUBLEVEL_UP).sum()),
        "n_sublevel_not_comparable": int(one_side.sum()),
        "n_pairs_score": int((~one_side).sum()),
    }
    for suffix, part, cats in (("", "level", LEVELS), ("_score", "score", SCORES)):
        # Sub-level figures leave out the pairs with a sub-level on one side only.
        rows = group[~one_side] if suffix else group
        moved = rows["comparison"]
        size = len(rows)
        first, second = rows[f"self_{part}"], rows[f"validated_{part}"]
        if suffix:
            exact = moved == SAME_LEVEL
            lowered, raised = moved.isin([DOWN, SUBLEVEL_DOWN]), moved.isin([UP, SUBLEVEL_UP])
        else:
            diff = second - first
            exact, lowered, raised = diff == 0, diff < 0, diff > 0
        if suffix:
            row["n_exact_score"] = int(exact.sum())
        row[f"pct_exact{suffix}"] = exact.mean() * 100 if size else np.nan
        row[f"pct_lowered{suffix}"] = lowered.mean() * 100 if size else np.nan
        row[f"pct_raised{suffix}"] = raised.mean() * 100 if size else np.nan
        row[f"kappa{suffix}"] = weighted_kappa(first, second, cats, options["weights"])
        low, high = kappa_interval(first, second, cats, **options)
        row[f"kappa{suffix}_low"], row[f"kappa{suffix}_high"] = low, high
    return row


_COUNTS = dict.fromkeys([c for c in SUMMARY_COLUMNS if c.startswith("n_")], "int64")


def _agreement_rows(frame: pd.DataFrame, keys: list[str], options: dict) -> pd.DataFrame:
    if not keys:
        return pd.DataFrame([_agreement_one(frame, options)])[SUMMARY_COLUMNS].astype(_COUNTS)
    rows = []
    for key, group in frame.groupby(keys):
        values = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(keys, values, strict=True)), **_agreement_one(group, options)})
    if not rows:
        return pd.DataFrame(columns=[*keys, *SUMMARY_COLUMNS])
    return pd.DataFrame(rows)[[*keys, *SUMMARY_COLUMNS]].astype(_COUNTS)

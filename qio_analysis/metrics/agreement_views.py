"""The validation agreement's tables arranged as the validation charts show them.

:func:`~qio_analysis.metrics.validation_agreement` gives a ``confusion``
table (counts of self-evaluated against validated levels) and a
``summary`` (shares lowered and raised, per region). The charts need the
confusion as a full five-by-five grid for one region and outcome, and the
summary with one row for every NHS England region in region order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from qio_analysis.framework import LEVELS
from qio_analysis.metrics._groups import order_regions
from qio_analysis.reference import NATIONAL, REGION_NAMES


def agreement_grid(
    confusion: pd.DataFrame, *, outcome: int | None = None, region: str | None = None
) -> pd.DataFrame:
    """Counts of self-evaluated (rows) against validated (columns) levels, every level on both sides.

    Takes the ``confusion`` of :func:`~qio_analysis.metrics.validation_agreement`;
    ``region`` (England when None) picks its rows when it has regions, and all
    outcomes are pooled when ``outcome`` is None. A pair never seen counts 0.

    >>> confusion = pd.DataFrame(
    ...     {"outcome": [1, 1, 2], "self_level": [2, 2, 3], "validated_level": [2, 1, 3], "n": [3, 1, 2]}
    ... )
    >>> agreement_grid(confusion, outcome=1).loc[2].tolist()
    [0.0, 1.0, 3.0, 0.0, 0.0]
    >>> int(agreement_grid(confusion).to_numpy().sum())
    6
    """
    part = confusion
    if "region" in part.columns:
        part = part[part["region"] == (region or NATIONAL)]
    if outcome is not None:
        part = part[part["outcome"] == outcome]
    return (
        part.groupby(["self_level", "validated_level"])["n"]
        .sum()
        .unstack()
        .reindex(index=list(LEVELS), columns=list(LEVELS))
        .fillna(0)
    )


class GridCounts(NamedTuple):
    """How many outcomes a grid holds, and how many validators left, lowered or raised a level."""

    total: int
    exact: int
    lowered: int
    raised: int


def grid_counts(grid: pd.DataFrame) -> GridCounts:
    """The outcomes of an :func:`agreement_grid` on the diagonal, below it (lowered) and above (raised).

    The grid's rows and columns are the levels in order, as :func:`agreement_grid` gives them.

    >>> grid = pd.DataFrame([[1, 0], [2, 3]], index=[0, 1], columns=[0, 1])
    >>> grid_counts(grid.reindex(index=list(LEVELS), columns=list(LEVELS)).fillna(0))
    GridCounts(total=6, exact=4, lowered=2, raised=0)
    """
    counts = grid.to_numpy()
    total = int(counts.sum())
    exact = int(np.trace(counts))
    lowered = int(np.tril(counts, -1).sum())  # validated level (column) below self-evaluated (row)
    return GridCounts(total, exact, lowered, total - exact - lowered)


def regional_adjustments(summary: pd.DataFrame, *, outcome: int | None = None) -> pd.DataFrame:
    """The agreement ``summary`` rows of one outcome (None: all outcomes pooled) that compared levels.

    By region, every NHS England region has a row, in region order: one with
    no pairs compared has ``n_pairs`` 0 and no levels lowered or raised. Empty
    when nothing was compared.

    >>> summary = pd.DataFrame(
    ...     {
    ...         "region": ["London", "England"],
    ...         "outcome": [None, None],
    ...         "n_pairs": [4, 4],
    ...         "pct_lowered": [25.0, 25.0],
    ...         "pct_raised": [0.0, 0.0],
    ...         "n_level_lowered": [1, 1],
    ...         "n_level_raised": [0, 0],
    ...     }
    ... )
    >>> rows = regional_adjustments(summary)
    >>> len(rows), rows.loc[rows["region"] == "North West", "n_pairs"].tolist()
    (8, [0])
    """
    part = (
        summary[summary["outcome"].isna()]
        if outcome is None
        else summary[summary["outcome"] == outcome]
    )
    part = part[part["n_pairs"] > 0]
    if part.empty or "region" not in part.columns:
        return part
    absent = [r for r in REGION_NAMES if r not in set(part["region"])]
    filler = pd.DataFrame(
        {
            "region": absent,
            "n_pairs": 0,
            "pct_lowered": 0.0,
            "pct_raised": 0.0,
            "n_level_lowered": 0,
            "n_level_raised": 0,
        }
    )
    return order_regions(pd.concat([part, filler], ignore_index=True))


__all__ = ["GridCounts", "agreement_grid", "grid_counts", "regional_adjustments"]

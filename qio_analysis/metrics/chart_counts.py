"""Counts a chart's headline is judged on: organisations moving per outcome, outcomes rising.

Pure functions (frame in, counts out, the input never modified), so a chart's
title and its alt text count the same rows the same way.
"""

from __future__ import annotations

import pandas as pd

from qio_analysis.framework import DOWN, UP
from qio_analysis.metrics.change import SAME_LEVELS


def movement_by_outcome(compared: pd.DataFrame) -> pd.DataFrame:
    """Per outcome, the organisations whose whole level rose, fell or stayed the same.

    Takes :func:`~qio_analysis.metrics.improvement` rows compared in both
    cycles; a sub-level move within the same level counts as the same level.
    Columns: ``outcome, rose, fell, same_level``, one row per outcome in order.

    >>> rows = pd.DataFrame(
    ...     {"outcome": [2, 1, 1, 1], "comparison": ["down", "up", "same level", "up"]}
    ... )
    >>> movement_by_outcome(rows).values.tolist()
    [[1, 2, 0, 1], [2, 0, 1, 0]]
    """
    status = compared["comparison"]
    counts = pd.DataFrame(
        {
            "outcome": compared["outcome"].astype(int).to_numpy(),
            "rose": (status == UP).to_numpy(dtype=int),
            "fell": (status == DOWN).to_numpy(dtype=int),
            "same_level": status.isin(SAME_LEVELS).to_numpy(dtype=int),
        }
    )
    return counts.groupby("outcome", sort=True).sum().reset_index()


def outcomes_rising(summary: pd.DataFrame, first: int, last: int) -> int:
    """Outcomes whose share at or above the threshold (``pct_at_or_above``) is higher in
    ``last`` than in ``first``; an outcome missing either cycle does not count.

    Takes :func:`~qio_analysis.metrics.level_summary` rows for one group.

    >>> summary = pd.DataFrame(
    ...     {
    ...         "outcome": [1, 1, 2, 2, 3],
    ...         "cycle": [2021, 2025, 2021, 2025, 2025],
    ...         "pct_at_or_above": [40.0, 50.0, 60.0, 60.0, 90.0],
    ...     }
    ... )
    >>> outcomes_rising(summary, 2021, 2025)
    1
    """
    ups = 0
    for outcome in sorted(summary["outcome"].unique()):
        series = summary[summary["outcome"] == outcome].set_index("cycle")["pct_at_or_above"]
        if first in series and last in series and series[last] > series[first]:
            ups += 1
    return ups

"""Grouping helpers shared by the metrics: ``by`` handling and national rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from qio_analysis.errors import QioConfigError
from qio_analysis.reference import NATIONAL, REGION_NAMES

By = str | Sequence[str] | None


def as_by(by: By) -> list[str]:
    """Normalise a ``by`` argument to a list of column names."""
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def check_columns(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise a readable error when a grouping column is absent."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise QioConfigError(f"Cannot group {what} by {missing}: the table has {list(df.columns)}.")


def with_national(
    df: pd.DataFrame, by: list[str], compute: Callable[[pd.DataFrame, list[str]], pd.DataFrame]
) -> pd.DataFrame:
    """``compute`` per group of ``by`` plus national rows (``by`` columns set to ``England``).

    National rows are computed from the whole frame, never by averaging the
    group results, so ratios and medians stay correct.
    """
    if not by:
        return compute(df, [])
    groups = compute(df, by)
    national = compute(df, []).assign(**dict.fromkeys(by, NATIONAL))
    out = pd.concat([groups, national[groups.columns]], ignore_index=True)
    return order_regions(out)


def region_order(values: Sequence[str]) -> list[str]:
    """Regions in their fixed order, then England, then anything else alphabetically."""
    known = [r for r in (*REGION_NAMES, NATIONAL) if r in set(values)]
    return known + sorted(set(values) - set(known))


def order_regions(df: pd.DataFrame) -> pd.DataFrame:
    """Sort a frame so ``region`` follows :func:`region_order` (stable otherwise)."""
    if "region" not in df.columns or df.empty:
        return df.reset_index(drop=True)
    rank = {r: i for i, r in enumerate(region_order(df["region"].dropna().unique()))}
    return (
        df.assign(_rank=df["region"].map(rank))
        .sort_values("_rank", kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )

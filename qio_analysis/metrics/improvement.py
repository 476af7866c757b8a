"""Who moved since the baseline: each organisation's movement per outcome, and per organisation.

Every comparison is the one rule (:func:`~qio_analysis.framework.compare_levels`):
whole levels are the headline, and a sub-level movement counts only on the
same level with a sub-level on both sides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.errors import QioConfigError
from qio_analysis.framework import (
    DOWN,
    NOT_COMPARABLE,
    OUTCOME_NUMBERS,
    OUTCOME_SHORT,
    SUBLEVEL_DOWN,
    SUBLEVEL_UP,
    UP,
)
from qio_analysis.metrics._groups import By, as_by, check_columns, region_order
from qio_analysis.metrics.change import LEFT, SAME_LEVELS, movements
from qio_analysis.output_schemas import ImprovementSchema, ImprovementSummarySchema, returns
from qio_analysis.schemas import SubmissionsSchema
from qio_analysis.words import moved_words

#: The column suffixes of the two comparisons: since ``since``, and since the previous cycle.
_SPANS = ("", "_since_previous")
_MOVED = ["status", "level_change", "sublevel_change", "comparison"]


def _cycles(subs: pd.DataFrame, since: int | None, to: int | None) -> tuple[int, int, int]:
    """``since``, the previous cycle and ``to``, checked against the cycles in the data."""
    cycles = sorted(int(c) for c in subs["cycle"].unique())
    if len(cycles) < 2:
        raise QioConfigError(f"Improvement needs two cycles; the data hold {cycles or 'none'}.")
    since = cycles[0] if since is None else int(since)
    to = cycles[-1] if to is None else int(to)
    for name, value in (("since", since), ("to", to)):
        if value not in cycles:
            raise QioConfigError(f"{name}={value} is not a cycle in the data: {cycles}.")
    if since >= to:
        raise QioConfigError(f"since ({since}) must be earlier than to ({to}).")
    previous = max(c for c in cycles if c < to)
    return since, previous, to


@returns(ImprovementSchema)
@enforce_schemas
def improvement(
    subs: DataFrame[SubmissionsSchema],
    *,
    since: int | None = None,
    to: int | None = None,
    by: By = "region",
    assessment: str = "validated",
) -> pd.DataFrame:
    """Each organisation's movement per outcome since ``since``, and since the previous cycle.

    ``since`` defaults to the first cycle in the data (normally the 2021
    baseline) and ``to`` to the latest; the previous cycle is the latest in
    the data before ``to``. One row per organisation taking part in ``since``
    or ``to`` and outcome, under its ``by`` group (``None``: no group
    column), sorted by group, name and outcome. :func:`improvement_summary`
    sums it per organisation.

    Columns:
        org_code, org_name: the organisation.
        [by]: its group.
        outcome, outcome_short: the outcome and its short name.
        from_cycle, previous_cycle, to_cycle: ``since``, the previous cycle and ``to``.
        from_level, from_sublevel, previous_level, previous_sublevel, to_level,
        to_sublevel: the validated levels in the three cycles.
        status: for ``since`` to ``to``: ``compared``, ``new``, ``left`` or
            ``unscored``, as in :func:`~qio_analysis.metrics.movements`.
        level_change, sublevel_change, comparison: in whole levels, in sub-level steps
            (on the same level with a sub-level on both sides), and the status: ``up``,
            ``down``, ``same level``, ``same level; sub-level not comparable``, ...
        status_since_previous, level_change_since_previous,
        sublevel_change_since_previous, comparison_since_previous: the same four for
            the previous cycle to ``to``.

    >>> from qio_analysis.schemas import submissions_table
    >>> subs = submissions_table(pd.DataFrame({
    ...     "org_code": ["ZA01"] * 3 + ["ZA02"] * 3, "org_name": ["Ashby NHS Trust"] * 3 + ["Brook NHS Trust"] * 3,
    ...     "region": "London", "cycle": [2021, 2023, 2025] * 2, "outcome": 1, "assessment": "validated",
    ...     "level": [1, 2, 2, 3, 3, 3], "sublevel": [None, None, "High", None, "Low", "Medium"],
    ... }))
    >>> rows = improvement(subs)  # 2 organisations x 6 outcomes; only outcome 1 has levels
    >>> one = rows[rows["outcome"] == 1]
    >>> len(rows), one["level_change"].tolist(), one["comparison"].tolist()
    (12, [1, 0], ['up', 'same level; sub-level not comparable'])
    >>> one["comparison_since_previous"].tolist()  # 2 to 2 High; 3 Low to 3 Medium
    ['same level; sub-level not comparable', 'same level; sub-level up']
    """
    since, previous, to = _cycles(subs, since, to)
    by = as_by(by)
    check_columns(subs, by, "improvement")
    first = movements(subs, since, to, assessment)
    recent = first if previous == since else movements(subs, previous, to, assessment)
    recent = recent[["org_code", "outcome", "from_level", "from_sublevel", *_MOVED]].rename(
        columns={
            "from_level": "previous_level",
            "from_sublevel": "previous_sublevel",
            **{c: f"{c}_since_previous" for c in _MOVED},
        }
    )
    rows = first.merge(recent, on=["org_code", "outcome"], how="left")
    # Organisations not in ``to`` are absent from the recent comparison: they left.
    gone = rows["status_since_previous"].isna()
    rows["status_since_previous"] = rows["status_since_previous"].where(~gone, LEFT)
    rows["comparison_since_previous"] = rows["comparison_since_previous"].where(
        ~gone, NOT_COMPARABLE
    )
    rows = rows.assign(
        outcome_short=rows["outcome"].map(OUTCOME_SHORT),
        from_cycle=since,
        previous_cycle=previous,
        to_cycle=to,
    )
    rank = {r: i for i, r in enumerate(region_order(rows["region"].unique()))}
    rows = rows.assign(_rank=rows["region"].map(rank)).sort_values(
        [*(["_rank"] if "region" in by else by), "org_name", "org_code", "outcome"],
        kind="stable",
    )
    columns = [
        "org_code",
        "org_name",
        *by,
        "outcome",
        "outcome_short",
        "from_cycle",
        "previous_cycle",
        "to_cycle",
        "from_level",
        "from_sublevel",
        "previous_level",
        "previous_sublevel",
        "to_level",
        "to_sublevel",
        *_MOVED,
        *(f"{c}_since_previous" for c in _MOVED),
    ]
    out = rows[columns].reset_index(drop=True)
    levels = ["from_level", "previous_level", "to_level"]
    return out.astype(dict.fromkeys(levels, "Int64"))


def _counts(rows: pd.DataFrame, keys: list[str], suffix: str) -> pd.DataFrame:
    status = rows[f"comparison{suffix}"]
    change = rows[f"level_change{suffix}"].astype("Float64").fillna(0)
    parts = pd.DataFrame(
        {
            "n_compared": status != NOT_COMPARABLE,
            "up": status == UP,
            "down": status == DOWN,
            "unchanged": status.isin(SAME_LEVELS),
            "not_comparable": status == NOT_COMPARABLE,
            "sublevel_up": status == SUBLEVEL_UP,
            "sublevel_down": status == SUBLEVEL_DOWN,
            "levels_up": change.clip(lower=0),
            "levels_down": (-change).clip(lower=0),
        }
    )
    sums = parts.groupby([rows[k] for k in keys], sort=False).sum().astype("int64")
    sums["moved"] = [
        moved_words(up, down, n)
        for up, down, n in zip(sums["up"], sums["down"], sums["n_compared"], strict=True)
    ]
    return sums.add_suffix(suffix)


@returns(ImprovementSummarySchema)
def improvement_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation of an :func:`improvement` table: outcomes up, down and unchanged.

    Counts are whole levels by the one rule. Organisations keep the order of
    ``rows``.

    Columns:
        org_code, org_name: the organisation.
        [by]: its group, as in ``rows``.
        n_outcomes: the outcomes of the framework (6).
        n_compared: outcomes with a level on both sides.
        up, down, unchanged: by whole level (unchanged: the same whole level,
            whatever the sub-levels).
        not_comparable: outcomes without a level on both sides.
        sublevel_up, sublevel_down: within an unchanged level.
        levels_up, levels_down: whole levels gained and lost across outcomes.
        moved: in words ("up on 3 of 6 outcomes").
        n_compared_since_previous, up_since_previous, down_since_previous,
        unchanged_since_previous, not_comparable_since_previous,
        sublevel_up_since_previous, sublevel_down_since_previous,
        levels_up_since_previous, levels_down_since_previous,
        moved_since_previous: the same since the previous cycle.
        not_moved, not_moved_since_previous: compared on at least one outcome and no
            whole-level change on any.

    >>> from qio_analysis.schemas import submissions_table
    >>> subs = submissions_table(pd.DataFrame({
    ...     "org_code": "ZA01", "org_name": "Ashby NHS Trust", "region": "London",
    ...     "cycle": [2021] * 3 + [2025] * 3, "outcome": [1, 2, 3] * 2, "assessment": "validated",
    ...     "level": [1, 2, 3, 3, 2, 2], "sublevel": [None, "Low", None, None, "High", None],
    ... }))
    >>> s = improvement_summary(improvement(subs)).iloc[0]
    >>> s["moved"], int(s["up"]), int(s["down"]), int(s["levels_up"]), int(s["sublevel_up"])
    ('up on 1 and down on 1 of 3 comparable outcomes', 1, 1, 2, 1)
    """
    keys = list(rows.columns[: rows.columns.get_loc("outcome")])  # the organisation and its group
    out = pd.concat([_counts(rows, keys, suffix) for suffix in _SPANS], axis=1)
    out = out.reset_index()
    out.insert(len(keys), "n_outcomes", len(OUTCOME_NUMBERS))
    for suffix in _SPANS:
        moved = out[f"up{suffix}"] + out[f"down{suffix}"]
        out[f"not_moved{suffix}"] = (out[f"n_compared{suffix}"] > 0) & (moved == 0)
    return out


def largest_movers(
    summary: pd.DataFrame, way: str = "up", n: int = 5, *, suffix: str = ""
) -> pd.DataFrame:
    """The organisations of an :func:`improvement_summary` that moved furthest ``up`` or ``down``, net.

    Ranked by net change (whole levels gained minus whole levels lost across
    outcomes, ``net_levels``): ``up`` lists only net risers, most first,
    ``down`` only net fallers, furthest first; then by the number of outcomes
    that moved that way, then by name. An organisation that gained as many
    levels as it lost is in neither. Everyone tied with the ``n``-th is kept,
    so a tie is never cut in two.

    >>> summary = pd.DataFrame({"org_name": ["A", "B", "C", "D", "E"], "levels_up": [3, 1, 3, 0, 5],
    ...     "up": [2, 1, 3, 0, 3], "levels_down": [0, 0, 0, 2, 1], "down": [0, 0, 0, 1, 1]})
    >>> largest_movers(summary, n=1)["org_name"].tolist(), largest_movers(summary, n=2)["org_name"].tolist()
    (['E'], ['E', 'C'])
    >>> largest_movers(summary, "down")[["org_name", "net_levels"]].values.tolist()  # E is net +4
    [['D', -2]]
    """
    if way not in {"up", "down"}:
        raise QioConfigError(f"way must be 'up' or 'down', not {way!r}.")
    net = summary[f"levels_up{suffix}"] - summary[f"levels_down{suffix}"]
    sign = 1 if way == "up" else -1
    ranked = summary.assign(net_levels=net, _reach=net * sign)
    moved = ranked[ranked["_reach"] > 0].sort_values(
        ["_reach", f"{way}{suffix}", "org_name"], ascending=[False, False, True], kind="stable"
    )
    if len(moved) > n:
        cut = moved.iloc[n - 1][["_reach", f"{way}{suffix}"]].to_numpy()
        keep = np.arange(len(moved)) < n
        keep |= (moved["_reach"].to_numpy() == cut[0]) & (
            moved[f"{way}{suffix}"].to_numpy() == cut[1]
        )
        moved = moved[keep]
    return moved.drop(columns="_reach").reset_index(drop=True)

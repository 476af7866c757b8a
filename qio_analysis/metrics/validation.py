"""Where validators changed the self-evaluation, and which validations are still to do.

:func:`validator_changes` pairs every organisation and outcome that has both
a self-evaluated and a validated level and says how the validator changed it,
so a report can list every adjustment with "N of M" rather than the largest
few. :func:`validation_worklist` is the validators' to-do list: each
organisation's status, when it submitted and how long it has waited, counted
to a run date passed in, never today's date read inside a metric.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.framework import (
    DOWN,
    SUBLEVEL_DOWN,
    SUBLEVEL_NOT_COMPARABLE,
    SUBLEVEL_UP,
    UP,
    compare_levels_frame,
)
from qio_analysis.metrics.completeness import submission_status
from qio_analysis.metrics.levels import paired_levels
from qio_analysis.schemas import OrganisationsSchema, SubmissionsSchema
from qio_analysis.words import AWAITING, NOT_SUBMITTED

LOWERED, RAISED, UNCHANGED = "lowered", "raised", "unchanged"
#: The same level with a sub-level on one side only: recorded, never a raise or a lowering.
SUBLEVEL_ONE_SIDE = "sub-level not comparable"
#: Worklist order: what a validator should look at first.
_STATUS_ORDER = {AWAITING: 0, NOT_SUBMITTED: 1}


@enforce_schemas
def validator_changes(subs: DataFrame[SubmissionsSchema], cycle: int) -> pd.DataFrame:
    """Every organisation and outcome with both assessments in ``cycle``, and how the validator changed it.

    The :func:`paired_levels` columns plus the comparison of the validated
    level with the self-evaluated one by the one rule
    (:func:`~qio_analysis.framework.compare_levels_frame`: ``level_change`` in
    whole levels, ``sublevel_change`` in steps, ``comparison``) and
    ``direction``: ``lowered`` or ``raised`` (a whole level, or a sub-level
    when both levels carry one), ``unchanged``, or ``sub-level not
    comparable`` (the same level with a sub-level on one side only, which is
    neither a raise nor a lowering). Outcomes missing either level are left
    out, so the validators raised or lowered ``direction.isin(["raised",
    "lowered"]).sum()`` of ``len()`` outcomes. Sorted by region, organisation
    name and outcome.

    >>> from qio_analysis import examples
    >>> changes = validator_changes(examples.validator_changes(), 2025)
    >>> changes[["outcome", "level_change", "direction"]].values.tolist()
    [[1, 0, 'unchanged'], [2, -1, 'lowered'], [3, 0, 'unchanged'], [4, 0, 'unchanged']]
    """
    pairs = paired_levels(subs, [cycle])
    pairs = pairs[pairs["self_level"].notna() & pairs["validated_level"].notna()]
    compared = compare_levels_frame(
        pairs["self_level"],
        pairs["self_sublevel"],
        pairs["validated_level"],
        pairs["validated_sublevel"],
    )
    status = compared["comparison"]
    direction = np.select(
        [
            status.isin([DOWN, SUBLEVEL_DOWN]).to_numpy(),
            status.isin([UP, SUBLEVEL_UP]).to_numpy(),
            (status == SUBLEVEL_NOT_COMPARABLE).to_numpy(),
        ],
        [LOWERED, RAISED, SUBLEVEL_ONE_SIDE],
        default=UNCHANGED,
    )
    return pairs.assign(**compared, direction=direction).sort_values(
        ["region", "org_name", "org_code", "outcome"], kind="stable", ignore_index=True
    )


@enforce_schemas
def validation_worklist(
    subs: DataFrame[SubmissionsSchema],
    orgs: DataFrame[OrganisationsSchema] | None,
    cycle: int,
    *,
    run_date: dt.date | str | pd.Timestamp,
    assignments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each organisation's validation status in ``cycle``, with when it submitted and how long it has waited.

    The :func:`submission_status` columns plus ``submitted_on`` (the latest
    ``submitted`` date of its submission; missing when the export has none)
    and ``days_waiting``: whole days from ``submitted_on`` to ``run_date`` for
    an organisation awaiting validation, missing otherwise. Awaiting
    validation comes first, oldest first (unknown dates after known ones),
    then not submitted, then the rest; each by region and code.

    With ``assignments`` (``ReadResult.assignments``: ``org_code``, ``cycle``,
    ``assigned_to``, ``due``) the worklist also has ``assigned_to``, ``due`` and
    ``days_overdue``: whole days past ``due`` on ``run_date`` for an organisation
    still awaiting validation (0 when not yet due), missing otherwise.

    >>> import pandas as pd
    >>> from qio_analysis import examples
    >>> subs = examples.submission_statuses().assign(submitted=pd.Timestamp("2025-05-01"))
    >>> worklist = validation_worklist(subs, None, 2025, run_date="2025-06-01")
    >>> worklist[["org_code", "status", "days_waiting"]].values.tolist()
    [['ZA02', 'awaiting validation', 31], ['ZA03', 'not submitted', <NA>], ['ZA01', 'validated', <NA>]]
    """
    status = submission_status(subs, orgs, cycle)
    dates = subs.loc[subs["cycle"] == cycle].groupby("org_code")["submitted"].max()
    submitted_on = pd.Series(
        dates.reindex(status["org_code"]).to_numpy(), index=status.index, dtype="datetime64[ns]"
    )
    waiting = (pd.Timestamp(run_date).normalize() - submitted_on.dt.normalize()).dt.days
    waiting = waiting.where(status["status"] == AWAITING).astype("Int64")
    out = status.assign(submitted_on=submitted_on, days_waiting=waiting)
    rank = out["status"].map(_STATUS_ORDER).fillna(len(_STATUS_ORDER)).astype(int)
    order = out.assign(_rank=rank, _wait=out["days_waiting"].astype("float64").fillna(-1))
    order = order.sort_values(
        ["_rank", "_wait", "region", "org_code"],
        ascending=[True, False, True, True],
        kind="stable",
    )
    out = order.drop(columns=["_rank", "_wait"]).reset_index(drop=True)
    return out if assignments is None else _with_assignments(out, assignments, cycle, run_date)


def _with_assignments(
    worklist: pd.DataFrame,
    assignments: pd.DataFrame,
    cycle: int,
    run_date: dt.date | str | pd.Timestamp,
) -> pd.DataFrame:
    mine = assignments[assignments["cycle"] == cycle].drop_duplicates("org_code", keep="last")
    mine = mine.set_index("org_code")
    due = pd.Series(
        pd.to_datetime(mine["due"]).reindex(worklist["org_code"]).to_numpy(),
        index=worklist.index,
        dtype="datetime64[ns]",
    )
    late = (pd.Timestamp(run_date).normalize() - due.dt.normalize()).dt.days.clip(lower=0)
    late = late.where(worklist["status"] == AWAITING).astype("Int64")
    return worklist.assign(
        assigned_to=mine["assigned_to"].reindex(worklist["org_code"]).to_numpy(),
        due=due,
        days_overdue=late,
    )

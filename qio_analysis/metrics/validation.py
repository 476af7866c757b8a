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
from qio_analysis.output_schemas import ValidatorChangesSchema, returns
from qio_analysis.schemas import OrganisationsSchema, SubmissionsSchema
from qio_analysis.words import AWAITING, NOT_SUBMITTED

LOWERED, RAISED, UNCHANGED = "lowered", "raised", "unchanged"
#: The same level with a sub-level on one side only: recorded, never a raise or a lowering.
SUBLEVEL_ONE_SIDE = "sub-level not comparable"
#: What a validator changed, by kind: a whole level, or the sub-level on the same level.
#: The two are different things, named and marked apart on every page and sheet.
LEVEL_LOWERED, LEVEL_RAISED = "level lowered", "level raised"
SUBLEVEL_LOWERED, SUBLEVEL_RAISED = "sub-level lowered", "sub-level raised"
ADJUSTMENTS = (LEVEL_LOWERED, LEVEL_RAISED, SUBLEVEL_LOWERED, SUBLEVEL_RAISED)
#: Worklist order: what a validator should look at first.
_STATUS_ORDER = {AWAITING: 0, NOT_SUBMITTED: 1}


@returns(ValidatorChangesSchema)
@enforce_schemas
def validator_changes(subs: DataFrame[SubmissionsSchema], cycle: int) -> pd.DataFrame:
    """Every organisation and outcome with both assessments in ``cycle``, and how the validator changed it.

    Outcomes missing either level are left out, so the validators raised or
    lowered ``direction.isin(["raised", "lowered"]).sum()`` of ``len()``
    outcomes; :func:`adjustment_counts` counts each kind. Sorted by region,
    organisation name and outcome.

    Columns:
        org_code, cycle, org_name, region, outcome: as in :func:`paired_levels`.
        self_level, self_sublevel, self_score: the self-evaluation.
        validated_level, validated_sublevel, validated_score: the validation.
        level_change, sublevel_change, comparison: the validated level against the
            self-evaluated one by the one rule
            (:func:`~qio_analysis.framework.compare_levels_frame`), in whole levels, in
            sub-level steps, and its status.
        direction: ``lowered`` or ``raised`` (a whole level, or a sub-level when both
            levels carry one), ``unchanged``, or ``sub-level not comparable`` (the same
            level with a sub-level on one side only, neither a raise nor a lowering).
        adjustment: the same by kind: ``level lowered``, ``level raised`` (a whole
            level), ``sub-level lowered``, ``sub-level raised`` (on the same level),
            ``unchanged`` or ``sub-level not comparable``.

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
    adjustment = np.select(
        [(status == c).to_numpy() for c in (DOWN, UP, SUBLEVEL_DOWN, SUBLEVEL_UP)]
        + [(status == SUBLEVEL_NOT_COMPARABLE).to_numpy()],
        [*ADJUSTMENTS, SUBLEVEL_ONE_SIDE],
        default=UNCHANGED,
    )
    return pairs.assign(**compared, direction=direction, adjustment=adjustment).sort_values(
        ["region", "org_name", "org_code", "outcome"], kind="stable", ignore_index=True
    )


def adjustment_counts(changes: pd.DataFrame) -> dict[str, int]:
    """How many outcomes of a :func:`validator_changes` frame were changed, by kind.

    Keys: ``compared`` (every outcome with both levels), each of
    :data:`ADJUSTMENTS`, ``changed`` (their sum), ``unchanged`` and ``sub-level
    not comparable``. Every page, chart and sheet that states one of these
    counts takes it from here.

    >>> counts = adjustment_counts(pd.DataFrame({"adjustment": [
    ...     "level lowered", "sub-level lowered", "unchanged", "sub-level not comparable"]}))
    >>> counts["compared"], counts["level lowered"], counts["sub-level lowered"], counts["changed"]
    (4, 1, 1, 2)
    """
    kinds = changes["adjustment"].value_counts()
    counts = {k: int(kinds.get(k, 0)) for k in (*ADJUSTMENTS, UNCHANGED, SUBLEVEL_ONE_SIDE)}
    return {
        "compared": len(changes),
        **counts,
        "changed": sum(counts[k] for k in ADJUSTMENTS),
    }


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

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
from qio_analysis.metrics.completeness import submission_status
from qio_analysis.metrics.levels import paired_levels
from qio_analysis.schemas import OrganisationsSchema, SubmissionsSchema
from qio_analysis.words import AWAITING, NOT_SUBMITTED

LOWERED, RAISED, UNCHANGED = "lowered", "raised", "unchanged"
#: Worklist order: what a validator should look at first.
_STATUS_ORDER = {AWAITING: 0, NOT_SUBMITTED: 1}


@enforce_schemas
def validator_changes(subs: DataFrame[SubmissionsSchema], cycle: int) -> pd.DataFrame:
    """Every organisation and outcome with both assessments in ``cycle``, and how the validator changed it.

    The :func:`paired_levels` columns plus ``change`` (validated minus
    self-evaluated score, in levels: a sub-level step is 0.25) and
    ``direction``: ``lowered``, ``raised`` or ``unchanged``. A change of
    sub-level alone counts. Outcomes missing either level are left out, so
    the validators changed ``(direction != "unchanged").sum()`` of ``len()``
    outcomes. Sorted by region, organisation name and outcome.

    >>> from qio_analysis import examples
    >>> changes = validator_changes(examples.validator_changes(), 2025)
    >>> changes[["outcome", "change", "direction"]].values.tolist()
    [[1, 0.0, 'unchanged'], [2, -1.0, 'lowered'], [3, 0.0, 'unchanged'], [4, 0.0, 'unchanged']]
    """
    pairs = paired_levels(subs, [cycle])
    pairs = pairs[pairs["self_level"].notna() & pairs["validated_level"].notna()]
    change = (pairs["validated_score"] - pairs["self_score"]).astype("float64")
    direction = np.select([change < 0, change > 0], [LOWERED, RAISED], default=UNCHANGED)
    return pairs.assign(change=change, direction=direction).sort_values(
        ["region", "org_name", "org_code", "outcome"], kind="stable", ignore_index=True
    )


@enforce_schemas
def validation_worklist(
    subs: DataFrame[SubmissionsSchema],
    orgs: DataFrame[OrganisationsSchema] | None,
    cycle: int,
    *,
    run_date: dt.date | str | pd.Timestamp,
) -> pd.DataFrame:
    """Each organisation's validation status in ``cycle``, with when it submitted and how long it has waited.

    The :func:`submission_status` columns plus ``submitted_on`` (the latest
    ``submitted`` date of its submission; missing when the export has none)
    and ``days_waiting``: whole days from ``submitted_on`` to ``run_date`` for
    an organisation awaiting validation, missing otherwise. Awaiting
    validation comes first, oldest first (unknown dates after known ones),
    then not submitted, then the rest; each by region and code.

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
    return order.drop(columns=["_rank", "_wait"]).reset_index(drop=True)

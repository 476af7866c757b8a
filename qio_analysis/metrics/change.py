"""Movement between two QIOF cycles: transition matrices and improved/unchanged/declined."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.errors import QioConfigError
from qio_analysis.framework import (
    ASSESSMENTS,
    DOWN,
    OUTCOME_NUMBERS,
    SAME_LEVEL,
    SUBLEVEL_DOWN,
    SUBLEVEL_NOT_COMPARABLE,
    SUBLEVEL_UP,
    UP,
    compare_levels_frame,
)
from qio_analysis.metrics._groups import By, as_by, check_columns, with_national
from qio_analysis.output_schemas import TransitionsMatrixSchema, TransitionsSummarySchema, returns
from qio_analysis.schemas import SubmissionsSchema

#: Status of one organisation-outcome between two cycles.
COMPARED, NEW, LEFT, UNSCORED = "compared", "new", "left", "unscored"
#: Comparisons on the same whole level: unchanged, whatever the sub-levels did.
SAME_LEVELS = (SAME_LEVEL, SUBLEVEL_UP, SUBLEVEL_DOWN, SUBLEVEL_NOT_COMPARABLE)


class Transitions(NamedTuple):
    """Result of :func:`transitions`.

    ``matrix``: one row per group, outcome, ``from_level``, ``to_level`` and
    ``status`` with count ``n``. ``summary``: one row per group and outcome
    with the counts and shares improved, unchanged and declined. Their
    columns are listed in :func:`transitions`.
    """

    matrix: pd.DataFrame
    summary: pd.DataFrame


@enforce_schemas
def movements(
    subs: DataFrame[SubmissionsSchema],
    from_cycle: int,
    to_cycle: int,
    assessment: str = "validated",
) -> pd.DataFrame:
    """One row per organisation and outcome across the two cycles, with its ``status``.

    ``status`` is ``compared`` (a level in both cycles), ``new`` (did not take
    part in ``from_cycle``), ``left`` (did not take part in ``to_cycle``) or
    ``unscored`` (took part in both but has no level in at least one).
    ``region`` comes from the latest of the two cycles. Each cycle's
    ``from_level``/``from_sublevel`` and ``to_level``/``to_sublevel`` are
    compared by the one rule (:func:`~qio_analysis.framework.compare_levels`):
    ``level_change`` in whole levels, ``sublevel_change`` in sub-level steps
    (same level, a sub-level on both sides) and ``comparison``, its status.

    >>> from qio_analysis import examples
    >>> subs = examples.movers()
    >>> moves = movements(subs, 2023, 2025)  # 3 organisations x 6 outcomes
    >>> moves.loc[moves["outcome"] == 1, ["org_code", "status"]].sort_values("org_code").values.tolist()
    [['ZA01', 'compared'], ['ZA02', 'left'], ['ZA03', 'new']]
    >>> sorted(moves["status"].value_counts().items())  # ZA01 has no level for outcomes 2-6
    [('compared', 1), ('left', 6), ('new', 6), ('unscored', 5)]
    """
    if from_cycle >= to_cycle:
        raise QioConfigError(
            f"from_cycle ({from_cycle}) must be earlier than to_cycle ({to_cycle})."
        )
    if assessment not in ASSESSMENTS:
        raise QioConfigError(f"assessment must be 'self' or 'validated', not {assessment!r}.")
    df = subs[subs["cycle"].isin([from_cycle, to_cycle])]
    took_part = {c: set(df.loc[df["cycle"] == c, "org_code"]) for c in (from_cycle, to_cycle)}
    ident = df.sort_values("cycle", ascending=False, kind="stable").drop_duplicates("org_code")[
        ["org_code", "org_name", "region"]
    ]
    grid = ident.merge(pd.DataFrame({"outcome": list(OUTCOME_NUMBERS)}), how="cross")
    values = df[df["assessment"] == assessment]
    for cycle, prefix in ((from_cycle, "from"), (to_cycle, "to")):
        part = values.loc[values["cycle"] == cycle, ["org_code", "outcome", "level", "sublevel"]]
        grid = grid.merge(
            part.rename(columns={"level": f"{prefix}_level", "sublevel": f"{prefix}_sublevel"}),
            on=["org_code", "outcome"],
            how="left",
        )
    in_from = grid["org_code"].isin(took_part[from_cycle])
    in_to = grid["org_code"].isin(took_part[to_cycle])
    both_scored = grid["from_level"].notna() & grid["to_level"].notna()
    grid["status"] = np.select(
        [~in_from, ~in_to, both_scored], [NEW, LEFT, COMPARED], default=UNSCORED
    )
    grid["from_cycle"], grid["to_cycle"] = from_cycle, to_cycle
    moved = compare_levels_frame(
        grid["from_level"], grid["from_sublevel"], grid["to_level"], grid["to_sublevel"]
    )
    return grid.assign(**moved)


@returns(matrix=TransitionsMatrixSchema, summary=TransitionsSummarySchema)
@enforce_schemas
def transitions(
    subs: DataFrame[SubmissionsSchema],
    from_cycle: int,
    to_cycle: int,
    by: By = None,
    assessment: str = "validated",
) -> Transitions:
    """Level transitions per outcome between two cycles (national, or per group plus England).

    ``by=None`` is England; ``by="region"`` each region plus England.
    Organisations are compared by the one rule
    (:func:`~qio_analysis.framework.compare_levels`).

    Matrix columns:
        [by]: the group (``England`` on national rows).
        outcome, from_level, to_level, status: the outcome, the levels in the two
            cycles (missing for an organisation not taking part in, or without a level
            in, that cycle) and the organisation's ``status`` (as in :func:`movements`).
        n: organisations.
        from_cycle, to_cycle: the two cycles.

    Summary columns:
        [by]: the group (``England`` on national rows).
        outcome: the outcome.
        n_orgs, n_compared, n_new, n_left, n_unscored: organisations taking part in
            either cycle, which is the sum of the four statuses.
        improved, unchanged, declined: compared organisations by whole level (the
            headline).
        sublevel_up, sublevel_down, sublevel_not_comparable: of those unchanged, a
            sub-level moved (a sub-level on both sides) or on one side only.
        pct_improved, pct_unchanged, pct_declined: percentages of ``n_compared``.
        pct_sublevel_up, pct_sublevel_down, pct_sublevel_not_comparable: the same.
        from_cycle, to_cycle: the two cycles.

    >>> from qio_analysis import examples
    >>> subs = examples.movers()
    >>> one = transitions(subs, 2023, 2025).summary.iloc[0]  # outcome 1, England
    >>> int(one["n_orgs"]), int(one["n_compared"]), int(one["improved"]), float(one["pct_improved"])
    (3, 1, 1, 100.0)
    >>> transitions(subs, 2023, 2025, by="region").summary["region"].unique().tolist()
    ['London', 'England']
    """
    by = as_by(by)
    moves = movements(subs, from_cycle, to_cycle, assessment)
    check_columns(moves, by, "transitions")

    def matrix(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        cols = [*keys, "outcome", "from_level", "to_level", "status"]
        return frame.groupby(cols, dropna=False).size().rename("n").reset_index()

    def summary(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        f = frame.assign(
            n_compared=frame["status"] == COMPARED,
            n_new=frame["status"] == NEW,
            n_left=frame["status"] == LEFT,
            n_unscored=frame["status"] == UNSCORED,
        )
        status = f["comparison"]
        f = f.assign(
            improved=status == UP,
            unchanged=status.isin(SAME_LEVELS),
            declined=status == DOWN,
            sublevel_up=status == SUBLEVEL_UP,
            sublevel_down=status == SUBLEVEL_DOWN,
            sublevel_not_comparable=status == SUBLEVEL_NOT_COMPARABLE,
        )
        counts = [
            "n_compared",
            "n_new",
            "n_left",
            "n_unscored",
            "improved",
            "unchanged",
            "declined",
            "sublevel_up",
            "sublevel_down",
            "sublevel_not_comparable",
        ]
        grouped = f.groupby([*keys, "outcome"])
        out = grouped[counts].sum().astype("int64")
        out.insert(0, "n_orgs", grouped.size())
        out = out.reset_index()
        denominator = out["n_compared"].where(out["n_compared"] > 0)
        for col in counts[4:]:
            out[f"pct_{col}"] = out[col] / denominator * 100
        return out

    result = Transitions(with_national(moves, by, matrix), with_national(moves, by, summary))
    return Transitions(
        result.matrix.assign(from_cycle=from_cycle, to_cycle=to_cycle),
        result.summary.assign(from_cycle=from_cycle, to_cycle=to_cycle),
    )

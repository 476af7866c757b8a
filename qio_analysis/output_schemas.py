"""What the tables people use look like: one pandera model per public metric's output.

:mod:`qio_analysis.schemas` says what goes into the metrics; this module says
what comes out of them: the organisation profile, level distributions,
transitions, improvement, the headline pack and the validator's changes.
Each model holds the columns in order, their dtypes and nullability, and the
checks true by construction (levels 0-4, sub-levels Low/Medium/High or
missing, percentages 0-100, counts at least 0, counts that add up).

A metric names its model with :func:`returns`; the declaration costs nothing
when the metric runs. Outputs are not checked at run time: a metric's output is
new content on every call, so the checks cannot be remembered as an input's
are, and validating it would take longer than the metric itself (a profile,
made once per organisation in a batch run, would take about twice as long).
The tests validate every declared output with
:func:`check_output` on the demo data and on hand-made tables, and compare each
function's ``Columns:`` docstring section with its model, so the docstrings,
the models and the tables cannot drift apart. Columns a caller chooses with
``by=`` (a region, an organisation type) are not in the models: a model with
them is not strict, and keeps its own columns in order around them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from qio_analysis.framework import (
    ASSESSMENTS,
    COMPARISON_STATUSES,
    LEVELS,
    NOT_COMPARABLE,
    OUTCOME_NUMBERS,
    SUBLEVELS,
)
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.schemas import validate

F = TypeVar("F", bound=Callable[..., object])
#: What ``pa.Field`` returns: pandera types it ``Any``, so a field can stand as its ``Series``.
FieldSpec = Any

#: An organisation-outcome's part in a comparison of two cycles (``metrics.change``).
MOVEMENT_STATUSES = ("compared", "new", "left", "unscored")
#: How a validator changed a self-evaluation (``metrics.validation``), overall and by kind.
DIRECTIONS = ("lowered", "raised", "unchanged", "sub-level not comparable")
ADJUSTMENT_KINDS = (
    "level lowered",
    "level raised",
    "sub-level lowered",
    "sub-level raised",
    "unchanged",
    "sub-level not comparable",
)
#: A change judged as printed (``words.formats.judge_change``), and a policy verdict.
CHANGE_DIRECTIONS = ("up", "down", "same", "n/a")
VERDICTS = ("better", "worse", "")
_YEAR = r"^\d{4}/\d{2}$"
_COMPARED = [s for s in COMPARISON_STATUSES if s != NOT_COMPARABLE]


def _level() -> FieldSpec:
    return pa.Field(nullable=True, isin=list(LEVELS))


def _sublevel() -> FieldSpec:
    return pa.Field(nullable=True, dtype_kwargs={"categories": list(SUBLEVELS), "ordered": True})


def _score() -> FieldSpec:
    return pa.Field(nullable=True, ge=0, lt=5)


def _count() -> FieldSpec:
    return pa.Field(ge=0)


def _pct() -> FieldSpec:
    return pa.Field(nullable=True, ge=0, le=100)


def _level_change() -> FieldSpec:
    """A change in whole levels: at most four either way."""
    return pa.Field(nullable=True, ge=-4, le=4)


def _sublevel_change() -> FieldSpec:
    """A change of sub-level on the same level: Low to High at most."""
    return pa.Field(nullable=True, ge=-2, le=2)


class PairedLevelsSchema(pa.DataFrameModel):
    """``paired_levels``: one row per organisation, cycle and outcome, both assessments side by side."""

    org_code: Series[str]
    cycle: Series[int]
    org_name: Series[str]
    region: Series[str] = pa.Field(isin=list(REGION_NAMES))
    outcome: Series[int] = pa.Field(isin=list(OUTCOME_NUMBERS))
    self_level: Series[pd.Int64Dtype] = _level()
    self_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    self_score: Series[float] = _score()
    validated_level: Series[pd.Int64Dtype] = _level()
    validated_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    validated_score: Series[float] = _score()

    class Config:
        strict = True
        ordered = True
        unique = ["org_code", "cycle", "outcome"]


class ValidatorChangesSchema(PairedLevelsSchema):
    """``validator_changes``: every outcome with both levels, and how the validator changed it."""

    level_change: Series[pd.Int64Dtype] = pa.Field(ge=-4, le=4)
    sublevel_change: Series[pd.Int64Dtype] = _sublevel_change()
    comparison: Series[str] = pa.Field(isin=_COMPARED)
    direction: Series[str] = pa.Field(isin=list(DIRECTIONS))
    adjustment: Series[str] = pa.Field(isin=list(ADJUSTMENT_KINDS))

    @pa.dataframe_check(error="both levels are present and the change is their difference")
    def change_is_the_difference(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["validated_level"] - df["self_level"]).eq(df["level_change"]).fillna(False)


class LevelProfileSchema(pa.DataFrameModel):
    """``level_profile``: one organisation's six outcomes in one cycle."""

    org_code: Series[str]
    org_name: Series[str]
    region: Series[str] = pa.Field(isin=list(REGION_NAMES))
    cycle: Series[int]
    outcome: Series[int] = pa.Field(isin=list(OUTCOME_NUMBERS), unique=True)
    outcome_short: Series[str]
    outcome_text: Series[str]
    self_level: Series[pd.Int64Dtype] = _level()
    self_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    self_score: Series[float] = _score()
    validated_level: Series[pd.Int64Dtype] = _level()
    validated_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    validated_score: Series[float] = _score()
    previous_cycle: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    previous_level: Series[pd.Int64Dtype] = _level()
    previous_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    previous_score: Series[float] = _score()
    baseline_cycle: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    baseline_level: Series[pd.Int64Dtype] = _level()
    baseline_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    baseline_score: Series[float] = _score()
    change: Series[pd.Int64Dtype] = _level_change()
    sublevel_change: Series[pd.Int64Dtype] = _sublevel_change()
    comparison: Series[str] = pa.Field(isin=list(COMPARISON_STATUSES))
    change_since_baseline: Series[pd.Int64Dtype] = _level_change()
    sublevel_change_since_baseline: Series[pd.Int64Dtype] = _sublevel_change()
    comparison_since_baseline: Series[str] = pa.Field(isin=list(COMPARISON_STATUSES))
    adjustment: Series[pd.Int64Dtype] = _level_change()
    adjusted: Series[bool]
    is_strength: Series[pd.BooleanDtype]
    is_area_for_improvement: Series[pd.BooleanDtype]

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error="an outcome is a strength or an area for improvement, not both")
    def strength_or_improvement(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["is_strength"] & df["is_area_for_improvement"]).fillna(False)


class LevelDistributionSchema(pa.DataFrameModel):
    """``level_distribution``: organisations at each level per outcome and group (``by`` columns
    between ``assessment`` and ``outcome``)."""

    cycle: Series[int]
    assessment: Series[str] = pa.Field(isin=list(ASSESSMENTS))
    outcome: Series[int] = pa.Field(isin=list(OUTCOME_NUMBERS))
    level: Series[int] = pa.Field(isin=list(LEVELS))
    n: Series[int] = _count()
    pct: Series[float] = _pct()
    n_orgs: Series[int] = _count()
    n_scored: Series[int] = _count()
    n_missing: Series[int] = _count()
    median_level: Series[pd.Int64Dtype] = _level()
    pct_at_or_above: Series[float] = _pct()

    class Config:
        ordered = True

    @pa.dataframe_check(error="every organisation is scored or missing, and n is among the scored")
    def counts_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["n_orgs"] == df["n_scored"] + df["n_missing"]) & (df["n"] <= df["n_scored"])


class TransitionsMatrixSchema(pa.DataFrameModel):
    """``transitions(...).matrix``: organisations per group, outcome, level then and now, and status."""

    outcome: Series[int] = pa.Field(isin=list(OUTCOME_NUMBERS))
    from_level: Series[pd.Int64Dtype] = _level()
    to_level: Series[pd.Int64Dtype] = _level()
    status: Series[str] = pa.Field(isin=list(MOVEMENT_STATUSES))
    n: Series[int] = pa.Field(ge=1)
    from_cycle: Series[int]
    to_cycle: Series[int]

    class Config:
        ordered = True


class TransitionsSummarySchema(pa.DataFrameModel):
    """``transitions(...).summary``: improved, unchanged and declined per group and outcome."""

    outcome: Series[int] = pa.Field(isin=list(OUTCOME_NUMBERS))
    n_orgs: Series[int] = _count()
    n_compared: Series[int] = _count()
    n_new: Series[int] = _count()
    n_left: Series[int] = _count()
    n_unscored: Series[int] = _count()
    improved: Series[int] = _count()
    unchanged: Series[int] = _count()
    declined: Series[int] = _count()
    sublevel_up: Series[int] = _count()
    sublevel_down: Series[int] = _count()
    sublevel_not_comparable: Series[int] = _count()
    pct_improved: Series[float] = _pct()
    pct_unchanged: Series[float] = _pct()
    pct_declined: Series[float] = _pct()
    pct_sublevel_up: Series[float] = _pct()
    pct_sublevel_down: Series[float] = _pct()
    pct_sublevel_not_comparable: Series[float] = _pct()
    from_cycle: Series[int]
    to_cycle: Series[int]

    class Config:
        ordered = True

    @pa.dataframe_check(error="every organisation has one status and every compared one a movement")
    def counts_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        statuses = df["n_compared"] + df["n_new"] + df["n_left"] + df["n_unscored"]
        moved = df["improved"] + df["unchanged"] + df["declined"]
        within = df["sublevel_up"] + df["sublevel_down"] + df["sublevel_not_comparable"]
        return (
            (df["n_orgs"] == statuses) & (df["n_compared"] == moved) & (within <= df["unchanged"])
        )


class ImprovementSchema(pa.DataFrameModel):
    """``improvement``: each organisation's movement per outcome (``by`` columns after ``org_name``)."""

    org_code: Series[str]
    org_name: Series[str]
    outcome: Series[int] = pa.Field(isin=list(OUTCOME_NUMBERS))
    outcome_short: Series[str]
    from_cycle: Series[int]
    previous_cycle: Series[int]
    to_cycle: Series[int]
    from_level: Series[pd.Int64Dtype] = _level()
    from_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    previous_level: Series[pd.Int64Dtype] = _level()
    previous_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    to_level: Series[pd.Int64Dtype] = _level()
    to_sublevel: Series[pd.CategoricalDtype] = _sublevel()
    status: Series[str] = pa.Field(isin=list(MOVEMENT_STATUSES))
    level_change: Series[pd.Int64Dtype] = _level_change()
    sublevel_change: Series[pd.Int64Dtype] = _sublevel_change()
    comparison: Series[str] = pa.Field(isin=list(COMPARISON_STATUSES))
    status_since_previous: Series[str] = pa.Field(isin=list(MOVEMENT_STATUSES))
    level_change_since_previous: Series[pd.Int64Dtype] = _level_change()
    sublevel_change_since_previous: Series[pd.Int64Dtype] = _sublevel_change()
    comparison_since_previous: Series[str] = pa.Field(isin=list(COMPARISON_STATUSES))

    class Config:
        ordered = True
        unique = ["org_code", "outcome"]


class ImprovementSummarySchema(pa.DataFrameModel):
    """``improvement_summary``: outcomes up, down and unchanged per organisation (``by`` columns
    after ``org_name``)."""

    org_code: Series[str] = pa.Field(unique=True)
    org_name: Series[str]
    n_outcomes: Series[int] = pa.Field(eq=len(OUTCOME_NUMBERS))
    n_compared: Series[int] = _count()
    up: Series[int] = _count()
    down: Series[int] = _count()
    unchanged: Series[int] = _count()
    not_comparable: Series[int] = _count()
    sublevel_up: Series[int] = _count()
    sublevel_down: Series[int] = _count()
    levels_up: Series[int] = _count()
    levels_down: Series[int] = _count()
    moved: Series[str]
    n_compared_since_previous: Series[int] = _count()
    up_since_previous: Series[int] = _count()
    down_since_previous: Series[int] = _count()
    unchanged_since_previous: Series[int] = _count()
    not_comparable_since_previous: Series[int] = _count()
    sublevel_up_since_previous: Series[int] = _count()
    sublevel_down_since_previous: Series[int] = _count()
    levels_up_since_previous: Series[int] = _count()
    levels_down_since_previous: Series[int] = _count()
    moved_since_previous: Series[str]
    not_moved: Series[bool]
    not_moved_since_previous: Series[bool]

    class Config:
        ordered = True

    @pa.dataframe_check(
        error="every outcome is compared or not, and every compared one moved or not"
    )
    def counts_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        for s in ("", "_since_previous"):
            compared = df[f"n_compared{s}"]
            ok &= compared + df[f"not_comparable{s}"] == df["n_outcomes"]
            ok &= df[f"up{s}"] + df[f"down{s}"] + df[f"unchanged{s}"] == compared
            ok &= df[f"sublevel_up{s}"] + df[f"sublevel_down{s}"] <= df[f"unchanged{s}"]
        return ok


class HeadlineFiguresSchema(pa.DataFrameModel):
    """``headline_figures``: one row per headline measure, this year and last."""

    measure: Series[str] = pa.Field(unique=True)
    label: Series[str]
    unit: Series[str] = pa.Field(isin=["count", "wte", "ratio", "percent", "rate", "gbp"])
    year: Series[str] = pa.Field(str_matches=_YEAR)
    previous_year: Series[str] = pa.Field(str_matches=_YEAR)
    value: Series[float] = pa.Field(nullable=True)
    n_returns: Series[int] = _count()
    previous: Series[float] = pa.Field(nullable=True)
    n_previous_returns: Series[int] = _count()
    n_both: Series[int] = _count()
    value_both: Series[float] = pa.Field(nullable=True)
    previous_both: Series[float] = pa.Field(nullable=True)
    total_change: Series[float] = pa.Field(nullable=True)
    change: Series[float] = pa.Field(nullable=True)
    change_unit: Series[str] = pa.Field(isin=["returns", "%", "percentage points"])
    total_direction: Series[str] = pa.Field(isin=list(CHANGE_DIRECTIONS))
    direction: Series[str] = pa.Field(isin=list(CHANGE_DIRECTIONS))
    better_when: Series[str]
    total_better: Series[str] = pa.Field(isin=list(VERDICTS))
    better: Series[str] = pa.Field(isin=list(VERDICTS))
    n_value: Series[int] = _count()
    n_previous: Series[int] = _count()
    n_value_both: Series[int] = _count()
    n_previous_both: Series[int] = _count()

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error="no more services behind a figure than returns in its year")
    def services_within_returns(cls, df: pd.DataFrame) -> Series[bool]:
        return (
            (df["n_value"] <= df["n_returns"])
            & (df["n_previous"] <= df["n_previous_returns"])
            & (df["n_value_both"] <= df["n_both"])
            & (df["n_previous_both"] <= df["n_both"])
        )


class PackHeadlinesSchema(HeadlineFiguresSchema):
    """``headline_pack(...).headlines``: the headline figures that may be published."""

    withheld: Series[object]
    withheld_reason: Series[str]


class PackRegionsSchema(pa.DataFrameModel):
    """``headline_pack(...).regions``: the staff ratio of every region and England."""

    region: Series[str] = pa.Field(isin=[*REGION_NAMES, NATIONAL], unique=True)
    year: Series[str] = pa.Field(str_matches=_YEAR)
    n_services: Series[int] = _count()
    nhs_wte_per_qualified: Series[float] = pa.Field(nullable=True, ge=0)
    target: Series[float] = pa.Field(gt=0)
    min_group: Series[int] = pa.Field(ge=1)
    meets_target: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    suppressed: Series[bool]
    suppression: Series[str]
    reason: Series[str]

    class Config:
        strict = True
        ordered = True


class PackTrendSchema(pa.DataFrameModel):
    """``headline_pack(...).trend``: national activity per 1,000 NHS WTE each year."""

    year: Series[str] = pa.Field(str_matches=_YEAR, unique=True)
    year_start: Series[int]
    n_services: Series[int] = _count()
    enquiries_per_1000_wte: Series[float] = pa.Field(nullable=True, ge=0)
    expert_searches_per_1000_wte: Series[float] = pa.Field(nullable=True, ge=0)
    evidence_summaries_per_1000_wte: Series[float] = pa.Field(nullable=True, ge=0)
    people_trained_per_1000_wte: Series[float] = pa.Field(nullable=True, ge=0)
    inductions_per_1000_wte: Series[float] = pa.Field(nullable=True, ge=0)
    document_supply_per_1000_wte: Series[float] = pa.Field(nullable=True, ge=0)
    enquiries_per_1000_wte_withheld: Series[bool]
    expert_searches_per_1000_wte_withheld: Series[bool]
    evidence_summaries_per_1000_wte_withheld: Series[bool]
    people_trained_per_1000_wte_withheld: Series[bool]
    inductions_per_1000_wte_withheld: Series[bool]
    document_supply_per_1000_wte_withheld: Series[bool]

    class Config:
        strict = True
        ordered = True


class PackWithheldSchema(pa.DataFrameModel):
    """``headline_pack(...).withheld``: one row per withheld figure, with the reason."""

    figure: Series[str]
    reason: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        ordered = True


# --------------------------------------------------------------------- declaring and checking

#: The attribute a declared function carries: its models, by the part of the result they check
#: (``""`` for a result that is itself a table).
DECLARED = "__output_schemas__"


def returns(
    model: type[pa.DataFrameModel] | None = None, /, **parts: type[pa.DataFrameModel]
) -> Callable[[F], F]:
    """Declare the table a function returns (``returns(Model)``), or the tables on the
    attributes of what it returns (``returns(matrix=..., summary=...)``).

    A declaration only: nothing is checked when the function runs (see
    :func:`check_output`).
    """
    declared: dict[str, type[pa.DataFrameModel]] = dict(parts)
    if model is not None:
        declared[""] = model

    def declare(func: F) -> F:
        setattr(func, DECLARED, declared)
        return func

    return declare


def declared_outputs(func: Callable[..., object]) -> Mapping[str, type[pa.DataFrameModel]]:
    """The models ``func`` declares with :func:`returns` (empty when it declares none)."""
    return getattr(func, DECLARED, {})


def check_output(func: Callable[..., object], result: object) -> object:
    """``result`` of ``func`` checked against the models it declares; returns ``result``.

    Raises :class:`~qio_analysis.errors.QioDataError` naming every failing column at once.
    A table with no rows is checked for its columns and their order, not their dtypes: a
    metric with nothing to list may leave a text column untyped (``object``).
    """
    name = getattr(func, "__name__", repr(func))
    for part, model in declared_outputs(func).items():
        table = getattr(result, part) if part else result
        if isinstance(table, pd.DataFrame) and table.empty:
            columns = model.to_schema().columns
            table = table.astype({c: columns[c].dtype.type for c in table if c in columns})
        validate(model, table, f"{name} {part}".strip())
    return result

"""Statistical disclosure control: small groups get no breakdown.

An anonymous aggregate shown beside a named organisation can give away other
organisations' results. In a region of two, one organisation's report showing
the region's level counts tells it the other organisation's levels exactly.
Following UK official-statistics practice we **suppress** such groups (their
counts, percentages and medians are withheld, with a sentence saying why); we
do not round or perturb the figures that are published.

The rule, applied separately to each table (the rows sharing ``within``):

1. **Primary suppression.** A group is suppressed when fewer than
   ``min_group`` (default 5) units are behind any of its figures: for a level
   distribution, when some outcome has between 1 and ``min_group - 1``
   organisations with a level. (A figure with nobody behind it discloses
   nothing.) This applies to the national total too.
2. **Secondary suppression.** The national total is published, so the total
   minus the published groups gives the suppressed groups back *as one
   combined group* (plus any units in no group). That combined group must
   itself be empty or have at least ``min_group`` units behind every figure.
   While it does not, the next smallest published group is suppressed as
   well (ties go to the group listed first); if no group is left to add,
   the total is withheld instead. So with exactly one small region, a second
   region is always withheld, and the remainder a reader can work out covers
   at least ``min_group`` organisations, never one.

The total counts as published even when it is not in ``frame`` (it is in
other reports), so the rule needs every group of the table in ``frame``:
suppress first, then select the groups to show. :func:`suppressed_context`
and :func:`national_activity` do exactly that for the anonymous context an
organisation report shows beside the organisation's own figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.errors import QioConfigError
from qio_analysis.memo import memoise_frames
from qio_analysis.metrics.levels import level_distribution
from qio_analysis.metrics.workforce import ACTIVITIES, activity_rates, in_rate
from qio_analysis.reference import NATIONAL
from qio_analysis.schemas import StatisticsSchema, SubmissionsSchema

#: The figures of a :func:`~qio_analysis.metrics.level_distribution` withheld for a suppressed group.
DISTRIBUTION_VALUES: tuple[str, ...] = (
    "n",
    "pct",
    "n_scored",
    "n_missing",
    "median_level",
    "pct_at_or_above",
)
DEFAULT_MIN_GROUP = 5
PRIMARY = "primary"
SECONDARY = "secondary"
#: Withheld because, with other published figures, it would reveal a few services.
DIFFERENCING = "differencing"


def check_min_group(min_group: object) -> None:
    """Raise :class:`~qio_analysis.errors.QioConfigError` unless ``min_group`` is a whole number of 1 or more.

    >>> check_min_group(0)
    Traceback (most recent call last):
    ...
    qio_analysis.errors.QioConfigError: The smallest group shown (min_group) must be a whole number of 1 or more, not 0.
    """
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
        raise QioConfigError(
            "The smallest group shown (min_group) must be a whole number of 1 or more, "
            f"not {min_group!r}."
        )


def suppress_small_groups(
    frame: pd.DataFrame,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    group: str = "region",
    size: str = "n_scored",
    within: Sequence[str] = ("cycle", "assessment"),
    cells: Sequence[str] = ("outcome",),
    values: Sequence[str] = DISTRIBUTION_VALUES,
    total: str = NATIONAL,
) -> pd.DataFrame:
    """``frame`` with small groups' figures withheld (see the module docstring for the rule).

    ``frame`` has one or more rows per ``group`` value within each table
    (``within`` columns); ``size`` is how many units are behind each row's
    figures and ``total`` labels the national rows. ``cells`` split a table
    into figures with their own size (for a level distribution, each outcome
    has its own number of organisations with a level). Returns a new frame with
    the ``values`` columns missing (NA) on suppressed rows and three columns
    added: ``suppressed`` (bool), ``suppression`` (``"primary"``,
    ``"secondary"`` or ``""``) and ``group_size`` (the fewest units behind any
    figure of the group in that table, 0 when none; kept for the record, not
    for display). The input is never modified.

    >>> frame = pd.DataFrame({
    ...     "region": ["London", "Midlands", "North West", "England"],
    ...     "n_scored": [2, 6, 7, 15], "pct": [50.0, 50.0, 40.0, 46.7],
    ... })
    >>> out = suppress_small_groups(frame, within=(), cells=(), values=("pct",))
    >>> out["suppression"].tolist()  # London is small; Midlands too, or England minus the rest shows it
    ['primary', 'secondary', '', '']
    >>> out["pct"].tolist()
    [nan, nan, 40.0, 46.7]
    """
    check_min_group(min_group)
    keys = [c for c in within if c in frame.columns]
    cell = [c for c in cells if c in frame.columns]
    kinds = pd.Series("", index=frame.index, dtype=object)
    sizes = pd.Series(0, index=frame.index, dtype="int64")
    tables = frame.groupby(keys, sort=False, dropna=False) if keys else [((), frame)]
    for _, table in tables:
        decided, group_sizes = _decide(table, group, size, cell, total, min_group)
        kinds.loc[table.index] = [decided.get(g, "") for g in table[group]]
        sizes.loc[table.index] = [group_sizes.get(g, 0) for g in table[group]]
    out = frame.assign(suppressed=kinds != "", suppression=kinds, group_size=sizes)
    hide = out["suppressed"].to_numpy()
    for column in values:
        if column not in out.columns or not hide.any():
            continue
        series = out[column]
        if pd.api.types.is_integer_dtype(series) and not isinstance(series.dtype, pd.Int64Dtype):
            series = series.astype("Int64")
        out[column] = series.mask(hide)
    return out


def _decide(
    table: pd.DataFrame, group: str, size: str, cell: list[str], total: str, min_group: int
) -> tuple[dict[str, str], dict[str, int]]:
    """Suppression decision per group of one table: ``{group: "primary" | "secondary"}``."""
    # One row per figure, one column per group: the units behind each figure.
    figure = cell or [pd.Series(0, index=table.index)]
    by_cell = table.groupby([*figure, group], sort=False)[size].max().unstack(group)
    by_cell = by_cell.fillna(0).astype("int64")
    groups = list(dict.fromkeys(table[group]))
    smallest = {
        g: int(by_cell[g][by_cell[g] > 0].min()) if (by_cell[g] > 0).any() else 0 for g in groups
    }
    decided = {g: PRIMARY for g in groups if 0 < smallest[g] < min_group}
    if total in decided:
        return decided, smallest
    parts = [g for g in groups if g != total]
    residual = (
        by_cell[total] - by_cell[parts].sum(axis=1)
        if total in by_cell.columns
        else pd.Series(0, index=by_cell.index)
    ).clip(lower=0)

    def total_gives_away_a_small_group() -> bool:
        hidden = residual + by_cell[[g for g in parts if g in decided]].sum(axis=1)
        return bool(exposed(hidden, min_group=min_group).any())

    while total_gives_away_a_small_group():
        # Groups with nobody behind their figures hide nothing, so they are never chosen.
        candidates = [g for g in parts if g not in decided and smallest[g] > 0]
        if not candidates:
            if total in groups:
                decided[total] = SECONDARY
            break
        decided[min(candidates, key=lambda g: smallest[g])] = SECONDARY
    return decided, smallest


def suppression_reason(
    kind: str,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    total: str = NATIONAL,
    units: str = "organisations",
) -> str:
    """The sentence shown instead of a suppressed group's figures.

    >>> suppression_reason("primary")
    'Fewer than 5 organisations are behind these figures, so they are not shown: they could reveal individual organisations.'
    """
    if kind == PRIMARY:
        return (
            f"Fewer than {min_group} {units} are behind these figures, so they are not "
            f"shown: they could reveal individual {units}."
        )
    if kind == SECONDARY:
        return (
            "These figures are not shown so that a smaller group's figures cannot be worked "
            f"out by subtracting the published groups from the {total} total."
        )
    if kind == DIFFERENCING:
        return (
            f"These figures are not shown: with the published totals they could reveal the "
            f"figures of fewer than {min_group} {units}."
        )
    return ""


# --------------------------------------------------------------------- context beside a named organisation


@enforce_schemas
@memoise_frames
def suppressed_context(
    subs: DataFrame[SubmissionsSchema],
    region: str,
    cycle: int,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pd.DataFrame:
    """Validated level distribution of ``region`` and England, after disclosure control.

    Suppression is decided over all regions first (see the disclosure rule),
    then the two groups are selected.
    """
    dist = level_distribution(subs, cycle, by="region")
    safe = suppress_small_groups(dist, min_group=min_group)
    return safe[safe["region"].isin([region, NATIONAL])].reset_index(drop=True)


def withheld_groups(context: pd.DataFrame, *, min_group: int = DEFAULT_MIN_GROUP) -> list[dict]:
    """One record per suppressed group: ``{"group", "n", "reason"}``."""
    rows = context[context["suppressed"]].drop_duplicates("region")
    return [
        {
            "group": r.region,
            "n": int(r.group_size),
            "reason": suppression_reason(r.suppression, min_group=min_group),
        }
        for r in rows.itertuples()
    ]


@enforce_schemas
@memoise_frames
def national_activity(
    stats: DataFrame[StatisticsSchema], *, min_group: int = DEFAULT_MIN_GROUP
) -> pd.DataFrame:
    """England's activity rates per year, withheld where fewer than ``min_group`` services are behind them.

    Beside one service's own figures, England's totals minus that service give
    the other services' combined figures, so England needs ``min_group``
    services behind it: in the year as a whole (else every figure of the year
    is withheld) and behind each activity's rate, as a rate only sums the
    services reporting that activity. ``withheld`` lists the activities withheld
    on their own, ``n_<activity>`` the services behind each rate. The group is
    labelled ``England``.
    """
    rates = activity_rates(stats, by=[]).assign(region=NATIONAL)
    values = [c for c in rates.columns if c not in {"region", "year", "year_start", "n_services"}]
    out = suppress_small_groups(
        rates,
        min_group=min_group,
        size="n_services",
        within=("year",),
        cells=(),
        values=values,
    )
    withheld: list[list[str]] = [[] for _ in range(len(out))]
    for measure in ACTIVITIES:
        behind = in_rate(stats, measure).groupby(stats["year"]).sum()
        n = out["year"].map(behind).fillna(0).astype("int64")
        small = (exposed(n, min_group=min_group) & ~out["suppressed"]).to_numpy()
        out[f"n_{measure}"] = n
        for column in (measure, f"{measure}_per_1000_wte"):
            out[column] = out[column].mask(small)
        for i in small.nonzero()[0]:
            withheld[i].append(measure)
    return out.assign(withheld=[tuple(w) for w in withheld])


# ------------------------------------------------------------------ published national figures

#: The figures of a :func:`~qio_analysis.metrics.headline_figures` row, each with its own services.
HEADLINE_FIGURES: tuple[str, ...] = ("value", "previous", "value_both", "previous_both")
TOTALS = ("value", "previous")
LIKE_FOR_LIKE = ("value_both", "previous_both")
#: Two figures of the same year: (a ratio's figure, a part's figure) to compare.
_SAME_YEAR = (
    ("value", "value_both"),
    ("value_both", "value"),
    ("previous", "previous_both"),
    ("previous_both", "previous"),
)


def exposed(units, *containing, min_group: int = DEFAULT_MIN_GROUP):
    """True where a figure could reveal fewer than ``min_group`` services' figures.

    ``units`` counts the services behind a figure (a number or a Series);
    each of ``containing`` counts the services behind another published
    figure of the same quantity over a set that holds them all (the total
    beside a like-for-like figure, or a part's total beside a ratio). The
    figure is exposed when it comes from 1 to ``min_group - 1`` services, or
    when subtracting it from a containing figure leaves 1 to
    ``min_group - 1`` services. Missing counts count as none.

    >>> exposed(pd.Series([3, 8, 8, 8]), pd.Series([3, 9, 13, 8])).tolist()
    [True, True, False, False]
    >>> exposed(0), exposed(6, 10), exposed(6, 11)
    (False, True, False)
    """
    n = np.nan_to_num(np.asarray(units, dtype="float64")).astype("int64")
    out = (n > 0) & (n < min_group)
    for bigger in containing:
        extra = np.nan_to_num(np.asarray(bigger, dtype="float64")).astype("int64") - n
        out |= (extra > 0) & (extra < min_group)
    if isinstance(units, pd.Series):
        return pd.Series(out, index=units.index)
    return bool(out) if out.ndim == 0 else out


def suppress_headlines(
    headlines: pd.DataFrame,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    parts: dict[str, tuple[str, ...]] | None = None,
    counts: Sequence[str] = ("n_services",),
) -> pd.DataFrame:
    """National headline figures with every figure withheld that could reveal a few services.

    ``headlines`` has one row per ``measure`` with the four figures of
    :data:`HEADLINE_FIGURES` (totals this year and last, and like for like:
    the services that returned in both years) and, for each, ``n_<figure>``:
    the services behind it. ``parts`` maps a ratio to the measures whose
    totals are published beside it (the staff ratio to qualified and NHS WTE).
    ``counts`` are measures that count returns: they reveal no service's
    figures and are never withheld. Any other figure is withheld when (see :func:`exposed`):

    1. fewer than ``min_group`` services are behind it;
    2. its totals and like-for-like figures differ by fewer than
       ``min_group`` services (a service that returned in one year only):
       then only the totals are published, as the figures people quote,
       and the like-for-like figures are withheld for that measure and
       every ratio built on it;
    3. a ratio's services differ from those behind a part's published total
       by fewer than ``min_group`` (a service reporting one part only).

    Returns a new frame: withheld figures (and ``change``, ``total_change``
    built on them) missing, plus ``withheld`` (the figures withheld, as a
    tuple of column names) and ``withheld_reason`` (a sentence; ``""`` when
    nothing is withheld). The input is never modified.
    """
    check_min_group(min_group)
    parts = parts or {}
    rows = headlines.set_index("measure", drop=False)
    count = {f: rows[f"n_{f}"] for f in HEADLINE_FIGURES}
    small = {f: exposed(count[f], min_group=min_group) for f in HEADLINE_FIGURES}
    # Rule 2: a service in one year only sits between the total and the like-for-like figure.
    split = exposed(count["value_both"], count["value"], min_group=min_group) | exposed(
        count["previous_both"], count["previous"], min_group=min_group
    )
    split_own = split.copy()
    for measure, components in parts.items():
        if measure in split.index:
            split[measure] |= any(split_own.get(c, False) for c in components)
    # Rule 3: a ratio against the totals of its parts, figure by figure.
    partial = {f: pd.Series(False, index=rows.index) for f in HEADLINE_FIGURES}
    for measure, components in parts.items():
        if measure not in rows.index:
            continue
        for f in HEADLINE_FIGURES:
            bigger = [count[f][c] for c in components if c in rows.index]
            partial[f][measure] = exposed(count[f][measure], *bigger, min_group=min_group)
    counting = rows.index.isin(list(counts))
    for flags in [*small.values(), *partial.values(), split, split_own]:
        flags[counting] = False
    hide = {
        f: small[f] | partial[f] | (split if f in LIKE_FOR_LIKE else False)
        for f in HEADLINE_FIGURES
    }
    # Rule 3 across figures of one year: a ratio's total against a part's published
    # like-for-like figure, and its like-for-like figure against a part's published total.
    for measure, components in parts.items():
        if measure not in rows.index or counting[rows.index.get_loc(measure)]:
            continue
        for f, g in _SAME_YEAR:
            if hide[f][measure]:
                continue
            published = [count[g][c] for c in components if c in rows.index and not hide[g][c]]
            if exposed(count[f][measure], *published, min_group=min_group):
                hide[f][measure] = True
                partial[f][measure] = True
    out = headlines.copy()
    for f in HEADLINE_FIGURES:
        out[f] = out[f].mask(hide[f].reindex(out["measure"]).to_numpy())
    like = hide["value_both"] | hide["previous_both"]
    total = hide["value"] | hide["previous"]
    if "change" in out:
        out["change"] = out["change"].mask(like.reindex(out["measure"]).to_numpy())
    if "total_change" in out:
        out["total_change"] = out["total_change"].mask(total.reindex(out["measure"]).to_numpy())
    out["withheld"] = [tuple(f for f in HEADLINE_FIGURES if hide[f][m]) for m in out["measure"]]
    labels = dict(zip(rows.index, rows["label"], strict=True)) if "label" in rows else {}
    out["withheld_reason"] = [
        _headline_reason(m, small, split, split_own, partial, parts, min_group, labels)
        for m in out["measure"]
    ]
    return out


def _headline_reason(
    measure: str,
    small: dict[str, pd.Series],
    split: pd.Series,
    split_own: pd.Series,
    partial: dict[str, pd.Series],
    parts: dict[str, tuple[str, ...]],
    min_group: int,
    labels: dict[str, str],
) -> str:
    """Why some figures of ``measure`` are withheld, in words (``""`` when none is)."""
    reasons = []
    few = [f for f in HEADLINE_FIGURES if small[f][measure]]
    if few:
        reasons.append(
            f"Fewer than {min_group} services are behind the {_figure_words(few)}, so "
            "they are not published: they could reveal individual services."
        )
    if split[measure] and not set(LIKE_FOR_LIKE) <= set(few):
        via = "" if split_own[measure] else " of the figures this ratio is built from"
        reasons.append(
            "Only the totals over every return are published, not the like-for-like "
            f"figures: fewer than {min_group} services returned in only one of the two "
            f"years{via}, so subtracting one from the other would reveal their figures."
        )
    ratio = [f for f in HEADLINE_FIGURES if partial[f][measure] and not small[f][measure]]
    if ratio:
        named = "; ".join(labels.get(p, p) for p in parts[measure])
        reasons.append(
            f"The {_figure_words(ratio)} of this ratio are not published: fewer than "
            f"{min_group} services reported one of its parts ({named}) "
            "without the other, so the ratio and the published totals together could "
            "reveal their figures."
        )
    return " ".join(reasons)


def _figure_words(figures: list[str]) -> str:
    names = {
        "value": "total this year",
        "previous": "total last year",
        "value_both": "like-for-like figure this year",
        "previous_both": "like-for-like figure last year",
    }
    words = [names[f] for f in figures]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def withhold_repeated(
    frame: pd.DataFrame,
    withheld: bool,
    *,
    values: Sequence[str],
    group: str = "region",
    size: str = "n_services",
    total: str = NATIONAL,
) -> pd.DataFrame:
    """A table by ``group`` (after :func:`suppress_small_groups`) agreeing with a national figure withheld elsewhere.

    The ``total`` row of a table by region repeats a national figure that
    another table publishes (England's staff ratio is in the headline figures
    and in the ratio by region). When that figure is ``withheld`` there (by
    any rule, such as a ratio against the totals of its parts), it is
    withheld here too, as ``"differencing"``, and so is every group holding
    all of the total's units (a single region with services *is* England). A
    figure withheld in one place is withheld everywhere. The input is never
    modified.

    >>> frame = pd.DataFrame({"region": ["London", "Midlands", "England"],
    ...     "n_services": [6, 0, 6], "ratio": [1300.0, None, 1300.0],
    ...     "suppressed": False, "suppression": ""})
    >>> out = withhold_repeated(frame, True, values=("ratio",))
    >>> out["suppression"].tolist(), out["ratio"].isna().tolist()
    (['differencing', '', 'differencing'], [True, True, True])
    """
    if not withheld:
        return frame
    out = frame.copy()
    national = out[group] == total
    everyone = out.loc[national, size].max() if national.any() else 0
    same = ~national & (out[size] == everyone) & (out[size] > 0)
    hide = (national | same) & ~out["suppressed"].astype(bool)
    out.loc[hide, "suppressed"] = True
    out.loc[hide, "suppression"] = DIFFERENCING
    for column in values:
        if column in out.columns:
            out[column] = out[column].mask(hide.to_numpy())
    return out


def suppress_rates(
    rates: pd.DataFrame,
    units: pd.DataFrame,
    part_units: dict[str, list[pd.Series]],
    *,
    min_group: int = DEFAULT_MIN_GROUP,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ratios over the years (one column per ratio) with exposed values withheld.

    ``units`` has the same index and columns as ``rates``: the services
    behind each value. ``part_units[column]`` are the services behind each
    published total the ratio is built from (same index). Returns the
    withheld ``rates`` and a same-shaped boolean frame of what was withheld.
    """
    hidden = pd.DataFrame(False, index=rates.index, columns=list(rates.columns))
    for column in rates.columns:
        hidden[column] = exposed(units[column], *part_units.get(column, []), min_group=min_group)
    return rates.mask(hidden), hidden

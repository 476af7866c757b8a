"""The public headline pack: what the communications team may publish, after disclosure control.

Everything published about a year of LKS statistics (the figures tables, the
images and their alt text, the infographic and the headlines report) is
built from one :class:`HeadlinePack`, so no published figure can bypass
:mod:`qio_analysis.metrics.disclosure`:

- ``headlines``: national totals this year and last, the change in the total
  and the like-for-like change, each figure withheld where it could reveal
  fewer than ``min_group`` services, by a small group or by subtracting one
  published figure from another (:func:`~qio_analysis.metrics.disclosure.suppress_headlines`);
- ``regions``: the staff ratio of each region against the target, withheld
  for a region of fewer than ``min_group`` services (and a second region
  when one is withheld, so England minus the rest does not give it back);
  England's row is withheld whenever the headline staff ratio is
  (:func:`~qio_analysis.metrics.disclosure.withhold_repeated`), so a figure
  withheld in one place is withheld everywhere;
- ``trend``: national activity per 1,000 NHS WTE over the years (with
  ``<rate>_withheld`` saying which missing rates disclosure control withheld);
- ``withheld``: one row per withheld figure with the reason, for the notes.

Changes and verdicts are judged on the figures as printed
(:mod:`qio_analysis.words.verdicts`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.metrics._groups import order_regions
from qio_analysis.metrics.disclosure import (
    DEFAULT_MIN_GROUP,
    exposed,
    suppress_headlines,
    suppress_rates,
    suppress_small_groups,
    suppression_reason,
    withhold_repeated,
)
from qio_analysis.metrics.headlines import HEADLINE_PARTS, HEADLINES, headline_figures
from qio_analysis.metrics.workforce import ACTIVITIES, activity_rates, in_rate, staff_ratio
from qio_analysis.output_schemas import (
    PackHeadlinesSchema,
    PackRegionsSchema,
    PackTrendSchema,
    PackWithheldSchema,
    returns,
)
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.schemas import StatisticsSchema
from qio_analysis.words.formats import judge_change
from qio_analysis.words.verdicts import meets_target, policy_verdict


@dataclass(frozen=True)
class HeadlinePack:
    """The published figures of one year (see the module docstring)."""

    year: str
    previous_year: str
    headlines: pd.DataFrame
    regions: pd.DataFrame
    trend: pd.DataFrame
    withheld: pd.DataFrame
    min_group: int
    target: float

    def row(self, measure: str) -> pd.Series:
        """One measure's row of ``headlines``."""
        return self.headlines.set_index("measure").loc[measure]

    @property
    def n_returns(self) -> int:
        return int(self.row("n_services")["value"])


def _public_headlines(headlines: pd.DataFrame, min_group: int) -> pd.DataFrame:
    """The headline figures that may be published; a withheld change has no direction or verdict."""
    parts = {
        m: tuple(p for p in HEADLINE_PARTS[m] if p in HEADLINES)
        for m in HEADLINE_PARTS
        if len(HEADLINE_PARTS[m]) > 1
    }
    public = suppress_headlines(headlines, min_group=min_group, parts=parts)
    like = [
        judge_change(c, u).direction
        for c, u in zip(public["change"], public["change_unit"], strict=True)
    ]
    total = [
        judge_change(c, u).direction
        for c, u in zip(public["total_change"], public["change_unit"], strict=True)
    ]
    return public.assign(
        direction=like,
        total_direction=total,
        better=[policy_verdict(d, w) for d, w in zip(like, public["better_when"], strict=True)],
        total_better=[
            policy_verdict(d, w) for d, w in zip(total, public["better_when"], strict=True)
        ],
    )


def _public_regions(
    stats: pd.DataFrame, year: str, target: float, min_group: int, national_withheld: bool
) -> pd.DataFrame:
    """The staff ratio by region; England's row is withheld wherever the headline ratio is."""
    ratio = staff_ratio(stats, by="region", target=target)
    values = ["qualified_wte", "nhs_wte", "nhs_wte_per_qualified", "qualified_wte_gap"]
    safe = suppress_small_groups(
        ratio,
        min_group=min_group,
        group="region",
        size="n_services",
        within=("year_start",),
        cells=(),
        values=values,
        total=NATIONAL,
    )
    part = withhold_repeated(
        safe[safe["year"] == year], national_withheld, values=values, total=NATIONAL
    )
    absent = [r for r in REGION_NAMES if r not in set(part["region"])]
    out = pd.DataFrame(
        {
            "region": part["region"],
            "year": part["year"],
            "n_services": part["n_services"],
            "nhs_wte_per_qualified": part["nhs_wte_per_qualified"],
            "target": float(target),
            "min_group": min_group,
            "meets_target": pd.array(
                [meets_target(v, target) for v in part["nhs_wte_per_qualified"]], dtype="boolean"
            ),
            "suppressed": part["suppressed"],
            "suppression": part["suppression"],
            "reason": [
                suppression_reason(k, min_group=min_group, units="services")
                for k in part["suppression"]
            ],
        }
    )
    if absent:  # every region is accounted for, in words, when it has no return
        none = pd.DataFrame(
            {
                "region": absent,
                "year": year,
                "n_services": 0,
                "target": float(target),
                "min_group": min_group,
                "suppressed": False,
                "suppression": "",
                "reason": f"No return with both qualified and NHS WTE in {year}.",
            }
        )
        out = pd.concat([out, none], ignore_index=True)
    return order_regions(out)


def _public_trend(
    stats: pd.DataFrame, min_group: int, headlines: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """National activity rates per year, exposed rates withheld; also what was withheld and the services behind each rate.

    A rate the headline figures withhold for a year is withheld here too.
    """
    rates = activity_rates(stats, by=[])
    columns = [f"{a}_per_1000_wte" for a in ACTIVITIES]
    years = rates["year_start"]
    present = stats.assign(_nhs=stats["nhs_wte"].notna())
    grouped = present.groupby("year_start")

    def per_year(counts: pd.Series) -> pd.Series:
        return pd.Series(years.map(counts).fillna(0).to_numpy(), index=rates.index)

    units = pd.DataFrame(
        {
            f"{a}_per_1000_wte": per_year(in_rate(stats, a).groupby(stats["year_start"]).sum())
            for a in ACTIVITIES
        }
    )
    nhs = per_year(grouped["_nhs"].sum())
    part_units = {f"{a}_per_1000_wte": [per_year(grouped[a].count()), nhs] for a in ACTIVITIES}
    shown, hidden = suppress_rates(rates[columns], units, part_units, min_group=min_group)
    rows = headlines.set_index("measure")
    for column in columns:
        if column not in rows.index:
            continue
        row = rows.loc[column]
        for figure, label in (("value", row["year"]), ("previous", row["previous_year"])):
            if figure in row["withheld"]:
                hidden[column] |= (rates["year"] == label).to_numpy()
    shown = rates[columns].mask(hidden)
    trend = rates[["year", "year_start", "n_services"]].join(shown)
    trend = trend.join(hidden.add_suffix("_withheld"))
    return trend.reset_index(drop=True), hidden.reset_index(drop=True), units.reset_index(drop=True)


def _withheld(
    headlines: pd.DataFrame,
    regions: pd.DataFrame,
    trend: pd.DataFrame,
    hidden: pd.DataFrame,
    units: pd.DataFrame,
    min_group: int,
) -> pd.DataFrame:
    """One row per withheld figure: ``figure`` (in words) and ``reason``."""
    # Measures withheld for the same reason share one row (one note, not sixteen).
    same: dict[str, list[str]] = {}
    for r in headlines.itertuples():
        if r.withheld_reason:
            same.setdefault(r.withheld_reason, []).append(r.label)
    year, previous = headlines["year"].iloc[0], headlines["previous_year"].iloc[0]
    rows = [
        {"figure": f"{'; '.join(labels)} ({year} and {previous})", "reason": reason}
        for reason, labels in same.items()
    ]
    rows += [
        {"figure": f"Staff ratio, {r.region}, {r.year}", "reason": r.reason}
        for r in regions.itertuples()
        if r.suppressed
    ]
    for column, activity in ((f"{a}_per_1000_wte", label) for a, label in ACTIVITIES.items()):
        for i in np.flatnonzero(hidden[column].to_numpy()):
            few = exposed(units[column].iloc[i], min_group=min_group)
            reason = (
                suppression_reason("primary", min_group=min_group, units="services")
                if few
                else f"Fewer than {min_group} services reported {activity.lower()} without NHS "
                "WTE, or NHS WTE without it, so the rate and the published totals together "
                "could reveal their figures."
            )
            rows.append(
                {
                    "figure": f"{activity} per 1,000 NHS WTE, {trend['year'].iloc[i]}",
                    "reason": reason,
                }
            )
    return pd.DataFrame(rows, columns=["figure", "reason"])


@returns(
    headlines=PackHeadlinesSchema,
    regions=PackRegionsSchema,
    trend=PackTrendSchema,
    withheld=PackWithheldSchema,
)
def headline_pack(
    stats: DataFrame[StatisticsSchema],
    year: int | str | None = None,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    target: float = STAFF_RATIO_TARGET,
) -> HeadlinePack:
    """The published figures for ``year`` (latest by default), after disclosure control.

    Headlines columns:
        measure, label, unit, year, previous_year, value, n_returns, previous,
        n_previous_returns, n_both, value_both, previous_both, total_change, change,
        change_unit, total_direction, direction, better_when, total_better, better,
        n_value, n_previous, n_value_both, n_previous_both: as in
            :func:`~qio_analysis.metrics.headlines.headline_figures`, figures withheld;
            a withheld change has no direction or verdict.
        withheld: the figures withheld (``value``, ``previous``, ...).
        withheld_reason: why, in words (``""`` when nothing is withheld).

    Regions columns:
        region, year, n_services: each region, then England, and its returns.
        nhs_wte_per_qualified: the staff ratio (missing when withheld or unknown).
        target, min_group, meets_target: the target, the smallest group shown and the
            verdict (missing without a ratio).
        suppressed, suppression, reason: whether the ratio is withheld, how and why.

    Trend columns:
        year, year_start, n_services: each year, and its returns.
        enquiries_per_1000_wte, expert_searches_per_1000_wte,
        evidence_summaries_per_1000_wte, people_trained_per_1000_wte,
        inductions_per_1000_wte, document_supply_per_1000_wte: national activity per
            1,000 NHS WTE, missing where withheld.
        enquiries_per_1000_wte_withheld, expert_searches_per_1000_wte_withheld,
        evidence_summaries_per_1000_wte_withheld, people_trained_per_1000_wte_withheld,
        inductions_per_1000_wte_withheld, document_supply_per_1000_wte_withheld: which
            rates disclosure control withheld.

    Withheld columns:
        figure, reason: one row per withheld figure, in words.

    >>> import qio_analysis as qa
    >>> pack = headline_pack(qa.load_statistics(qa.config.DEMO_STATISTICS))
    >>> pack.year, pack.n_returns, len(pack.regions), pack.withheld.empty
    ('2024/25', 132, 8, True)
    """
    headlines = _public_headlines(headline_figures(stats, year, target=target), min_group)
    year_label = str(headlines["year"].iloc[0])
    ratio = headlines.set_index("measure").loc["nhs_wte_per_qualified"]
    regions = _public_regions(stats, year_label, target, min_group, "value" in ratio["withheld"])
    trend, hidden, units = _public_trend(stats, min_group, headlines)
    return HeadlinePack(
        year=year_label,
        previous_year=str(headlines["previous_year"].iloc[0]),
        headlines=headlines,
        regions=regions,
        trend=trend,
        withheld=_withheld(headlines, regions, trend, hidden, units, min_group),
        min_group=min_group,
        target=float(target),
    )

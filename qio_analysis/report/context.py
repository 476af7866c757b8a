"""Anonymous context beside a named organisation, with small groups suppressed.

The organisation report's "Regional and national context" section is one
call, :func:`regional_context`. Disclosure control runs on every region
(:func:`~qio_analysis.metrics.disclosure.suppress_small_groups`), so the
secondary rule sees the whole table, and only then are the organisation's
region and England picked out. A withheld group shows a sentence saying why
instead of its median, counts and percentages, in the chart, its data table,
its alt text and the summary table, and is recorded for the manifest.
"""

from __future__ import annotations

import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.figures.context import fig_context
from qio_analysis.memo import memoise_frames
from qio_analysis.metrics.disclosure import (
    DEFAULT_MIN_GROUP,
    PRIMARY,
    national_activity,
    suppressed_context,
    suppression_reason,
    withheld_groups,
)
from qio_analysis.metrics.levels import level_summary
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.reference import NATIONAL
from qio_analysis.report.display import (
    chart_outputs,
    heading,
    record_suppressed,
    say,
    show_html,
    show_outputs,
    table,
    table_html,
)
from qio_analysis.report.tables import activity_table, context_table
from qio_analysis.schemas import StatisticsSchema, SubmissionsSchema


def regional_context(
    subs: DataFrame[SubmissionsSchema],
    org: pd.Series,
    cycle: int,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
) -> None:
    """The organisation report's "Regional and national context" section.

    ``org`` is a row of :func:`~qio_analysis.metrics.level_profile` (it has
    ``region``). Displays the heading, a sentence, the chart, the summary
    table and the record of withheld groups.
    """
    bundle, details, summary, withheld = _context_outputs(
        subs, org["region"], cycle, min_group=min_group
    )
    heading("Regional and national context")
    say(
        f"For context, these anonymous totals show the validated levels of all organisations in "
        f"{org['region']} and in England in {cycle}. No other organisation is named, and a group "
        f"with fewer than {min_group} organisations behind its figures is not broken down."
    )
    show_outputs(bundle, details)
    show_html(summary)
    record_suppressed(withheld, what=f"regional and national context, {cycle}")


@memoise_frames
def _context_outputs(
    subs: DataFrame[SubmissionsSchema], region: str, cycle: int, *, min_group: int
) -> tuple[dict, str | None, str, list[dict]]:
    """The displayed pieces of :func:`regional_context` that are the same for a whole region.

    Every organisation of a region shows the same chart, data table and summary
    table, so they are built once per region (per worker and input) as plain
    data: the chart's mime bundle and the HTML, not figure objects.
    """
    context = suppressed_context(subs, region, cycle, min_group=min_group)
    bundle, details = chart_outputs(fig_context(context, min_group=min_group))
    summary = table_html(
        context_table(level_summary(context), [region, NATIONAL], min_group=min_group),
        f"Median validated level and share at Level 3 or above, {cycle}",
    )
    return bundle, details, summary, withheld_groups(context, min_group=min_group)


def activity_context(
    service_rates: pd.DataFrame,
    stats: DataFrame[StatisticsSchema],
    year: str,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
) -> None:
    """The activity table of one service beside England, with England withheld when too few services."""
    national = national_activity(stats, min_group=min_group)
    in_year = national[national["year"] == year]
    withheld = in_year[in_year["suppressed"]]
    shown = activity_table(service_rates, national, year)
    not_shown = f"Not shown: fewer than {min_group} services"
    if not withheld.empty:
        shown = shown.assign(**{NATIONAL: not_shown})
    reason = suppression_reason(PRIMARY, min_group=min_group, units="LKS services")
    records = [
        {
            "group": f"{NATIONAL} (LKS activity)",
            "n": int(r.group_size),
            "reason": suppression_reason(r.suppression, min_group=min_group, units="LKS services"),
        }
        for r in withheld.itertuples()
    ]
    for r in in_year[~in_year["suppressed"]].itertuples():
        for measure in r.withheld:
            label = ACTIVITIES[measure]
            shown.loc[shown.iloc[:, 0] == label, NATIONAL] = not_shown
            records.append(
                {
                    "group": f"{NATIONAL} ({label.lower()})",
                    "n": int(getattr(r, f"n_{measure}")),
                    "reason": reason,
                }
            )
    table(shown, caption=f"Activity per 1,000 NHS staff WTE, {year}")
    record_suppressed(records, what=f"national LKS activity rates, {year}")

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

import textwrap

import pandas as pd
import plotly.graph_objects as go
from pandera.typing import DataFrame

from qio_analysis.figures.levels import fig_level_distribution
from qio_analysis.figures.template import NHS_COLOURS, empty_figure, esc
from qio_analysis.memo import memoise_frames
from qio_analysis.metrics.disclosure import (
    DEFAULT_MIN_GROUP,
    PRIMARY,
    suppress_small_groups,
    suppression_reason,
)
from qio_analysis.metrics.levels import level_distribution, level_summary
from qio_analysis.metrics.workforce import ACTIVITIES, activity_rates
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


@memoise_frames
def fig_context(context: pd.DataFrame, *, min_group: int = DEFAULT_MIN_GROUP) -> go.Figure:
    """The level distribution chart of the published groups, saying which are withheld and why."""
    withheld = withheld_groups(context, min_group=min_group)
    published = context[~context["suppressed"]]
    notes = [f"{w['group']} is not shown. {w['reason']}" for w in withheld]
    if published.empty:
        return empty_figure(" ".join(notes), title="Regional and national figures withheld")
    fig = fig_level_distribution(published.drop(columns=["suppressed", "suppression"]))
    if not withheld:
        return fig
    lines = [line for n in notes for line in textwrap.wrap(n, 95)]
    fig.add_annotation(
        text="<br>".join(esc(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=8,
        align="left",
        showarrow=False,
        font={"size": 13, "color": NHS_COLOURS["dark_grey"]},
    )
    extra = 18 * len(lines) + 12
    fig.update_layout(
        margin={"t": fig.layout.margin.t + extra}, height=(fig.layout.height or 450) + extra
    )
    meta = dict(fig.layout.meta or {})
    meta["alt_text"] = " ".join([meta.get("alt_text", ""), *notes]).strip()
    data = meta.get("table") or {"columns": [], "data": []}
    columns = [*data["columns"], "note"]
    rows = [[*row, ""] for row in data["data"]]
    # An en dash, not None: a missing value would turn whole-number columns (outcome,
    # organisations) into floats, shown as "1.0" in the data table.
    rows += [
        [w["group"] if c == "region" else w["reason"] if c == "note" else "\u2013" for c in columns]
        for w in withheld
    ]
    meta["table"] = {"columns": columns, "data": rows}
    fig.update_layout(meta=meta)
    return fig


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
    nhs = stats["nhs_wte"].notna()
    withheld: list[list[str]] = [[] for _ in range(len(out))]
    for measure in ACTIVITIES:
        behind = (stats[measure].notna() & nhs).groupby(stats["year"]).sum()
        n = out["year"].map(behind).fillna(0).astype("int64")
        small = ((n > 0) & (n < min_group) & ~out["suppressed"]).to_numpy()
        out[f"n_{measure}"] = n
        for column in (measure, f"{measure}_per_1000_wte"):
            out[column] = out[column].mask(small)
        for i in small.nonzero()[0]:
            withheld[i].append(measure)
    return out.assign(withheld=[tuple(w) for w in withheld])


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

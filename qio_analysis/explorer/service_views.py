"""The LKS statistics views: one library and knowledge service beside its region, peers and England.

Similar services are the service's peer group
(:func:`~qio_analysis.metrics.benchmarking.peer_panel`): the services sharing
its workforce band and organisation type in the statistics year shown with
the chosen cycle, followed through every year. The page says the rule, the
group's size and its band, where fewer of them returned, and when the group is
withheld (:mod:`qio_analysis.metrics.disclosure`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from qio_analysis import metrics
from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.explorer.selection import Data, Selection, View, message_view
from qio_analysis.figures import benchmarking as fig_bench
from qio_analysis.framework import format_financial_year
from qio_analysis.metrics import benchmarking as bench
from qio_analysis.words import format_ratio, format_wte, join_words, meets_target, target_words


def statistics_year(stats: pd.DataFrame, cycle: int) -> int:
    """The LKS statistics year shown beside a QIOF cycle: the latest year starting before it."""
    years = sorted(int(y) for y in stats["year_start"].unique())
    earlier = [y for y in years if y < cycle]
    return earlier[-1] if earlier else years[-1]


def service_view(sel: Selection, data: Data) -> View:
    """The staffing or activity view of the selected organisation's LKS service."""
    stats, orgs = data.statistics, data.organisations
    if stats is None or stats.empty:
        return message_view("This view needs the LKS statistics returns (--statistics).")
    if sel.org is None:
        return message_view(
            "Type an organisation's name or code in the Organisation box to see its library "
            "and knowledge service.",
            title="Choose an organisation",
        )
    service = None
    if orgs is not None and "service_code" in orgs:
        match = orgs.loc[orgs["org_code"] == sel.org, "service_code"].dropna()
        service = match.iloc[0] if len(match) else None
    if service is None:
        lead = stats.loc[stats["lead_org_code"] == sel.org, "service_code"]
        service = lead.iloc[0] if len(lead) else None
    if service is None or not (stats["service_code"] == service).any():
        return message_view(f"{sel.org} has no LKS statistics return in these files.")
    own = stats[stats["service_code"] == service]
    name = str(own["service_name"].iloc[-1])
    year = statistics_year(stats, sel.cycle)
    label = format_financial_year(year)
    if not (own["year_start"] == year).any():
        return message_view(
            f"{name} has no LKS statistics return for {label}, the statistics year shown with "
            f"the {sel.cycle} cycle. Choose another cycle."
        )
    peers = _peer_words(stats, orgs, service, name, year, data.min_group)
    if sel.view == "staffing":
        table = bench.staffing_benchmark(
            stats, orgs, service, min_group=data.min_group, peer_year=year
        )
        fig = fig_bench.fig_staffing_trend(
            table, selected=name, title=f"Staff ratio of {name} since 2019/20 (lower is better)"
        )
        latest = table[(table["comparison"] == name)].tail(1)
        words = ""
        if len(latest) and pd.notna(latest["nhs_wte_per_qualified"].iloc[0]):
            row = latest.iloc[0]
            target = float(row["target"]) if pd.notna(row.get("target")) else STAFF_RATIO_TARGET
            ratio = row["nhs_wte_per_qualified"]
            # The verdict is judged on the ratio as printed, and printed precisely enough for it.
            words = (
                f"{name} is at {format_ratio(ratio, target=target)} in {row['year']}, which "
                f"{target_words(ratio, target)} the {format_ratio(target)} target"
            )
            gap = row["qualified_wte_gap"]
            if not meets_target(ratio, target) and pd.notna(gap):
                more = "less than 0.1" if float(gap) < 0.05 else format_wte(gap)
                words += f": {more} more qualified WTE would meet it"
            words += "."
        similar = table[table["comparison"] == SIMILAR]
        message = " ".join(
            p
            for p in (words, peers, _followed(similar, year, data.min_group), _withheld(table))
            if p
        )
        years = table["year"].astype(str)
        span = years.min() if years.min() == years.max() else f"{years.min()}-to-{years.max()}"
        return View(fig, _suppression_notes(table), message, subject=name, years=span)
    table = bench.activity_benchmark(stats, orgs, service, year, min_group=data.min_group)
    dist = pd.concat(
        [
            bench.service_distribution(stats, year, f"{key}_per_1000_wte").assign(activity=label)
            for key, label in metrics.ACTIVITIES.items()
        ],
        ignore_index=True,
    )
    fig = fig_bench.fig_benchmark_strip(
        dist,
        benchmark=table.rename(columns={"rate": "value"}),
        selected=name,
        value="value",
        panel="activity",
        title=f"Activity per 1,000 NHS WTE, {label}: {name} among all services",
        x_title="Per 1,000 NHS WTE",
    )
    message = " ".join(p for p in (peers, _withheld(table)) if p)
    return View(legend_on_top(fig), _suppression_notes(table), message, subject=name, years=label)


#: Pixels the legend takes above a tall chart.
_LEGEND_ROOM = 48


def legend_on_top(fig: go.Figure) -> go.Figure:
    """The legend moved from the foot of a tall chart to just under its title, so the key is
    on screen as the chart's frame opens (no scrolling to its end)."""
    height = fig.layout.height or 500
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 100
    fig.update_layout(
        legend={"yref": "container", "y": 1 - (top - 12) / height, "yanchor": "top", "x": 0},
        margin={"t": top + _LEGEND_ROOM},
        height=height + _LEGEND_ROOM,
    )
    return fig


SIMILAR = "Similar services"


def _peer_words(
    stats: pd.DataFrame,
    orgs: pd.DataFrame | None,
    service: str,
    name: str,
    year: int,
    min_group: int,
) -> str:
    """The peer group in words: its rule, its size and its members' band and type in ``year``."""
    in_year = bench.peer_groups(stats[stats["year_start"] == year], orgs)
    own = in_year[in_year["service_code"] == service]
    label = format_financial_year(year)
    if own.empty or pd.isna(own["peer_group"].iloc[0]):
        return f"Similar services: {name} has no NHS WTE for {label}, so it has no peer group."
    band, kind = own["size_band"].iloc[0], own["service_type"].iloc[0]
    size = int((in_year["peer_group"] == own["peer_group"].iloc[0]).sum())
    serves = {
        bench.MIXED: "serve organisations of more than one type",
        bench.UNKNOWN: "serve no organisation in the organisations table",
    }.get(kind, f"serve {kind} organisations")
    rule = f"services that, like {name} in {label}, {serves} and {band} (its peer group)"
    if size < min_group:
        return (
            f"Similar services: fewer than {min_group} {rule}, so their figures are not shown: "
            "they could reveal individual services."
        )
    return f"Similar services: the {size} {rule}."


def _followed(similar: pd.DataFrame, year: int, min_group: int) -> str:
    """Where the staffing trend's peer group had fewer returns than in the year that defines it."""
    counts = similar.set_index("year_start")["n_services"].dropna().astype(int)
    if year not in counts.index or counts[year] < min_group:
        return ""
    fewer = counts[counts < counts[year]]
    if fewer.empty:
        return "The same services are followed in every year shown."
    listed = join_words(
        [f"{n} in {format_financial_year(y)}" for y, n in fewer.sort_index().items()]
    )
    return (
        "The same services are followed in every year; not all of them made a return every "
        f"year ({listed})."
    )


def _withheld(table: pd.DataFrame) -> str:
    hidden = table[table["suppressed"]]
    if hidden.empty:
        return ""
    names = ", ".join(dict.fromkeys(hidden["comparison"].astype(str)))
    return f"Not shown for {names}: {hidden['reason'].iloc[0]}"


_STAFFING_COLUMNS = [
    "year",
    "comparison",
    "nhs_wte_per_qualified",
    "qualified_wte",
    "nhs_wte",
    "qualified_wte_gap",
    "n_services",
]
_ACTIVITY_COLUMNS = ["activity", "comparison", "rate", "n_services", "peer_group"]


def _suppression_notes(table: pd.DataFrame) -> pd.DataFrame:
    """The table shown under a benchmarking chart: its figures, and why any are withheld."""
    columns = _STAFFING_COLUMNS if "nhs_wte_per_qualified" in table else _ACTIVITY_COLUMNS
    note = table["reason"]
    if "note" in table:
        note = note.where(note != "", table["note"].fillna(""))
    return table[columns].assign(note=note)

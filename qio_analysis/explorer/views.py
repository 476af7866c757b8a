"""What each explorer view shows for a selection: metrics in, one figure and its table out.

No analysis lives here: every number comes from :mod:`qio_analysis.metrics`
and every chart from :mod:`qio_analysis.figures`; this module only picks which.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from qio_analysis import figures, metrics
from qio_analysis.errors import QioError
from qio_analysis.explorer.selection import Data as Data
from qio_analysis.explorer.selection import Selection as Selection
from qio_analysis.explorer.selection import View as View
from qio_analysis.explorer.selection import message_view as message_view
from qio_analysis.explorer.selection import org_names as org_names
from qio_analysis.figures.template import figure_table
from qio_analysis.reference import NATIONAL

#: View key -> (button label, one line saying what it shows and how to read it).
VIEWS: dict[str, tuple[str, str]] = {
    "distribution": (
        "Levels by region",
        "Share of organisations at each level, per outcome: longer dark bars further right mean higher levels.",
    ),
    "heatmap": (
        "Organisations \u00d7 outcomes",
        "One row per organisation, one column per outcome; the number in each cell is its level (0-4). "
        "Choose a cycle in 'Compare with' to add each cell's change in whole levels since then.",
    ),
    "radar": (
        "One organisation",
        "The organisation's level on each outcome: further from the centre is higher. Dashed lines are other cycles or the self-evaluation.",
    ),
    "transitions": (
        "Transitions",
        "How many organisations moved up, stayed or moved down between the two cycles, per outcome.",
    ),
    "agreement": (
        "Validation agreement",
        "Self-evaluated level (rows) against validated level (columns): the diagonal is agreement.",
    ),
    "staffing": (
        "Staffing",
        "NHS staff per qualified LKS staff (1:N; lower is better, target 1:1,250) for the selected organisation's service, each year, against its region, similar services and England.",
    ),
    "activity": (
        "Activity",
        "Each activity per 1,000 NHS staff: the blue dot is the selected service, grey dots are other services (not named), marks show its region, similar services and England.",
    ),
}
#: Controls each view ignores, with the reason shown as the control's tooltip.
NOT_USED: dict[str, dict[str, str]] = {
    "distribution": {"org": "This view shows groups, not one organisation."},
    "heatmap": {"org": "The heatmap lists every organisation in the region."},
    "radar": {
        "region": "The radar shows one organisation.",
        "outcome": "The radar always shows all six outcomes.",
        "assessment": "The radar shows both validated and self-evaluated levels.",
    },
    "transitions": {"org": "This view shows groups, not one organisation."},
    "agreement": {
        "compare": "Agreement is within one cycle.",
        "assessment": "Agreement compares both assessments.",
        "org": "This view shows groups, not one organisation.",
    },
    "staffing": {
        "region": "The service is compared with its own region.",
        "outcome": "Staffing comes from the LKS statistics, not QIOF outcomes.",
        "assessment": "Staffing comes from the LKS statistics, not QIOF levels.",
        "compare": "The staffing trend shows every year since 2019/20; the cycle picks the year that defines similar services.",
    },
    "activity": {
        "region": "The service is compared with its own region.",
        "outcome": "Activity comes from the LKS statistics, not QIOF outcomes.",
        "assessment": "Activity comes from the LKS statistics, not QIOF levels.",
        "compare": "Activity is shown for the statistics year of the chosen cycle.",
    },
}


def _with_table(fig: go.Figure, message: str = "") -> View:
    return View(fig, figure_table(fig), message)


def compute(sel: Selection, data: Data) -> View:
    """The figure, table and message for one selection."""
    try:
        if sel.view in ("staffing", "activity"):
            from qio_analysis.explorer.service_views import service_view

            return service_view(sel, data)
        in_cycle = data.subs[data.subs["cycle"] == sel.cycle]
        if in_cycle.empty:
            return message_view(
                f"No organisation of this type has submissions for {sel.cycle}. "
                "Choose another cycle or organisation type."
            )
        if sel.region is not None and not (in_cycle["region"] == sel.region).any():
            return message_view(
                f"No organisation in {sel.region} has submissions for {sel.cycle}. "
                "Choose another region or cycle."
            )
        return _LEVEL_VIEWS[sel.view](sel, data)
    except QioError as exc:
        return message_view(str(exc))


def _assessments(sel: Selection) -> list[str]:
    return ["self", "validated"] if sel.assessment == "both" else [sel.assessment]


def distribution(sel: Selection, data: Data) -> View:
    group = sel.region or NATIONAL
    if sel.compare and sel.compare != sel.cycle:
        cycles, assessment = sorted({sel.compare, sel.cycle}), _assessments(sel)[-1]
        dist = data.memo.get(
            ("dist", tuple(cycles), assessment),
            lambda: metrics.level_distribution(
                data.subs, cycles, by="region", assessment=assessment
            ),
        )
        dist, split = dist[dist["region"] == group], "cycle"
    elif sel.assessment == "both":
        dist = data.memo.get(
            ("dist", sel.cycle, "both"),
            lambda: metrics.level_distribution(
                data.subs, sel.cycle, by="region", assessment=["self", "validated"]
            ),
        )
        dist, split = dist[dist["region"] == group], "assessment"
    else:
        dist = data.memo.get(
            ("dist", sel.cycle, sel.assessment),
            lambda: metrics.level_distribution(
                data.subs, sel.cycle, by="region", assessment=sel.assessment
            ),
        )
        if sel.region is not None:
            dist = dist[dist["region"].isin([sel.region, NATIONAL])]
        split = "region"
    if sel.outcome:
        dist = dist[dist["outcome"] == sel.outcome]
    return _with_table(figures.fig_level_distribution(dist, split=split))


def heatmap(sel: Selection, data: Data) -> View:
    pairs = data.memo.get(
        ("paired", sel.cycle), lambda: metrics.paired_levels(data.subs, sel.cycle)
    )
    if sel.region is not None:
        pairs = pairs[pairs["region"] == sel.region]
    if sel.outcome:
        pairs = pairs[pairs["outcome"] == sel.outcome]
    assessment = sel.assessment
    notes = (
        [
            "Cells are coloured by the validated level; where the two differ, both "
            "levels are shown, self-evaluated first."
        ]
        if sel.assessment == "both"
        else []
    )
    change, sort = None, sel.sort
    if sel.compare and sel.compare < sel.cycle:
        shown = "self" if assessment == "self" else "validated"
        change = data.memo.get(
            ("change", sel.compare, sel.cycle, shown),
            lambda: metrics.improvement(
                data.subs, since=sel.compare, to=sel.cycle, by=None, assessment=shown
            )[["org_code", "outcome", "from_cycle", "from_level", "to_level", "level_change"]],
        )
        notes.append(
            f"Each cell adds its change in whole levels since {sel.compare} (+1 up one level, "
            "\u22121 down one, = same; blank where either cycle has no level). A sub-level "
            "move within the same level is not counted as a change."
        )
    elif sel.compare:
        notes.append(f"Choose a cycle before {sel.cycle} in 'Compare with' to see change.")
    if sort == "change" and change is None:
        sort = "name"
        notes.append("Sorting by change needs an earlier cycle in 'Compare with'; sorted by name.")
    fig = figures.fig_heatmap(pairs, assessment=assessment, sort=sort, change=change)
    table = heatmap_numbers(figure_table(fig), pairs, change, assessment=assessment)
    return View(fig, table, " ".join(notes))


#: The level columns a heatmap's table gains, by assessment: (pairs column, header words).
_LEVEL_COLUMNS = {
    "self": [("self_level", "self-evaluated level")],
    "validated": [("validated_level", "validated level")],
    "both": [
        ("self_level", "self-evaluated level"),
        ("validated_level", "validated level"),
    ],
}


def heatmap_numbers(
    table: pd.DataFrame,
    pairs: pd.DataFrame,
    change: pd.DataFrame | None,
    *,
    assessment: str,
) -> pd.DataFrame:
    """The heatmap's table with each outcome's level (and change) as numbers in their own
    columns, beside the cell's words, so a download can be sorted and summed.

    >>> table = pd.DataFrame({"Organisation": ["A Trust (ZA01)"], "1 Access: validated level": ["2 (Low)"]})
    >>> pairs = pd.DataFrame({"org_code": ["ZA01"], "outcome": [1], "validated_level": [2]})
    >>> change = pd.DataFrame({"org_code": ["ZA01"], "outcome": [1], "from_cycle": [2023], "level_change": [-1]})
    >>> [str(v) for v in heatmap_numbers(table, pairs, change, assessment="validated").iloc[0]]
    ['A Trust (ZA01)', '2 (Low)', '2', '-1']
    >>> heatmap_numbers(table, pairs, change, assessment="validated").columns[2:].tolist()
    ['1 Access: validated level (number)', '1 Access: change since 2023 (levels)']
    """
    codes = table["Organisation"].str.extract(r"\(([^()]+)\)\s*$")[0]
    out = table[["Organisation"]].copy()
    since = None if change is None or change.empty else int(change["from_cycle"].iloc[0])
    for column in table.columns[1:]:
        out[column] = table[column]
        match = re.match(r"(\d+) ", str(column))
        if match is None:
            continue
        outcome = int(match.group(1))
        label = str(column).split(":", 1)[0]
        rows = pairs[pairs["outcome"] == outcome].drop_duplicates("org_code").set_index("org_code")
        for source, words in _LEVEL_COLUMNS[assessment]:
            if source in rows:
                values = codes.map(rows[source]).to_numpy()
                out[f"{label}: {words} (number)"] = pd.array(values, dtype="Int64")
        if since is not None:
            moved = change[change["outcome"] == outcome].set_index("org_code")["level_change"]
            values = codes.map(moved).to_numpy()
            out[f"{label}: change since {since} (levels)"] = pd.array(values, dtype="Int64")
    return out


def radar(sel: Selection, data: Data) -> View:
    if sel.org is None:
        return message_view(
            "Type an organisation's name or code in the Organisation box to see its radar.",
            title="Choose an organisation",
        )
    profile = metrics.level_profile(data.subs, sel.org, sel.cycle)
    cycles = [sel.compare] if sel.compare and sel.compare < sel.cycle else None
    history = metrics.level_history(data.subs, sel.org, sel.cycle, cycles=cycles)
    return _with_table(figures.fig_radar(profile, history=history))


def transitions(sel: Selection, data: Data) -> View:
    start = sel.compare or metrics.previous_cycle(data.subs, sel.cycle)
    if not start or start >= sel.cycle:
        return message_view(
            f"Choose an earlier cycle in 'Compare with' to see movement into {sel.cycle}."
        )
    assessment = "self" if sel.assessment == "self" else "validated"
    moves = data.memo.get(
        ("moves", start, sel.cycle, assessment),
        lambda: metrics.transitions(
            data.subs, start, sel.cycle, by="region", assessment=assessment
        ),
    )
    if sel.outcome:
        return _with_table(figures.fig_sankey(moves.matrix, outcome=sel.outcome, region=sel.region))
    return _with_table(
        figures.fig_movement(moves.summary, region=sel.region),
        "Choose one outcome to see its level-to-level Sankey.",
    )


def agreement(sel: Selection, data: Data) -> View:
    result = data.memo.get(
        ("agreement", sel.cycle),
        lambda: metrics.validation_agreement(data.subs, sel.cycle, by="region", n_boot=0),
    )
    fig = figures.fig_agreement_matrix(
        result.confusion, outcome=sel.outcome or None, region=sel.region
    )
    return _with_table(fig)


_LEVEL_VIEWS = {
    "distribution": distribution,
    "heatmap": heatmap,
    "radar": radar,
    "transitions": transitions,
    "agreement": agreement,
}

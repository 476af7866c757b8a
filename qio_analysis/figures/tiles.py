"""Headline tiles in words: the total, the change in the total and the like-for-like change.

A tile shows one measure's total for the year and, each on its own line and
each labelled, the change in the total on the year before and the change
like for like (the services that returned in both years), with the number
of returns in both years. Each arrow sits beside the change it shows and
points the way that change went. "Better" and "worse" appear only for the
staff ratio, where policy says which way is better (lower, against
1:1,250); spending, staff and activity go "up" or "down". Where disclosure
control withholds a figure the tile says so instead.

The poster, the slide images, their alt text and the headlines report all
print tiles from :func:`headline_tiles`, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from qio_analysis.figures.workforce import format_value
from qio_analysis.metrics.headline_pack import HeadlinePack
from qio_analysis.verdicts import Change, format_ratio, judge_change, meets_target, policy_verdict

DEFAULT_TILES: tuple[str, ...] = (
    "qualified_wte",
    "nhs_wte_per_qualified",
    "registered_users_pct",
    "expert_searches",
    "people_trained",
    "expenditure_gbp",
)

#: What each big number counts, in words a member of the public reads.
TILE_LABELS: dict[str, str] = {
    "n_services": "library and knowledge services made a return",
    "qualified_wte": "qualified library and knowledge staff (whole-time equivalent)",
    "other_wte": "other library and knowledge staff (whole-time equivalent)",
    "nhs_wte": "NHS staff served (whole-time equivalent)",
    "nhs_wte_per_qualified": "NHS staff for each qualified library and knowledge staff member",
    "registered_users": "registered library users",
    "registered_users_pct": "of the NHS staff who could use the library are registered",
    "enquiries": "enquiries answered",
    "expert_searches": "expert literature searches",
    "evidence_summaries": "evidence summaries written",
    "people_trained": "people trained in finding and using evidence",
    "inductions": "new staff inducted",
    "document_supply": "documents supplied",
    "expert_searches_per_1000_wte": "expert searches per 1,000 NHS staff",
    "people_trained_per_1000_wte": "people trained per 1,000 NHS staff",
    "expenditure_gbp": "spent on library and knowledge services",
}
WITHHELD = "not published (see the notes)"


@dataclass(frozen=True)
class TileLine:
    """One line of a tile: an optional arrow, a plain-words lead (``Total``), the words and a tone.

    ``tone`` is ``better``/``worse`` (staff ratio only), ``neutral`` for a change
    with no policy direction, or ``note``.
    """

    lead: str
    text: str
    arrow: str = ""
    tone: str = "note"

    @property
    def words(self) -> str:
        """The line as one string, arrow first."""
        body = f"{self.lead} {self.text}" if self.lead else self.text
        return f"{self.arrow} {body}" if self.arrow else body


@dataclass(frozen=True)
class Tile:
    """One headline tile: the big ``figure``, its ``label`` and its lines."""

    measure: str
    figure: str
    label: str
    lines: tuple[TileLine, ...]

    @property
    def words(self) -> str:
        """The whole tile in one sentence-like string (alt text, data tables)."""
        return f"{self.figure} {self.label}. " + ". ".join(line.words for line in self.lines) + "."


def figure_text(value: object, unit: str, target: float | None = None) -> str:
    """A headline value as printed (the ratio precise enough for its verdict; see :mod:`~qio_analysis.verdicts`)."""
    if unit == "ratio":
        return format_ratio(value, target)
    return format_value(value, unit)


def _returns(n: object) -> str:
    count = int(n)  # type: ignore[call-overload]
    return f"{count:,} return{'' if count == 1 else 's'}"


def _services(n: object) -> str:
    count = int(n)  # type: ignore[call-overload]
    return f"{count:,} service{'' if count == 1 else 's'}"


def _change_line(lead: str, change: Change, better_when: str, detail: str) -> TileLine:
    verdict = policy_verdict(change.direction, better_when)
    text = change.words + (f" ({verdict})" if verdict else "") + (f" {detail}" if detail else "")
    tone = verdict or ("note" if change.direction == "n/a" else "neutral")
    return TileLine(lead, text, change.arrow, tone)


def _tile(row: pd.Series, target: float) -> Tile:
    unit, measure = str(row["unit"]), str(row["measure"])
    figure = figure_text(row["value"], unit, target) if pd.notna(row["value"]) else "n/a"
    lines = []
    if pd.isna(row["value"]):
        lines.append(TileLine(f"{row['year']} total", WITHHELD))
    else:
        lines.append(TileLine("", f"{row['year']} total from {_returns(row['n_returns'])}"))
    better_when = str(row["better_when"])
    previous = (
        f"(was {figure_text(row['previous'], unit, target)} from {_returns(row['n_previous_returns'])})"
        if pd.notna(row["previous"]) and measure != "n_services"
        else f"(then {int(row['n_previous_returns']):,})"
    )
    if int(row["n_previous_returns"]) == 0:
        lines.append(TileLine("", f"No return in {row['previous_year']} to compare with"))
        return Tile(measure, figure, TILE_LABELS.get(measure, str(row["label"])), tuple(lines))
    total = judge_change(row["total_change"], str(row["change_unit"]))
    if total.direction == "n/a":
        lines.append(TileLine("Change in the total", WITHHELD))
    else:
        lead = "" if measure == "n_services" else "Total"
        detail = f"since {row['previous_year']} {previous}"
        lines.append(_change_line(lead, total, better_when, detail))
    if measure == "n_services":
        lines.append(TileLine("", f"{_services(row['n_both'])} returned in both years"))
    else:
        like = judge_change(row["change"], str(row["change_unit"]))
        basis = f"among the {_services(row['n_both'])} that returned in both years"
        if like.direction == "n/a":
            lines.append(TileLine("Like-for-like change", WITHHELD))
        else:
            lines.append(_change_line("Like for like", like, better_when, basis))
    if unit == "ratio" and pd.notna(row["value"]):
        met = meets_target(row["value"], target)
        lines.append(
            TileLine(
                f"Target 1:{target:,.0f}",
                "met" if met else "not yet met (lower is better)",
                tone="better" if met else "worse",
            )
        )
    return Tile(measure, figure, TILE_LABELS.get(measure, str(row["label"])), tuple(lines))


def headline_tiles(pack: HeadlinePack, measures: tuple[str, ...] = DEFAULT_TILES) -> list[Tile]:
    """The tiles of ``measures`` (in that order) from a :class:`~qio_analysis.metrics.headline_pack.HeadlinePack`."""
    rows = pack.headlines.set_index("measure", drop=False)
    return [_tile(rows.loc[m], pack.target) for m in measures if m in rows.index]


def tiles_table(tiles: list[Tile]) -> pd.DataFrame:
    """The tiles as a reader's table: one row per tile, one column per line."""
    return pd.DataFrame(
        [
            {
                "Measure": tile.label,
                "Figure": tile.figure,
                **{f"Line {i}": line.words for i, line in enumerate(tile.lines, start=1)},
            }
            for tile in tiles
        ]
    ).fillna("")

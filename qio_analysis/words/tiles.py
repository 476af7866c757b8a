"""Headline tiles in words: the total, the change in the total and the like-for-like change.

A tile shows one measure's total for the year and, each on its own line and
each labelled, the change in the total on the year before and the change
like for like (the services that returned in both years), with the number
of returns in both years. Each arrow sits beside the change it shows and
points the way that change went. "Better" and "worse" appear only for the
staff ratio, where policy says which way is better (lower, against
1:1,250); spending, staff and activity go "up" or "down". Where disclosure
control withholds a figure the tile says so instead.

The poster, the slide images, their alt text, the headlines report and
:func:`~qio_analysis.figures.fig_headline_tiles` all print tiles from
:func:`headline_tiles`, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from qio_analysis.config import STAFF_RATIO_TARGET
from qio_analysis.words.formats import (
    NO_COMPARISON,
    NOT_REPORTED,
    PER_1000,
    Change,
    format_value,
    judge_change,
)
from qio_analysis.words.verdicts import meets_target, policy_verdict

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
    "expert_searches_per_1000_wte": f"expert searches {PER_1000}",
    "people_trained_per_1000_wte": f"people trained {PER_1000}",
    "expenditure_gbp": "spent on library and knowledge services",
}
WITHHELD = "not published (see the notes)"


#: What each kind of tile line says, as a table's column header.
LINE_KINDS: dict[str, str] = {
    "basis": "Returns",
    "total": "Change in the total",
    "like": "Like-for-like change",
    "target": "Against the target",
}


@dataclass(frozen=True)
class TileLine:
    """One line of a tile: its ``kind`` (see :data:`LINE_KINDS`), a plain-words lead, the words, arrow and tone.

    ``tone`` is ``better``/``worse`` (staff ratio only), ``neutral`` for a change
    with no policy direction, or ``note``.
    """

    kind: str
    lead: str
    text: str
    arrow: str = ""
    tone: str = "note"

    @property
    def words(self) -> str:
        """The line as drawn: one string, arrow first."""
        return f"{self.arrow} {self.said}" if self.arrow else self.said

    @property
    def said(self) -> str:
        """The line in words only, for alt text and tables (a screen reader would read an arrow aloud)."""
        return f"{self.lead} {self.text}" if self.lead else self.text


@dataclass(frozen=True)
class Tile:
    """One headline tile: the big ``figure``, its ``label`` and its lines."""

    measure: str
    figure: str
    label: str
    lines: tuple[TileLine, ...]

    @property
    def words(self) -> str:
        """The whole tile in one sentence-like string, in words only (alt text, data tables)."""
        return f"{self.figure} {self.label}. " + ". ".join(line.said for line in self.lines) + "."


def _returns(n: object) -> str:
    count = int(n)  # type: ignore[call-overload]
    return f"{count:,} return{'' if count == 1 else 's'}"


def _services(n: object) -> str:
    count = int(n)  # type: ignore[call-overload]
    return f"{count:,} service{'' if count == 1 else 's'}"


def _missing(row: pd.Series, *figures: str, otherwise: str = NO_COMPARISON) -> str:
    """Why a figure is missing: withheld by disclosure control, or nobody reported it.

    Only a headline pack's rows say what was withheld (``withheld``); without
    that, a missing figure is taken as withheld, the safe reading for anything
    published.
    """
    withheld = row.get("withheld")
    if not isinstance(withheld, tuple) or any(f in withheld for f in figures):
        return WITHHELD
    return otherwise


def _behind(row: pd.Series, figure: str) -> object:
    """The returns behind one figure of a tile (a ratio's: those with both parts)."""
    count = row.get(f"n_{figure}")
    if count is None or pd.isna(count):
        return row["n_returns" if figure == "value" else "n_previous_returns"]
    return count


def movers_words(row: pd.Series) -> str:
    """Why a total moved apart from the like-for-like change: the services that left or joined.

    ``""`` when every service behind the totals returned in both years.

    >>> movers_words(pd.Series({"year": "2024/25", "previous_year": "2023/24", "n_value": 132,
    ...     "n_value_both": 132, "n_previous": 137, "n_previous_both": 132}))
    '; 5 services that returned in 2023/24 did not return this year'
    """
    gone = int(row["n_previous"]) - int(row["n_previous_both"])
    new = int(row["n_value"]) - int(row["n_value_both"])
    parts = []
    if gone:
        parts.append(
            f"{_services(gone)} that returned in {row['previous_year']} did not return this year"
        )
    if new:
        parts.append(f"{_services(new)} returned this year but not in {row['previous_year']}")
    return "; " + " and ".join(parts) if parts else ""


def _change_line(kind: str, lead: str, change: Change, better_when: str, detail: str) -> TileLine:
    verdict = policy_verdict(change.direction, better_when)
    text = change.words + (f" ({verdict})" if verdict else "") + (f" {detail}" if detail else "")
    tone = verdict or ("note" if change.direction == "n/a" else "neutral")
    return TileLine(kind, lead, text, change.arrow, tone)


def _tile(row: pd.Series, target: float) -> Tile:
    unit, measure = str(row["unit"]), str(row["measure"])
    figure = format_value(row["value"], unit, target=target) if pd.notna(row["value"]) else "n/a"
    lines = []
    if pd.isna(row["value"]):
        lines.append(
            TileLine(
                "basis", f"{row['year']} total", _missing(row, "value", otherwise=NOT_REPORTED)
            )
        )
    else:
        lines.append(
            TileLine("basis", "", f"{row['year']} total from {_returns(_behind(row, 'value'))}")
        )
    better_when = str(row["better_when"])
    previous = (
        f"(was {format_value(row['previous'], unit, target=target)} from {_returns(_behind(row, 'previous'))})"
        if pd.notna(row["previous"]) and measure != "n_services"
        else f"(then {int(row['n_previous_returns']):,})"
    )
    if int(row["n_previous_returns"]) == 0:
        lines.append(TileLine("total", "", f"No return in {row['previous_year']} to compare with"))
        return Tile(measure, figure, TILE_LABELS.get(measure, str(row["label"])), tuple(lines))
    total = judge_change(row["total_change"], str(row["change_unit"]))
    if total.direction == "n/a":
        lines.append(TileLine("total", "Change in the total", _missing(row, "value", "previous")))
    else:
        lead = "" if measure == "n_services" else "Total"
        detail = f"since {row['previous_year']} {previous}"
        like_direction = judge_change(row["change"], str(row["change_unit"])).direction
        if measure != "n_services" and total.direction != like_direction:
            detail += movers_words(row)
        lines.append(_change_line("total", lead, total, better_when, detail))
    if measure == "n_services":
        lines.append(TileLine("like", "", f"{_services(row['n_both'])} returned in both years"))
    else:
        like = judge_change(row["change"], str(row["change_unit"]))
        basis = f"among the {_services(row['n_both'])} that returned in both years"
        if like.direction == "n/a":
            words = _missing(row, "value_both", "previous_both")
            lines.append(TileLine("like", "Like-for-like change", words))
        else:
            lines.append(_change_line("like", "Like for like", like, better_when, basis))
    if unit == "ratio" and pd.notna(row["value"]):
        met = meets_target(row["value"], target)
        lines.append(
            TileLine(
                "target",
                f"Target 1:{target:,.0f}",
                "met" if met else "not yet met (lower is better)",
                tone="better" if met else "worse",
            )
        )
    return Tile(measure, figure, TILE_LABELS.get(measure, str(row["label"])), tuple(lines))


def headline_tiles(
    headlines: pd.DataFrame,
    measures: tuple[str, ...] = DEFAULT_TILES,
    *,
    target: float = STAFF_RATIO_TARGET,
) -> list[Tile]:
    """The tiles of ``measures`` (in that order), from :func:`~qio_analysis.metrics.headline_figures`.

    Pass a headline pack's ``headlines`` (what disclosure control lets out)
    for anything published; a withheld figure reads "not published".
    """
    rows = headlines.set_index("measure", drop=False)
    return [_tile(rows.loc[m], target) for m in measures if m in rows.index]


def tiles_table(tiles: list[Tile]) -> pd.DataFrame:
    """The tiles as a reader's table: one row per tile, one column per kind of line."""
    kinds = [k for k in LINE_KINDS if any(line.kind == k for t in tiles for line in t.lines)]
    return pd.DataFrame(
        [
            {
                "Measure": tile.label,
                "Figure": tile.figure,
                **{
                    LINE_KINDS[k]: next((ln.said for ln in tile.lines if ln.kind == k), "")
                    for k in kinds
                },
            }
            for tile in tiles
        ]
    )

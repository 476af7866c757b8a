"""The regional improvement report's tables: sortable and filterable, whole without scripts.

Each table is plain, escaped HTML that shows every row. ``static/tables.js``
(inlined into the page only when a table asks for it) adds the sort buttons
and filters and says how many rows are shown; without scripts the filters
stay hidden and the whole table reads as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from qio_analysis.framework import COMPARISON_STATUSES, NOT_COMPARABLE, OUTCOMES
from qio_analysis.metrics.change import LEFT, NEW
from qio_analysis.text import escape_html
from qio_analysis.words import (
    NOT_VALIDATED,
    comparison_label,
    level_words,
    movement_words,
    not_compared_words,
    not_taking_part_words,
    since_words,
)

#: The attribute that marks a table for ``tables.js`` (and asks for the script).
TABLE_MARK = "data-qio-table"


@dataclass(frozen=True)
class Column:
    """One column: its header, its cells (already text) and their sort keys (numbers, or text)."""

    header: str
    cells: Sequence[str]
    keys: Sequence[object] | None = None
    numeric: bool = False


@dataclass(frozen=True)
class Filter:
    """A filter above the table: a labelled choice (or a search box, without ``choices``).

    ``row_values`` holds each row's value, matched against the choice (or
    searched for the box's text).
    """

    name: str
    label: str
    row_values: Sequence[str]
    choices: Sequence[tuple[str, str]] = ()


def _attr(value: object) -> str:
    return escape_html("" if value is None or pd.isna(value) else str(value))


def _cell(text: str, keys: list | None, i: int) -> str:
    """One cell; with a sort key (empty for a missing one, which sorts last) when its column has keys."""
    sort = "" if keys is None else f' data-sort="{_attr(keys[i])}"'
    return f"<td{sort}>{escape_html(text)}</td>"


def interactive_table(
    columns: Sequence[Column], *, caption: str, filters: Sequence[Filter] = (), ident: str
) -> str:
    """A table whose headers sort and whose ``filters`` pick rows, in the browser.

    Every cell is escaped. The filter controls carry ``hidden`` until the
    script shows them, so a reader without scripts sees the whole table.
    """
    # Positions, never index labels: a region's rows keep their labels from the whole table.
    cells = [list(c.cells) for c in columns]
    keys = [None if c.keys is None else list(c.keys) for c in columns]
    values = [list(f.row_values) for f in filters]
    n = len(cells[0])
    controls = ""
    if filters:
        fields = []
        for f in filters:
            field_id = f"{ident}-{f.name}"
            if f.choices:
                options = '<option value="">All</option>' + "".join(
                    f'<option value="{escape_html(v)}">{escape_html(text)}</option>'
                    for v, text in f.choices
                )
                control = f'<select id="{field_id}" data-filter="{f.name}">{options}</select>'
            else:
                control = (
                    f'<input id="{field_id}" type="search" data-filter="{f.name}" '
                    'data-match="contains" autocomplete="off">'
                )
            fields.append(f'<label for="{field_id}">{escape_html(f.label)}</label>{control}')
        controls = (
            f'<div class="qio-table-controls" role="search" '
            f'aria-label="Filter the table: {escape_html(caption)}" hidden>'
            '<p class="qio-table-help">Narrow the table with the boxes below; select a column '
            "heading to sort by it, and again to reverse.</p>"
            + "".join(f'<div class="qio-field">{field}</div>' for field in fields)
            + f'<p class="qio-table-count" role="status" aria-live="polite">Showing all {n} rows.</p></div>'
        )
    head = "".join(
        f'<th scope="col" data-sort-type="{"number" if c.numeric else "text"}">'
        f"{escape_html(c.header)}</th>"
        for c in columns
    )
    body = []
    for i in range(n):
        data = "".join(
            f' data-{f.name}="{_attr(v[i])}"' for f, v in zip(filters, values, strict=True)
        )
        row = "".join(_cell(c[i], k, i) for c, k in zip(cells, keys, strict=True))
        body.append(f"<tr{data}>{row}</tr>")
    return (
        f'<div class="qio-interactive" {TABLE_MARK} id="{ident}">{controls}'
        f'<table class="qio-table"><caption>{escape_html(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _levels(rows: pd.DataFrame, prefix: str, absent: pd.Series, cycle: int) -> list[str]:
    return [
        not_taking_part_words(cycle) if gone else level_words(a, b, missing=NOT_VALIDATED)
        for a, b, gone in zip(
            rows[f"{prefix}_level"], rows[f"{prefix}_sublevel"], absent, strict=True
        )
    ]


def _status_choices(values: pd.Series) -> list[tuple[str, str]]:
    present = set(values)
    return [(s, comparison_label(s)) for s in COMPARISON_STATUSES if s in present]


def improvement_table(rows: pd.DataFrame) -> str:
    """Every organisation and outcome of :func:`~qio_analysis.metrics.improvement`, with its movement.

    Levels of the first, previous and latest cycles, and the movement since
    the first and since the previous cycle, in words by the one rule; sorted
    and filtered by organisation, outcome and movement.
    """
    since, previous, to = (
        int(rows[c].iloc[0]) for c in ("from_cycle", "previous_cycle", "to_cycle")
    )
    name = [f"{n} ({c})" for n, c in zip(rows["org_name"], rows["org_code"], strict=True)]
    recent_new = rows["status_since_previous"] == NEW
    columns = [
        Column("Organisation", name, [n.lower() for n in rows["org_name"]]),
        Column(
            "Outcome",
            [f"{o}: {s}" for o, s in zip(rows["outcome"], rows["outcome_short"], strict=True)],
            rows["outcome"].tolist(),
            numeric=True,
        ),
        Column(
            f"Level {since}",
            _levels(rows, "from", rows["status"] == NEW, since),
            rows["from_level"],
        ),
    ]
    if previous != since:
        columns.append(
            Column(
                f"Level {previous}",
                _levels(rows, "previous", recent_new, previous),
                rows["previous_level"],
            )
        )
    columns.append(
        Column(f"Level {to}", _levels(rows, "to", rows["status"] == LEFT, to), rows["to_level"])
    )
    spans = [("", since)] + ([("_since_previous", previous)] if previous != since else [])
    filters = [
        Filter("search", "Organisation name or code", [n.lower() for n in name]),
        Filter(
            "outcome",
            "Outcome",
            rows["outcome"].astype(str).tolist(),
            [(str(o.number), f"{o.number}: {o.short}") for o in OUTCOMES],
        ),
    ]
    for suffix, cycle in spans:
        status, change = rows[f"comparison{suffix}"], rows[f"level_change{suffix}"]
        columns.append(
            Column(
                f"Movement {since_words(cycle)}",
                [
                    not_compared_words(why, cycle, to)
                    if s == NOT_COMPARABLE
                    else movement_words(s, c)
                    for s, c, why in zip(status, change, rows[f"status{suffix}"], strict=True)
                ],
                change.tolist(),
                numeric=True,
            )
        )
        filters.append(
            Filter(
                f"moved{suffix.replace('_', '-')}",
                f"Movement {since_words(cycle)}",
                status.tolist(),
                _status_choices(status),
            )
        )
    return interactive_table(
        columns,
        caption=f"Validated level and movement by organisation and outcome, {since} to {to}",
        filters=filters,
        ident="improvement-table",
    )


def organisation_movement_table(summary: pd.DataFrame, since: int, previous: int) -> str:
    """One row per organisation of :func:`~qio_analysis.metrics.improvement_summary`: outcomes up and down."""
    name = [f"{n} ({c})" for n, c in zip(summary["org_name"], summary["org_code"], strict=True)]
    columns = [Column("Organisation", name, [n.lower() for n in summary["org_name"]])]
    spans = [("", since)] + ([("_since_previous", previous)] if previous != since else [])
    for suffix, cycle in spans:
        when = since_words(cycle)
        up, down = summary[f"up{suffix}"], summary[f"down{suffix}"]
        columns += [
            Column(
                when.capitalize(),
                summary[f"moved{suffix}"].tolist(),
                (up - down).tolist(),
                numeric=True,
            ),
            Column(f"Outcomes up {when}", up.astype(str).tolist(), up.tolist(), numeric=True),
            Column(f"Outcomes down {when}", down.astype(str).tolist(), down.tolist(), numeric=True),
        ]
    return interactive_table(
        columns,
        caption=f"Outcomes up and down by organisation, whole levels, {since_words(since)}"
        + (f" and {since_words(previous)}" if previous != since else ""),
        filters=[Filter("search", "Organisation name or code", [n.lower() for n in name])],
        ident="organisation-table",
    )

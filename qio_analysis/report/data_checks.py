"""The data-checks page: what the readers did with a run's input files.

:func:`data_checks_html` renders a :class:`~qio_analysis.io.inputs.DataChecks`
(per-file row accounting, rejected rows and why, the validated levels that
validation forms change, superseded resubmissions and what replaced them, and
every normalisation note) as one self-contained, escaped, accessible page
styled like the reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import pandas as pd

from qio_analysis.framework import OUTCOME_SHORT
from qio_analysis.io.inputs import DataChecks
from qio_analysis.text import escape_html
from qio_analysis.words import NOT_VALIDATED, format_date, level_words, outcome_label

_MAX_ROWS = 2000


def _table(
    frame: pd.DataFrame, headers: dict[str, str], caption: str, numeric: Iterable[str] = ()
) -> str:
    numeric = set(numeric)
    if frame.empty:
        return f"<p>{escape_html(caption)}: none.</p>"
    shown = frame.head(_MAX_ROWS)
    head = "".join(f'<th scope="col">{escape_html(label)}</th>' for label in headers.values())
    body = []
    for row in shown.itertuples(index=False):
        values = dict(zip(shown.columns, row, strict=True))
        cells = "".join(
            ("<td class='qio-num'>" if col in numeric else "<td>")
            + f"{escape_html(values.get(col))}</td>"
            for col in headers
        )
        body.append(f"<tr>{cells}</tr>")
    more = (
        f"<p>Showing the first {_MAX_ROWS:,} of {len(frame):,} rows.</p>"
        if len(frame) > _MAX_ROWS
        else ""
    )
    return (
        f'<table class="qio-table"><caption>{escape_html(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{more}"
    )


def _form_changes(changes: pd.DataFrame) -> str:
    """Each validated level a form changes: organisation, outcome, from, to, who and when."""
    if changes.empty:
        return "<p>No validation form changed a validated level.</p>"
    rows = pd.DataFrame(
        {
            "organisation": [
                f"{n} ({c})" for n, c in zip(changes.org_name, changes.org_code, strict=True)
            ],
            "cycle": changes["cycle"],
            "outcome": [outcome_label(n, OUTCOME_SHORT[n]) for n in changes["outcome"]],
            "from": [
                level_words(v, s, missing=NOT_VALIDATED)
                for v, s in zip(changes.from_level, changes.from_sublevel, strict=True)
            ],
            "to": [
                level_words(v, s, missing=NOT_VALIDATED)
                for v, s in zip(changes.to_level, changes.to_sublevel, strict=True)
            ],
            "who": changes["validator"],
            "when": changes["validated_on"].map(format_date),
            "where": [
                f"{f}, cell {c}" for f, c in zip(changes.source_file, changes.cell, strict=True)
            ],
        }
    )
    n = len(rows)
    lead = (
        f"<p>{n:,} validated level{'s' if n != 1 else ''} from validation forms "
        f"replace{'s' if n == 1 else ''} the export's. The reports are built with them.</p>"
    )
    return lead + _table(
        rows,
        {
            "organisation": "Organisation",
            "cycle": "Cycle",
            "outcome": "Outcome",
            "from": "From (export)",
            "to": "To (form)",
            "who": "Validated by",
            "when": "Date validated",
            "where": "Form",
        },
        "Validated levels changed by validation forms",
        {"cycle"},
    )


def _css() -> str:
    css = resources.files("qio_analysis.report").joinpath("static/report.css").read_text("utf-8")
    screen = css.split("/* Print", 1)[0]
    return (
        screen
        + ".qio-num{text-align:right;font-variant-numeric:tabular-nums}.qio-ok{border-left:8px solid #007f3b;background:#e8edee;padding:.6rem 1rem}"
    )


def _banners(
    checks: DataChecks, rejected: pd.DataFrame, left_out: pd.DataFrame, demo: bool
) -> list[str]:
    """What a reader must see first: demo data, rejected rows, forms left out."""
    parts = []
    if demo:
        parts.append(
            '<p class="qio-banner" role="note"><strong>Demonstration data.</strong> '
            "These checks are of the bundled synthetic data, not real returns.</p>"
        )
    if len(rejected):
        mode = (
            "The reports were built from the valid rows only (<code>--errors report</code>)."
            if checks.errors == "report"
            else ""
        )
        parts.append(
            f'<p class="qio-banner" role="alert"><strong>{len(rejected):,} input row(s) were '
            f"rejected</strong> and are not in any report. {mode} Each is listed below with "
            "the reason; fix the export and run again.</p>"
        )
    else:
        parts.append('<p class="qio-ok">No input row was rejected.</p>')
    if len(left_out):
        n_left = left_out["file"].nunique()
        parts.append(
            f'<p class="qio-banner" role="alert"><strong>{n_left:,} validation form file(s) '
            "could not be read</strong> and were left out: nothing on them is in any report. "
            'Each problem is listed under <a href="#left-out">Forms left out</a>.</p>'
        )
    return parts


def _files(files: pd.DataFrame) -> list[str]:
    """Every row read, in one of four places, and the table of files."""
    totals = files[["rows_in", "loaded", "rejected", "superseded"]].sum()
    return [
        f"<p>{int(totals['rows_in']):,} rows read: {int(totals['loaded']):,} loaded, "
        f"{int(totals['rejected']):,} rejected, {int(totals['superseded']):,} superseded "
        "(every row read is in exactly one of these).</p>",
        '<h2 id="files">Input files</h2>',
        _table(
            files,
            {
                "input": "Input",
                "file": "File",
                "sheet": "Sheet",
                "rows_in": "Rows in",
                "loaded": "Loaded",
                "rejected": "Rejected",
                "superseded": "Superseded",
                "empty_rows": "Empty rows skipped",
            },
            "Rows read from each file and where they went",
            {"rows_in", "loaded", "rejected", "superseded", "empty_rows"},
        ),
    ]


def _rejected(rejected: pd.DataFrame, left_out: pd.DataFrame) -> list[str]:
    """Rows rejected and why, then any form left out whole."""
    parts = [
        '<h2 id="rejected">Rejected rows</h2>',
        _table(
            rejected,
            {
                "input": "Input",
                "source_file": "File",
                "source_sheet": "Sheet",
                "source_row": "Row",
                "problems": "Why it was rejected",
                "values": "What the row holds",
            },
            "Rejected rows",
            {"source_row"},
        ),
    ]
    if len(left_out):
        parts.append('<h2 id="left-out">Forms left out</h2>')
        parts.append(
            _table(
                left_out,
                {
                    "file": "File",
                    "sheet": "Sheet",
                    "cell": "Cell",
                    "column": "Label",
                    "value": "Found",
                    "reason": "What is wrong",
                    "allowed": "What to do",
                },
                "Validation forms that could not be read, and why",
            )
        )
    return parts


def _superseded(superseded: pd.DataFrame) -> list[str]:
    return [
        '<h2 id="superseded">Superseded resubmissions</h2>',
        _table(
            superseded,
            {
                "input": "Input",
                "source_file": "File",
                "source_sheet": "Sheet",
                "source_row": "Row",
                "key": "Organisation/service and year",
                "submitted": "Submitted",
                "superseded_by": "Replaced by",
                "reason": "Reason",
            },
            "Superseded rows",
            {"source_row"},
        ),
    ]


def _notes(notes: list[tuple[str, str]]) -> list[str]:
    if not notes:
        return ['<h2 id="notes">Normalisation notes</h2>', "<p>No value needed normalising.</p>"]
    items = "".join(
        f"<li><strong>{escape_html(k)}</strong>: {escape_html(n)}</li>" for k, n in notes
    )
    return ['<h2 id="notes">Normalisation notes</h2>', f"<ul>{items}</ul>"]


def data_checks_html(checks: DataChecks, *, version: str = "", demo: bool = False) -> str:
    """The data-checks page for a run: per-file accounting, rejected and superseded rows, notes.

    Every value from the data is HTML-escaped.
    """
    rejected, left_out = checks.rejected(), checks.left_out()
    parts = [
        *_banners(checks, rejected, left_out, demo),
        *_files(checks.files()),
        *_rejected(rejected, left_out),
        '<h2 id="forms">Validated levels changed by validation forms</h2>',
        _form_changes(checks.form_changes()),
        *_superseded(checks.superseded()),
        *_notes(checks.notes()),
    ]
    footer = f"qio-analysis {escape_html(version)}" if version else "qio-analysis"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Data checks</title>"
        f"<style>{_css()}</style></head><body>"
        '<main class="qio-report"><h1>Data checks</h1>'
        '<p class="qio-subtitle">What the readers did with every input file: rows read, '
        "loaded, rejected and superseded, and every value they normalised.</p>"
        + "".join(parts)
        + f'<footer class="qio-footer">{footer}</footer></main></body></html>\n'
    )

"""What the readers did with a run's input files, and the page that shows it.

:class:`DataChecks` gathers the readers' results (per-file row accounting,
rejected rows and why, superseded resubmissions and what replaced them, and
every normalisation note); :func:`data_checks_html` renders it as one
self-contained, escaped, accessible page styled like the reports.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pandas as pd

from qio_analysis.io.records import SUPERSEDED_COLUMNS, ReadResult
from qio_analysis.io.tables import INVISIBLE

INPUT_LABELS = {
    "submissions": "QIOF submissions",
    "statistics": "LKS statistics returns",
    "organisations": "Organisations table",
}
_MAX_ROWS = 2000


@dataclass
class DataChecks:
    """The readers' results for one set of inputs (``errors`` is ``strict`` or ``report``)."""

    errors: str = "strict"
    results: dict[str, ReadResult] = field(default_factory=dict)

    def files(self) -> pd.DataFrame:
        """One row per input file: input, file, sheet, rows in, loaded, rejected, superseded."""
        frames = [r.files.assign(input=INPUT_LABELS.get(k, k)) for k, r in self.results.items()]
        cols = [
            "input",
            "file",
            "sheet",
            "rows_in",
            "loaded",
            "rejected",
            "superseded",
            "empty_rows",
        ]
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)[cols]

    def rejected(self) -> pd.DataFrame:
        """Every rejected row: input, file, sheet, row, the problems found and the row's values."""
        base = ["source_file", "source_sheet", "source_row", "problems"]
        frames = []
        for kind, result in self.results.items():
            frame = result.rejected
            if len(frame):
                raw = [c for c in frame.columns if c not in base]
                values = [
                    " | ".join(f"{c}: {v}" for c, v in zip(raw, row, strict=True) if not pd.isna(v))
                    for row in frame[raw].itertuples(index=False)
                ]
                frames.append(frame[base].assign(values=values, input=INPUT_LABELS.get(kind, kind)))
        cols = ["input", *base, "values"]
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)[cols]

    def superseded(self) -> pd.DataFrame:
        """Every superseded row and the row that replaced it."""
        return self._stack("superseded", SUPERSEDED_COLUMNS)

    def notes(self) -> list[tuple[str, str]]:
        """``(input, note)`` for every normalisation note."""
        return [(INPUT_LABELS.get(k, k), n) for k, r in self.results.items() for n in r.notes]

    @property
    def n_rejected(self) -> int:
        return sum(len(r.rejected) for r in self.results.values())

    def _stack(self, attr: str, cols: list[str]) -> pd.DataFrame:
        frames = []
        for kind, result in self.results.items():
            frame = getattr(result, attr)
            if len(frame):
                frames.append(
                    frame.reindex(columns=cols).assign(input=INPUT_LABELS.get(kind, kind))
                )
        if not frames:
            return pd.DataFrame(columns=["input", *cols])
        return pd.concat(frames, ignore_index=True)[["input", *cols]]


def _e(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    # Defence in depth: readers already removed invisible characters, but nothing
    # on this page may reorder or hide text (a bidi override), so show them visibly.
    return html.escape(INVISIBLE.sub("\ufffd", str(value)), quote=True)


def _table(
    frame: pd.DataFrame, headers: dict[str, str], caption: str, numeric: Iterable[str] = ()
) -> str:
    numeric = set(numeric)
    if frame.empty:
        return f"<p>{_e(caption)}: none.</p>"
    shown = frame.head(_MAX_ROWS)
    head = "".join(f'<th scope="col">{_e(label)}</th>' for label in headers.values())
    body = []
    for row in shown.itertuples(index=False):
        values = dict(zip(shown.columns, row, strict=True))
        cells = "".join(
            ("<td class='qio-num'>" if col in numeric else "<td>") + f"{_e(values.get(col))}</td>"
            for col in headers
        )
        body.append(f"<tr>{cells}</tr>")
    more = (
        f"<p>Showing the first {_MAX_ROWS:,} of {len(frame):,} rows.</p>"
        if len(frame) > _MAX_ROWS
        else ""
    )
    return (
        f'<table class="qio-table"><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{more}"
    )


def _css() -> str:
    css = resources.files("qio_analysis.report").joinpath("static/report.css").read_text("utf-8")
    screen = css.split("/* Print", 1)[0]
    return (
        screen
        + ".qio-num{text-align:right;font-variant-numeric:tabular-nums}.qio-ok{border-left:8px solid #007f3b;background:#e8edee;padding:.6rem 1rem}"
    )


def data_checks_html(inputs_or_checks: Any, *, version: str = "", demo: bool = False) -> str:
    """The data-checks page for a run: per-file accounting, rejected and superseded rows, notes.

    ``inputs_or_checks`` is an :class:`~qio_analysis.report.inputs.Inputs` or a
    :class:`DataChecks`. Every value from the data is HTML-escaped.
    """
    checks: DataChecks = getattr(inputs_or_checks, "checks", inputs_or_checks)
    files = checks.files()
    rejected = checks.rejected()
    superseded = checks.superseded()
    notes = checks.notes()
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
    totals = files[["rows_in", "loaded", "rejected", "superseded"]].sum()
    parts.append(
        f"<p>{int(totals['rows_in']):,} rows read: {int(totals['loaded']):,} loaded, "
        f"{int(totals['rejected']):,} rejected, {int(totals['superseded']):,} superseded "
        "(every row read is in exactly one of these).</p>"
    )
    parts.append('<h2 id="files">Input files</h2>')
    parts.append(
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
        )
    )
    parts.append('<h2 id="rejected">Rejected rows</h2>')
    parts.append(
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
        )
    )
    parts.append('<h2 id="superseded">Superseded resubmissions</h2>')
    parts.append(
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
        )
    )
    parts.append('<h2 id="notes">Normalisation notes</h2>')
    if notes:
        items = "".join(f"<li><strong>{_e(k)}</strong>: {_e(n)}</li>" for k, n in notes)
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append("<p>No value needed normalising.</p>")
    footer = f"qio-analysis {_e(version)}" if version else "qio-analysis"
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

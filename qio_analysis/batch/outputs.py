"""Step 4 of ``qio reports``: the records the output folder keeps about each report.

``manifest.json`` / ``manifest.csv``: one row per report with its parameters,
status, duration, error, when it was built, and its record: the hash of
everything it was made from (:attr:`ItemResult.inputs`, combined in
``input_hash``) and, for each other rendering of it (PDF, workbook, image
pack), the files and the hash of what they render (:class:`Rendering`). The
next run reads the manifest back to decide what is up to date. The index page
is :mod:`qio_analysis.batch.index`; ``data_checks.html`` is written here.

All files are written atomically; a folder that cannot be written gives one
sentence naming it (:class:`OutputFolderError`), never a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypedDict

import pandas as pd

from qio_analysis.aliases import JsonValue
from qio_analysis.batch.parameters import (
    ReportItem,
    ReportKind,
    ReportParameters,
    read_parameters,
    report_kind,
)
from qio_analysis.errors import OutputFolderError
from qio_analysis.io.files import file_digest
from qio_analysis.io.inputs import DataChecks
from qio_analysis.io.writers import write_csv_atomic, write_text_atomic
from qio_analysis.report.data_checks import data_checks_html

#: Shared files (plotly.js) under the output folder.
ASSETS = "assets"
DATA_CHECKS = "data_checks.html"
MANIFEST = "manifest.json"

#: Statuses whose HTML report is in the folder and listed as current.
CURRENT = frozenset({"built", "skipped"})


@dataclass
class Rendering:
    """A rendering of a report (its PDF, workbook or image pack) and what it was made from.

    ``source`` is the hash of what it renders: the HTML file for a PDF, the
    report's input hash for the renderings made from the metrics. ``files`` is
    every file it consists of and ``links`` what the index links, by label;
    both relative to the output folder.
    """

    source: str
    files: list[str]
    links: dict[str, str]


class ItemExtra(TypedDict, total=False):
    """What a built report adds to its record."""

    #: The groups disclosure control withheld: ``group``, ``n`` and ``reason`` of each.
    suppressed: list[dict[str, JsonValue]]


@dataclass
class ItemResult:
    """What happened to one report item, and the record of what its report was built from.

    ``status`` is one of ``built``, ``skipped`` (up to date), ``failed``,
    ``stale`` (an older report is in the folder, marked as such, but its
    inputs changed and it has not been rebuilt), ``not built`` or
    ``withdrawn`` (its organisation is no longer in the data; its files were
    removed). ``inputs`` holds the hash of each input (data, notebook,
    package, options, assets) and ``input_hash`` their combination.
    ``renderings`` holds the other formats by name (``pdf``, ``xlsx``,
    ``images``) and ``removed`` the renderings this folder lost because they
    no longer matched, with why. ``extra`` holds ``suppressed`` (groups
    withheld by disclosure control).
    """

    item: str
    kind: ReportKind
    label: str
    notebook: str
    parameters: ReportParameters
    status: str
    duration_s: float = 0.0
    error: str = ""
    input_hash: str = ""
    output: str = ""
    debug_notebook: str = ""
    engine: str = ""
    finished: str = ""
    extra: ItemExtra = field(default_factory=lambda: ItemExtra())
    inputs: dict[str, str] = field(default_factory=dict)
    renderings: dict[str, Rendering] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        item: ReportItem,
        status: str,
        input_hash: str,
        *,
        duration_s: float = 0.0,
        error: str = "",
        debug_notebook: str = "",
        engine: str = "",
        finished: str = "",
        extra: ItemExtra | None = None,
        inputs: dict[str, str] | None = None,
    ) -> ItemResult:
        """A result for ``item``, which names it, its notebook, parameters and output."""
        return cls(
            item.id,
            item.kind,
            item.label,
            item.notebook,
            item.parameters,
            status,
            duration_s=duration_s,
            error=error,
            input_hash=input_hash,
            output=item.html_path,
            debug_notebook=debug_notebook,
            engine=engine,
            finished=finished,
            extra=extra or ItemExtra(),
            inputs=inputs or {},
        )


def describe_os_error(exc: OSError, folder: Path) -> str:
    """One plain sentence for a failed write, naming the folder."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "it is on a read-only file system",
        errno.EACCES: "you do not have permission to write there",
        errno.EPERM: "you do not have permission to write there",
        errno.ENOTDIR: "part of the path is a file, not a folder",
    }
    why = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return f"Cannot write to the output folder {folder}: {why}."


def check_writable(out_dir: Path) -> None:
    """Create ``out_dir`` and write a probe file, or raise :class:`OutputFolderError`."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out_dir / ".qio-write-check", "ok\n").unlink()
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None


def ensure_asset(out_dir: Path, name: str, text: str) -> str:
    """Make sure ``assets/name`` holds ``text``; say what was wrong when it had to be rewritten.

    Returns "" when the file was already right, else a short note ("was
    missing", "did not match"). Every report links the assets, so a missing
    one is never left missing.
    """
    target = out_dir / ASSETS / name
    if target.exists():
        if file_digest(target) == hashlib.sha256(text.encode()).hexdigest():
            return ""
        note = "did not match its record"
    else:
        note = "was missing"
    try:
        write_text_atomic(target, text)
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None
    return note


# --------------------------------------------------------------------- manifest


def read_manifest(path: Path) -> dict[str, ItemResult]:
    """Previous results by item id (empty when there is no manifest yet)."""
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))["items"]
    out = {}
    for row in rows:
        renderings = {k: Rendering(**v) for k, v in (row.pop("renderings", None) or {}).items()}
        row["kind"] = report_kind(row.get("kind"))
        row["parameters"] = read_parameters(row.get("parameters"), item=str(row.get("item")))
        out[row["item"]] = ItemResult(**row, renderings=renderings)
    return out


def write_manifest(
    out_dir: Path, results: dict[str, ItemResult], *, run: dict[str, JsonValue] | None = None
) -> tuple[Path, Path]:
    """Write manifest.json (with the run's state) and manifest.csv (sorted by item)."""
    rows = [asdict(results[key]) for key in sorted(results)]
    try:
        json_path = write_text_atomic(
            out_dir / MANIFEST,
            json.dumps({"run": run or {}, "items": rows}, indent=1, default=str) + "\n",
        )
        frame = pd.DataFrame(rows)
        if not frame.empty:
            frame["parameters"] = frame["parameters"].map(
                lambda p: json.dumps(p, sort_keys=True, default=str)
            )
            frame["suppressed"] = frame["extra"].map(lambda e: len(e.get("suppressed", [])))
            frame["formats"] = frame["renderings"].map(lambda r: " ".join(sorted(r)))
            frame["removed"] = frame["removed"].map(
                lambda r: "; ".join(f"{k}: {v}" for k, v in sorted(r.items()))
            )
            frame = frame.drop(columns=["extra", "inputs", "renderings"])
        csv_path = write_csv_atomic(out_dir / "manifest.csv", frame)
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None
    return json_path, csv_path


def write_data_checks(out_dir: Path, checks: DataChecks, *, version: str, demo: bool) -> Path:
    """Write data_checks.html: what the readers did with every input file of the run."""
    try:
        return write_text_atomic(
            out_dir / DATA_CHECKS, data_checks_html(checks, version=version, demo=demo)
        )
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, out_dir)) from None

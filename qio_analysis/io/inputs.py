"""A run's inputs: which files, read once per process, and what the readers did with them.

:func:`load_inputs` is how notebooks, the batch and the explorer get their
tables. In a warm kernel that runs many notebooks the files are read once:
the read is remembered by every input file's path, size and modification
time (so a changed file is read again), and each caller gets its own
shallow (copy-on-write) copy. :class:`DataChecks` gathers the readers'
results for the data-checks page (:mod:`qio_analysis.report.data_checks`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pandera.pandas as pa

from qio_analysis import config
from qio_analysis.checks import mark_valid
from qio_analysis.errors import QioConfigError, display_value
from qio_analysis.io.locate import Source, expand_sources
from qio_analysis.io.organisations import read_organisations_result
from qio_analysis.io.results import (
    SUPERSEDED_COLUMNS,
    VALIDATION_COLUMNS,
    ReadResult,
    check_errors_mode,
)
from qio_analysis.io.statistics import read_statistics
from qio_analysis.io.submissions import read_submissions
from qio_analysis.memo import Memo, copy_result
from qio_analysis.schemas import OrganisationsSchema, StatisticsSchema, SubmissionsSchema

PathLike = str | os.PathLike[str] | None
S = TypeVar("S", bound=Source)

#: What each input is called on the data-checks page.
INPUT_LABELS = {
    "submissions": "QIOF submissions",
    "statistics": "LKS statistics returns",
    "organisations": "Organisations table",
}
_READS = Memo(max_entries=8)


@dataclass
class DataChecks:
    """The readers' results for one set of inputs (``errors`` is ``"raise"`` or ``"report"``)."""

    errors: str = "raise"
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
                    " | ".join(
                        f"{c}: {display_value(v)}"
                        for c, v in zip(raw, row, strict=True)
                        if not pd.isna(v)
                    )
                    for row in frame[raw].itertuples(index=False)
                ]
                frames.append(frame[base].assign(values=values, input=INPUT_LABELS.get(kind, kind)))
        cols = ["input", *base, "values"]
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)[cols]

    def superseded(self) -> pd.DataFrame:
        """Every superseded row and the row that replaced it."""
        frames = [
            result.superseded.reindex(columns=SUPERSEDED_COLUMNS).assign(
                input=INPUT_LABELS.get(kind, kind)
            )
            for kind, result in self.results.items()
            if len(result.superseded)
        ]
        cols = ["input", *SUPERSEDED_COLUMNS]
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)[cols]

    def form_changes(self) -> pd.DataFrame:
        """Every validated level the validation forms change against the export (see
        ``ReadResult.validations``): organisation, outcome, from, to, who and when."""
        result = self.results.get("submissions")
        if result is None:
            return pd.DataFrame(columns=VALIDATION_COLUMNS)
        return result.validations[result.validations["changed"]].reset_index(drop=True)

    def validations(self) -> pd.DataFrame:
        """Every outcome of every validation form loaded (``ReadResult.validations``): the
        levels entered, who validated and when, and the required actions (``comment``)."""
        result = self.results.get("submissions")
        if result is None:
            return pd.DataFrame(columns=VALIDATION_COLUMNS)
        return result.validations.reset_index(drop=True)

    def assignments(self) -> pd.DataFrame | None:
        """Who is assigned to validate each organisation and by when, from the forms read
        (``ReadResult.assignments``); None when no form carries an assignment."""
        result = self.results.get("submissions")
        if result is None or result.assignments.empty:
            return None
        return result.assignments.reset_index(drop=True)

    def left_out(self) -> pd.DataFrame:
        """Every problem of every file left out whole (a form that could not be read)."""
        cols = ["input", "file", "sheet", "cell", "column", "value", "reason", "allowed"]
        rows = [
            {
                "input": INPUT_LABELS.get(kind, kind),
                "file": p.file,
                "sheet": p.sheet,
                "cell": p.cell,
                "column": p.column,
                "value": None if p.value is None else display_value(p.value),
                "reason": p.reason,
                "allowed": p.allowed,
            }
            for kind, result in self.results.items()
            for p in result.left_out
        ]
        return pd.DataFrame(rows, columns=cols)

    def notes(self) -> list[tuple[str, str]]:
        """``(input, note)`` for every normalisation note."""
        return [(INPUT_LABELS.get(k, k), n) for k, r in self.results.items() for n in r.notes]

    @property
    def n_rejected(self) -> int:
        return sum(len(r.rejected) for r in self.results.values())


@dataclass
class Inputs:
    """Tidy tables for a run, where they came from, and what the readers did (``checks``)."""

    submissions: pd.DataFrame
    statistics: pd.DataFrame | None
    organisations: pd.DataFrame | None
    sources: list[str] = field(default_factory=list)
    #: The statistics file as named in ``sources`` (what the public headline pack credits).
    statistics_source: str | None = None
    is_demo: bool = False
    checks: DataChecks = field(default_factory=DataChecks)
    #: When the files were read, and each file's identity then (path, size, mtime_ns).
    read_at: dt.datetime | None = None
    files: tuple[tuple[str, int, int], ...] = ()
    #: The paths given to :func:`load_inputs`, to look at the files again.
    given: tuple[Source | None, PathLike, PathLike] = (None, None, None)

    @property
    def data_date(self) -> dt.datetime | None:
        """When the newest input file was last changed (the date of the data)."""
        if not self.files:
            return None
        return dt.datetime.fromtimestamp(max(f[2] for f in self.files) / 1e9)

    def changed(self) -> bool:
        """Whether any input file (or a folder's list of files) differs from what was read."""
        try:
            return _identities(self.given) != self.files
        except OSError:
            return True


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.PROJECT_ROOT))
    except ValueError:
        return path.name


def _file_identity(source: Source) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) for every file named by ``source``."""
    out = []
    for path in expand_sources(source):
        stat = path.stat()
        out.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def _identities(sources: tuple[Source | None, ...]) -> tuple[tuple[str, int, int], ...]:
    return tuple(f for source in sources if source is not None for f in _file_identity(source))


def _read_once(
    kind: str,
    source: S,
    read: Callable[[S], ReadResult],
    model: type[pa.DataFrameModel],
) -> ReadResult:
    """``read(source)`` once per file identity; each call gets its own copy of the result.

    The copy's table is as valid as the reader's checked one, and recorded so.
    """
    result = copy_result(_READS.get((kind, _file_identity(source)), lambda: read(source)))
    mark_valid(result.data, model)
    return result


def load_inputs(
    submissions: Source | None = None,
    statistics: PathLike = None,
    organisations: PathLike = None,
    *,
    errors: str = "raise",
    cycle: int | None = None,
) -> Inputs:
    """Load the tables a notebook, the batch or the explorer needs.

    With no paths at all the bundled synthetic demo data is used (and flagged,
    so reports carry a banner). As soon as any path is given, only the given
    files are read: real submissions are never mixed with demo statistics.
    ``submissions`` may name several files or folders, such as the exports and a
    folder of returned validation forms.

    ``errors="raise"`` (default) raises :class:`~qio_analysis.errors.QioDataError`
    listing every bad cell; ``errors="report"`` loads the valid rows and lists
    the rejected ones in ``Inputs.checks`` (shown on the data-checks page).
    Unreadable files and unusable columns raise in both modes.

    ``cycle`` is the run's cycle, taken by national-template workbooks whose
    title block has no cycle label (see :func:`read_submissions`).
    """
    check_errors_mode(errors)
    if submissions is None and statistics is None and organisations is None:
        submissions, statistics, organisations = (
            config.DEMO_SUBMISSIONS,
            config.DEMO_STATISTICS,
            config.DEMO_ORGANISATIONS,
        )
    if submissions is None:
        raise QioConfigError("A submissions export (file or folder) is needed for QIOF reports.")
    read_at = dt.datetime.now()
    if isinstance(submissions, str | os.PathLike):
        sources = [Path(submissions)]
    else:
        sources = [Path(p) for p in submissions]
    paths = [*sources, *(Path(p) for p in (statistics, organisations) if p is not None)]
    for path in paths:
        if not path.exists():
            raise QioConfigError(f"Input not found: {path}")
    # Identities before reading: a file changed during the read shows as changed next time.
    given = (submissions, statistics, organisations)
    files = _identities(given)
    key = f"{errors}:{cycle}"
    results = {
        "submissions": _read_once(
            f"submissions:{key}",
            submissions,
            lambda s: read_submissions(s, errors=errors, cycle=cycle),
            SubmissionsSchema,
        )
    }
    if statistics is not None:
        results["statistics"] = _read_once(
            f"statistics:{key}",
            statistics,
            lambda s: read_statistics(s, errors=errors),
            StatisticsSchema,
        )
    if organisations is not None:
        results["organisations"] = _read_once(
            f"organisations:{key}", organisations, read_organisations_result, OrganisationsSchema
        )
    return Inputs(
        submissions=results["submissions"].data,
        statistics=results["statistics"].data if "statistics" in results else None,
        organisations=results["organisations"].data if "organisations" in results else None,
        sources=[_display(p) for p in paths],
        statistics_source=None if statistics is None else _display(Path(statistics)),
        is_demo=all(config.is_demo_path(p) for p in paths),
        checks=DataChecks(errors=errors, results=results),
        read_at=read_at,
        files=files,
        given=given,
    )

"""The inputs a report runs on: which files, loaded once per kernel (see ``io.cache``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from qio_analysis import config
from qio_analysis.errors import QioConfigError
from qio_analysis.io import read_organisations_result, read_statistics, read_submissions
from qio_analysis.io.cache import cached_result
from qio_analysis.metrics.workforce import service_statistics
from qio_analysis.report.data_checks import DataChecks
from qio_analysis.schemas import STATISTICS_COLUMNS

PathLike = str | os.PathLike[str] | None
ERRORS_MODES = ("strict", "report")


@dataclass
class Inputs:
    """Tidy tables for a report, where they came from, and what the readers did (``checks``)."""

    submissions: pd.DataFrame
    statistics: pd.DataFrame | None
    organisations: pd.DataFrame | None
    sources: list[str] = field(default_factory=list)
    is_demo: bool = False
    checks: DataChecks = field(default_factory=DataChecks)

    def service_statistics(self, org_code: str) -> pd.DataFrame:
        """Returns of the LKS service serving ``org_code``; empty when there are no statistics."""
        if self.statistics is None:
            return pd.DataFrame(columns=STATISTICS_COLUMNS)
        return service_statistics(self.statistics, org_code, self.organisations)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.PROJECT_ROOT))
    except ValueError:
        return path.name


def load_inputs(
    submissions: PathLike = None,
    statistics: PathLike = None,
    organisations: PathLike = None,
    *,
    errors: str = "strict",
) -> Inputs:
    """Load the tables a notebook needs.

    With no paths at all the bundled synthetic demo data is used (and flagged,
    so reports carry a banner). As soon as any path is given, only the given
    files are read: real submissions are never mixed with demo statistics.

    ``errors="strict"`` (default) raises :class:`QioDataError` listing every
    bad cell; ``errors="report"`` loads the valid rows and lists the rejected
    ones in ``Inputs.checks`` (shown on the data-checks page). Unreadable
    files and unusable columns raise in both modes.
    """
    if errors not in ERRORS_MODES:
        raise QioConfigError(f"errors must be one of {', '.join(ERRORS_MODES)}, not {errors!r}")
    mode = "raise" if errors == "strict" else "report"
    if submissions is None and statistics is None and organisations is None:
        submissions, statistics, organisations = (
            config.DEMO_SUBMISSIONS,
            config.DEMO_STATISTICS,
            config.DEMO_ORGANISATIONS,
        )
    if submissions is None:
        raise QioConfigError("A submissions export (file or folder) is needed for QIOF reports.")
    paths = [Path(p) for p in (submissions, statistics, organisations) if p is not None]
    for path in paths:
        if not path.exists():
            raise QioConfigError(f"Input not found: {path}")
    results = {
        "submissions": cached_result(
            f"submissions:{mode}", submissions, lambda s: read_submissions(s, errors=mode)
        )
    }
    if statistics is not None:
        results["statistics"] = cached_result(
            f"statistics:{mode}", statistics, lambda s: read_statistics(s, errors=mode)
        )
    if organisations is not None:
        results["organisations"] = cached_result(
            "organisations", organisations, read_organisations_result
        )
    return Inputs(
        submissions=results["submissions"].data,
        statistics=results["statistics"].data if "statistics" in results else None,
        organisations=results["organisations"].data if "organisations" in results else None,
        sources=[_display(p) for p in paths],
        is_demo=all(config.is_demo_path(p) for p in paths),
        checks=DataChecks(errors=errors, results=results),
    )

"""The inputs a report runs on: which files, loaded once per kernel (see ``io.cache``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from qio_analysis import config
from qio_analysis.errors import QioConfigError
from qio_analysis.io import load_statistics, load_submissions, read_organisations
from qio_analysis.io.cache import cached
from qio_analysis.metrics.workforce import service_statistics
from qio_analysis.schemas import STATISTICS_COLUMNS

PathLike = str | os.PathLike[str] | None


@dataclass
class Inputs:
    """Tidy tables for a report, and where they came from."""

    submissions: pd.DataFrame
    statistics: pd.DataFrame | None
    organisations: pd.DataFrame | None
    sources: list[str] = field(default_factory=list)
    is_demo: bool = False

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
    submissions: PathLike = None, statistics: PathLike = None, organisations: PathLike = None
) -> Inputs:
    """Load the tables a notebook needs.

    With no paths at all the bundled synthetic demo data is used (and flagged,
    so reports carry a banner). As soon as any path is given, only the given
    files are read: real submissions are never mixed with demo statistics.
    """
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
    return Inputs(
        submissions=cached("submissions", submissions, load_submissions),
        statistics=None
        if statistics is None
        else cached("statistics", statistics, load_statistics),
        organisations=None
        if organisations is None
        else cached("organisations", organisations, read_organisations),
        sources=[_display(p) for p in paths],
        is_demo=all(config.is_demo_path(p) for p in paths),
    )

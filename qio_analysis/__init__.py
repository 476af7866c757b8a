"""qio-analysis: QIOF levels and LKS statistics as validated tables, metrics and charts.

Typical use::

    import qio_analysis as qa
    subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    profile = qa.level_profile(subs, "RXX", 2025)
"""

from importlib.metadata import PackageNotFoundError, version

from qio_analysis import config
from qio_analysis.errors import Problem, QioConfigError, QioDataError, QioError, QioLevelError
from qio_analysis.framework import (
    LEVELS,
    OUTCOMES,
    SUBLEVELS,
    format_level,
    from_score,
    outcome,
    parse_level,
    parse_sublevel,
    score,
)
from qio_analysis.io import (
    ReadResult,
    load_statistics,
    load_submissions,
    read_ods_trusts,
    read_organisations,
    read_statistics,
    read_submissions,
)
from qio_analysis.reference import NATIONAL, REGIONS, region_name

try:
    __version__ = version("qio-analysis")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "LEVELS",
    "NATIONAL",
    "OUTCOMES",
    "REGIONS",
    "SUBLEVELS",
    "Problem",
    "QioConfigError",
    "QioDataError",
    "QioError",
    "QioLevelError",
    "ReadResult",
    "__version__",
    "config",
    "format_level",
    "from_score",
    "load_statistics",
    "load_submissions",
    "outcome",
    "parse_level",
    "parse_sublevel",
    "read_ods_trusts",
    "read_organisations",
    "read_statistics",
    "read_submissions",
    "region_name",
    "score",
]

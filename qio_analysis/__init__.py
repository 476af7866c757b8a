"""qio-analysis: QIOF levels and LKS statistics as validated tables, metrics and charts.

Typical use::

    import qio_analysis as qa
    subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    profile = qa.level_profile(subs, "RXX", 2025)
"""

from importlib.metadata import PackageNotFoundError, version

from qio_analysis import config
from qio_analysis.errors import Problem, QioConfigError, QioDataError, QioError, QioLevelError
from qio_analysis.figures import (
    fig_activity_trend,
    fig_adjustments,
    fig_agreement_matrix,
    fig_headline_tiles,
    fig_heatmap,
    fig_level_distribution,
    fig_movement,
    fig_radar,
    fig_sankey,
    fig_share_trend,
    fig_staff_ratio,
    figure_alt_text,
    figure_table,
)
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
from qio_analysis.metrics import (
    activity_rates,
    completeness,
    headline_figures,
    level_distribution,
    level_profile,
    level_summary,
    movements,
    paired_levels,
    profile_sentences,
    quadratic_weighted_kappa,
    staff_ratio,
    submission_status,
    transitions,
    validation_agreement,
    year_on_year,
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
    "activity_rates",
    "completeness",
    "config",
    "fig_activity_trend",
    "fig_adjustments",
    "fig_agreement_matrix",
    "fig_headline_tiles",
    "fig_heatmap",
    "fig_level_distribution",
    "fig_movement",
    "fig_radar",
    "fig_sankey",
    "fig_share_trend",
    "fig_staff_ratio",
    "figure_alt_text",
    "figure_table",
    "format_level",
    "from_score",
    "headline_figures",
    "level_distribution",
    "level_profile",
    "level_summary",
    "load_statistics",
    "load_submissions",
    "movements",
    "outcome",
    "paired_levels",
    "parse_level",
    "parse_sublevel",
    "profile_sentences",
    "quadratic_weighted_kappa",
    "read_ods_trusts",
    "read_organisations",
    "read_statistics",
    "read_submissions",
    "region_name",
    "score",
    "staff_ratio",
    "submission_status",
    "transitions",
    "validation_agreement",
    "year_on_year",
]

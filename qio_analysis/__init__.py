"""qio-analysis: QIOF levels and LKS statistics as validated tables, metrics and charts.

Typical use::

    import qio_analysis as qa
    subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)
    profile = qa.level_profile(subs, "ZA07", 2025)
    qa.fig_radar(profile)

Names are loaded on first use (PEP 562), so ``import qio_analysis``, and
papermill loading our engine through its entry point, stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qio_analysis.errors import (
    Problem,
    QioConfigError,
    QioDataError,
    QioError,
    QioLevelError,
    QioWarning,
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
from qio_analysis.reference import NATIONAL, REGIONS, region_name
from qio_analysis.version import __version__

_LAZY: dict[str, str] = {
    # modules
    "config": "qio_analysis.config",
    "report": "qio_analysis.report",
    "metrics": "qio_analysis.metrics",
    "figures": "qio_analysis.figures",
    "schemas": "qio_analysis.schemas",
    "words": "qio_analysis.words",
    "io": "qio_analysis.io",
    "explorer": "qio_analysis.explorer",
    # readers
    **dict.fromkeys(
        [
            "ReadResult",
            "load_inputs",
            "load_statistics",
            "load_submissions",
            "read_ods_trusts",
            "read_organisations",
            "read_statistics",
            "read_submissions",
        ],
        "qio_analysis.io",
    ),
    # metrics
    **dict.fromkeys(
        [
            "activity_rates",
            "awaiting_validation",
            "completeness",
            "gap_to_england",
            "headline_figures",
            "headline_pack",
            "history_wide",
            "improvement",
            "improvement_summary",
            "kappa_interval",
            "largest_movers",
            "level_distribution",
            "level_history",
            "level_profile",
            "level_summary",
            "movements",
            "paired_levels",
            "previous_cycle",
            "quadratic_weighted_kappa",
            "service_statistics",
            "staff_ratio",
            "submission_status",
            "suppress_small_groups",
            "suppression_reason",
            "transitions",
            "validation_agreement",
            "adjustment_counts",
            "validation_worklist",
            "validator_changes",
            "weighted_kappa",
            "year_on_year",
        ],
        "qio_analysis.metrics",
    ),
    "headline_table": "qio_analysis.report",
    # words
    **dict.fromkeys(
        ["headline_tiles", "level_words", "profile_sentences", "since_words"], "qio_analysis.words"
    ),
    # figures
    **dict.fromkeys(
        [
            "fig_activity_trend",
            "fig_adjustments",
            "fig_agreement_matrix",
            "fig_completeness",
            "fig_context",
            "fig_headline_tiles",
            "fig_heatmap",
            "fig_improvement",
            "fig_level_distribution",
            "fig_movement",
            "fig_radar",
            "fig_sankey",
            "fig_share_trend",
            "fig_staff_ratio",
            "figure_alt_text",
            "figure_table",
        ],
        "qio_analysis.figures",
    ),
    "LevelExplorer": "qio_analysis.explorer",
}

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
    "QioWarning",
    "__version__",
    "format_level",
    "from_score",
    "outcome",
    "parse_level",
    "parse_sublevel",
    "region_name",
    "score",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'qio_analysis' has no attribute {name!r}")
    module = importlib.import_module(target)
    value = module if target.endswith("." + name) else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and IDEs
    from qio_analysis import config, figures, io, metrics, report, schemas, words  # noqa: F401

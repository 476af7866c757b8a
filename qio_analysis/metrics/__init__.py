"""Pure metric functions: DataFrame in, DataFrame out, inputs never modified."""

from qio_analysis.metrics.agreement import (
    Agreement,
    kappa_interval,
    quadratic_weighted_kappa,
    validation_agreement,
    weighted_kappa,
)
from qio_analysis.metrics.change import Transitions, movements, transitions
from qio_analysis.metrics.completeness import completeness, submission_status
from qio_analysis.metrics.disclosure import suppress_small_groups, suppression_reason
from qio_analysis.metrics.headline_pack import HeadlinePack, headline_pack
from qio_analysis.metrics.headlines import headline_figures
from qio_analysis.metrics.history import history_wide, level_history
from qio_analysis.metrics.improvement import improvement, improvement_summary, largest_movers
from qio_analysis.metrics.levels import (
    awaiting_validation,
    gap_to_england,
    level_distribution,
    level_profile,
    level_summary,
    paired_levels,
    previous_cycle,
)
from qio_analysis.metrics.validation import (
    adjustment_counts,
    validation_worklist,
    validator_changes,
)
from qio_analysis.metrics.workforce import (
    ACTIVITIES,
    activity_rates,
    service_statistics,
    staff_ratio,
    year_on_year,
)

__all__ = [
    "ACTIVITIES",
    "Agreement",
    "HeadlinePack",
    "Transitions",
    "activity_rates",
    "adjustment_counts",
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
    "validation_worklist",
    "validator_changes",
    "weighted_kappa",
    "year_on_year",
]

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
from qio_analysis.metrics.headlines import headline_figures, headline_table
from qio_analysis.metrics.history import history_wide, level_history
from qio_analysis.metrics.levels import (
    awaiting_validation,
    level_distribution,
    level_profile,
    level_summary,
    paired_levels,
    previous_cycle,
)
from qio_analysis.metrics.validation import validation_worklist, validator_changes
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
    "Transitions",
    "activity_rates",
    "awaiting_validation",
    "completeness",
    "headline_figures",
    "headline_table",
    "history_wide",
    "kappa_interval",
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

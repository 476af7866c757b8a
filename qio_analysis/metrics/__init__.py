"""Pure metric functions: DataFrame in, DataFrame out, inputs never modified."""

from qio_analysis.metrics.agreement import (
    Agreement,
    kappa_interval,
    largest_adjustments,
    quadratic_weighted_kappa,
    validation_agreement,
    weighted_kappa,
)
from qio_analysis.metrics.change import Transitions, movements, transitions
from qio_analysis.metrics.completeness import completeness, submission_status
from qio_analysis.metrics.disclosure import suppress_small_groups, suppression_reason
from qio_analysis.metrics.history import (
    BASELINE_CYCLE,
    FIRST_CYCLE_NOTE,
    history_wide,
    level_history,
    level_words,
    since_words,
)
from qio_analysis.metrics.levels import (
    ProfileText,
    awaiting_validation,
    level_distribution,
    level_profile,
    level_summary,
    paired_levels,
    previous_cycle,
    profile_sentences,
)
from qio_analysis.metrics.workforce import (
    ACTIVITIES,
    activity_rates,
    headline_figures,
    service_statistics,
    staff_ratio,
    year_on_year,
)

__all__ = [
    "ACTIVITIES",
    "BASELINE_CYCLE",
    "FIRST_CYCLE_NOTE",
    "Agreement",
    "ProfileText",
    "Transitions",
    "activity_rates",
    "awaiting_validation",
    "completeness",
    "headline_figures",
    "history_wide",
    "kappa_interval",
    "largest_adjustments",
    "level_distribution",
    "level_history",
    "level_profile",
    "level_summary",
    "level_words",
    "movements",
    "paired_levels",
    "previous_cycle",
    "profile_sentences",
    "quadratic_weighted_kappa",
    "service_statistics",
    "since_words",
    "staff_ratio",
    "submission_status",
    "suppress_small_groups",
    "suppression_reason",
    "transitions",
    "validation_agreement",
    "weighted_kappa",
    "year_on_year",
]

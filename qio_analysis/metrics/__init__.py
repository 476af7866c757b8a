"""Pure metric functions: DataFrame in, DataFrame out, inputs never modified."""

from qio_analysis.metrics.agreement import (
    Agreement,
    largest_adjustments,
    quadratic_weighted_kappa,
    validation_agreement,
)
from qio_analysis.metrics.change import Transitions, movements, transitions
from qio_analysis.metrics.levels import (
    ProfileText,
    completeness,
    level_distribution,
    level_profile,
    level_summary,
    paired_levels,
    previous_cycle,
    profile_sentences,
    submission_status,
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
    "Agreement",
    "ProfileText",
    "Transitions",
    "activity_rates",
    "completeness",
    "headline_figures",
    "largest_adjustments",
    "level_distribution",
    "level_profile",
    "level_summary",
    "movements",
    "paired_levels",
    "previous_cycle",
    "profile_sentences",
    "quadratic_weighted_kappa",
    "service_statistics",
    "staff_ratio",
    "submission_status",
    "transitions",
    "validation_agreement",
    "year_on_year",
]

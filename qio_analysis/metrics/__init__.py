"""Pure metric functions: DataFrame in, DataFrame out, inputs never modified."""

from qio_analysis.metrics.agreement import Agreement, quadratic_weighted_kappa, validation_agreement
from qio_analysis.metrics.change import Transitions, movements, transitions
from qio_analysis.metrics.levels import (
    ProfileText,
    completeness,
    level_distribution,
    level_profile,
    level_summary,
    paired_levels,
    profile_sentences,
    submission_status,
)
from qio_analysis.metrics.workforce import (
    ACTIVITIES,
    activity_rates,
    headline_figures,
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
    "level_distribution",
    "level_profile",
    "level_summary",
    "movements",
    "paired_levels",
    "profile_sentences",
    "quadratic_weighted_kappa",
    "staff_ratio",
    "submission_status",
    "transitions",
    "validation_agreement",
    "year_on_year",
]

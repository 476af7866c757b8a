"""Figures: ``fig_<thing>(frame, *, ...) -> go.Figure``, never shown or written here."""

from qio_analysis.figures.change import fig_movement, fig_sankey
from qio_analysis.figures.completeness import fig_completeness
from qio_analysis.figures.context import fig_context
from qio_analysis.figures.headlines import fig_headline_tiles
from qio_analysis.figures.heatmap import fig_heatmap
from qio_analysis.figures.improvement import fig_improvement
from qio_analysis.figures.levels import fig_level_distribution, fig_share_trend
from qio_analysis.figures.radar import fig_radar
from qio_analysis.figures.template import (
    LEVEL_COLOURS,
    NHS_COLOURS,
    NHS_TEMPLATE,
    SERIES_COLOURS,
    contrast_ratio,
    empty_figure,
    figure_alt_text,
    figure_table,
)
from qio_analysis.figures.validation import fig_adjustments, fig_agreement_matrix
from qio_analysis.figures.workforce import fig_activity_trend, fig_staff_ratio

__all__ = [
    "LEVEL_COLOURS",
    "NHS_COLOURS",
    "NHS_TEMPLATE",
    "SERIES_COLOURS",
    "contrast_ratio",
    "empty_figure",
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
]

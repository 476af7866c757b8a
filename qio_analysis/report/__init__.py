"""Reports: kernel-side display helpers, page sections, presentation tables, HTML export.

Notebooks call ``qa.report.show(fig)``, ``say``, ``heading``, ``bullets``,
``table`` and ``header``; the batch exports executed notebooks with
:func:`qio_analysis.report.html.export_html`.
"""

from qio_analysis.report.actions import (
    actions_table,
    adjustments_table,
    show_required_actions,
)
from qio_analysis.report.context import activity_context, regional_context
from qio_analysis.report.display import (
    as_of,
    bullets,
    figure_bundle,
    header,
    heading,
    record_suppressed,
    say,
    show,
    show_html,
    table,
)
from qio_analysis.report.improvement import improvement_table, organisation_movement_table
from qio_analysis.report.tables import (
    activity_table,
    agreement_table,
    changes_table,
    completeness_table,
    context_table,
    gap_table,
    headline_table,
    profile_table,
    ratio_table,
    status_table,
    worklist_table,
)

__all__ = [
    "actions_table",
    "activity_context",
    "activity_table",
    "adjustments_table",
    "agreement_table",
    "as_of",
    "bullets",
    "changes_table",
    "completeness_table",
    "context_table",
    "figure_bundle",
    "gap_table",
    "header",
    "heading",
    "headline_table",
    "improvement_table",
    "organisation_movement_table",
    "profile_table",
    "ratio_table",
    "record_suppressed",
    "regional_context",
    "say",
    "show",
    "show_html",
    "show_required_actions",
    "status_table",
    "table",
    "worklist_table",
]

"""Reports: kernel-side display helpers, page sections, presentation tables, HTML export.

Notebooks call ``qa.report.show(fig)``, ``say``, ``heading``, ``bullets``,
``table`` and ``header``; the batch exports executed notebooks with
:func:`qio_analysis.report.html.export_html`.
"""

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
    table,
)
from qio_analysis.report.tables import (
    activity_table,
    agreement_table,
    changes_table,
    completeness_table,
    context_table,
    profile_table,
    ratio_table,
    status_table,
    worklist_table,
)

__all__ = [
    "activity_context",
    "activity_table",
    "agreement_table",
    "as_of",
    "bullets",
    "changes_table",
    "completeness_table",
    "context_table",
    "figure_bundle",
    "header",
    "heading",
    "profile_table",
    "ratio_table",
    "record_suppressed",
    "regional_context",
    "say",
    "show",
    "status_table",
    "table",
    "worklist_table",
]

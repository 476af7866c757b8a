"""Reports: inputs for notebooks, kernel-side display helpers, presentation tables, HTML export.

Notebooks call ``qa.report.show(fig)``, ``say``, ``heading``, ``bullets``,
``table`` and ``header``; the batch exports executed notebooks with
:func:`qio_analysis.report.html.export_html`.
"""

from qio_analysis.report.context import activity_context, regional_context
from qio_analysis.report.display import (
    bullets,
    figure_bundle,
    header,
    heading,
    record_suppressed,
    say,
    show,
    table,
)
from qio_analysis.report.inputs import Inputs, load_inputs
from qio_analysis.report.sentences import (
    agreement_sentence,
    completeness_sentence,
    headline_sentence,
    profile_title,
    provisional_notice,
    regional_levels_sentence,
)
from qio_analysis.report.tables import (
    activity_table,
    adjustments_table,
    agreement_table,
    completeness_table,
    context_table,
    headline_table,
    profile_table,
    ratio_sentence,
    ratio_table,
    status_table,
)

__all__ = [
    "Inputs",
    "activity_context",
    "activity_table",
    "adjustments_table",
    "agreement_sentence",
    "agreement_table",
    "bullets",
    "completeness_sentence",
    "completeness_table",
    "context_table",
    "figure_bundle",
    "header",
    "heading",
    "headline_sentence",
    "headline_table",
    "load_inputs",
    "profile_table",
    "profile_title",
    "provisional_notice",
    "ratio_sentence",
    "ratio_table",
    "record_suppressed",
    "regional_context",
    "regional_levels_sentence",
    "say",
    "show",
    "status_table",
    "table",
]

"""Reports: inputs for notebooks, kernel-side display helpers, presentation tables, HTML export.

Notebooks call ``qa.report.show(fig)``, ``say``, ``heading``, ``bullets``,
``table`` and ``header``; the batch exports executed notebooks with
:func:`qio_analysis.report.html.export_html`.
"""

from qio_analysis.report.display import bullets, figure_bundle, header, heading, say, show, table
from qio_analysis.report.inputs import Inputs, load_inputs
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
    "activity_table",
    "adjustments_table",
    "agreement_table",
    "bullets",
    "completeness_table",
    "context_table",
    "figure_bundle",
    "header",
    "heading",
    "headline_table",
    "load_inputs",
    "profile_table",
    "ratio_sentence",
    "ratio_table",
    "say",
    "show",
    "status_table",
    "table",
]

"""Words and number formats meant for people, in one place for metrics, figures and reports.

A verdict can never be judged on one number and printed from another: a
tile, a table cell, an alt text and a sentence all say a staff ratio, a
missing level or a change in the same words, from here.

- :mod:`~qio_analysis.words.formats`: one formatter per kind of number
  (``1:1,250``, ``£67.3m``, WTE, counts, percentages, percentage points, signed changes);
- :mod:`~qio_analysis.words.phrases`: levels, cycles, changes, statuses, counts and lists
  (``Level 2 (High)``, ``not validated``, ``since the 2021 baseline``, ``up 1.75 levels``);
- :mod:`~qio_analysis.words.sentences`: sentences describing a metrics frame.
"""

from qio_analysis.words.formats import (
    NO_CHANGE,
    NO_COMPARISON,
    NOT_REPORTED,
    PLOTLY_FORMATS,
    format_change,
    format_count,
    format_date,
    format_kappa,
    format_level_change,
    format_money,
    format_percent,
    format_rate,
    format_ratio,
    format_signed,
    format_value,
    format_wte,
    is_missing,
    missing_as,
)
from qio_analysis.words.phrases import (
    AWAITING,
    FIRST_CYCLE_NOTE,
    NO_RETURN,
    NO_SUBMISSIONS,
    NOT_SUBMITTED,
    NOT_VALIDATED,
    UNEXPECTED,
    VALIDATED,
    adjustment_words,
    count_words,
    join_words,
    level_change_words,
    level_words,
    outcome_label,
    since_words,
)
from qio_analysis.words.sentences import (
    ProfileText,
    adjustments_sentence,
    agreement_sentence,
    completeness_sentence,
    headline_change_words,
    headline_sentence,
    profile_sentences,
    profile_title,
    provisional_notice,
    ratio_sentence,
    regional_levels_sentence,
)

__all__ = [
    "AWAITING",
    "FIRST_CYCLE_NOTE",
    "NOT_REPORTED",
    "NOT_SUBMITTED",
    "NOT_VALIDATED",
    "NO_CHANGE",
    "NO_COMPARISON",
    "NO_RETURN",
    "NO_SUBMISSIONS",
    "PLOTLY_FORMATS",
    "UNEXPECTED",
    "VALIDATED",
    "ProfileText",
    "adjustment_words",
    "adjustments_sentence",
    "agreement_sentence",
    "completeness_sentence",
    "count_words",
    "format_change",
    "format_count",
    "format_date",
    "format_kappa",
    "format_level_change",
    "format_money",
    "format_percent",
    "format_rate",
    "format_ratio",
    "format_signed",
    "format_value",
    "format_wte",
    "headline_change_words",
    "headline_sentence",
    "is_missing",
    "join_words",
    "level_change_words",
    "level_words",
    "missing_as",
    "outcome_label",
    "profile_sentences",
    "profile_title",
    "provisional_notice",
    "ratio_sentence",
    "regional_levels_sentence",
    "since_words",
]

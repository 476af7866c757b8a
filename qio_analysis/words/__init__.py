"""Words and number formats meant for people, in one place for metrics, figures and reports.

A verdict can never be judged on one number and printed from another: a
tile, a table cell, an alt text and a sentence all say a staff ratio, a
missing level or a change in the same words, from here.

- :mod:`~qio_analysis.words.formats`: one formatter per kind of number
  (``1:1,250``, ``£67.3m``, WTE, counts, percentages, percentage points, signed changes);
- :mod:`~qio_analysis.words.phrases`: levels, cycles, changes, statuses, counts and lists
  (``Level 2 (High)``, ``not validated``, ``since the 2021 baseline``, ``up 1.75 levels``);
- :mod:`~qio_analysis.words.sentences`: sentences describing a metrics frame;
- :mod:`~qio_analysis.words.verdicts`: verdicts judged on the number as printed
  (the staff ratio against its target; "better" only where policy says which way);
- :mod:`~qio_analysis.words.tiles`: the headline tiles in words (total, change in
  the total, like-for-like change).
"""

from qio_analysis.words.formats import (
    ARROWS,
    NO_CHANGE,
    NO_COMPARISON,
    NOT_REPORTED,
    Change,
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
    judge_change,
    missing_as,
    printed_ratio,
    ratio_decimals,
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
    activity_headline,
    adjustments_sentence,
    agreement_sentence,
    completeness_sentence,
    headline_sentence,
    profile_sentences,
    profile_title,
    provisional_notice,
    ratio_headline,
    ratio_sentence,
    regional_levels_sentence,
    returns_sentence,
)
from qio_analysis.words.tiles import DEFAULT_TILES, Tile, TileLine, headline_tiles
from qio_analysis.words.verdicts import LOWER_IS_BETTER, meets_target, policy_verdict, target_words

__all__ = [
    "ARROWS",
    "AWAITING",
    "DEFAULT_TILES",
    "FIRST_CYCLE_NOTE",
    "LOWER_IS_BETTER",
    "NOT_REPORTED",
    "NOT_SUBMITTED",
    "NOT_VALIDATED",
    "NO_CHANGE",
    "NO_COMPARISON",
    "NO_RETURN",
    "NO_SUBMISSIONS",
    "UNEXPECTED",
    "VALIDATED",
    "Change",
    "ProfileText",
    "Tile",
    "TileLine",
    "activity_headline",
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
    "headline_sentence",
    "headline_tiles",
    "is_missing",
    "join_words",
    "judge_change",
    "level_change_words",
    "level_words",
    "meets_target",
    "missing_as",
    "outcome_label",
    "policy_verdict",
    "printed_ratio",
    "profile_sentences",
    "profile_title",
    "provisional_notice",
    "ratio_decimals",
    "ratio_headline",
    "ratio_sentence",
    "regional_levels_sentence",
    "returns_sentence",
    "since_words",
    "target_words",
]

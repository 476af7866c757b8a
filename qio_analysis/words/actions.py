"""The validator's required actions and recommendations, in words for people.

The organisation report, its workbook, the region's validation review and
its workbook all say "no required actions recorded" and mark a cut text in
the same words, from here.
"""

from __future__ import annotations

#: What a report says where a validator recorded no required action.
NO_REQUIRED_ACTIONS = "No required actions recorded"
#: The heading of the section, as on the QIOF validated report.
REQUIRED_ACTIONS_HEADING = "Required actions and recommendations for service improvement"
#: The heading of the validation review's list of who validated each adjustment.
#: Who validated a level that came from an export, which names no one.
VALIDATOR_NOT_RECORDED = "not recorded (export)"
#: The longest required action a report shows; the form holds the rest.
ACTION_LIMIT = 1500


def cut_text(text: str, limit: int = ACTION_LIMIT) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters at a word break, and whether it was cut.

    >>> cut_text("Review the current awareness bulletin", 20)
    ('Review the current…', True)
    >>> cut_text("Keep going", 20)
    ('Keep going', False)
    """
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    space = head.rfind(" ")
    head = head[:space] if space > limit // 2 else head
    return head.rstrip() + "\u2026", True


def cut_note(source_file: object, cell: object) -> str:
    """The visible note after a required action that was cut.

    >>> cut_note("ZA07.xlsx", "G15")
    '(shortened: the full text is on the form ZA07.xlsx, cell G15)'
    """
    where = f"the form {source_file}" + (f", cell {cell}" if cell else "")
    return f"(shortened: the full text is on {where})"


def no_actions_sentence(scope: str, cycle: int) -> str:
    """What a report says when no validator recorded a required action.

    >>> no_actions_sentence("Zedbury Hospitals NHS Trust", 2025)
    'No required actions recorded for Zedbury Hospitals NHS Trust in 2025.'
    """
    return f"{NO_REQUIRED_ACTIONS} for {scope} in {cycle}."

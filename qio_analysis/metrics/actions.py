"""The validator's required actions and recommendations, per organisation and outcome.

Validation forms carry a comment per outcome ("Required actions and
recommendations"); the reader keeps it in ``ReadResult.validations``.
:func:`required_actions` picks those of one cycle (and one organisation or
region), with who validated and when, and cuts a long text to what a report
shows, marking it cut so the report can say where the rest is.
"""

from __future__ import annotations

import pandas as pd

from qio_analysis.words.actions import ACTION_LIMIT, cut_text

#: Columns of :func:`required_actions`.
ACTION_COLUMNS = [
    "org_code",
    "org_name",
    "region",
    "cycle",
    "outcome",
    "action",
    "cut",
    "validator",
    "validated_on",
    "source_file",
    "cell",
]


def required_actions(
    validations: pd.DataFrame,
    cycle: int,
    *,
    org_code: str | None = None,
    region: str | None = None,
    limit: int = ACTION_LIMIT,
) -> pd.DataFrame:
    """Every required action recorded on a validation form in ``cycle``, one row per outcome.

    ``validations`` is ``ReadResult.validations`` (``Inputs.checks.validations()``).
    Outcomes without a comment are left out; ``action`` is cut to ``limit``
    characters (``cut`` says so). ``cell`` is the form cell of the outcome's
    comment (else of its validated level). Sorted by region, organisation and outcome.

    >>> v = pd.DataFrame({"org_code": ["ZA07", "ZA07"], "org_name": ["Zed"] * 2,
    ...     "region": ["London"] * 2, "cycle": [2025] * 2, "outcome": [1, 2],
    ...     "comment": [None, "Publish the plan"], "validator": ["Jo"] * 2,
    ...     "validated_on": [pd.Timestamp("2025-06-02")] * 2, "source_file": ["f.xlsx"] * 2,
    ...     "cell": ["E13", "E14"]})
    >>> required_actions(v, 2025)[["outcome", "action", "cut"]].values.tolist()
    [[2, 'Publish the plan', False]]
    """
    frame = validations[validations["cycle"] == cycle]
    if org_code is not None:
        frame = frame[frame["org_code"] == org_code]
    if region is not None:
        frame = frame[frame["region"] == region]
    text = frame["comment"].map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())
    frame = frame[text != ""]
    cut = [cut_text(t, limit) for t in text[text != ""]]
    cell = frame["comment_cell"] if "comment_cell" in frame else frame["cell"]
    out = frame.assign(
        cell=cell.where(cell.notna(), frame["cell"]),
        action=[c[0] for c in cut],
        cut=pd.Series([c[1] for c in cut], index=frame.index, dtype=bool),
    )
    return out.reindex(columns=ACTION_COLUMNS).sort_values(
        ["region", "org_name", "org_code", "outcome"], ignore_index=True
    )


def who_validated(changes: pd.DataFrame, validations: pd.DataFrame) -> pd.DataFrame:
    """``changes`` (rows of :func:`~qio_analysis.metrics.validator_changes`) with who validated
    each outcome and when: ``validator``, ``validated_on`` and ``source_file`` of the form that
    set its validated level, missing where the level came from an export (which names no one).

    >>> ch = pd.DataFrame({"org_code": ["ZA07", "ZB01"], "cycle": [2025, 2025], "outcome": [2, 2]})
    >>> v = pd.DataFrame({"org_code": ["ZA07"], "cycle": [2025], "outcome": [2],
    ...     "validator": ["Jo"], "validated_on": [pd.Timestamp("2025-06-02")], "source_file": ["f"]})
    >>> who_validated(ch, v)["validator"].tolist()
    ['Jo', nan]
    """
    keys = ["org_code", "cycle", "outcome"]
    who = validations.reindex(columns=[*keys, "validator", "validated_on", "source_file"])
    who = who.astype({"cycle": "int64", "outcome": "int64"}) if len(who) else who
    base = changes.astype({"cycle": "int64", "outcome": "int64"}) if len(changes) else changes
    out = base.merge(who.drop_duplicates(keys, keep="last"), on=keys, how="left")
    out.index = changes.index
    return out

"""Column-header recognition for exports.

Headers are compared after :func:`normalise_header`: lower case, punctuation
and dashes become spaces, letters and digits are split (``outcome1`` ->
``outcome 1``) and runs of whitespace collapse. Synonyms are listed once here
and documented in ``data/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A trailing hint in brackets: an allowed range (``(0-4)``, ``(0 to 4)``) or the
#: sub-level letters or words (``(L/M/H)``, ``(Low/Medium/High)``).
_HINT_RE = re.compile(
    r"\s*[(\[]\s*(?:\d+\s*(?:-|\u2013|\u2014|to)\s*\d+|[LMH](?:\s*/\s*[LMH]){1,2}"
    r"|low\s*/\s*medium\s*/\s*high)\s*[)\]]\s*$",
    re.IGNORECASE,
)


def normalise_header(value: object) -> str:
    """Canonical comparison form of a header cell; a trailing hint in brackets is ignored.

    >>> normalise_header("Outcome 1 Self-evaluated Level (0-4)")
    'outcome 1 self evaluated level'
    >>> normalise_header("Outcome 1 self-evaluated sub-level (L/M/H)")
    'outcome 1 self evaluated sub level'

    >>> normalise_header("OUTCOME 1 \u2013 Self-Evaluated Level")
    'outcome 1 self evaluated level'
    >>> normalise_header("outcome1 self evaluated level")
    'outcome 1 self evaluated level'
    >>> normalise_header("Expenditure (\u00a3)")
    'expenditure'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _HINT_RE.sub("", str(value)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _synonyms(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(alias): canon for canon, aliases in table.items() for alias in aliases}


#: Identifying columns of a QIOF submissions export: canonical -> accepted headers.
SUBMISSION_COLUMNS: dict[str, tuple[str, ...]] = {
    "org_code": (
        "Organisation code",
        "Organization code",
        "ODS code",
        "Org code",
        "Trust code",
    ),
    "org_name": (
        "Organisation name",
        "Organization name",
        "Organisation",
        "Org name",
        "Trust name",
    ),
    "region": ("Region", "NHS England region"),
    "cycle": ("Cycle", "Year", "Submission year", "Round"),
    "submitted": ("Submitted", "Submission date", "Date submitted"),
    # Long layout only.
    "outcome": ("Outcome", "Outcome number"),
    "assessment": ("Assessment", "Assessment type"),
    "level": ("Level",),
    "sublevel": ("Sub-level", "Sublevel", "Sub level"),
}
REQUIRED_SUBMISSION_ID = ("org_code", "org_name", "region", "cycle")

ASSESSMENT_WORDS: dict[str, tuple[str, ...]] = {
    "self": ("self-evaluated", "self evaluation", "self-assessed", "self assessment", "self"),
    "validated": ("validated", "validation"),
}
SUBLEVEL_WORDS: tuple[str, ...] = ("sub-level", "sublevel", "sub level")

#: Statistics returns: identifying columns.
STATISTICS_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "service_code": ("Service code", "LKS service code"),
    "service_name": ("Service name", "LKS service name"),
    "lead_org_code": ("Lead organisation code", "Lead organization code", "Lead org code"),
    "organisations_served": ("Organisations served", "Organizations served"),
    "region": ("Region", "NHS England region"),
    "year": ("Year", "Financial year"),
    "submitted": ("Submitted", "Submission date", "Date submitted"),
}
REQUIRED_STATISTICS_ID = ("service_code", "service_name", "region", "year")

#: Statistics returns: numeric columns -> (tidy name, accepted headers).
STATISTICS_NUMERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "qualified_wte": ("Qualified LKS staff WTE",),
    "other_wte": ("Other LKS staff WTE",),
    "nhs_wte": ("NHS staff WTE served",),
    "potential_users": ("Potential users",),
    "registered_users": ("Registered users",),
    "enquiries": ("Enquiries",),
    "expert_searches": ("Expert searches", "Literature searches", "Information consultancy"),
    "evidence_summaries": ("Evidence summaries",),
    "people_trained": ("People trained", "User education"),
    "inductions": ("Inductions", "User induction"),
    "document_supply": ("Document supply items", "Items supplied", "Document supply"),
    "expenditure_gbp": ("Expenditure (\u00a3)", "Expenditure", "Expenditure GBP"),
}

_SUBMISSION_LOOKUP = _synonyms(SUBMISSION_COLUMNS)
_STATISTICS_LOOKUP = {**_synonyms(STATISTICS_ID_COLUMNS), **_synonyms(STATISTICS_NUMERIC_COLUMNS)}
_ASSESSMENT_LOOKUP = _synonyms(ASSESSMENT_WORDS)
_ASSESS_ALT = "|".join(sorted((re.escape(k) for k in _ASSESSMENT_LOOKUP), key=len, reverse=True))
_SUB_ALT = "|".join(sorted({re.escape(normalise_header(w)) for w in SUBLEVEL_WORDS}, key=len))
_OUTCOME_RE = re.compile(
    rf"^outcome (?P<n>\d+) (?P<assess>{_ASSESS_ALT})(?: (?P<part>level|{_SUB_ALT}))?$"
)


@dataclass(frozen=True)
class OutcomeColumn:
    """A wide-layout outcome column: which outcome, assessment and part it holds."""

    outcome: int
    assessment: str
    part: str  # "level", "sublevel" or "combined" (level with optional sub-level)


def submission_column(header: object) -> str | None:
    """Canonical identifying-column name for a submissions header, if any."""
    return _SUBMISSION_LOOKUP.get(normalise_header(header))


def statistics_column(header: object) -> str | None:
    """Canonical (tidy) column name for a statistics header, if any."""
    return _STATISTICS_LOOKUP.get(normalise_header(header))


def assessment_of(value: object) -> str | None:
    """``self`` or ``validated`` for an assessment word, e.g. in a long export."""
    return _ASSESSMENT_LOOKUP.get(normalise_header(value))


def outcome_column(header: object) -> OutcomeColumn | None:
    """Parse a wide-layout outcome header; ``None`` if it is not one.

    The outcome number is returned as written, so the caller can report an
    outcome outside 1-6 rather than ignoring the column.

    >>> outcome_column("OUTCOME 1 \u2013 Self-Evaluated Level")
    OutcomeColumn(outcome=1, assessment='self', part='level')
    >>> outcome_column("Outcome 6 validation sub level")
    OutcomeColumn(outcome=6, assessment='validated', part='sublevel')
    >>> outcome_column("Outcome 2 self-assessed")
    OutcomeColumn(outcome=2, assessment='self', part='combined')
    """
    match = _OUTCOME_RE.match(normalise_header(header))
    if match is None:
        return None
    part = match["part"]
    kind = "combined" if part is None else ("level" if part == "level" else "sublevel")
    return OutcomeColumn(int(match["n"]), _ASSESSMENT_LOOKUP[match["assess"]], kind)


def looks_like_submissions_header(cells: list[object]) -> bool:
    """A row is a submissions header if it names an organisation code and a cycle
    plus either outcome columns (wide) or outcome and level columns (long)."""
    names = {submission_column(c) for c in cells}
    if not {"org_code", "cycle"} <= names:
        return False
    wide = any(outcome_column(c) is not None for c in cells)
    return wide or {"outcome", "assessment", "level"} <= names


def looks_like_statistics_header(cells: list[object]) -> bool:
    """A row is a statistics header if it names a service code, a year and at
    least one numeric measure."""
    names = {statistics_column(c) for c in cells}
    return {"service_code", "year"} <= names and bool(names & set(STATISTICS_NUMERIC_COLUMNS))

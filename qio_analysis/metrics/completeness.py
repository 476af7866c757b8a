"""Who has submitted, whose levels await validation, and which regions have no submissions.

Every NHS England region always has a row: a region with no submission in the
cycle reads "no submissions" rather than vanishing from national tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from qio_analysis.checks import enforce_schemas
from qio_analysis.framework import OUTCOME_NUMBERS
from qio_analysis.metrics._groups import order_regions
from qio_analysis.reference import NATIONAL, REGION_NAMES
from qio_analysis.schemas import OrganisationsSchema, SubmissionsSchema
from qio_analysis.words import AWAITING, NO_SUBMISSIONS, NOT_SUBMITTED, UNEXPECTED, VALIDATED


def _expected(subs: pd.DataFrame, orgs: pd.DataFrame | None) -> pd.DataFrame:
    if orgs is not None:
        return orgs[["org_code", "org_name", "region"]]
    latest = subs.sort_values("cycle", ascending=False, kind="stable")
    return latest.drop_duplicates("org_code")[["org_code", "org_name", "region"]]


@enforce_schemas
def submission_status(
    subs: DataFrame[SubmissionsSchema],
    orgs: DataFrame[OrganisationsSchema] | None,
    cycle: int,
) -> pd.DataFrame:
    """Status of every expected (and any unexpected) organisation in ``cycle``.

    ``status`` is ``validated`` (all six outcomes have a validated level),
    ``awaiting validation`` (submitted, some validated levels missing),
    ``not submitted`` (no self-evaluated level) or ``not in organisations
    table`` (submitted but not expected: check the organisations table).
    Without an organisations table (``orgs=None``) every organisation seen in
    any cycle is expected, named as in its latest submission.

    >>> from qio_analysis import examples
    >>> subs = examples.submission_statuses()
    >>> submission_status(subs, None, 2025)[["org_code", "status"]].values.tolist()
    [['ZA01', 'validated'], ['ZA02', 'awaiting validation'], ['ZA03', 'not submitted']]
    """
    df = subs[subs["cycle"] == cycle]
    self_done = df.loc[(df["assessment"] == "self") & df["level"].notna(), "org_code"].unique()
    validated = df[(df["assessment"] == "validated") & df["level"].notna()]
    fully = validated.groupby("org_code")["outcome"].nunique()
    fully = set(fully[fully == len(OUTCOME_NUMBERS)].index)
    expected = _expected(subs, orgs)
    extra = df.loc[
        ~df["org_code"].isin(expected["org_code"]), ["org_code", "org_name", "region"]
    ].drop_duplicates("org_code")
    table = pd.concat(
        [expected.assign(expected=True), extra.assign(expected=False)], ignore_index=True
    )
    submitted = table["org_code"].isin(self_done) | table["org_code"].isin(fully)
    status = np.select(
        [~table["expected"], table["org_code"].isin(fully), submitted],
        [UNEXPECTED, VALIDATED, AWAITING],
        default=NOT_SUBMITTED,
    )
    out = table.assign(cycle=cycle, submitted=submitted.to_numpy(), status=status)
    return order_regions(out.sort_values(["region", "org_code"], kind="stable"))


@enforce_schemas
def completeness(
    subs: DataFrame[SubmissionsSchema],
    orgs: DataFrame[OrganisationsSchema] | None,
    cycle: int,
) -> pd.DataFrame:
    """Per region (every NHS England region, then England): expected, submitted, validated, missing.

    Counts: ``expected``, ``submitted``, ``validated``, ``awaiting_validation``,
    ``missing`` (expected, not submitted) and ``unexpected``; code lists
    ``missing_orgs``, ``awaiting_orgs`` and ``unexpected_orgs`` (empty text
    when none); ``pct_submitted`` and ``pct_validated`` of those expected; and
    ``note``: ``no submissions`` for a region with none in ``cycle``.
    ``orgs=None`` works as in :func:`submission_status`.

    >>> from qio_analysis import examples
    >>> subs = examples.submission_statuses()
    >>> c = completeness(subs, None, 2025).set_index("region")
    >>> c.loc["London", ["expected", "submitted", "validated", "awaiting_validation"]].tolist()
    [2, 2, 1, 1]
    >>> c.loc["Midlands", "missing_orgs"], c.loc["North West", "note"], int(c.loc["England", "missing"])
    ('ZA03', 'no submissions', 1)
    """
    status = submission_status(subs, orgs, cycle)
    regions = [*REGION_NAMES, *sorted(set(status["region"]) - set(REGION_NAMES))]
    rows = [_completeness_row(status[status["region"] == r], r) for r in regions]
    rows.append(_completeness_row(status, NATIONAL))
    out = pd.DataFrame(rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        base = out["expected"].where(out["expected"] > 0)
        out["pct_submitted"] = out["submitted"] / base * 100
        out["pct_validated"] = out["validated"] / base * 100
    out["note"] = np.where(out["submitted"] + out["unexpected"] == 0, NO_SUBMISSIONS, "")
    out.insert(1, "cycle", cycle)
    return out


def _completeness_row(frame: pd.DataFrame, region: str) -> dict[str, object]:
    def codes(mask: pd.Series) -> str:
        return ", ".join(sorted(frame.loc[mask, "org_code"]))

    expected = frame["expected"].astype(bool)
    return {
        "region": region,
        "expected": int(expected.sum()),
        "submitted": int((frame["submitted"] & expected).sum()),
        "validated": int((frame["status"] == VALIDATED).sum()),
        "awaiting_validation": int((frame["status"] == AWAITING).sum()),
        "missing": int((frame["status"] == NOT_SUBMITTED).sum()),
        "unexpected": int((~expected).sum()),
        "missing_orgs": codes(frame["status"] == NOT_SUBMITTED),
        "awaiting_orgs": codes(frame["status"] == AWAITING),
        "unexpected_orgs": codes(~expected),
    }

"""Tiny hand-written tidy tables for metric tests."""

from __future__ import annotations

import qio_analysis as qa
from qio_analysis.io.statistics import statistics_frame
from qio_analysis.io.submissions import submissions_frame

NAMES = {
    "A": "Org A",
    "B": "Org B",
    "C": "Org C",
    "D": "Org D",
    "E": "Org E",
    "F": "Org F",
    "X": "Org X",
}


def subs(rows):
    """Rows of (org, region, cycle, outcome, assessment, level, sublevel) -> tidy submissions.

    Organisation codes are padded to ODS-like codes: "A" -> "ZZA".
    """
    tidy = []
    for i, (org, region, cycle, outcome, assessment, level, sub) in enumerate(rows, start=2):
        tidy.append(
            {
                "org_code": f"ZZ{org}",
                "org_name": NAMES[org],
                "region": region,
                "cycle": cycle,
                "outcome": outcome,
                "assessment": assessment,
                "level": level,
                "sublevel": sub,
                "score": qa.score(level, sub),
                "source_file": "fixture.csv",
                "source_row": i,
            }
        )
    return (
        qa.schemas.validate_submissions(submissions_frame(tidy))
        if tidy
        else submissions_frame(tidy)
    )


def both(org, region, cycle, outcome, self_, validated):
    """Two rows: self-evaluated and validated (each a (level, sublevel) pair)."""
    return [
        (org, region, cycle, outcome, "self", *self_),
        (org, region, cycle, outcome, "validated", *validated),
    ]


def stats(rows):
    """Dicts with service_code, region, year_start and measures -> tidy statistics."""
    tidy = []
    for i, row in enumerate(rows, start=2):
        start = row["year_start"]
        base = dict.fromkeys(qa.schemas.STATISTICS_MEASURES)
        tidy.append(
            {
                **base,
                "service_code": row["service_code"],
                "service_name": f"{row['service_code']} LKS",
                "lead_org_code": None,
                "organisations_served": None,
                "region": row.get("region", "London"),
                "year": f"{start}/{(start + 1) % 100:02d}",
                "year_start": start,
                **{k: v for k, v in row.items() if k in base},
                "source_file": "fixture.csv",
                "source_row": i,
            }
        )
    return qa.schemas.validate_statistics(statistics_frame(tidy))
